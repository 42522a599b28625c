"""Every route of the exact solvers gives the same optimum (issue 23): forced methods against each other
and against brute force."""

from __future__ import annotations

import importlib.util
import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jichitai_cloud import InfeasibleAllocation, ValidationError
from jichitai_cloud.schedule import best_starts, cutover_groups

HAVE_ORTOOLS = importlib.util.find_spec("ortools") is not None
SCHEDULE_METHODS = ("numpy", "ortools") if HAVE_ORTOOLS else ("numpy",)


def _brute(costs, starts, capacity, per, allowed):
    n, m = costs.shape
    groups = cutover_groups(starts, per)
    best = None
    for choice in itertools.product(range(m), repeat=n):
        if not all(allowed[i, j] for i, j in enumerate(choice)):
            continue
        if np.unique(groups[list(choice)], return_counts=True)[1].max() > capacity:
            continue
        total = sum(int(costs[i, j]) for i, j in enumerate(choice))
        best = total if best is None else min(best, total)
    return best


@given(st.integers(1, 5), st.integers(1, 5), st.integers(1, 3), st.sampled_from(["month", "quarter"]),
       st.integers(0, 2**32 - 1))
def test_best_starts_every_method_equals_brute_force(n, m, capacity, per, seed) -> None:
    rng = np.random.default_rng(seed)
    costs = rng.integers(0, 50, size=(n, m))  # small costs: many ties
    starts = np.arange(24_180, 24_180 + m)
    allowed = rng.random((n, m)) < 0.8
    best = _brute(costs, starts, capacity, per, allowed)
    plans = []
    for method in SCHEDULE_METHODS:
        if best is None:
            with pytest.raises(InfeasibleAllocation):
                best_starts(costs, starts, capacity=capacity, per=per, allowed=allowed, method=method)
            continue
        idx = best_starts(costs, starts, capacity=capacity, per=per, allowed=allowed, method=method)
        assert int(costs[np.arange(n), idx].sum()) == best
        assert allowed[np.arange(n), idx].all()
        assert np.unique(cutover_groups(starts[idx], per), return_counts=True)[1].max() <= capacity
        plans.append(idx)
    if len(plans) == 2:
        # the tie rule: least total cost, then the least sum of group positions, in every route
        g = [np.unique(cutover_groups(starts, per), return_inverse=True)[1][p].sum() for p in plans]
        assert g[0] == g[1]


@given(st.integers(2, 40), st.integers(2, 12), st.integers(1, 6), st.integers(0, 2**32 - 1))
def test_best_starts_routes_agree_to_the_yen(n, m, capacity, seed) -> None:
    pytest.importorskip("ortools")
    rng = np.random.default_rng(seed)
    costs = rng.integers(0, 10**9, size=(n, m))
    starts = np.arange(m)
    if n > m * capacity:
        return
    a = best_starts(costs, starts, capacity=capacity, method="numpy")
    b = best_starts(costs, starts, capacity=capacity, method="ortools")
    assert int(costs[np.arange(n), a].sum()) == int(costs[np.arange(n), b].sum())
    np.testing.assert_array_equal(a, b)  # distinct random costs: the optimum is unique


def test_best_starts_method_errors() -> None:
    with pytest.raises(ValidationError, match="method"):
        best_starts([[1, 2]], [0, 1], capacity=1, method="cplex")


def _total(costs, plan):
    return int(costs[np.arange(costs.shape[0]), plan].sum())


@given(st.integers(2, 60), st.integers(2, 30), st.integers(1, 6), st.integers(1, 4), st.booleans(),
       st.integers(0, 2**32 - 1))
def test_ortools_pruned_arcs_equal_the_full_graph(n, g, capacity, first, ties, seed) -> None:
    """The OR-Tools route on pruned arc sets (grown under the price certificate) gives the optimum of
    the full graph: the same total, the same plan when the optimum is unique, and the numpy route's."""
    pytest.importorskip("ortools")
    from jichitai_cloud._numeric import _flow

    rng = np.random.default_rng(seed)
    costs = rng.integers(0, 6 if ties else 10**9, size=(n, g)).astype(np.int64)
    usable = rng.random((n, g)) < 0.7
    usable[np.arange(n), rng.integers(0, g, n)] = True
    if ties:  # the tie rule's keys: total first, then the least sum of group positions
        costs = costs * (n * (g - 1) + 1) + np.arange(g)[None, :]
    try:
        full = _flow._ortools_solve(costs, usable, capacity, None)
    except InfeasibleAllocation:
        with pytest.raises(InfeasibleAllocation):
            _flow._ortools(costs, usable, capacity, first=first, prune_from=0)
        with pytest.raises(InfeasibleAllocation):
            _flow._numpy(costs, usable, capacity)
        return
    pruned = _flow._ortools(costs, usable, capacity, first=first, prune_from=0)
    plain = _flow._numpy(costs, usable, capacity)
    for plan in (pruned, plain):
        assert usable[np.arange(n), plan].all()
        assert np.bincount(plan, minlength=g).max() <= capacity
        assert _total(costs, plan) == _total(costs, full)
    if not ties:
        np.testing.assert_array_equal(pruned, full)  # distinct random costs: the optimum is unique
        np.testing.assert_array_equal(plain, full)


@given(st.integers(1, 80), st.integers(1, 20), st.integers(1, 5), st.integers(0, 2**32 - 1))
def test_greedy_start_is_a_feasible_partial_plan(n, g, capacity, seed) -> None:
    from jichitai_cloud._numeric import _flow

    rng = np.random.default_rng(seed)
    usable = rng.random((n, g)) < 0.6
    c = np.where(usable, rng.integers(0, 100, size=(n, g)), _flow._BIG)
    plan = _flow._greedy(c, capacity)
    placed = plan >= 0
    assert usable[np.flatnonzero(placed), plan[placed]].all()
    assert np.bincount(plan[placed], minlength=g).max(initial=0) <= capacity
    # a member is left out only when every group it may use is full
    for i in np.flatnonzero(~placed):
        assert (np.bincount(plan[placed], minlength=g)[usable[i]] >= capacity).all()


def test_best_starts_routes_agree_on_a_council_sized_instance(monkeypatch) -> None:
    """120 members x 36 months, the OR-Tools route pruning arcs (several solves), against numpy."""
    pytest.importorskip("ortools")
    from jichitai_cloud._numeric import _flow

    monkeypatch.setattr(_flow._ortools, "__defaults__", (2, 0))  # 2 arcs a member at first: several solves
    rng = np.random.default_rng(7)
    n, m = 120, 36
    starts = np.arange(24_180, 24_180 + m)
    best = rng.integers(0, m, n)
    slope = rng.integers(1_000, 50_000, n)
    costs = 10**8 + slope[:, None] * np.abs(np.arange(m)[None, :] - best[:, None]) ** 2
    for noise in (0, 10**6):  # symmetric costs (many ties), then distinct ones (one optimum)
        costs = costs + rng.integers(0, noise + 1, size=(n, m))
        for capacity, blackout in ((4, ()), (5, starts[::6]), (20, ())):
            plans = [best_starts(costs, starts, capacity=capacity, blackout=blackout, method=method)
                     for method in ("numpy", "ortools")]
            assert _total(costs, plans[0]) == _total(costs, plans[1])
            assert plans[0].sum() == plans[1].sum()  # the tie rule: the least sum of positions
            if noise:
                np.testing.assert_array_equal(plans[0], plans[1])


def test_auto_takes_numpy_when_few_members_overflow(monkeypatch) -> None:
    pytest.importorskip("ortools")
    from jichitai_cloud._numeric import _flow

    taken = []
    monkeypatch.setattr(_flow, "_numpy", lambda *a: taken.append("numpy") or np.zeros(a[0].shape[0], np.int64))
    monkeypatch.setattr(_flow, "_ortools", lambda *a: taken.append("ortools") or np.zeros(a[0].shape[0], np.int64))
    cost = np.zeros((40, 3), dtype=np.int64)  # all 40 in group 0: 40 - capacity overflow
    usable = np.ones((40, 3), dtype=np.bool_)
    _flow.assign_groups(cost, usable, 20, "auto")  # 20 overflow
    _flow.assign_groups(cost, usable, 5, "auto")  # 35 overflow
    assert taken == ["numpy", "ortools"]


@pytest.mark.parametrize("method", SCHEDULE_METHODS)
def test_assign_groups_never_uses_a_forbidden_group(method) -> None:
    """Two members who may only use group 0 of capacity 1: infeasible, never one of them in group 1."""
    from jichitai_cloud._numeric._flow import assign_groups

    cost = np.array([[666_850_475, 122_565_509], [819_062_979, 258_113_074]])
    usable = np.array([[True, False], [True, False]])
    with pytest.raises(InfeasibleAllocation):
        assign_groups(cost, usable, 1, method)
    with pytest.raises(InfeasibleAllocation, match="no group"):
        assign_groups(cost, np.array([[True, False], [False, False]]), 1, method)


def test_a_full_ortools_answer_with_huge_costs_is_checked(monkeypatch) -> None:
    """Past the range where OR-Tools' prices could overflow, its plan is checked by the price
    certificate: a plan that is not optimal is replaced by the numpy route's exact one."""
    pytest.importorskip("ortools")
    from jichitai_cloud._numeric import _flow

    rng = np.random.default_rng(3)
    n, g, capacity = 30, 10, 4
    cost = rng.integers(0, 10**16, size=(n, g))
    usable = np.ones((n, g), dtype=np.bool_)
    exact = _flow._numpy(cost, usable, capacity)
    worse = np.repeat(np.arange(g), capacity)[rng.permutation(n)]  # feasible, not optimal
    assert _total(cost, worse) > _total(cost, exact)
    monkeypatch.setattr(_flow, "_ortools_solve", lambda *a: worse)
    c = np.where(usable, cost, _flow._BIG)
    np.testing.assert_array_equal(_flow._ortools_full(cost, usable, capacity, c, int(cost.max())), exact)
    monkeypatch.setattr(_flow, "_ortools_solve", lambda *a: exact)
    np.testing.assert_array_equal(_flow._ortools_full(cost, usable, capacity, c, int(cost.max())), exact)


@pytest.mark.parametrize("method", SCHEDULE_METHODS)
def test_best_starts_says_infeasible_where_the_interval_check_cannot(method) -> None:
    """Members 1-3 may only start in months 0 and 2 (two slots for three): the interval check passes
    (months 0..2 hold three slots), the solver must say infeasible, never start member 1 in month 3."""
    costs = [[39, 8, 5, 40], [35, 62, 53, 93], [55, 2, 34, 94], [38, 45, 88, 28]]
    allowed = np.array([[1, 1, 0, 1], [0, 0, 1, 0], [1, 0, 1, 0], [1, 0, 1, 0]], dtype=bool)
    with pytest.raises(InfeasibleAllocation):
        best_starts(costs, np.arange(4), capacity=1, allowed=allowed, method=method)
