"""Kernels of the migration schedule: hand-worked values, the formula against a loop, properties, brute force."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from jichitai_cloud import InfeasibleAllocation, ValidationError
from jichitai_cloud.schedule import best_starts, cutover_groups, timing_costs, timing_parts
from jichitai_cloud.testing.strategies import timing_inputs


def loop_costs(contract_end, current_monthly, cloud_monthly, penalty_monthly, starts, *, horizon, parallel=0,
               extension_monthly=None):
    """The issue's formula, member by member and month by month, in Python integers."""
    h0, h1 = horizon
    n_members = len(contract_end)
    par = parallel if isinstance(parallel, list) else [parallel] * n_members
    ext = current_monthly if extension_monthly is None else extension_monthly

    def n(a, b):
        return max(0, min(b, h1) - max(a, h0) + 1)

    out = []
    for i in range(n_members):
        row = []
        for s in starts:
            e, end = contract_end[i], s - 1 + par[i]
            row.append(current_monthly[i] * n(h0, min(e, end)) + ext[i] * n(e + 1, end)
                       + penalty_monthly[i] * max(0, e - end) + cloud_monthly[i] * n(s, h1))
        out.append(row)
    return out


def test_hand_worked_values() -> None:
    # contract ends month 5; horizon 0..11; current 100, cloud 60, penalty 30 a month
    # start 3: current 100*3 (months 0-2) + penalty 30*3 (months 3-5 unused) + cloud 60*9 = 930
    # start 6: current 100*6 + cloud 60*6 = 960
    # start 8: current 100*6 + extension 100*2 (months 6-7) + cloud 60*4 = 1040
    assert timing_costs([5], [100], [60], [30], [3, 6, 8], horizon=(0, 11)).tolist() == [[930, 960, 1040]]
    # two months of parallel running and a dearer extension (150): start 6 runs the current system
    # to month 7: current 600 + extension 150*2 + cloud 60*6 = 1260, double running 2 months
    parts = timing_parts([5], [100], [60], [30], [6], horizon=(0, 11), parallel=2, extension_monthly=[150])
    assert (parts.current[0, 0], parts.extension[0, 0], parts.penalty[0, 0], parts.cloud[0, 0]) == (600, 300, 0, 360)
    assert parts.double_months[0, 0] == 2
    assert parts.total[0, 0] == 1260
    # the penalty is owed in full even when the unused months lie beyond the horizon
    assert timing_parts([20], [100], [60], [30], [3], horizon=(0, 11)).penalty[0, 0] == 30 * 18


def test_dtype_shape_and_batch() -> None:
    costs = timing_costs([5, 7], [100, 200], [60, 50], [30, 10], [3, 6, 8], horizon=(0, 11))
    assert costs.dtype == np.int64 and costs.shape == (2, 3)
    batch = timing_costs([[5, 7], [5, 7]], [[100, 200], [1, 2]], [60, 50], [30, 10], [3, 6, 8], horizon=(0, 11))
    assert batch.shape == (2, 2, 3)
    assert np.array_equal(batch[0], costs)
    assert np.array_equal(batch[1], timing_costs([5, 7], [1, 2], [60, 50], [30, 10], [3, 6, 8], horizon=(0, 11)))


@given(timing_inputs())
def test_formula_equals_loop(kw) -> None:
    got = timing_costs(**kw)
    assert got.tolist() == loop_costs(**kw)


@given(timing_inputs())
def test_total_is_sum_of_parts(kw) -> None:
    p = timing_parts(**kw)
    assert np.array_equal(p.current + p.extension + p.penalty + p.cloud, timing_costs(**kw))
    assert (p.double_months >= 0).all()


@given(timing_inputs(), st.integers(1, 10**5))
def test_monotone_in_penalty(kw, extra) -> None:
    more = dict(kw, penalty_monthly=[p + extra for p in kw["penalty_monthly"]])
    assert (timing_costs(**more) >= timing_costs(**kw)).all()


@given(timing_inputs(), st.integers(1, 3))
def test_monotone_in_parallel(kw, extra) -> None:
    # running the current system a month longer inside its contract costs a month's fee instead of a
    # month's penalty: monotone when the penalty is at most the fee, the contract ends within the
    # horizon and the cloud starts inside it
    h0, h1 = kw["horizon"]
    kw = dict(kw, penalty_monthly=[min(p, c) for p, c in zip(kw["penalty_monthly"], kw["current_monthly"], strict=True)],
              contract_end=[min(e, h1) for e in kw["contract_end"]], starts=[s for s in kw["starts"] if s >= h0])
    assume(kw["starts"])
    more = dict(kw, parallel=[p + extra for p in kw["parallel"]])
    assert (timing_costs(**more) >= timing_costs(**kw)).all()


def test_bad_input_names_the_field() -> None:
    with pytest.raises(ValidationError, match="current_monthly"):
        timing_costs([5], [100.5], [60], [30], [3], horizon=(0, 11))
    with pytest.raises(ValidationError, match="penalty_monthly"):
        timing_costs([5], [100], [60], [-1], [3], horizon=(0, 11))
    with pytest.raises(ValidationError, match="horizon"):
        timing_costs([5], [100], [60], [1], [3], horizon=(11, 0))
    with pytest.raises(ValidationError, match="parallel"):
        timing_costs([5], [100], [60], [1], [3], horizon=(0, 11), parallel=-1)
    with pytest.raises(ValidationError, match="broadcast"):
        timing_costs([5, 6], [100, 1, 2], [60], [1], [3], horizon=(0, 11))
    with pytest.raises(ValidationError, match="overflow"):
        timing_costs([5], [2**60], [60], [1], [3], horizon=(0, 11))
    with pytest.raises(ValidationError, match="capacity"):
        best_starts([[1, 2]], [0, 1], capacity=0)
    with pytest.raises(ValidationError, match="per"):
        best_starts([[1, 2]], [0, 1], capacity=1, per="week")
    with pytest.raises(ValidationError, match="allowed"):
        best_starts([[1, 2]], [0, 1], capacity=1, allowed=[[True]])


def test_quarter_groups() -> None:
    # 2015-04 .. 2016-03: four fiscal quarters of three months
    months = np.arange(2015 * 12 + 3, 2016 * 12 + 3)
    g = cutover_groups(months, "quarter")
    assert [len(set(g[k:k + 3])) for k in range(0, 12, 3)] == [1, 1, 1, 1]
    assert len(set(g)) == 4


def brute_force(costs, starts, capacity, per, blackout, allowed):
    n, m = costs.shape
    groups = cutover_groups(starts, per)
    best = None
    for choice in itertools.product(range(m), repeat=n):
        if any(not allowed[i, j] or starts[j] in blackout for i, j in enumerate(choice)):
            continue
        _, counts = np.unique(groups[list(choice)], return_counts=True)
        if counts.max() > capacity:
            continue
        total = sum(int(costs[i, j]) for i, j in enumerate(choice))
        best = total if best is None else min(best, total)
    return best


@given(st.integers(1, 5), st.integers(1, 5), st.integers(1, 3), st.sampled_from(["month", "quarter"]),
       st.integers(0, 2**32 - 1))
def test_best_starts_equals_brute_force(n, m, capacity, per, seed) -> None:
    rng = np.random.default_rng(seed)
    costs = rng.integers(0, 1000, size=(n, m))
    starts = np.arange(24_180, 24_180 + m)
    allowed = rng.random((n, m)) < 0.8
    blackout = [int(starts[0])] if rng.random() < 0.3 else []
    best = brute_force(costs, starts, capacity, per, blackout, allowed)
    if best is None:
        with pytest.raises(InfeasibleAllocation):
            best_starts(costs, starts, capacity=capacity, per=per, blackout=blackout, allowed=allowed)
        return
    idx = best_starts(costs, starts, capacity=capacity, per=per, blackout=blackout, allowed=allowed)
    assert int(costs[np.arange(n), idx].sum()) == best
    assert allowed[np.arange(n), idx].all()
    assert not np.isin(starts[idx], blackout).any()
    _, counts = np.unique(cutover_groups(starts[idx], per), return_counts=True)
    assert counts.max() <= capacity


@given(st.integers(1, 8), st.integers(1, 6), st.integers(1, 4), st.integers(0, 2**32 - 1))
def test_capacity_never_cheaper_than_own_choices(n, m, capacity, seed) -> None:
    rng = np.random.default_rng(seed)
    costs = rng.integers(0, 10**9, size=(n, m))
    starts = np.arange(m)
    assume(n <= m * capacity)
    own = costs.min(axis=1).sum()
    idx = best_starts(costs, starts, capacity=capacity)
    total = costs[np.arange(n), idx].sum()
    assert total >= own
    if np.bincount(costs.argmin(axis=1), minlength=m).max() <= capacity:
        assert total == own


def test_infeasible_says_why() -> None:
    costs = np.zeros((14, 12), dtype=np.int64)
    with pytest.raises(InfeasibleAllocation, match="14 members, 12 cutover slots in the window"):
        best_starts(costs, np.arange(12), capacity=1)
    allowed = np.ones((4, 6), dtype=bool)
    allowed[:3, 2:] = False  # three members may only start in months 0 and 1
    with pytest.raises(InfeasibleAllocation, match=r"3 members can only start within 0000-01\.\.0000-02"):
        best_starts(np.zeros((4, 6), dtype=np.int64), np.arange(6), capacity=1, allowed=allowed)
    allowed = np.ones((2, 3), dtype=bool)
    allowed[0] = False
    with pytest.raises(InfeasibleAllocation, match="no allowed start month"):
        best_starts(np.zeros((2, 3), dtype=np.int64), np.arange(3), capacity=1, allowed=allowed)
