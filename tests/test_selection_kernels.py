"""Kernels of the selection topic: exact partitions, set partitioning, condition masks."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from jichitai_cloud.errors import JichitaiCloudError, SelectionError, ValidationError
from jichitai_cloud.selection import (
    best_partition,
    best_partition_from_groups,
    contiguous_groups,
    diameter_groups,
    window_groups,
)
from jichitai_cloud.testing import strategies as jst


# -- a straightforward oracle: enumerate every set partition -----------------------------------
def set_partitions(items: list[int]) -> list[list[list[int]]]:
    if not items:
        return [[]]
    first, rest = items[0], items[1:]
    out = []
    for part in set_partitions(rest):
        out.append([[first], *part])
        for i in range(len(part)):
            out.append([*part[:i], [first, *part[i]], *part[i + 1:]])
    return out


def brute_force(costs: np.ndarray, max_size: int | None = None, allowed: np.ndarray | None = None) -> int:
    n = costs.size.bit_length() - 1
    best = None
    for part in set_partitions(list(range(n))):
        masks = [sum(1 << i for i in g) for g in part]
        if max_size is not None and any(len(g) > max_size for g in part):
            continue
        if allowed is not None and any(len(g) > 1 and not allowed[m] for g, m in zip(part, masks, strict=True)):
            continue
        total = int(sum(int(costs[m]) for m in masks))
        best = total if best is None else min(best, total)
    assert best is not None
    return best


def is_partition(groups: np.ndarray, n: int) -> bool:
    return bool(groups.min() > 0 and int(np.bitwise_or.reduce(groups)) == (1 << n) - 1
                and sum(int(g) for g in groups) == (1 << n) - 1)


def permitted_groups(n: int, max_size: int | None, allowed: np.ndarray | None) -> np.ndarray:
    masks = np.arange(1, 1 << n, dtype=np.int64)
    size = np.array([bin(int(m)).count("1") for m in masks])
    keep = np.ones(masks.size, dtype=bool)
    if max_size is not None:
        keep &= size <= max_size
    if allowed is not None:
        keep &= allowed[masks] | (size == 1)
    return masks[keep]


# -- hand-worked values ------------------------------------------------------------------------
def test_hand_worked_three_candidates():
    # alone 5 each; {0,1} costs 8, {1,2} 9, {0,2} 10, all three 15: {0,1} + {2} = 13 is best
    costs = np.array([0, 5, 5, 8, 5, 10, 9, 15])
    assert best_partition(costs).tolist() == [3, 4]
    assert best_partition(costs, max_size=1).tolist() == [1, 2, 4]
    allowed = np.ones(8, dtype=bool)
    allowed[3] = False
    assert best_partition(costs, allowed=allowed).tolist() == [1, 6]  # 5 + 9 = 14
    groups = [(0,), (1,), (2,), (0, 1), (1, 2), (0, 2), (0, 1, 2)]
    assert best_partition_from_groups(groups, [5, 5, 5, 8, 9, 10, 15], 3).tolist() == [3, 4]


def test_single_candidate():
    assert best_partition([0, 7]).tolist() == [1]
    assert best_partition_from_groups([1], [7], 1).tolist() == [1]


def test_singletons_always_permitted():
    costs = np.array([0, 5, 5, 8])
    assert best_partition(costs, allowed=np.zeros(4, dtype=bool)).tolist() == [1, 2]


# -- properties --------------------------------------------------------------------------------
@settings(deadline=None)
@given(costs=jst.selection_costs(max_candidates=6), data=st.data())
def test_matches_brute_force(costs, data):
    n = costs.size.bit_length() - 1
    max_size = data.draw(st.one_of(st.none(), st.integers(1, n)))
    allowed = data.draw(st.one_of(st.none(), jst.allowed_masks(n)))
    groups = best_partition(costs, max_size=max_size, allowed=allowed)
    assert is_partition(groups, n)
    if max_size is not None:
        assert all(bin(int(g)).count("1") <= max_size for g in groups)
    if allowed is not None:
        assert all(allowed[g] or bin(int(g)).count("1") == 1 for g in groups)
    assert int(costs[groups].sum()) == brute_force(costs, max_size, allowed)


@settings(deadline=None)
@given(costs=jst.selection_costs(max_candidates=8), data=st.data())
def test_never_worse_than_singletons_or_grand(costs, data):
    n = costs.size.bit_length() - 1
    allowed = data.draw(st.one_of(st.none(), jst.allowed_masks(n)))
    total = int(costs[best_partition(costs, allowed=allowed)].sum())
    assert total <= int(costs[np.left_shift(1, np.arange(n))].sum())
    if allowed is None or allowed[-1]:
        assert total <= int(costs[-1])


@settings(deadline=None)
@given(costs=jst.selection_costs(min_candidates=2, max_candidates=7), data=st.data())
def test_adding_a_permitted_group_never_raises_the_optimum(costs, data):
    n = costs.size.bit_length() - 1
    allowed = data.draw(jst.allowed_masks(n))
    extra = data.draw(st.integers(1, (1 << n) - 1))
    assume(not allowed[extra])
    more = allowed.copy()
    more[extra] = True
    before = int(costs[best_partition(costs, allowed=allowed)].sum())
    after = int(costs[best_partition(costs, allowed=more)].sum())
    assert after <= before


@settings(deadline=None, max_examples=40)
@given(costs=jst.selection_costs(max_candidates=7), data=st.data())
def test_both_kernels_agree(costs, data):
    n = costs.size.bit_length() - 1
    max_size = data.draw(st.one_of(st.none(), st.integers(1, n)))
    allowed = data.draw(st.one_of(st.none(), jst.allowed_masks(n)))
    dp = best_partition(costs, max_size=max_size, allowed=allowed)
    masks = permitted_groups(n, max_size, allowed)
    as_tuples = data.draw(st.booleans())
    groups = ([tuple(i for i in range(n) if (int(m) >> i) & 1) for m in masks] if as_tuples else masks)
    ip = best_partition_from_groups(groups, costs[masks], n)
    assert is_partition(ip, n)
    assert int(costs[ip].sum()) == int(costs[dp].sum())


@given(costs=jst.selection_costs(min_candidates=2, max_candidates=6))
def test_relabelling_does_not_change_the_optimum(costs):
    from jichitai_cloud.games import relabel

    n = costs.size.bit_length() - 1
    order = np.arange(n)[::-1]
    assert int(costs[best_partition(costs)].sum()) == int(relabel(costs, order)[best_partition(relabel(costs, order))].sum())


def test_large_costs_stay_exact():
    costs = np.full(1 << 4, 2**55, dtype=np.int64)
    costs[0] = 0
    costs[-1] = 2**55 - 1
    assert best_partition(costs).tolist() == [15]


# -- condition masks ---------------------------------------------------------------------------
@given(n=st.integers(1, 7), data=st.data())
def test_contiguous_groups_match_a_search(n, data):
    adj = np.array(data.draw(st.lists(st.booleans(), min_size=n * n, max_size=n * n))).reshape(n, n)
    sym = adj | adj.T
    got = contiguous_groups(adj)
    for s in range(1, 1 << n):
        members = [i for i in range(n) if (s >> i) & 1]
        seen, stack = {members[0]}, [members[0]]
        while stack:
            i = stack.pop()
            for j in members:
                if j not in seen and sym[i, j]:
                    seen.add(j)
                    stack.append(j)
        assert got[s] == (len(seen) == len(members)), s


@given(values=st.lists(st.one_of(st.integers(0, 40).map(float), st.just(float("nan"))), min_size=1, max_size=7),
       width=st.integers(0, 20))
def test_window_groups_match_the_definition(values, width):
    n = len(values)
    got = window_groups(values, width)
    for s in range(1 << n):
        known = [values[i] for i in range(n) if (s >> i) & 1 and values[i] == values[i]]
        assert got[s] == (not known or max(known) - min(known) <= width)


@given(n=st.integers(1, 6), data=st.data())
def test_diameter_groups_match_the_definition(n, data):
    pts = np.array(data.draw(st.lists(st.floats(0, 100), min_size=n, max_size=n)))
    d = np.abs(pts[:, None] - pts[None, :])
    limit = data.draw(st.floats(0, 100))
    got = diameter_groups(d, limit)
    for s in range(1 << n):
        members = [i for i in range(n) if (s >> i) & 1]
        assert got[s] == all(d[i, j] <= limit for i in members for j in members)


# -- bad input ---------------------------------------------------------------------------------
@pytest.mark.parametrize(("costs", "kwargs", "match"), [
    ([0, 1, 2], {}, "length 2\\*\\*n"),
    ([1, 1], {}, "empty group"),
    ([0, -1], {}, ">= 0"),
    ([0.0, 1.0], {}, "integer"),
    ([[0, 1]], {}, "vector"),
    ([0, 1], {"allowed": [True]}, "shape"),
    ([0, 1, 1, 1], {"max_size": 0}, "max_size"),
    ([0, 1, 1, 1], {"max_size": 1.5}, "max_size"),
    ([0, 2**60], {}, "2\\*\\*55"),
])
def test_best_partition_bad_input(costs, kwargs, match):
    with pytest.raises(JichitaiCloudError, match=match):
        best_partition(costs, **kwargs)


def test_from_groups_infeasible():
    # {0,1} and {1,2} overlap and nobody may be alone: no partition exists
    with pytest.raises(SelectionError, match="no partition"):
        best_partition_from_groups([(0, 1), (1, 2)], [1, 1], 3)
    with pytest.raises(SelectionError, match=r"candidate\(s\) \[2\]"):
        best_partition_from_groups([(0, 1)], [1], 3)


@pytest.mark.parametrize(("groups", "costs", "n", "match"), [
    ([(0, 5)], [1], 3, "indices in 0..2"),
    ([()], [1], 3, "empty"),
    ([(0, 0)], [1], 3, "twice"),
    ([(0,), (1,)], [1], 2, "one entry per group"),
    ([(0,), (1,)], [1, -2], 2, ">= 0"),
    ([0, 1], [1, 1], 1, "non-empty bitmask"),
    ([8], [1], 3, "non-empty bitmask"),
    (["ab"], [1], 3, "tuple of candidate indices"),
    ([(0,)], [1.5], 1, "integer"),
])
def test_from_groups_bad_input(groups, costs, n, match):
    with pytest.raises(JichitaiCloudError, match=match):
        best_partition_from_groups(groups, costs, n)


def test_from_groups_bad_n():
    with pytest.raises(ValidationError, match="n must be"):
        best_partition_from_groups([(0,)], [1], 0)


def test_mask_bad_input():
    with pytest.raises(SelectionError, match="square"):
        contiguous_groups(np.ones((2, 3), dtype=bool))
    with pytest.raises(ValidationError, match="boolean"):
        contiguous_groups(np.ones((2, 2)) * 0.5)
    with pytest.raises(ValidationError, match="width"):
        window_groups([1.0, 2.0], -1)
    with pytest.raises(ValidationError, match="finite"):
        window_groups([1.0, float("inf")], 1)
    with pytest.raises(ValidationError, match="distances"):
        diameter_groups(-np.ones((2, 2)), 1)


@settings(deadline=None, max_examples=30)
@given(n=st.integers(1, 11), data=st.data())
def test_permitted_groups_listed_directly_match_the_lattice(n, data):
    from jichitai_cloud.selection._kernels._partition import _groups_up_to, _permitted

    size = data.draw(st.integers(1, n))
    ok = data.draw(st.one_of(st.none(), jst.allowed_masks(n)))
    s = np.arange(1 << n)
    pc = np.array([bin(int(x)).count("1") for x in s])
    assert _groups_up_to(n, size).tolist() == s[(pc >= 1) & (pc <= size)].tolist()
    want = (pc >= 1) & (pc <= size) & ((pc == 1) | (True if ok is None else np.asarray(ok)))
    assert _permitted(n, size, None if ok is None else np.asarray(ok)).tolist() == s[want].tolist()


def test_cost_check_names_the_first_bad_entry():
    with pytest.raises(JichitaiCloudError, match=r"costs\[2\] must be >= 0"):
        best_partition(np.array([0, 5, -3, 2**60], dtype=np.int64))
    with pytest.raises(JichitaiCloudError, match=r"costs\[3\] must be at most 2\*\*55"):
        best_partition(np.array([0, 5, 3, 2**60], dtype=np.int64))
