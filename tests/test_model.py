from __future__ import annotations

import attrs
import pytest
from hypothesis import given

import jichitai_cloud as jc
from jichitai_cloud import (
    Consortium,
    CustomizationRequest,
    Month,
    Municipality,
    Quote,
    Subcommittee,
    UnknownMemberError,
    ValidationError,
)
from jichitai_cloud.model import check_digit
from jichitai_cloud.testing import strategies as jst


def member(code: str = "A", **kw: object) -> Municipality:
    base: dict[str, object] = {"code": code, "name": f"{code}市", "population": 1000, "current_cost": 10**8}
    base.update(kw)
    return Municipality(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("code5", "digit"),
    [("16201", 9), ("16000", 8), ("13101", 6), ("01100", 2), ("01205", 0), ("01230", 1), ("01202", 5)],
)
def test_check_digit_known_codes(code5: str, digit: int) -> None:
    # 富山市 162019, 富山県 160008, 千代田区 131016, 札幌市 011002, 室蘭市 012050, 登別市 012301, 函館市 012025
    assert check_digit(code5) == digit


@given(jst.lg_codes())
def test_generated_codes_verify(code: str) -> None:
    assert member(code).code == code


def test_code_rules() -> None:
    with pytest.raises(ValidationError, match=r"code '162018' has check digit 8, expected 9 \(162019\)"):
        member("162018")
    with pytest.raises(ValidationError, match="did you mean 162019"):
        member("16201")
    with pytest.raises(ValidationError, match="short id"):
        member("1620190")
    with pytest.raises(ValidationError, match="short id"):
        member("A B")
    assert member(" A ").code == "A"
    assert member("A").is_anonymised and not member("162019").is_anonymised


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("population", -5, r"population must be an integer >= 0 and <= 130000000 \[persons\], got -5"),
        ("population", 130_000_001, "population must be an integer >= 0 and <= 130000000"),
        ("population", 2**63, "population must be an integer"),
        ("population", 1.5, "got 1.5"),
        ("population", True, "got True"),
        ("current_cost", -1, r"current_cost must be an integer >= 0 and <= 999999999999999 \[yen\], got -1"),
        ("current_cost", 10**15, r"current_cost must be an integer >= 0 and <= 999999999999999 \[yen\]"),
        ("current_cost", 10**20, "current_cost must be an integer"),
        ("name", "A\x00市", r"name must not hold control characters: found U\+0000"),
        ("name", "\x1b[31mA市", r"name must not hold control characters: found U\+001B"),
        ("name", "A\n市", r"name must not hold control characters: found U\+000A"),
        ("current_cost", 9.2e8, "current_cost must be an integer"),
        ("penalty", "0", "penalty must be an integer"),
        ("name", "  ", "name must be non-empty text"),
        ("drivers", {"staff": -1}, "drivers.staff must be a finite number >= 0, got -1"),
        ("drivers", {"staff": float("nan")}, "drivers.staff must be a finite number"),
        ("cloud_start", 2015, "cloud_start must be a month"),
    ],
)
def test_municipality_rejects(field: str, value: object, fragment: str) -> None:
    with pytest.raises(ValidationError, match=fragment):
        member(**{field: value})


def test_municipality_is_frozen_and_converts() -> None:
    m = member(cloud_start="H27.07", drivers={"staff": 12})
    assert m.cloud_start == Month(2015, 7)
    assert m.drivers["staff"] == 12 and m.driver("staff") == 12.0
    assert m.driver("equal") == 1.0 and m.driver("population") == 1000.0
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        m.population = 3  # type: ignore[misc]
    with pytest.raises(KeyError, match="no cost driver 'records'"):
        m.driver("records")
    hash(m)


def test_consortium_rules() -> None:
    with pytest.raises(ValidationError, match="duplicate code 'A'"):
        Consortium(name="x", members=(member("A"), member("A")), period_start="H27.04")
    with pytest.raises(ValidationError, match="at least one member"):
        Consortium(name="x", members=(), period_start="H27.04")
    with pytest.raises(UnknownMemberError, match=r"subcommittees\[0\].members refers to unknown member 'Z'"):
        Consortium(name="x", members=(member("A"),), period_start="H27.04",
                   subcommittees=(Subcommittee(name_ja="住基情報", members=("Z",)),))
    with pytest.raises(UnknownMemberError, match="adopters refers to unknown member 'Q'"):
        Consortium(name="x", members=(member("A"),), period_start="H27.04",
                   customization_requests=(CustomizationRequest(id="1", title="t", adopters=("Q",)),))
    with pytest.raises(UnknownMemberError, match="not a subcommittee of the council"):
        Consortium(name="x", members=(member("A"),), period_start="H27.04",
                   subcommittees=(Subcommittee(name_ja="住基情報"),),
                   customization_requests=(CustomizationRequest(id="1", title="t", subcommittee="税"),))


def test_lookup_and_changes() -> None:
    c = Consortium(
        name="x", members=(member("A"), member("B")), period_start="H27.04",
        subcommittees=(Subcommittee(name_ja="住基情報", name_en="resident records", members=("A", "B")),),
        customization_requests=(CustomizationRequest(id="1", title="t", requesters=("B",), adopters=("A", "B"),
                                                     status="implemented", quote=Quote(fixed=100)),),
    )
    assert c.member("B").code == "B" and c.index("B") == 1 and "A" in c and len(c) == 2
    assert c.period_end == Month(2020, 3)
    assert c.subcommittee("resident records").name_ja == "住基情報"
    with pytest.raises(UnknownMemberError, match=r"no member with code 'Z'; members are \['A', 'B'\]"):
        c.member("Z")
    c2 = c.without_member("B")
    assert c2.codes == ("A",) and c2.subcommittees[0].members == ("A",)
    assert c2.customization_requests[0].adopters == ("A",)
    assert c.codes == ("A", "B")  # the original is unchanged
    c3 = c2.with_member(member("C"))
    assert c3.codes == ("A", "C")
    with pytest.raises(ValidationError, match="duplicate code"):
        c3.with_member(member("A"))


def test_quote_forms() -> None:
    assert Quote(fixed=1_200_000).total(3) == 1_200_000
    assert Quote(fixed=800_000, per_member=100_000).total(3) == 1_100_000
    table = Quote(by_count={1: 2_100_000, 3: 2_200_000})
    assert table.total(3) == 2_200_000 and table.total(0) == 0 and table.max_count() == 3
    with pytest.raises(jc.errors.QuoteError, match=r"no figure for 2 adopter\(s\); it quotes \[1, 3\]"):
        table.total(2)
    with pytest.raises(ValidationError, match="adopter counts"):
        Quote(by_count={"0": 5})


def test_request_rules() -> None:
    with pytest.raises(ValidationError, match="withdrawn but lists adopters"):
        CustomizationRequest(id="1", title="t", status="withdrawn", adopters=("A",))
    with pytest.raises(ValidationError, match="status must be one of"):
        CustomizationRequest(id="1", title="t", status="done")
    made_std = CustomizationRequest(id="9", title="t", status="made_standard", adopters=("A",),
                                    quote=Quote(fixed=1_600_000))
    assert made_std.cost == 0


def test_subcommittee_meeting_count_must_agree() -> None:
    import datetime as dt

    with pytest.raises(ValidationError, match="meeting_count is 3 but 1 meetings are recorded"):
        Subcommittee(name_ja="住基情報", meetings=(jc.Meeting(date=dt.date(2014, 5, 1)),), meeting_count=3)


def test_scores_shape_checked() -> None:
    with pytest.raises(ValidationError, match="values has 1 rows but there are 2 judges"):
        jc.Scores(component="p", judges=("a", "b"), criteria=("c",), values=((1.0,),))
    with pytest.raises(ValidationError, match=r"values\[0\]\[0\] must be a finite score"):
        jc.Scores(component="p", judges=("a",), criteria=("c",), values=((float("nan"),),))


def test_scheme_totals() -> None:
    s = jc.EvaluationScheme(name="s", components=(
        jc.model.Component(name="price", points=1000, kind="price", round=0),
        jc.model.Component(name="proposal", points=1000, judges=6),
        jc.model.Component(name="demo", points=1000, round=2, judges=116),
    ))
    assert (s.total_points, s.price_points, s.technical_points) == (3000, 1000, 2000)
    assert s.component("demo").judges == 116


def test_sla_metric_meets() -> None:
    av = jc.SLAMetric(id="availability", name="稼働率", unit="%", target=99.5)
    rt = jc.SLAMetric(id="recovery", name="復旧時間", unit="hours", target=4, direction="lower")
    assert av.meets(99.5) and not av.meets(99.4) and rt.meets(3) and not rt.meets(5)


@given(jst.consortia())
def test_generated_councils_are_valid_and_hashable(c: Consortium) -> None:
    assert len(set(c.codes)) == len(c.members)
    hash(c)
    assert attrs.evolve(c) == c
