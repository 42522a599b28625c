"""Every cost item in one statement: CostItem, statement(), Statement and the parts of each share."""

from __future__ import annotations

import attrs
import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import jichitai_cloud as jc
from jichitai_cloud import examples
from jichitai_cloud.allocation import CostItem, Statement, statement
from jichitai_cloud.allocation._statement import driver_parts
from jichitai_cloud.errors import InfeasibleAllocation, UnknownMemberError, ValidationError
from jichitai_cloud.testing.strategies import allocation_councils, allocation_rules, cost_items

RULE = jc.AllocationRule(ratios={"equal": 3, "population": 7}, min_reduction=0.30)
FEE = CostItem("クラウド利用料", total=1_390_000_000, rule=RULE)


def _parts_sum(s: Statement) -> dict[tuple[str, str], int]:
    out: dict[tuple[str, str], int] = {}
    for p in s.parts:
        out[(p.item, p.code)] = out.get((p.item, p.code), 0) + p.amount
    return out


# -- CostItem ------------------------------------------------------------------------------------
def test_cost_item_signature_and_checks() -> None:
    assert FEE.name == "クラウド利用料" and FEE.is_split and FEE.amount() == 1_390_000_000
    quote = CostItem("データ抽出", shares={"A": 1_200_000, "C": 800_000})
    assert not quote.is_split and quote.amount() == 2_000_000 and quote.total is None
    with pytest.raises(TypeError):
        CostItem("x", 100, RULE)  # type: ignore[misc]  # total and rule are keyword-only
    with pytest.raises(ValidationError, match="not both"):
        CostItem("x", total=1, rule=RULE, shares={"A": 1})
    with pytest.raises(ValidationError, match="give total and rule, or shares"):
        CostItem("x")
    with pytest.raises(ValidationError, match="rule needs total"):
        CostItem("x", rule=RULE)
    with pytest.raises(ValidationError, match="total needs rule"):
        CostItem("x", total=100)
    with pytest.raises(ValidationError, match=r"shares\['A'\] must be an integer >= 0 and < 10\*\*15 \[yen\], got 1.5"):
        CostItem("x", shares={"A": 1.5})
    with pytest.raises(ValidationError, match="must be an integer >= 0"):
        CostItem("x", shares={"A": -1})
    with pytest.raises(ValidationError, match="total"):
        CostItem("x", total=-5, rule=RULE)
    with pytest.raises(ValidationError, match="name"):
        CostItem("  ", shares={})


def test_statement_checks() -> None:
    council = examples.toyama()
    with pytest.raises(ValidationError, match="at least one"):
        statement(council, [])
    with pytest.raises(ValidationError, match="used twice"):
        statement(council, [FEE, FEE])
    with pytest.raises(ValidationError, match=r"items\[0\] must be a CostItem"):
        statement(council, ["fee"])  # type: ignore[list-item]
    with pytest.raises(UnknownMemberError, match=r"'Z'.*members are"):
        statement(council, [CostItem("q", shares={"Z": 1})])
    with pytest.raises(ValidationError, match="Consortium"):
        statement("council", [FEE])  # type: ignore[arg-type]
    tight = CostItem("高すぎる", total=2_000_000_000, rule=RULE)
    with pytest.raises(InfeasibleAllocation, match="cannot be met"):
        statement(council, [tight])


# -- the Toyama statement --------------------------------------------------------------------------
def test_toyama_statement_every_item() -> None:
    council = examples.toyama()
    gov = CostItem("ガバメントクラウド利用料", total=50_000_000, rule=jc.AllocationRule(ratios="1:1"))
    quote = CostItem("データ抽出", shares={"A": 1_200_000, "C": 800_000})
    s = jc.statement(council, [FEE, gov, quote])
    assert isinstance(s, jc.Statement)
    assert s.item_names == ("クラウド利用料", "ガバメントクラウド利用料", "データ抽出")
    assert dict(s.item_totals) == {"クラウド利用料": 1_390_000_000, "ガバメントクラウド利用料": 50_000_000,
                                   "データ抽出": 2_000_000}
    assert sum(s.member_totals.values()) == s.total == 1_442_000_000
    assert s["クラウド利用料"] == dict(zip(council.codes, jc.allocate(council, 1_390_000_000, RULE).shares,
                                         strict=True))
    assert s.column("データ抽出")["C"] == 800_000 and s.column("データ抽出")["B"] == 0
    # C's parts: 均等割 417,000,000 / 6, its 人口割 under the rule, and the cap taking the excess back
    c = s.member_parts("C")
    assert c[("クラウド利用料", "equal")] == 69_500_000
    assert c[("クラウド利用料", "population")] == 132_802_920
    assert c[("クラウド利用料", "cap_adjustment")] == -27_302_920
    assert c[("データ抽出", "explicit")] == 800_000
    assert sum(c.values()) == s.member_totals["C"] == 175_000_000 + 7_578_869 + 800_000
    # no guarantee -> no cap adjustment part
    assert ("ガバメントクラウド利用料", "cap_adjustment") not in c
    assert s.allocation("クラウド利用料").bound == ("C", "D", "F")
    with pytest.raises(ValidationError, match="explicit"):
        s.allocation("データ抽出")
    with pytest.raises(KeyError, match="no cost item"):
        s.column("none")
    with pytest.raises(UnknownMemberError):
        s.member_parts("Z")


def test_statement_shows_itself_and_builds_the_effect_table() -> None:
    council = examples.toyama()
    s = statement(council, [FEE, CostItem("データ抽出", shares={"A": 1_200_000})])
    html = s._repr_html_()
    assert "<table" in html and "内訳" in html and "均等割" in html and "最低保障調整" in html
    text = s.to_text()
    assert "費用負担明細" in text and "合計: 1,391,200,000円" in text
    assert "total: 1,391,200,000 yen" in s.to_text("en")
    assert "Statement(" in repr(s) and "A=" in repr(s)
    t = s.effect_table()
    assert isinstance(t, jc.EffectTable)
    assert [r.cloud_fee for r in t.rows] == list(s.member_totals.values())
    assert [r.current_cost for r in t.rows] == [m.current_cost for m in council.members]
    assert t.total.cloud_fee == s.total


def test_dataframes_members_by_items_without_totals() -> None:
    pytest.importorskip("pandas")
    s = statement(examples.toyama(), [FEE, CostItem("データ抽出", shares={"A": 1_200_000})])
    df = s.to_dataframe()
    assert list(df.index) == ["A", "B", "C", "D", "E", "F"] and df.index.name == "code"
    assert list(df.columns) == ["name", "クラウド利用料", "データ抽出"]  # the name beside the code
    assert int(df[["クラウド利用料", "データ抽出"]].to_numpy().sum()) == s.total
    assert int(df["クラウド利用料"].sum()) == 1_390_000_000
    parts = s.parts_dataframe()
    assert parts.groupby("code")["amount"].sum().to_dict() == dict(s.member_totals)
    assert int(parts["amount"].sum()) == s.total
    assert not set(parts["code"]) & {"合計", "計", "total"}


def test_one_item_is_allocate() -> None:
    council = examples.toyama()
    s = statement(council, [FEE])
    a = jc.allocate(council, 1_390_000_000, RULE)
    assert tuple(s.member_totals.values()) == a.shares
    assert s.allocation("クラウド利用料") == a


# -- the parts kernel -----------------------------------------------------------------------------
def test_driver_parts_hand_worked_and_batch() -> None:
    shares = np.array([10, 0, 7])
    amounts = np.array([[2.5, 7.5], [0.0, 0.0], [0.0, 0.0]])
    out = driver_parts(shares, amounts, np.array([3.0, 7.0]))
    assert out.tolist() == [[3, 7], [0, 0], [2, 5]]  # the last row falls back to the rule's weights
    batch = driver_parts(np.stack([shares, shares]), np.stack([amounts, amounts]), np.array([3.0, 7.0]))
    assert batch.tolist() == [out.tolist(), out.tolist()]


# -- properties -----------------------------------------------------------------------------------
@st.composite
def _councils_and_items(draw: st.DrawFn) -> tuple[jc.Consortium, list[CostItem]]:
    council = draw(allocation_councils(min_members=1, max_members=6))
    n = draw(st.integers(1, 4))
    items = [draw(cost_items(council.codes, name=f"item{k}")) for k in range(n)]
    return council, items


@settings(max_examples=60, deadline=None)
@given(_councils_and_items())
def test_totals_and_parts_add_up_exactly(case: tuple[jc.Consortium, list[CostItem]]) -> None:
    council, items = case
    try:
        s = statement(council, items)
    except ValidationError:  # a driver the rule weights is zero for everyone present
        assume(False)
        raise
    assert s.total == sum(it.amount() for it in items)
    assert sum(s.member_totals.values()) == sum(s.item_totals.values()) == s.total
    for it in items:
        assert s.item_totals[it.name] == it.amount()
    parts = _parts_sum(s)
    for it, row in zip(s.items, s.shares, strict=True):
        for code, share in zip(s.codes, row, strict=True):
            assert parts[(it.name, code)] == share
    assert all(isinstance(p.amount, int) for p in s.parts)


@settings(max_examples=60, deadline=None)
@given(allocation_councils(min_members=1, max_members=6), allocation_rules(), st.integers(0, 10**10))
def test_a_statement_of_one_item_equals_allocate(council: jc.Consortium, rule: jc.AllocationRule,
                                                 total: int) -> None:
    try:
        a = jc.allocate(council, total, rule)
    except (ValidationError, InfeasibleAllocation):
        assume(False)
        raise
    s = statement(council, [CostItem("fee", total=total, rule=rule)])
    assert tuple(s.member_totals.values()) == a.shares
    parts = _parts_sum(s)
    assert [parts[("fee", c)] for c in council.codes] == list(a.shares)
    # driver parts add up to each member's share under the rule alone
    by_member: dict[str, int] = {}
    for p in s.parts:
        if p.part != "cap_adjustment":
            by_member[p.code] = by_member.get(p.code, 0) + p.amount
    assert [by_member[m.code] for m in a.members] == [m.rule_share for m in a.members]


@settings(max_examples=40, deadline=None)
@given(allocation_councils(min_members=2, max_members=6, penalties=False), st.integers(1, 10**10))
def test_driver_parts_match_the_ratios(council: jc.Consortium, total: int) -> None:
    """Without a guarantee, each driver's parts add up to its part of the total within a yen a member."""
    council = attrs.evolve(council, fee_period="member")
    rule = jc.AllocationRule(ratios={"equal": 3, "population": 7})
    s = statement(council, [CostItem("fee", total=total, rule=rule)])
    equal = sum(p.amount for p in s.parts if p.part == "equal")
    assert abs(equal - total * 3 / 10) <= len(council.members) + 1
