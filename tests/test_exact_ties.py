"""Exact ties and near-ties in largest-remainder rounding (issue 19, item 5).

``apportion`` and ``split_costs`` decide the units left after flooring by the *exact* remainders
(integer arithmetic), and exact ties by the documented rule, whatever float64 would say.
"""

from __future__ import annotations

import math
from fractions import Fraction as Fr

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from allocation_oracle import reference_split
from jichitai_cloud._numeric._apportion import TIE_RULES, apportion, exact_hamilton
from jichitai_cloud.allocation import split_costs

EXPECTED_140 = {"index": [47, 12, 81], "reverse_index": [46, 12, 82], "larger_quota": [47, 11, 82],
                "smaller_quota": [47, 12, 81]}


def oracle(total: int, weights: list[int], tie: str) -> list[int]:
    """Hamilton's method in Fractions, member by member."""
    s = sum(weights)
    q = [Fr(total * w, s) for w in weights]
    y = [math.floor(v) for v in q]
    left = total - sum(y)
    n = len(weights)

    def key(i: int) -> tuple[object, ...]:
        f = q[i] - y[i]
        return {"index": (-f, i), "reverse_index": (-f, -i), "larger_quota": (-f, -q[i], i),
                "smaller_quota": (-f, q[i], i)}[tie]

    for i in sorted((i for i in range(n) if weights[i] > 0), key=key)[:left]:
        y[i] += 1
    return y


@pytest.mark.parametrize("tie", TIE_RULES)
def test_140_yen_over_4_1_7_follows_the_tie_rule(tie: str) -> None:
    # quotas 46.67, 11.67, 81.67: floors 46, 11, 81 leave 2 yen; all remainders are exactly 2/3
    assert oracle(140, [4, 1, 7], tie) == EXPECTED_140[tie]
    assert apportion(140, [4, 1, 7], tie=tie).tolist() == EXPECTED_140[tie]
    got = split_costs(140, np.array([[4.0], [1.0], [7.0]]), [1.0], tie=tie).tolist()
    assert got == EXPECTED_140[tie]


@pytest.mark.parametrize("tie", TIE_RULES)
def test_ties_per_scenario_and_with_two_drivers(tie: str) -> None:
    drivers = np.array([[1.0, 4.0], [1.0, 1.0], [1.0, 7.0]])
    got = split_costs(np.array([140, 140]), drivers, [[0.0, 1.0], [0.0, 1.0]], tie=tie).tolist()
    assert got == [EXPECTED_140[tie]] * 2
    want, _ = reference_split(1000, drivers.tolist(), [3.0, 7.0], tie=tie)
    assert split_costs(1000, drivers, [3, 7], tie=tie).tolist() == want


def test_a_near_tie_below_float_resolution_goes_to_the_larger_remainder() -> None:
    # quotas near 8e9 yen: the two remainders differ by 1/W, far below float64's resolution there
    w = [800_000_000_001, 800_000_000_000, 1]
    total = 30
    for tie in TIE_RULES:
        want = oracle(total, w, tie)
        assert apportion(total, w, tie=tie).tolist() == want
        assert split_costs(total, np.array(w, dtype=np.float64)[:, None], [1.0], tie=tie).tolist() == want


def test_exact_hamilton_honours_caps() -> None:
    out, ok = exact_hamilton(np.array([10], dtype=object), np.array([[1, 1, 1]], dtype=object), tie="index",
                             caps=np.array([[3, 4, 4]]))
    assert ok.tolist() == [True] and out.tolist() == [[3, 4, 3]]


@given(total=st.integers(0, 10**14), weights=st.lists(st.integers(0, 10**6), min_size=1, max_size=8),
       tie=st.sampled_from(TIE_RULES))
def test_apportion_equals_the_fraction_oracle(total: int, weights: list[int], tie: str) -> None:
    if sum(weights) == 0:
        weights = [*weights[:-1], 1]
    assert apportion(total, weights, tie=tie).tolist() == oracle(total, weights, tie)


@given(total=st.integers(0, 10**14), weights=st.lists(st.integers(0, 10**6), min_size=1, max_size=8),
       tie=st.sampled_from(TIE_RULES))
def test_split_costs_equals_the_fraction_oracle(total: int, weights: list[int], tie: str) -> None:
    if sum(weights) == 0:
        weights = [*weights[:-1], 1]
    x = np.array(weights, dtype=np.float64)[:, None]
    assert split_costs(total, x, [1.0], tie=tie).tolist() == oracle(total, weights, tie)


@given(total=st.integers(0, 10**12), pops=st.lists(st.integers(1, 10**6), min_size=2, max_size=6),
       ratio=st.sampled_from([(3, 7), (1, 1), (0.3, 0.7), (2, 5)]), tie=st.sampled_from(TIE_RULES),
       cap_share=st.sampled_from([None, 0.3, 0.6]))
def test_split_with_two_drivers_and_caps_equals_the_reference(total: int, pops: list[int], ratio: tuple[float, float],
                                                              tie: str, cap_share: float | None) -> None:
    drivers = [[1.0, float(p)] for p in pops]
    caps = None
    if cap_share is not None:
        caps = [max(int(total * cap_share), total // len(pops) + 1)] * len(pops)
    want, _ = reference_split(total, drivers, list(ratio), caps=caps, tie=tie)
    assert split_costs(total, np.array(drivers), list(ratio), caps=caps, tie=tie).tolist() == want


@pytest.mark.parametrize("tie", TIE_RULES)
def test_exact_hamilton_in_python_integers_when_int64_cannot_hold_the_weights(tie: str) -> None:
    w = [4 * 2**70, 2**70, 7 * 2**70]
    out, ok = exact_hamilton(np.array([140], dtype=object), np.array([w], dtype=object), tie=tie)
    assert ok.all() and out.tolist() == [EXPECTED_140[tie]]
    out64, _ = exact_hamilton(np.array([140]), np.array([[4, 1, 7]]), tie=tie)
    assert out64.tolist() == [EXPECTED_140[tie]]


# -- issue 19, item 6: exact rates ---------------------------------------------------------------

@given(costs=st.lists(st.tuples(st.integers(1, 10**6), st.integers(1, 10**12)), min_size=2, max_size=8),
       guarantee=st.sampled_from([0.2, 0.3, 0.15, 0.25]), share=st.fractions(0, 1))
def test_a_member_held_at_its_guarantee_has_a_rate_not_below_it(costs: list[tuple[int, int]], guarantee: float,
                                                                share: Fr) -> None:
    from jichitai_cloud import AllocationRule, Consortium, allocate
    from jichitai_cloud.model import Municipality

    members = tuple(Municipality(code=f"M{i}", name=f"M{i}", population=p, current_cost=c)
                    for i, (p, c) in enumerate(costs))
    council = Consortium(name="c", members=members, period_start="2016-04")
    floor = Fr(str(guarantee))
    cap_total = sum(math.floor(c * (1 - floor)) for _, c in costs)  # the caps are whole yen (floored)
    fee = math.floor(cap_total * share)
    result = allocate(council, fee, AllocationRule(min_reduction=guarantee))
    for m in result.members:
        rate = m.reduction_rate
        assert isinstance(rate, Fr)  # exact, never a float
        if m.cap_bound:
            assert rate >= floor, (m.code, rate, floor)  # 20 % guarantee: a rate not below 0.2
        assert m.cap is not None and m.share <= m.cap and Fr(m.share, m.current_cost) <= 1 - floor


# -- many near-ties: the exact step redoes only the members near the cut --------------------------

@given(n=st.integers(20, 300), base=st.integers(10**8, 10**10), deltas=st.lists(st.integers(0, 3), min_size=1,
       max_size=8), q=st.integers(0, 400), small=st.integers(0, 400), tie=st.sampled_from(TIE_RULES),
       capped=st.booleans(), seed=st.integers(0, 2**32 - 1))
def test_many_near_ties_equal_the_fraction_oracle(n: int, base: int, deltas: list[int], q: int, small: int, tie: str,
                                                 capped: bool, seed: int) -> None:
    # weights base + delta: with a total q * S + small every remainder is about small * w / S, the
    # groups' remainders differ by about small / S (far below float64's resolution at quotas of
    # q * base yen): members with equal weights tie exactly, the others nearly
    rng = np.random.default_rng(seed)
    w = [base + deltas[i % len(deltas)] for i in rng.permutation(n)]
    total = min(q * sum(w) + small, 10**14)
    x = np.array(w, dtype=np.float64)[:, None]
    if not capped:
        assert split_costs(total, x, [1.0], tie=tie).tolist() == oracle(total, w, tie)
        return
    # a few members held at caps below their quotas: the others share the rest by the same rule
    caps = [total] * n
    held = rng.choice(n, size=max(1, n // 10), replace=False)
    s = sum(w)
    for i in held:
        caps[i] = total * w[i] // s // 2
    free = [i for i in range(n) if i not in set(held.tolist())]
    rest = total - sum(caps[i] for i in held)
    sub = oracle(rest, [w[i] for i in free], tie)
    want = list(caps)
    for i, v in zip(free, sub, strict=True):
        want[i] = v
    assert split_costs(total, x, [1.0], caps=caps, tie=tie).tolist() == want


def test_near_ties_in_many_scenarios_equal_the_oracle_row_by_row() -> None:
    # 40 scenarios x 400 members in one call: blocks with both safe and ambiguous rows
    rng = np.random.default_rng(19)
    n, s = 400, 40
    w = (10**9 + rng.integers(0, 4, size=(s, n))).astype(np.int64)
    totals = np.array([int(rng.integers(1, 200)) * int(w[i].sum()) + int(rng.integers(0, 500)) for i in range(s)])
    x = w.astype(np.float64)[..., None]
    for tie in TIE_RULES:
        got = split_costs(totals, x, [1.0], tie=tie)
        for i in range(s):
            assert got[i].tolist() == oracle(int(totals[i]), w[i].tolist(), tie), (tie, i)
