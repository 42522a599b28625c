"""Renewal comparison (サービス継続・切替の判断): exact formula against a month-by-month oracle, properties."""

from __future__ import annotations

from fractions import Fraction

import attrs
import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from jichitai_cloud import AllocationRule, allocation, examples
from jichitai_cloud.errors import UnknownMemberError, ValidationError
from jichitai_cloud.renewal import RenewalOption, ServiceLevel, block_fees, block_weights, compare_renewal
from jichitai_cloud.testing.strategies import renewal_options, renewal_problems

RULE = AllocationRule(ratios="3:7")


def oracle(options, horizon, rate):
    """Month by month, exactly as the issue states: totals [yen] and present values [yen]."""
    inc = options[0]
    out = []
    for o in options:
        fees = o.monthly_fee.values() if o.per_member else [o.monthly_fee]
        g = Fraction(str(o.yearly_change))
        total = 0
        pv = 0.0
        for m in range(horizon):
            fee = sum(round(f * (1 + g) ** (m // 12)) for f in fees)
            total += fee
            pv += fee / (1 + rate) ** (m / 12)
        up = o.parallel_months * inc.first_fee_total + sum(o.one_off.values()) + o.council_one_off
        out.append((total + up, pv + up))
    return out


@given(renewal_problems(), st.integers(1, 150), st.sampled_from([0.0, 0.01, 0.03, 0.1]))
def test_exact_formula_against_a_month_loop(problem, horizon, rate):
    council, options = problem
    c = compare_renewal(council, options, horizon_months=horizon, discount_rate=rate)
    for o, (total, pv) in zip(options, oracle(options, horizon, rate), strict=True):
        assert c.total(o.name) == total
        assert c.present_value(o.name) == pytest.approx(pv, rel=1e-12, abs=1e-3)
        assert sum(c.member_costs(o.name).values()) == c.total(o.name)  # adds up to the yen
    pvs = [c.present_value(n) for n in c.option_names]
    assert c.cheapest == c.option_names[pvs.index(min(pvs))]  # ties to the earlier


@given(renewal_problems(), st.integers(1, 130))
def test_no_discount_pv_is_the_plain_sum(problem, horizon):
    council, options = problem
    c = compare_renewal(council, options, horizon_months=horizon)
    for n in c.option_names:
        assert c.present_value(n) == float(c.total(n))
        assert sum(c.member_present_values[c.option_names.index(n)]) == pytest.approx(c.total(n), rel=1e-12)


@given(renewal_problems(max_options=1), st.integers(1, 100))
def test_equal_inputs_cost_the_same(problem, horizon):
    council, (inc,) = problem
    twin = attrs.evolve(inc, name="twin")
    c = compare_renewal(council, [inc, twin], horizon_months=horizon, discount_rate=0.02)
    assert c.total("twin") == c.total(inc.name)
    assert c.member_costs("twin") == c.member_costs(inc.name)
    assert c.present_value("twin") == c.present_value(inc.name)
    assert c.cheapest == inc.name  # a tie goes to the earlier option
    assert c.break_even("twin").one_off == inc.one_off_total


def test_fee_split_is_the_allocation_pipeline():
    council = examples.toyama()
    rule = AllocationRule(ratios="3:7", min_reduction=0.3)
    stay = RenewalOption("継続", monthly_fee=20_000_000, rule=rule, yearly_change=0.02)
    move = RenewalOption("切替", monthly_fee=17_000_000, rule=rule, council_one_off=60_000_000, parallel_months=3,
                         one_off={"A": 5_000_000})
    c = compare_renewal(council, [stay, move])
    fee_total = 12 * (20_000_000 + 20_400_000 + 20_808_000 + 21_224_160 + 21_648_643)
    assert c.total("継続") == fee_total
    expected = allocation.allocate(council, fee_total, rule).shares
    assert tuple(c.member_costs("継続").values()) == expected
    parts = {code: c.member_parts("切替", code) for code in council.codes}
    assert sum(p["二重稼働"] for p in parts.values()) == 3 * 20_000_000
    assert tuple(p["二重稼働"] for p in parts.values()) == allocation.allocate(council, 60_000_000, rule).shares
    assert parts["A"]["データ移行等"] == 5_000_000
    assert c.total("切替") == 17_000_000 * 60 + 60_000_000 + 60_000_000 + 5_000_000
    assert c.difference("切替") == c.total("切替") - fee_total


def test_per_member_double_running_is_each_members_own_first_fee():
    council = examples.toyama()
    fees = {code: 1_000_000 * (i + 1) for i, code in enumerate(council.codes)}
    stay = RenewalOption("継続", monthly_fee=fees)
    move = RenewalOption("切替", monthly_fee={c: f // 2 for c, f in fees.items()}, parallel_months=2)
    c = compare_renewal(council, [stay, move], horizon_months=24)
    for code, f in fees.items():
        assert c.member_parts("切替", code) == {"利用料": 24 * (f // 2), "二重稼働": 2 * f, "再調達": 0,
                                               "データ移行等": 0}


@settings(max_examples=15)
@given(renewal_problems(max_options=3), st.integers(12, 100))
def test_break_even_flips_the_decision_to_the_yen(problem, horizon):
    council, options = problem
    assume(len(options) > 1)
    c = compare_renewal(council, options, horizon_months=horizon)
    inc = options[0]
    for o in options[1:]:
        be = c.break_even(o.name)
        # one-off: the option with exactly that one-off (as a council one-off beside the members') costs the same
        extra = be.one_off - sum(o.one_off.values())
        if extra >= 0 and o.rule is not None:
            at = compare_renewal(council, [inc, attrs.evolve(o, council_one_off=extra)], horizon_months=horizon)
            assert at.difference(o.name) == 0
        if be.fee is not None:
            at = compare_renewal(council, [inc, attrs.evolve(o, monthly_fee=be.fee)], horizon_months=horizon)
            assert at.difference(o.name) <= 0
            above = compare_renewal(council, [inc, attrs.evolve(o, monthly_fee=be.fee + 1)], horizon_months=horizon)
            assert above.difference(o.name) > 0
            assert be.fee_change == be.fee - o.monthly_fee
        if be.horizon is not None:
            at = compare_renewal(council, (options[0], o), horizon_months=be.horizon)
            assert at.difference(o.name) <= 0
            if be.horizon > 1:
                before = compare_renewal(council, (options[0], o), horizon_months=be.horizon - 1)
                assert before.difference(o.name) > 0


def test_break_even_by_hand():
    council = examples.toyama()
    stay = RenewalOption("継続", monthly_fee=20_000_000, rule=RULE)
    move = RenewalOption("切替", monthly_fee=18_000_000, rule=RULE, council_one_off=150_000_000)
    be = compare_renewal(council, [stay, move]).break_even("切替")
    assert be.one_off == 120_000_000  # saves 2,000,000 yen a month for 60 months
    assert be.fee == 17_500_000 and be.fee_change == -500_000
    assert be.horizon == 75  # 150,000,000 / 2,000,000


UNCERTAIN = {"切替": {"monthly_fee": (0.9, 1.2), "one_off": (0.8, 1.5), "yearly_change": (0.0, 0.04)},
             "継続": {"yearly_change": (0.0, 0.03)}}


def test_probability_without_uncertainty_is_one():
    council = examples.toyama()
    stay = RenewalOption("継続", monthly_fee=20_000_000, rule=RULE, yearly_change=0.02)
    move = RenewalOption("切替", monthly_fee=18_000_000, rule=RULE, council_one_off=90_000_000)
    c = compare_renewal(council, [stay, move], samples=500, seed=1, discount_rate=0.02)
    assert c.probability_cheapest[c.cheapest] == 1.0
    assert sum(c.probability_cheapest.values()) == 1.0
    assert c.difference_quantiles("切替")["0.5"] == pytest.approx(c.present_value("切替") - c.present_value("継続"))


@settings(max_examples=15)
@given(st.integers(0, 2**32 - 1), st.integers(0, 400_000_000))
def test_more_one_off_never_wins_more_often(seed, raise_by):
    council = examples.toyama()
    stay = RenewalOption("継続", monthly_fee=20_000_000, rule=RULE, yearly_change=0.02)
    move = RenewalOption("切替", monthly_fee=18_000_000, rule=RULE, council_one_off=90_000_000,
                         one_off={"A": 3_000_000})
    third = RenewalOption("切替B", monthly_fee={c: 3_100_000 for c in council.codes}, parallel_months=1)
    unc = {**UNCERTAIN, "切替B": {"monthly_fee": (0.8, 1.2)}}
    a = compare_renewal(council, [stay, move, third], samples=300, seed=seed, uncertain=unc, discount_rate=0.01)
    dearer = attrs.evolve(move, council_one_off=move.council_one_off + raise_by)
    b = compare_renewal(council, [stay, dearer, third], samples=300, seed=seed, uncertain=unc, discount_rate=0.01)
    assert b.probability_cheapest["切替"] <= a.probability_cheapest["切替"]
    assert sum(a.probability_cheapest.values()) == pytest.approx(1.0)


def test_samples_against_a_loop_over_samples():
    council = examples.toyama()
    stay = RenewalOption("継続", monthly_fee={c: 2_000_001 + i for i, c in enumerate(council.codes)})
    move = RenewalOption("切替", monthly_fee=11_000_000, rule=RULE, one_off={"B": 7_000_000}, parallel_months=2)
    unc = {"継続": {"monthly_fee": (0.9, 1.1), "yearly_change": (0.0, 0.05)}, "切替": {"one_off": (1.0, 2.0)}}
    c = compare_renewal(council, [stay, move], horizon_months=40, discount_rate=0.03, samples=64, seed=7,
                        uncertain=unc, levels=(0.0, 1.0))
    rng = np.random.default_rng(7)
    u = rng.random((2, 3, 64))
    diffs = []
    for s in range(64):  # the straightforward loop: month by month, sample by sample
        f, r = 0.9 + 0.2 * u[0, 0, s], 0.05 * u[0, 2, s]
        inc = [sum(round(x * f * (1 + r) ** (m // 12)) for x in stay.monthly_fee.values()) for m in range(40)]
        pv_inc = sum(x / 1.03 ** (m / 12) for m, x in enumerate(inc))
        pv_move = (sum(11_000_000 / 1.03 ** (m / 12) for m in range(40)) + round((1 + u[1, 1, s]) * 7_000_000)
                   + 2 * inc[0])
        diffs.append(pv_move - pv_inc)
    assert c.difference_quantiles("切替")["0"] == pytest.approx(min(diffs), rel=1e-9)
    assert c.difference_quantiles("切替")["1"] == pytest.approx(max(diffs), rel=1e-9)


def test_dask_chunks_agree_with_numpy():
    pytest.importorskip("dask")
    council = examples.toyama()
    stay = RenewalOption("継続", monthly_fee=20_000_000, rule=RULE, yearly_change=0.02)
    move = RenewalOption("切替", monthly_fee=18_000_000, rule=RULE, council_one_off=90_000_000)
    a = compare_renewal(council, [stay, move], samples=1000, seed=3, uncertain=UNCERTAIN)
    b = compare_renewal(council, [stay, move], samples=1000, seed=3, uncertain=UNCERTAIN, chunks=128)
    assert a.probability_cheapest == b.probability_cheapest
    assert a.quantiles == b.quantiles


def test_kernels_scalar_and_batch_agree():
    fees = np.array([1_000_003.0, 77.0])
    one = [block_fees(fees, np.array([f]), np.array([r]), 5) for f, r in [(1.0, 0.02), (1.3, -0.01)]]
    both = block_fees(fees, np.array([1.0, 1.3]), np.array([0.02, -0.01]), 5)
    assert np.array_equal(np.vstack(one), both)
    counts, disc = block_weights(61, 0.05)
    assert counts.tolist() == [12, 12, 12, 12, 12, 1]
    assert disc == pytest.approx([sum(1.05 ** (-m / 12) for m in range(12 * y, min(61, 12 * y + 12)))
                                  for y in range(6)])


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"monthly_fee": 10}, "needs a rule"),
    ({"monthly_fee": {"A": 1}, "council_one_off": 5}, "council_one_off"),
    ({"monthly_fee": -1, "rule": RULE}, "monthly_fee"),
    ({"monthly_fee": 1.5, "rule": RULE}, "monthly_fee"),
    ({"monthly_fee": 1, "rule": RULE, "yearly_change": -1.0}, "yearly_change"),
    ({"monthly_fee": 1, "rule": RULE, "one_off": {"A": -3}}, "one_off"),
    ({"monthly_fee": 1, "rule": RULE, "parallel_months": -1}, "parallel_months"),
    ({"monthly_fee": 1, "rule": RULE, "service": ServiceLevel(availability=0.99), "council_one_off": True}, "council_one_off"),
])
def test_option_validation(kwargs, match):
    with pytest.raises(ValidationError, match=match):
        RenewalOption("x", **kwargs)


def test_comparison_errors():
    council = examples.toyama()
    stay = RenewalOption("継続", monthly_fee=1, rule=RULE)
    with pytest.raises(ValidationError, match="incumbent"):
        compare_renewal(council, [attrs.evolve(stay, parallel_months=2)])
    with pytest.raises(ValidationError, match="twice"):
        compare_renewal(council, [stay, stay])
    with pytest.raises(UnknownMemberError, match="ZZ"):
        compare_renewal(council, [stay, RenewalOption("b", monthly_fee=1, rule=RULE, one_off={"ZZ": 1})])
    with pytest.raises(ValidationError, match="no fee for member"):
        compare_renewal(council, [stay, RenewalOption("b", monthly_fee={"A": 1})])
    with pytest.raises(ValidationError, match="samples"):
        compare_renewal(council, [stay], uncertain={"継続": {"one_off": (1, 2)}})
    with pytest.raises(ValidationError, match="low <= high"):
        compare_renewal(council, [stay], samples=3, uncertain={"継続": {"one_off": (2, 1)}})
    with pytest.raises(ValidationError, match="unknown input"):
        compare_renewal(council, [stay], samples=3, uncertain={"継続": {"fee": (1, 2)}})
    with pytest.raises(ValidationError, match="horizon_months"):
        compare_renewal(council, [stay], horizon_months=0)


def test_tables_show_members_by_name_and_add_up():
    council = examples.toyama()
    stay = RenewalOption("継続", monthly_fee=20_000_000, rule=RULE, service=ServiceLevel(availability=0.999))
    move = RenewalOption("切替", monthly_fee=18_000_000, rule=RULE, council_one_off=150_000_000)
    c = compare_renewal(council, [stay, move], samples=100, seed=0)
    text = c.to_text()
    assert "サービス継続・切替の判断" in text and council.members[0].name in text
    assert "continue or switch" in c.to_text(lang="en")
    members = c.view("members")
    assert [r[2] for r in members.rows] == list(c.member_costs("継続").values())
    assert {t.key for t in c.views()} == {"options", "members", "uncertainty"}


@given(renewal_options(("A", "B")))
def test_strategy_builds_valid_options(option):
    assert option.first_fee_total >= 0


def _decision(availability, **kw):
    from jichitai_cloud import operations
    from jichitai_cloud.renewal import decide

    council = examples.toyama()
    rule = AllocationRule(ratios="3:7", min_reduction=0.3)
    comp = compare_renewal(council, [RenewalOption("継続", monthly_fee=20_000_000, rule=rule),
                                     RenewalOption("切替", monthly_fee=17_000_000, rule=AllocationRule(ratios="1:1"),
                                                   council_one_off=90_000_000)])
    crit = [operations.ContinuityCriterion(measure="availability", name="稼働率", weight=10, worst=0.99, best=1)]
    a = operations.assess_continuity(crit, {"availability": availability}, threshold=6)
    return comp, decide(a, comp, **kw)


def test_decide_side_by_side():
    comp, d = _decision(0.994, weights={"criteria": 1, "money": 1})
    assert d.chosen == "切替" and d.against == "継続"
    diff = comp.member_differences("切替")
    assert dict(d.losers) == {k: x for k, x in diff.items() if x > 0}
    assert d.losers  # 1:1 shifts cost to the small members
    text = d.explain()
    assert "負担が増える団体" in text and "最低保障" in text
    assert "decision: 切替" in d.explain(lang="en")
    caps = [int(Fraction(m.current_cost) * Fraction(7, 10)) for m in examples.toyama().members]
    assert list(d.caps) == caps
    assert d.guarantee_holds == all(comp.member_costs("切替")[k] <= cap for k, cap in zip(comp.codes, caps, strict=True))
    _, stay = _decision(0.999, weights={"criteria": 1, "money": 0})
    assert stay.chosen == "継続" and stay.against == "切替"
    _, money = _decision(0.999, weights={"money": 1})
    assert money.chosen == comp.cheapest
    with pytest.raises(ValidationError, match="weights"):
        _decision(0.999, weights={"criteria": -1})
