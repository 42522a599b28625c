"""The bundled Toyama example holds the source document's figures."""

from __future__ import annotations

import warnings

import pytest

from jichitai_cloud import Month, examples, io

OKU = 100_000_000  # 億円


@pytest.fixture(scope="module")
def council():  # type: ignore[no-untyped-def]
    return examples.toyama()


def test_members_and_effect_table(council) -> None:  # type: ignore[no-untyped-def]
    assert council.codes == ("A", "B", "C", "D", "E", "F")
    current = [m.current_cost for m in council.members]
    assert current == [int(x * 10) * OKU // 10 for x in (9.2, 4.0, 2.5, 2.4, 2.4, 1.1)]
    assert sum(current) == 2_160_000_000
    pub = council.published
    fees = [pub.cloud_fees[c] for c in council.codes]
    assert fees == [570_000_000, 250_000_000, 180_000_000, 170_000_000, 140_000_000, 80_000_000]
    assert sum(fees) == pub.total_cloud_fee == 1_390_000_000
    assert pub.total_current_cost == sum(current)
    # the published reduction rates follow from the published (rounded) figures
    rates = [round(1 - f / c, 2) for f, c in zip(fees, current, strict=True)]
    assert rates == [pub.reduction_rates[c] for c in council.codes] == [0.38, 0.38, 0.28, 0.29, 0.42, 0.27]
    assert round(1 - sum(fees) / sum(current), 2) == pub.total_reduction_rate == 0.36


def test_population_is_the_members_resident_population(council) -> None:  # type: ignore[no-untyped-def]
    pops = {m.code: m.population for m in council.members}
    assert pops == {"A": 94_684, "B": 33_668, "C": 26_319, "D": 21_831, "E": 13_266, "F": 3_062}
    assert sum(pops.values()) == 192_830  # the document: 約19万4千人, 約3千人～約9万5千人
    assert [m.name for m in council.members] == ["射水市", "滑川市", "入善町", "上市町", "朝日町", "舟橋村"]
    assert council.fee_period == "member"


def test_cloud_start_months(council) -> None:  # type: ignore[no-untyped-def]
    start = {m.code: m.cloud_start for m in council.members}
    assert {c for c, s in start.items() if s == Month(2015, 4)} == {"C", "E", "F"}
    assert {c for c, s in start.items() if s == Month(2015, 7)} == {"A", "B", "D"}
    assert all(m.current_system_end == m.cloud_start - 1 for m in council.members)
    assert council.period_start == Month(2015, 4) and council.period_months == 60


def test_subcommittees_and_the_194_mismatch(council) -> None:  # type: ignore[no-untyped-def]
    assert len(council.subcommittees) == 19
    counts = {s.name_ja: s.meetings_held for s in council.subcommittees}
    assert counts["収滞納管理"] == 27 and counts["インフラ"] == 2 and counts["住基情報"] == 16
    assert sum(counts.values()) == 192
    assert council.published.declared_meetings == 194
    (finding,) = council.findings()
    assert "add up to 192 but the published total is 194" in finding.message_en
    assert "部会の開催回数の合計は 192 回ですが、公表値は 194 回です" in finding.message


def test_outcomes_and_scheme(council) -> None:  # type: ignore[no-untyped-def]
    out = council.published.customization_outcomes
    assert dict(out) == {"requested": 31, "implemented": 17, "made_standard": 3, "withdrawn": 11}
    assert out["implemented"] + out["made_standard"] + out["withdrawn"] == out["requested"]
    ev = council.evaluation
    assert (ev.total_points, ev.price_points, ev.technical_points) == (3000, 1000, 2000)
    assert ev.component("proposal").judges == 6 and ev.component("proposal").round == 1
    assert ev.component("demonstration").judges == 116 and ev.component("demonstration").round == 2


def test_example_goes_through_io_and_round_trips(council) -> None:  # type: ignore[no-untyped-def]
    path = examples.data_path("toyama.toml")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert io.load(path) == council
    assert io.loads(io.dumps(council), type(council)) == council


def test_unknown_example() -> None:
    with pytest.raises(Exception, match="no bundled example 'osaka'"):
        examples.load("osaka")


def test_the_published_effect_table_from_the_documents_members(council) -> None:  # type: ignore[no-untyped-def]
    """7. 導入効果: 13.9 億円 split 3:7 with the 30 % guarantee, each member's own five years.

    Tolerance: the published fees are rounded to 0.1 億円 (±5,000,000 yen) and so are the current
    costs the caps of C, D and F come from (70 % of ±5,000,000 = ±3,500,000 yen each), whose share of
    the caps moves A, B and E; one digit of the published table (0.1 億円) bounds both.
    """
    import jichitai_cloud as jc
    from jichitai_cloud.allocation._effect import _oku

    rule = jc.AllocationRule(ratios={"equal": 3, "population": 7}, min_reduction=0.30)
    result = jc.allocate(council, 1_390_000_000, rule)
    published = council.published.cloud_fees
    computed = dict(zip(result.codes, result.shares, strict=True))
    assert sum(computed.values()) == council.published.total_cloud_fee == 1_390_000_000
    # every fee within one published digit; five of six agree to the digit, A is one digit above
    assert all(abs(computed[c] - published[c]) <= OKU // 10 for c in result.codes)
    digits = {c: _oku(computed[c]) for c in result.codes}
    assert digits == {"A": "5.8", "B": "2.5", "C": "1.8", "D": "1.7", "E": "1.4", "F": "0.8"}
    assert {c: computed[c] - published[c] for c in result.codes} == {
        "A": 5_076_985, "B": 1_550_496, "C": -5_000_000, "D": -2_000_000, "E": 3_372_519, "F": -3_000_000}
    # the guarantee binds for C, D and F, held at exactly 70 % of their current costs
    assert set(result.bound) == {"C", "D", "F"}
    assert all(result[c].share * 10 == result[c].current_cost * 7 for c in result.bound)
    assert result.effect_table().total.reduction_percent == 36
    # the bundled plan (allocate --example toyama) is the same split
    assert examples.toyama_allocation().allocate(council) == result
