"""Streaming quantiles of ``allocation.simulate`` from dask inputs equal numpy's, whatever the pilot says.

The pilot windows, the kept shares, the passes for the quantiles that fall outside their window,
the budget of kept shares and the fallback when shares are too large to pack are each forced here on
random small councils, with several chunk and block sizes and scenario orders.
"""

from __future__ import annotations

from unittest import mock

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import jichitai_cloud as jc
from jichitai_cloud import allocation
from jichitai_cloud.allocation import _stream


def _da() -> object:
    return pytest.importorskip("dask.array")


def _council(n: int, seed: int) -> tuple[jc.Consortium, np.ndarray]:
    rng = np.random.default_rng(seed)
    pop = (np.round(np.exp(rng.normal(8, 1.5, n))) + 50).astype(np.int64)
    fee = 10**9
    quota = fee * (0.3 / n + 0.7 * pop / pop.sum())
    cur = np.round(quota / 0.7 * rng.uniform(1.0, 1.6, n)).astype(np.int64)  # caps bind now and then
    members = tuple(jc.Municipality(code=f"M{i}", name=f"m{i}", population=int(pop[i]), current_cost=int(cur[i]))
                    for i in range(n))
    return jc.Consortium(name="q", members=members, period_start="R7.04"), pop


@given(n=st.integers(2, 6), s=st.integers(1, 120), seed=st.integers(0, 2**16),
       chunk=st.integers(10, 80), block=st.integers(1, 50),
       levels=st.lists(st.sampled_from([0.0, 0.001, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.999, 1.0])
                       | st.floats(0, 1), min_size=1, max_size=5),
       pilot=st.integers(1, 64), z=st.sampled_from([0.0, 0.3, 1.0, 5.0]), bins=st.sampled_from([3, 64, 512]),
       order=st.sampled_from(["random", "sorted", "reversed"]), key_bits=st.sampled_from([63, 30]), keep=st.sampled_from([2**25, 60, 0]),
       spread=st.sampled_from([0.0, 0.01, 0.2]))
def test_streaming_quantiles_equal_numpys(n: int, s: int, seed: int, chunk: int, block: int, levels: list[float],
                                          pilot: int, z: float, bins: int, order: str, key_bits: int,
                                          keep: int, spread: float) -> None:
    da = _da()
    council, pop = _council(n, seed)
    rng = np.random.default_rng(seed + 1)
    pops = np.round(pop * rng.normal(1, spread, (s, n)).clip(0.5, 1.5))
    fees = rng.integers(9 * 10**8, 10**9, s)
    if order != "random":  # a sweep: the first scenarios (the pilot) are not like the others
        at = np.argsort(fees, kind="stable")
        pops, fees = pops[at[::-1]] if order == "reversed" else pops[at], fees[at[::-1]] if order == "reversed" else fees[at]
    rule = allocation.AllocationRule(ratios="3:7", min_reduction=0.3)
    ref = allocation.simulate(council, 10**9, rule, populations=pops, total_fees=fees, quantiles=levels,
                              keep_shares=True)
    with mock.patch.object(_stream, "_PILOT", pilot), mock.patch.object(_stream, "_Z", z), \
            mock.patch.object(_stream, "_BINS", bins), mock.patch.object(_stream, "_KEY_BITS", key_bits), \
            mock.patch.object(_stream, "_KEEP", keep):
        got = allocation.simulate(council, 10**9, rule, populations=da.from_array(pops, chunks=(chunk, -1)),  # type: ignore[attr-defined]
                                  total_fees=fees, quantiles=levels, block_size=block)
    expected = np.quantile(ref.shares, levels, axis=0, method="inverted_cdf").T
    np.testing.assert_array_equal(np.array(got.share_quantiles).reshape(n, len(levels)), expected)
    assert (got.mean_share, got.min_share, got.max_share, got.mean_net_cost, got.p_bound) == \
        (ref.mean_share, ref.min_share, ref.max_share, ref.mean_net_cost, ref.p_bound)


def _passes(pops: np.ndarray, council: jc.Consortium, chunk: int) -> tuple[int, object]:
    da = _da()
    calls = []
    real = _stream.map_scenarios

    def counting(*args: object, **kw: object) -> object:
        calls.append(1)
        return real(*args, **kw)  # type: ignore[arg-type]

    rule = allocation.AllocationRule(ratios="3:7", min_reduction=0.3)
    with mock.patch.object(_stream, "map_scenarios", counting):
        got = allocation.simulate(council, 10**9, rule, populations=da.from_array(pops, chunks=(chunk, -1)),  # type: ignore[attr-defined]
                                  quantiles=(0.01, 0.05, 0.5, 0.95, 0.99))
    ref = allocation.simulate(council, 10**9, rule, populations=pops, quantiles=(0.01, 0.05, 0.5, 0.95, 0.99))
    assert got == ref
    return len(calls), got


def test_one_pass_when_the_pilot_is_representative() -> None:
    """Shuffled scenarios: every quantile is found in its window, in the one streaming pass."""
    council, pop = _council(40, 3)
    pops = np.round(pop * np.random.default_rng(4).normal(1, 0.05, (6000, pop.size)))
    passes, _ = _passes(pops, council, 1000)
    assert passes == 1


def test_a_sweep_still_exact_with_refinement_passes() -> None:
    """Scenarios sorted so that the pilot sees only the smallest shares: refined, still exact."""
    council, pop = _council(8, 5)
    pops = np.round(pop * np.random.default_rng(6).normal(1, 0.05, (4000, pop.size)))
    pops = pops[np.argsort(pops[:, 0])]  # member 0's share rises with the scenario number
    with mock.patch.object(_stream, "_PILOT", 300):
        passes, _ = _passes(pops, council, 500)
    assert passes > 1


def test_kept_shares_stay_within_the_budget() -> None:
    """Past ``_KEEP`` kept shares the quantiles are refined instead: still exact, more passes."""
    council, pop = _council(30, 7)
    pops = np.round(pop * np.random.default_rng(8).normal(1, 0.05, (3000, pop.size)))
    with mock.patch.object(_stream, "_KEEP", 500):
        passes, _ = _passes(pops, council, 400)
    assert passes > 2
