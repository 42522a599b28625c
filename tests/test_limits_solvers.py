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
