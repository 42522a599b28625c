"""Scale: dask arrays along the scenario axis equal the numpy path; streaming memory; thread limits.

dask (the ``scale`` extra) is needed by most tests here; they are skipped without it.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import jichitai_cloud as jc
from jichitai_cloud import allocation, evaluation
from jichitai_cloud._numeric._dask import is_dask
from jichitai_cloud._numeric._threads import single_blas_thread
from jichitai_cloud.allocation import _stream
from jichitai_cloud.errors import InfeasibleAllocation, ValidationError


def _dask() -> object:
    return pytest.importorskip("dask.array")


def _council(n: int = 12, seed: int = 0, fee: int = 3 * 10**10) -> tuple[jc.Consortium, np.ndarray]:
    rng = np.random.default_rng(seed)
    pop = (np.round(np.exp(rng.normal(9.6, 1.3, n))) + 200).astype(np.int64)
    quota = fee * (0.3 / n + 0.7 * pop / pop.sum())
    cur = np.round(quota / 0.7 * rng.uniform(0.85, 1.3, n)).astype(np.int64)
    members = tuple(jc.Municipality(code=f"M{i}", name=f"m{i}", population=int(pop[i]), current_cost=int(cur[i]),
                                    penalty=int(rng.integers(0, 1000))) for i in range(n))
    return jc.Consortium(name="test", members=members, period_start="R7.04"), pop


# ---------------------------------------------------------------------------------------------
# import hygiene and detection
# ---------------------------------------------------------------------------------------------
def test_import_and_numpy_paths_do_not_import_dask() -> None:
    code = ("import sys, numpy as np, jichitai_cloud as jc; from jichitai_cloud import allocation, examples; "
            "allocation.split_costs(10, np.ones((3, 1)), [1]); "
            "allocation.simulate(examples.toyama(), 10**6, populations=np.ones((4, 6)) * 1000); "
            "sys.exit(1 if any(m == 'dask' or m.startswith('dask.') for m in sys.modules) else 0)")
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_is_dask_reads_the_type_only() -> None:
    da = _dask()
    assert is_dask(da.zeros(3))  # type: ignore[attr-defined]
    assert not is_dask(np.zeros(3))
    assert not is_dask([1, 2])


# ---------------------------------------------------------------------------------------------
# split_costs
# ---------------------------------------------------------------------------------------------
def _split_inputs(s: int = 53, n: int = 9, seed: int = 3) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = np.stack([np.ones((s, n)), rng.integers(100, 10_000, (s, n)).astype(np.float64)], axis=-1)
    t = rng.integers(10**6, 10**7, s)
    caps = rng.integers(3 * 10**5, 3 * 10**6, (s, n))
    floors = rng.integers(0, 10**4, (s, n))
    return t, x, caps, floors


def test_split_costs_dask_equals_numpy_over_chunks() -> None:
    da = _dask()
    t, x, caps, floors = _split_inputs()
    ref = allocation.split_costs(t, x, [3, 7], caps=caps, floors=floors, return_binding=True)
    got = allocation.split_costs(da.from_array(t, chunks=10), x, [3, 7], caps=da.from_array(caps, chunks=(17, 9)),  # type: ignore[attr-defined]
                                 floors=floors, return_binding=True)
    assert is_dask(got.shares) and is_dask(got.binding)
    assert got.shares.chunks[0] == (10, 10, 10, 10, 10, 3)
    np.testing.assert_array_equal(got.shares.compute(), ref.shares)
    np.testing.assert_array_equal(got.binding.compute(), ref.binding)
    assert got.binding.dtype == ref.binding.dtype


def test_split_costs_dask_with_shared_drivers_and_unit() -> None:
    da = _dask()
    t, x, _, _ = _split_inputs()
    ref = allocation.split_costs(t, x[0], [1, 1], unit=1000, rounding="floor_then_lead")
    got = allocation.split_costs(da.from_array(t, chunks=7), x[0], np.array([1, 1]), unit=1000,
                                 rounding="floor_then_lead")
    np.testing.assert_array_equal(got.compute(), ref)


def test_split_costs_dask_errors_name_the_chunk_when_computed() -> None:
    da = _dask()
    t, x, _, _ = _split_inputs()
    caps = np.full(9, 10)  # far too small: infeasible
    lazy = allocation.split_costs(da.from_array(t, chunks=20), x, [3, 7], caps=caps)
    with pytest.raises(InfeasibleAllocation, match="in the block of scenarios"):
        lazy.compute()
    with pytest.raises(ValidationError, match="out cannot be given"):
        allocation.split_costs(da.from_array(t, chunks=20), x, [3, 7], out=np.empty((53, 9), dtype=np.int64))
    with pytest.raises(ValidationError, match="drivers must have shape"):
        allocation.split_costs(da.from_array(t, chunks=20), x[None], [3, 7])


# ---------------------------------------------------------------------------------------------
# simulate: streaming statistics equal the numpy path
# ---------------------------------------------------------------------------------------------
def _simulate_both(s: int, chunks: int, qs: tuple[float, ...], **kw: object) -> tuple[object, object]:
    da = _dask()
    council, pop = _council()
    rng = np.random.default_rng(7)
    pops = np.round(pop * rng.normal(1, 0.05, (s, pop.size)))
    fees = rng.integers(int(2.7e10), int(3.0e10), s)
    rule = allocation.AllocationRule(ratios="3:7", min_reduction=0.3)
    ref = allocation.simulate(council, 3 * 10**10, rule, populations=pops, total_fees=fees, quantiles=qs,
                              block_size=64)
    got = allocation.simulate(council, 3 * 10**10, rule, populations=da.from_array(pops, chunks=(chunks, -1)),  # type: ignore[attr-defined]
                              total_fees=fees, quantiles=qs, block_size=32, **kw)
    return ref, got


def test_simulate_dask_statistics_equal_numpy() -> None:
    qs = (0.0, 0.05, 0.1, 0.25, 0.5, 0.9, 0.95, 0.999, 1.0)
    ref, got = _simulate_both(503, 97, qs)
    assert got == ref  # means, quantiles, minima, maxima, net costs, binding frequencies
    assert 0 < sum(ref.p_bound) < len(ref.p_bound)  # type: ignore[attr-defined]


def test_simulate_dask_quantiles_exact_over_many_refinement_passes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_stream, "_BINS", 3)  # a pass narrows the interval only 3-fold: many passes
    ref, got = _simulate_both(120, 25, (0.05, 0.5, 0.95))
    assert got == ref


def test_simulate_dask_current_costs_and_keep_shares() -> None:
    da = _dask()
    council, _ = _council()
    rng = np.random.default_rng(1)
    cur = np.array([m.current_cost for m in council.members]) * rng.uniform(0.9, 1.2, (80, 12))
    cur = cur.astype(np.int64)
    rule = allocation.AllocationRule(ratios="3:7", min_reduction=0.3)
    ref = allocation.simulate(council, 3 * 10**10, rule, current_costs=cur)
    got = allocation.simulate(council, 3 * 10**10, rule, current_costs=da.from_array(cur, chunks=(30, -1)))  # type: ignore[attr-defined]
    assert got == ref
    with pytest.raises(ValidationError, match="keep_shares"):
        allocation.simulate(council, 3 * 10**10, rule, current_costs=da.from_array(cur), keep_shares=True)  # type: ignore[attr-defined]
    with pytest.raises(ValidationError, match="current_costs must have shape"):
        allocation.simulate(council, 3 * 10**10, rule, current_costs=da.from_array(cur[:, :3]))  # type: ignore[attr-defined]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 10**12), min_size=1, max_size=60), st.lists(st.floats(0, 1), min_size=1, max_size=5))
def test_quantile_ranks_are_numpys_inverted_cdf(values: list[int], levels: list[float]) -> None:
    v = np.array(values, dtype=np.int64)
    k = _stream.quantile_ranks(v.size, tuple(levels))
    np.testing.assert_array_equal(np.sort(v)[k], np.quantile(v, levels, method="inverted_cdf"))


def test_streaming_memory_does_not_grow_with_the_scenarios() -> None:
    """The most bytes the scheduler holds at once is the same for 8 and for 32 chunks."""
    da = _dask()
    import dask
    from dask.callbacks import Callback

    council, pop = _council(n=50)
    rule = allocation.AllocationRule(ratios="3:7", min_reduction=0.3)

    def held(chunks: int) -> int:
        peak = [0]

        def post(key: object, result: object, dsk: object, state: dict[str, dict[object, object]], worker: object) -> None:
            size = sum(getattr(v, "nbytes", 0) for v in state["cache"].values())
            peak[0] = max(peak[0], size)

        rng = da.random.default_rng(0)  # type: ignore[attr-defined]
        pops = da.round(pop * (1 + 0.03 * rng.standard_normal((64 * chunks, pop.size), chunks=(64, -1))))  # type: ignore[attr-defined]
        with dask.config.set(scheduler="synchronous"), Callback(posttask=post):
            allocation.simulate(council, 3 * 10**10, rule, populations=pops)
        return peak[0]

    small, large = held(8), held(32)
    chunk_bytes = 64 * 50 * 8
    assert large <= small + 2 * chunk_bytes, (small, large)


# ---------------------------------------------------------------------------------------------
# evaluation: Monte Carlo over dask weight vectors
# ---------------------------------------------------------------------------------------------
def test_monte_carlo_dask_weights_equal_numpy() -> None:
    da = _dask()
    rng = np.random.default_rng(5)
    scores = rng.random((4, 6))
    fixed = rng.random((4, 1))
    w = evaluation.sample_weights(np.array([10, 10, 5, 5, 5, 5, 60.0]), concentration=30, size=5000, seed=1)
    ref = evaluation.monte_carlo(scores, np.ones(7), weights=w, fixed=fixed)
    got = evaluation.monte_carlo(scores, np.ones(7), weights=da.from_array(w, chunks=(1100, -1)), fixed=fixed)  # type: ignore[attr-defined]
    np.testing.assert_allclose(got.rank_probability, ref.rank_probability, rtol=1e-12, atol=0)
    assert (got.samples, got.lottery_samples, got.fallback_cells) == (ref.samples, ref.lottery_samples,
                                                                      ref.fallback_cells)
    judges = rng.random((3, 4, 6))
    ref_j = evaluation.monte_carlo(judges, np.ones(7), weights=w, fixed=fixed, bootstrap=False)
    got_j = evaluation.monte_carlo(judges, np.ones(7), weights=da.from_array(w, chunks=(999, -1)), fixed=fixed,  # type: ignore[attr-defined]
                                   bootstrap=False)
    np.testing.assert_allclose(got_j.rank_probability, ref_j.rank_probability, rtol=1e-12, atol=0)
    with pytest.raises(ValidationError, match="bootstrap"):
        evaluation.monte_carlo(judges, np.ones(7), weights=da.from_array(w), fixed=fixed)  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------------------------
# a dask.distributed cluster (the same code runs on a real one)
# ---------------------------------------------------------------------------------------------
def test_simulate_on_a_distributed_cluster() -> None:
    da = _dask()
    distributed = pytest.importorskip("distributed")
    council, pop = _council()
    rng = np.random.default_rng(2)
    pops = np.round(pop * rng.normal(1, 0.05, (300, pop.size)))
    rule = allocation.AllocationRule(ratios="3:7", min_reduction=0.3)
    ref = allocation.simulate(council, 3 * 10**10, rule, populations=pops)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,  # type: ignore[attr-defined]
                                  dashboard_address=None) as cluster, distributed.Client(cluster):  # type: ignore[attr-defined]
        got = allocation.simulate(council, 3 * 10**10, rule, populations=da.from_array(pops, chunks=(64, -1)))  # type: ignore[attr-defined]
        shares = allocation.split_costs(da.from_array(np.full(300, 10**9), chunks=100), pops[..., None], [1]).compute()  # type: ignore[attr-defined]
    assert got == ref
    np.testing.assert_array_equal(shares, allocation.split_costs(np.full(300, 10**9), pops[..., None], [1]))


# ---------------------------------------------------------------------------------------------
# one BLAS thread
# ---------------------------------------------------------------------------------------------
def test_single_blas_thread_limits_and_restores() -> None:
    threadpoolctl = pytest.importorskip("threadpoolctl")

    def blas_threads() -> list[int]:
        return [i["num_threads"] for i in threadpoolctl.threadpool_info() if i["user_api"] == "blas"]

    before = blas_threads()
    with single_blas_thread():
        assert all(n == 1 for n in blas_threads())
        with single_blas_thread():  # nested: still one, and the outer exit restores
            assert all(n == 1 for n in blas_threads())
        assert all(n == 1 for n in blas_threads())
    assert blas_threads() == before


def test_the_scale_page_example_runs() -> None:
    import re
    from pathlib import Path

    _dask()
    page = Path(__file__).resolve().parents[1] / "docs" / "scale.md"
    if not page.is_file():  # pragma: no cover - an installed sdist without docs
        pytest.skip("docs/scale.md not found")
    blocks = re.findall(r"```python\n(.*?)```", page.read_text(encoding="utf-8"), re.S)  # not ```python no-run
    assert blocks
    for code in blocks:
        namespace: dict[str, object] = {}
        exec(compile(code.replace("S = 10_000", "S = 3_000"), "docs/scale.md", "exec"), namespace)
        if "allocation.simulate" in code:  # the page's other blocks (SLA kernels) check themselves
            assert namespace["dist"].scenarios == 3_000  # type: ignore[attr-defined]
