"""Tests of the allocation domain: rule, allocate, months, penalties, guarantee, effect table, scenarios."""

from __future__ import annotations

import json
import math
from fractions import Fraction

import attrs
import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import jichitai_cloud as jc
from jichitai_cloud import examples, report
from jichitai_cloud.allocation import (
    Allocation,
    AllocationPlan,
    AllocationRule,
    EffectTable,
    allocate,
    membership_change,
    parse_ratio,
    ratio_grid,
    ratio_sweep,
    simulate,
)
from jichitai_cloud.allocation._effect import reduction_percent
from jichitai_cloud.errors import InfeasibleAllocation, ParseError, UnknownMemberError, ValidationError
from jichitai_cloud.testing.strategies import allocation_councils, allocation_plans, allocation_rules

RULE = AllocationRule(ratios="3:7", min_reduction=0.3)


def council(*members: jc.Municipality, months: int = 4) -> jc.Consortium:
    return jc.Consortium(name="t", members=members, period_start="2015-04", period_months=months)


def member(code: str, population: int = 100, current_cost: int = 1000, **kw: object) -> jc.Municipality:
    return jc.Municipality(code=code, name=code, population=population, current_cost=current_cost, **kw)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------
# the document's effect table
# ---------------------------------------------------------------------------------------------
PUBLISHED_CURRENT = [92, 40, 25, 24, 24, 11]  # 0.1 億円
PUBLISHED_FEE = [57, 25, 18, 17, 14, 8]


def test_effect_table_arithmetic_of_the_document() -> None:
    t = EffectTable.from_figures("ABCDEF", PUBLISHED_CURRENT, PUBLISHED_FEE, scale=10_000_000)
    assert [r.reduction_percent for r in t.rows] == [38, 38, 28, 29, 42, 27]
    assert t.total.reduction_percent == 36
    assert t.total.current_cost == 2_160_000_000 and t.total.cloud_fee == 1_390_000_000
    text = t.to_text()
    assert "21.6" in text and "13.9" in text and "9.2" in text and "5.7" in text
    total_line = next(line for line in text.splitlines() if line.startswith("合計"))
    assert total_line.split() == ["合計", "21.6", "13.9"]  # 億円, the shown parts add up to it
    assert "削減率 36%" in t.summary()
    # 約22億円 -> 約14億円, 約8億円 (3割強) の削減
    saving = t.total.current_cost - t.total.cloud_fee
    assert round(saving / 1e8) == 8 and 0.30 < saving / t.total.current_cost < 0.40


def test_reduction_percent_rounds_half_up() -> None:
    assert reduction_percent(40, 25) == 38  # 37.5 %
    assert reduction_percent(200, 101) == 50  # 49.5 %
    assert reduction_percent(100, 120) == -20
    assert reduction_percent(0, 5) is None


def test_published_table_of_the_example() -> None:
    t = EffectTable.from_published(examples.toyama())
    assert [r.reduction_percent for r in t.rows] == [38, 38, 28, 29, 42, 27]
    assert t.total.reduction_percent == 36
    with pytest.raises(ValidationError):
        EffectTable.from_published(council(member("A")))


def test_effect_table_shows_itself() -> None:
    t = EffectTable.from_figures("AB", [10, 20], [7, 14], scale=1_000_000)
    assert "<table" in t._repr_html_() and "削減率" in t._repr_html_()
    pd = pytest.importorskip("pandas")
    df = t.to_dataframe()
    assert isinstance(df, pd.DataFrame) and df.loc["A", "reduction_rate"] == 0.3  # a rate, shown as 30%
    with pytest.raises(ValidationError):
        EffectTable.from_figures("AB", [10], [7])
    with pytest.raises(ValidationError):
        EffectTable.from_figures("A", [1.5], [1])  # type: ignore[list-item]


# ---------------------------------------------------------------------------------------------
# the rule
# ---------------------------------------------------------------------------------------------
def test_parse_ratio() -> None:
    assert dict(parse_ratio("3:7")) == {"equal": 3, "population": 7}
    assert dict(parse_ratio(" 3 ： 7 ")) == {"equal": 3, "population": 7}
    assert dict(parse_ratio("equal=3, population=7")) == {"equal": 3, "population": 7}
    assert dict(parse_ratio("均等割=3、人口割=7")) == {"equal": 3, "population": 7}
    assert dict(parse_ratio("0.3:0.7")) == {"equal": 0.3, "population": 0.7}
    for bad in ("3-7", "0:0", "equal=3,equal=4", "", "equal=-1"):
        with pytest.raises(ParseError):
            parse_ratio(bad)


def test_rule_validation_and_immutability() -> None:
    r = AllocationRule(ratios="3:7", min_reduction=0.3)
    assert r.drivers == ("equal", "population") and r.weights == (3, 7)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        r.unit = 1000  # type: ignore[misc]
    assert attrs.evolve(r, unit=1000).unit == 1000
    for kwargs in ({"min_reduction": 1.5}, {"min_reduction": float("nan")}, {"penalty_sharing": "both"},
                   {"unit": 0}, {"ratios": {"equal": -1}}, {"ratios": {}}, {"tie": "coin"},
                   {"guarantee_includes_penalty": "yes"}, {"rounding": "up"}):
        with pytest.raises(ValidationError):
            AllocationRule(**kwargs)  # type: ignore[arg-type]


def test_cap_is_exact_decimal() -> None:
    # 0.7 * 920,000,000 in binary floating point is 643,999,999.99…: the cap must be 644,000,000
    assert RULE.cap(920_000_000) == 644_000_000
    assert RULE.cap(110_000_000) == 77_000_000
    assert AllocationRule(min_reduction=0.3, guarantee_basis="months_on_cloud").cap(920_000_000, 57, 60) == 611_800_000
    assert AllocationRule().cap(1000) is None


def test_describe() -> None:
    text = AllocationRule(ratios="3:7", min_reduction=0.3, guarantee_includes_penalty=True, unit=1000,
                          penalty_sharing="pooled").describe()
    assert "均等割:人口割 = 3:7" in text and "30%" in text and "違約金" in text and "1,000円" in text
    en = AllocationRule(ratios="3:7", min_reduction=0.3, guarantee_includes_penalty=True, unit=1000,
                        penalty_sharing="pooled").describe("en")
    assert "equal:population = 3:7" in en and "30 %" in en and "penalt" in en and "1,000" in en


# ---------------------------------------------------------------------------------------------
# allocate: the document's council
# ---------------------------------------------------------------------------------------------
def test_toyama_allocation_respects_the_guarantee() -> None:
    c = examples.toyama()
    a = allocate(c, 1_390_000_000, RULE)
    assert sum(a.shares) == 1_390_000_000
    assert sum(m.rule_share for m in a.members) == 1_390_000_000
    for m in a.members:
        assert m.cap == math.floor(m.current_cost * 7 / 10)
        assert m.share <= m.cap
        assert m.reduction_rate is not None and m.reduction_rate >= Fraction(3, 10)  # exact
        assert m.net_cost == m.share + m.penalty
    assert set(a.bound) == {m.code for m in a.members if m.cap_bound}
    assert a.bound  # the example's small members hit the guarantee
    for code in a.bound:
        assert any(e.startswith(f"{code} (") and "cap" in e for e in a.explanations_en)
        assert any(f"({code})" in e and "上限額" in e for e in a.explanations)
    # members below their caps keep the ratio of their shares under the rule
    free = [m for m in a.members if not m.cap_bound]
    ratios = [m.share / m.rule_share for m in free]
    assert max(ratios) - min(ratios) < 1e-7


def test_toyama_months_in_the_councils_period() -> None:
    council = attrs.evolve(examples.toyama(), fee_period="council")
    a = allocate(council, 1_390_000_000, RULE)
    months = {m.code: m.months_on_cloud for m in a.members}
    assert months == {"A": 57, "B": 57, "C": 60, "D": 57, "E": 60, "F": 60}
    assert [s.members for s in a.segments] == [("C", "E", "F"), ("A", "B", "C", "D", "E", "F")]
    assert a.member("A").first_month == jc.Month(2015, 7)
    assert a.member("C").first_month == jc.Month(2015, 4) and a.member("C").last_month == jc.Month(2020, 3)


def test_toyama_months_each_members_own_period() -> None:
    council = examples.toyama()
    assert council.fee_period == "member"
    a = allocate(council, 1_390_000_000, RULE)
    assert {m.months_on_cloud for m in a.members} == {60}
    assert [s.members for s in a.segments] == [("A", "B", "C", "D", "E", "F")]
    assert a.member("A").first_month == jc.Month(2015, 7) and a.member("A").last_month == jc.Month(2020, 6)
    assert a.member("C").first_month == jc.Month(2015, 4) and a.member("C").last_month == jc.Month(2020, 3)
    assert any("own 60 months" in e for e in a.explanations_en)
    assert any("60か月分" in e for e in a.explanations)
    # with everyone on for the whole horizon the split is the plain split of the council's period
    same = attrs.evolve(council, members=tuple(attrs.evolve(m, cloud_start=None) for m in council.members),
                        fee_period="council")
    assert a.shares == allocate(same, 1_390_000_000, RULE).shares


def test_member_period_leaving_counts_from_the_members_own_start() -> None:
    council = examples.toyama()
    # A starts in H27.07 and leaves from H30.07: 36 of its own months; C leaves from H30.04: 36 too
    a = allocate(council, 1_390_000_000, RULE, leaving={"A": "H30.07", "C": "H30.04"})
    assert a.member("A").months_on_cloud == 36 and a.member("C").months_on_cloud == 36
    assert a.member("A").last_month == jc.Month(2018, 6) and a.member("C").last_month == jc.Month(2018, 3)
    assert sum(a.shares) == 1_390_000_000
    assert [s.members for s in a.segments] == [("A", "B", "C", "D", "E", "F"), ("B", "D", "E", "F")]


def test_example_plan_is_the_readme_rule() -> None:
    plan = examples.toyama_allocation()
    assert plan.rule == RULE and plan.total_fee == 1_390_000_000 and not plan.penalties
    a = plan.allocate(examples.toyama())
    assert a == allocate(examples.toyama(), 1_390_000_000, RULE)
    t = a.effect_table()
    assert t.total.reduction_percent == 36
    total_line = next(line for line in t.to_text().splitlines() if line.startswith("合計"))
    assert total_line.split()[1:3] == ["21.6", "13.9"]
    assert sum(a.shares) == plan.total_fee and a.total_net_cost == 1_390_000_000
    # the guarantee binds for the members with the highest current cost per person
    assert set(a.bound) == {"C", "D", "F"}


def test_result_shows_itself() -> None:
    a = allocate(examples.toyama(), 1_390_000_000, RULE)
    assert "<table" in a._repr_html_() and "<li>" in a._repr_html_()
    text = a.to_text()
    assert "理由:" in text and "合計" in text and "削減率" in text
    assert "why:" in a.to_text("en") and "why:" not in text
    assert "C=" in repr(a)
    data = json.loads(json.dumps(a.to_dict()))
    assert data["members"][0]["code"] == "A" and data["total_fee"] == 1_390_000_000
    pd = pytest.importorskip("pandas")
    df = a.to_dataframe()
    assert isinstance(df, pd.DataFrame) and list(df.index[:6]) == list("ABCDEF")
    assert list(df.index) == list("ABCDEF")  # no total row: the column sums are the totals
    assert int(df["share"].sum()) == 1_390_000_000
    assert df.loc["A", "share"] == a.member("A").share
    assert a["A"] is a.member("A")
    with pytest.raises(UnknownMemberError):
        a.member("Z")


# ---------------------------------------------------------------------------------------------
# months: staggered starts, schedules, leaving and joining
# ---------------------------------------------------------------------------------------------
def test_each_month_split_among_members_present() -> None:
    # 400 yen over 4 months = 100 a month; B from the third month: A pays 100+100+50+50
    c = council(member("A"), member("B", cloud_start="2015-06"))
    a = allocate(c, 400, AllocationRule(ratios={"equal": 1}))
    assert a.shares == (300, 100)
    assert [m.months_on_cloud for m in a.members] == [4, 2]


def test_monthly_schedule() -> None:
    c = council(member("A", cloud_start="2015-06"), member("B", cloud_start="2015-06"))
    a = allocate(c, [0, 0, 100, 300], AllocationRule(ratios={"equal": 1}))
    assert a.shares == (200, 200) and a.total_fee == 400 and a.monthly_fees == (0, 0, 100, 300)
    with pytest.raises(ValidationError, match="no member is on the cloud"):
        allocate(c, [50, 0, 100, 300], AllocationRule(ratios={"equal": 1}))
    with pytest.raises(ValidationError, match="4"):
        allocate(c, [100, 300], AllocationRule(ratios={"equal": 1}))


def test_fee_spread_over_months_with_members() -> None:
    # nobody is on the cloud in the first two months: the 400 yen go to the last two
    c = council(member("A", cloud_start="2015-06"), member("B", cloud_start="2015-07"))
    a = allocate(c, 400, AllocationRule(ratios={"equal": 1}))
    assert a.shares == (300, 100)


def test_member_leaving_mid_period() -> None:
    c = council(member("A"), member("B"))
    rule = AllocationRule(ratios={"equal": 1})
    change = membership_change(c, 400, rule, leaving={"B": "2015-06"})
    assert change.before.shares == (200, 200)
    assert change.after.shares == (300, 100)
    _, rows = change.table()
    assert rows[1][:9] == ["B", "B", 4, 2, 200, 100, 200, 100, -100]  # code, then name
    assert "BがH27.05末で離脱" in change.to_text() and "B leaves after 2015-05" in change.to_text("en")
    assert "<table" in change._repr_html_()


def test_member_joining_mid_period() -> None:
    c = council(member("A"), member("B"))
    rule = AllocationRule(ratios={"equal": 1})
    change = membership_change(c, 600, rule, joining=[member("C", cloud_start="2015-06")])
    # 150 a month: 75/75 for two months, then 50/50/50
    assert change.after.shares == (250, 250, 100)
    assert change.table()[1][2][0] == "C"
    with pytest.raises(ValidationError, match="cloud_start"):
        membership_change(c, 600, rule, joining=[member("D")])


def test_leaving_errors() -> None:
    c = council(member("A"), member("B", cloud_start="2015-06"))
    with pytest.raises(UnknownMemberError):
        allocate(c, 400, leaving={"Z": "2015-06"})
    with pytest.raises(ValidationError, match="before its cloud start"):
        allocate(c, 400, leaving={"B": "2015-05"})


# ---------------------------------------------------------------------------------------------
# the guarantee and penalties
# ---------------------------------------------------------------------------------------------
def three() -> jc.Consortium:
    return council(member("A", 9000, 1_000_000), member("B", 900, 200_000, penalty=30_000),
                   member("C", 100, 100_000, penalty=10_000), months=12)


def test_penalty_borne_by_member_on_top_of_cap() -> None:
    a = allocate(three(), 800_000, RULE)
    b = a.member("B")
    assert b.share <= 140_000 and b.net_cost == b.share + 30_000
    assert a.total_net_cost == 840_000 and sum(a.shares) == 800_000


def test_guarantee_counting_member_penalty() -> None:
    a = allocate(three(), 800_000, attrs.evolve(RULE, guarantee_includes_penalty=True))
    for m in a.members:
        assert m.net_cost <= math.floor(m.current_cost * 7 / 10)
    assert a.member("B").cap == 140_000 - 30_000


def test_pooled_penalties() -> None:
    rule = attrs.evolve(RULE, penalty_sharing="pooled")
    a = allocate(three(), 800_000, rule)
    assert a.pooled_penalty == 40_000
    assert sum(m.penalty for m in a.members) == 40_000
    assert sum(a.shares) == 800_000
    counted = allocate(three(), 800_000, attrs.evolve(rule, guarantee_includes_penalty=True))
    assert sum(m.net_cost for m in counted.members) == 840_000
    for m in counted.members:
        assert m.net_cost <= math.floor(m.current_cost * 7 / 10)
        assert m.share >= 0 and m.penalty >= 0


def test_penalty_beyond_guarantee_is_infeasible() -> None:
    c = council(member("A", 100, 1000, penalty=800))
    with pytest.raises(InfeasibleAllocation, match="penalty 800 yen alone exceeds"):
        allocate(c, 500, attrs.evolve(RULE, guarantee_includes_penalty=True))


def test_infeasible_guarantee_says_by_how_much() -> None:
    with pytest.raises(InfeasibleAllocation, match=r"cannot be met.*add up to 910,000 yen, 90,000 yen less"):
        allocate(three(), 1_000_000, RULE)


def test_guarantee_pro_rata_to_months() -> None:
    c = council(member("A", 100, 1000), member("B", 100, 400, cloud_start="2015-06"))
    rule = AllocationRule(ratios={"equal": 1}, min_reduction=0.5, guarantee_basis="months_on_cloud")
    a = allocate(c, 600, rule)  # 150 a month: A 150+150+75+75, B 75+75 under the rule
    assert a.member("B").cap == 100  # half of 400 * 2/4
    assert a.shares == (500, 100) and a.member("B").cap_bound and not a.member("A").cap_bound
    assert allocate(c, 600, attrs.evolve(rule, guarantee_basis="period")).shares == (450, 150)


def test_rounding_options_in_the_domain() -> None:
    c = examples.toyama()
    a = allocate(c, 1_390_000_500, attrs.evolve(RULE, unit=1000))
    assert sum(a.shares) == 1_390_000_500
    assert sum(s % 1000 != 0 for s in a.shares) == 1
    b = allocate(c, 1_390_000_500, attrs.evolve(RULE, unit=1000, rounding="floor_then_lead", lead="B"))
    assert sum(b.shares) == 1_390_000_500 and b.member("B").share % 1000 == 500
    with pytest.raises(ValidationError, match="floor_then_lead"):
        allocate(c, 100, attrs.evolve(RULE, lead="B"))
    with pytest.raises(UnknownMemberError):
        allocate(c, 100, attrs.evolve(RULE, rounding="floor_then_lead", lead="Z"))


def test_driver_problems_are_named() -> None:
    c = council(member("A", drivers={"staff": 0}), member("B", drivers={"staff": 0}, cloud_start="2015-06"))
    with pytest.raises(ValidationError, match=r"driver 'staff'.*2015-04\.\.2015-05"):
        allocate(c, 100, AllocationRule(ratios={"equal": 1, "staff": 1}))
    with pytest.raises(UnknownMemberError, match="staff_users"):
        allocate(c, 100, AllocationRule(ratios={"equal": 1, "staff_users": 1}))


def test_bad_fee() -> None:
    c = council(member("A"))
    for bad in (-1, 1.5, "100", True):
        with pytest.raises(ValidationError):
            allocate(c, bad)  # type: ignore[arg-type]


def test_plan_penalties_apply() -> None:
    plan = AllocationPlan(total_fee=100, rule=AllocationRule(ratios={"equal": 1}), penalties={"A": 7})
    assert plan.allocate(council(member("A"), member("B"))).member("A").penalty == 7
    with pytest.raises(UnknownMemberError):
        plan.apply_to(council(member("B")))


# ---------------------------------------------------------------------------------------------
# properties
# ---------------------------------------------------------------------------------------------
@settings(max_examples=40)
@given(allocation_councils(), allocation_rules(), st.integers(0, 10**10))
def test_allocation_properties(c: jc.Consortium, rule: AllocationRule, total: int) -> None:
    try:
        a: Allocation | None = allocate(c, total, rule)
    except InfeasibleAllocation:
        a = None
    assume(a is not None)
    assert a is not None
    assert sum(a.shares) == total
    assert all(m.share >= 0 and m.net_cost == m.share + m.penalty for m in a.members)
    if rule.penalty_sharing == "member":
        assert [m.penalty for m in a.members] == [m.penalty for m in c.members]
    else:
        assert sum(m.penalty for m in a.members) == sum(m.penalty for m in c.members)
    for m, mm in zip(a.members, c.members, strict=True):
        if m.cap is not None:
            limit = m.cap if not (rule.guarantee_includes_penalty and rule.penalty_sharing == "pooled") else None
            if limit is not None:
                assert m.share <= limit
            if rule.guarantee_includes_penalty:
                full = rule.cap(mm.current_cost, m.months_on_cloud, c.period_months)
                assert full is not None and m.net_cost <= full


@settings(max_examples=15)
@given(allocation_plans())
def test_plans_round_trip_through_files(plan: AllocationPlan) -> None:
    from jichitai_cloud import io

    assert io.loads(io.dumps(plan), AllocationPlan) == plan


# ---------------------------------------------------------------------------------------------
# scenarios
# ---------------------------------------------------------------------------------------------
def test_simulate_uncertain_populations_agrees_with_allocate() -> None:
    c = examples.toyama()
    rng = np.random.default_rng(3)
    base = np.array([m.population for m in c.members])
    pops = np.round(base * rng.normal(1, 0.1, (25, 6))).astype(np.int64)
    dist = simulate(c, 1_390_000_000, RULE, populations=pops, keep_shares=True, block_size=7)
    again = simulate(c, 1_390_000_000, RULE, populations=pops, keep_shares=True, block_size=1000)
    assert dist.shares is not None and again.shares is not None
    assert np.array_equal(dist.shares, again.shares)
    assert (dist.shares.sum(axis=1) == 1_390_000_000).all()
    for s in (0, 11, 24):
        members = tuple(attrs.evolve(m, population=int(p)) for m, p in zip(c.members, pops[s], strict=True))
        one = allocate(attrs.evolve(c, members=members), 1_390_000_000, RULE)
        assert one.shares == tuple(dist.shares[s].tolist())
        assert tuple(m.cap_bound for m in one.members) == tuple(dist.binding[s].tolist())  # type: ignore[index]
    assert all(0 <= p <= 1 for p in dist.p_bound)
    assert math.isclose(sum(dist.mean_share), 1_390_000_000)
    for i in range(6):
        lo, mid, hi = dist.share_quantiles[i]
        assert dist.min_share[i] <= lo <= mid <= hi <= dist.max_share[i]
    with pytest.raises(ValueError, match="read-only"):
        dist.shares[0, 0] = 1
    assert "p_bound" in dist.to_text() and "<table" in dist._repr_html_()


def test_simulate_uncertain_fees_and_costs() -> None:
    c = examples.toyama()
    fees = np.array([1_300_000_000, 1_390_000_000, 1_500_000_000])
    cur = np.array([[m.current_cost for m in c.members]] * 3)
    cur[2] = cur[2] * 2
    dist = simulate(c, 0, RULE, total_fees=fees, current_costs=cur, keep_shares=True)
    assert dist.shares is not None
    assert (dist.shares.sum(axis=1) == fees).all()
    assert dist.binding is not None and not dist.binding[2].any()  # doubled current costs: no cap binds
    with pytest.raises(ValidationError, match="disagree"):
        simulate(c, 0, RULE, total_fees=fees, current_costs=cur[:2])
    with pytest.raises(ValidationError, match="integer"):
        simulate(c, 0, RULE, total_fees=fees.astype(float))


def test_simulate_infeasible_names_scenarios() -> None:
    c = examples.toyama()
    with pytest.raises(InfeasibleAllocation, match=r"^scenario 1: the caps add up"):
        simulate(c, 0, RULE, total_fees=np.array([1_000_000_000, 2_000_000_000]), on_infeasible="raise")
    d = simulate(c, 0, RULE, total_fees=np.array([1_000_000_000, 2_000_000_000]))
    assert (d.infeasible, d.first_infeasible, d.feasible) == (1, 1, 1)


def test_simulate_counts_infeasible_scenarios_and_goes_on() -> None:
    """Issue 19, item 8: one bad scenario does not discard the run (a mask over the scenarios)."""
    from fractions import Fraction

    c = examples.toyama()
    fees = np.full(600, 1_390_000_000, dtype=np.int64)
    fees[::3] += np.arange(200) * 100_000  # varied, so the statistics are not trivial
    bad = [7, 300, 599]
    fees[bad] = 10**12  # the 30 % guarantee's caps cannot hold these
    d = simulate(c, 0, RULE, total_fees=fees, block_size=128, keep_shares=True)
    assert (d.infeasible, d.first_infeasible, d.infeasible_probability) == (3, 7, Fraction(3, 600))
    assert d.feasible_mask is not None and np.flatnonzero(~d.feasible_mask).tolist() == bad
    assert d.shares is not None and (d.shares[bad] == 0).all()
    good = simulate(c, 0, RULE, total_fees=np.delete(fees, bad))
    assert (d.mean_share, d.share_quantiles, d.min_share, d.max_share, d.p_bound) == \
        (good.mean_share, good.share_quantiles, good.min_share, good.max_share, good.p_bound)
    assert "600通りのうち 3通り" in d.summary() and "シナリオ 7" in d.summary()
    assert "the first is scenario 7" in d.summary("en")
    assert any("3通り" in line for line in json.loads(report.to_json(d))["summary"])
    with pytest.raises(InfeasibleAllocation, match=r"^scenario 7: "):
        simulate(c, 0, RULE, total_fees=fees, block_size=128, on_infeasible="raise")
    with pytest.raises(ValidationError, match="on_infeasible"):
        simulate(c, 0, RULE, total_fees=fees, on_infeasible="skip")  # type: ignore[arg-type]


def test_ratio_sweep_counts_ratios_that_cannot_be_allocated() -> None:
    c = examples.toyama()
    strict = AllocationRule(min_reduction=0.45)  # the caps add up to less than the fee under any ratio
    sweep = ratio_sweep(c, 1_390_000_000, strict)
    assert sweep.ratios == () and sweep.infeasible == 11 and sweep.first_infeasible == 0
    assert sweep.infeasible_ratios[3] == (3, 7) and "按分できない比率 11 件" in sweep.summary()
    assert "按分できない比率" in sweep.to_text()
    with pytest.raises(InfeasibleAllocation, match=r"^scenario 0: the caps add up"):
        ratio_sweep(c, 1_390_000_000, strict, on_infeasible="raise")


def test_ratio_sweep() -> None:
    c = examples.toyama()
    sweep = ratio_sweep(c, 1_390_000_000, RULE)
    assert sweep.ratios[0] == (0, 10) and sweep.ratios[-1] == (10, 0) and len(sweep.shares) == 11
    three_seven = allocate(c, 1_390_000_000, RULE)
    assert sweep.shares[3] == three_seven.shares
    assert sweep.bound[3] == tuple(m.cap_bound for m in three_seven.members)
    assert all(sum(row) == 1_390_000_000 for row in sweep.shares)
    header, rows = sweep.table()
    assert header[0] == "equal:population" and rows[3][0] == "3:7"
    assert ratio_grid(2).tolist() == [[0, 2], [1, 1], [2, 0]]
    with pytest.raises(ValidationError):
        ratio_sweep(c, 100, AllocationRule(ratios={"equal": 1}))
    assert "<table" in sweep._repr_html_() and "3:7" in sweep.to_text()


@pytest.mark.parametrize(
    "name",
    [
        "jichitai_cloud.allocation._kernels._split",
        "jichitai_cloud.allocation._kernels._caps",
        "jichitai_cloud._numeric._apportion",
        "jichitai_cloud.allocation._rule",
        "jichitai_cloud.allocation._effect",
        "jichitai_cloud.allocation._allocate",
        "jichitai_cloud.allocation",
    ],
)
def test_docstring_examples(name: str) -> None:
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(name))
    assert result.failed == 0 and result.attempted > 0


# ---------------------------------------------------------------------------------------------
# one pipeline: allocate is the one-scenario case of simulate
# ---------------------------------------------------------------------------------------------
@settings(max_examples=40)
@given(allocation_councils(), allocation_rules(), st.integers(0, 10**10))
def test_allocate_is_simulate_over_one_scenario(c: jc.Consortium, rule: AllocationRule, total: int) -> None:
    try:
        a: Allocation | None = allocate(c, total, rule)
    except InfeasibleAllocation:
        a = None
    assume(a is not None)
    assert a is not None
    dist = simulate(c, total, rule, keep_shares=True)
    assert dist.scenarios == 1 and dist.shares is not None and dist.binding is not None
    assert tuple(dist.shares[0].tolist()) == a.shares
    assert tuple(dist.binding[0].tolist()) == tuple(m.cap_bound for m in a.members)
    assert dist.mean_net_cost == tuple(float(v) for v in a.net_costs)
    # one scenario given as arrays (a leading axis of length 1) changes nothing
    pops = np.array([[m.population for m in c.members]])
    ratios = np.array([rule.weights], dtype=float)
    again = simulate(c, total, rule, populations=pops if "population" in rule.drivers else None, ratios=ratios,
                     current_costs=np.array([[m.current_cost for m in c.members]]),
                     total_fees=np.array([total]), keep_shares=True)
    assert again.shares is not None and tuple(again.shares[0].tolist()) == a.shares


def test_simulate_pooled_penalties_counted_by_the_guarantee() -> None:
    rule = attrs.evolve(RULE, penalty_sharing="pooled", guarantee_includes_penalty=True)
    one = allocate(three(), 800_000, rule)
    dist = simulate(three(), 800_000, rule, total_fees=np.array([800_000, 800_000, 700_000]), keep_shares=True)
    assert dist.shares is not None
    assert tuple(dist.shares[0].tolist()) == one.shares == tuple(dist.shares[1].tolist())
    assert dist.shares[2].sum() == 700_000


def test_guarantee_caps_kernel_is_exact() -> None:
    from jichitai_cloud.allocation import guarantee_caps

    cur = np.array([920_000_000, 10, 2**62], dtype=np.int64)
    assert guarantee_caps(cur, 7, 10).tolist() == [644_000_000, 7, (2**62 * 7) // 10]  # beyond int64: exact
    assert guarantee_caps(cur[:2], 7, 10, months=[30, 60], period_months=60).tolist() == [322_000_000, 7]
    assert guarantee_caps(np.stack([cur, cur]), 1, 1).tolist() == [cur.tolist()] * 2
    rule = AllocationRule(min_reduction=0.3, guarantee_basis="months_on_cloud")
    assert rule.cap(1001, 7, 60) == math.floor(1001 * 7 * 7 / (10 * 60))
    with pytest.raises(ValidationError, match="current_costs"):
        guarantee_caps([-1], 7, 10)
