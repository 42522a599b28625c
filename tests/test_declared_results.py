"""The results of allocation, games, selection, schedule and the council's member list declare their
tables: names beside codes, exact rates, typed DataFrames, Japanese captions with English on request."""

from __future__ import annotations

import json
import re
from fractions import Fraction

import pytest

import jichitai_cloud as jc
from jichitai_cloud import examples
from jichitai_cloud._display import sheet_name_ok
from jichitai_cloud.allocation import membership_change, ratio_sweep
from jichitai_cloud.games import fairness_report, leaving_report
from jichitai_cloud.schedule import plan_migration, schedule_change
from jichitai_cloud.selection import recommend

RULE = jc.AllocationRule(ratios="3:7", min_reduction=0.3)

# a council with real names and 6-digit local government codes (the bundled A-F hide codes shown as names)
REAL = jc.Consortium(
    name="新川地域自治体クラウド協議会",
    members=[
        jc.Municipality(code="162078", name="黒部市", population=41_000, current_cost=600_000_000),
        jc.Municipality(code="163422", name="入善町", population=24_000, current_cost=250_000_000),
        jc.Municipality(code="163431", name="朝日町", population=11_000, current_cost=110_000_000),
    ],
    period_start="H27.04",
    period_months=60,
)


def _results() -> list[jc._display.TableView]:  # type: ignore[name-defined]
    council = examples.toyama()
    a = jc.allocate(council, 1_390_000_000, RULE)
    plan = plan_migration(examples.toyama_schedule(), starts="planned")
    model = examples.toyama_games()
    return [
        a, a.effect_table(), jc.EffectTable.from_published(council), council,
        membership_change(council, 1_390_000_000, RULE, leaving={"B": "2018-04"}),
        ratio_sweep(council, 1_390_000_000, RULE),
        jc.statement(council, [jc.CostItem("クラウド利用料", total=1_390_000_000, rule=RULE)]),
        plan, plan.quarter_grid(), schedule_change(plan, council, 1_390_000_000, leaving={"F": "H30.04"}),
        fairness_report(council, council.published.cloud_fees, model), leaving_report(council, "A", model),
        recommend(examples.toyama_selection(), top=1),
    ]


def test_effect_table_shows_names_under_shichosonmei() -> None:
    a = jc.allocate(REAL, 600_000_000, RULE)
    t = a.effect_table()
    view = t.view()
    assert view.column("name").ja == "市町村名" and view.column("code").kind == "code"
    assert view.values("name") == ("黒部市", "入善町", "朝日町")
    text = t.to_text()
    assert "黒部市" in text and "162078" in text and "億円" in text
    pd = pytest.importorskip("pandas")
    df = t.to_dataframe()
    assert df.index.name == "code" and list(df.index) == ["162078", "163422", "163431"]
    assert list(df["name"]) == ["黒部市", "入善町", "朝日町"]
    assert isinstance(df, pd.DataFrame)


def test_effect_table_shown_parts_add_up_to_the_shown_total() -> None:
    t = jc.allocate(examples.toyama(), 1_390_000_000, RULE).effect_table()
    lines = t.to_text().splitlines()
    body = [ln.split() for ln in lines if re.match(r"^[A-F] ", ln)]
    total = next(ln.split() for ln in lines if ln.startswith("合計"))
    assert round(sum(float(r[3]) for r in body), 1) == float(total[2]) == 13.9
    assert round(sum(float(r[2]) for r in body), 1) == float(total[1]) == 21.6


def test_reduction_rate_is_exact_at_the_guarantee() -> None:
    a = jc.allocate(examples.toyama(), 1_390_000_000, RULE)
    for code in a.bound:
        assert a.member(code).reduction_rate == Fraction(3, 10)
    data = json.loads(json.dumps(a.to_dict()))
    rates = {m["code"]: m["reduction_rate"] for m in data["members"]}
    assert {rates[c] for c in a.bound} == {0.3}
    assert all(len(repr(r)) <= 6 for r in rates.values())  # rounded to the places shown, no float noise
    assert all(isinstance(m["cap_bound"], bool) for m in data["members"])
    assert isinstance(data["total_reduction_rate"], float) and data["explanations"] and data["explanations_en"]


def test_dataframe_dtypes_yen_flags_months() -> None:
    pytest.importorskip("pandas")
    a = jc.allocate(examples.toyama(), 1_390_000_000, RULE).to_dataframe()
    assert str(a["share"].dtype) == "int64" and str(a["cap_bound"].dtype) == "bool"
    assert list(a.index) == list("ABCDEF") and "name" in a.columns
    plan = plan_migration(examples.toyama_schedule("update"), starts="planned").to_dataframe()
    assert str(plan["cloud_start"].dtype) == "period[M]" and str(plan["cost"].dtype) == "int64"
    # months sort by time, not as era text: R2.03 (2020) comes after H30.12 (2018)
    ordered = plan.sort_values("cloud_start")["cloud_start"].astype(str).tolist()
    assert ordered == sorted(ordered) and ordered[-1] == "2020-03"
    members = examples.toyama().to_dataframe()
    assert str(members["population"].dtype) == "int64" and str(members["cloud_start"].dtype) == "period[M]"
    grid = plan_migration(examples.toyama_schedule(), starts="planned").quarter_grid().to_dataframe()
    assert grid.index.name == "code" and str(grid["cloud_start"].dtype) == "period[M]"


@pytest.mark.parametrize("result", _results(), ids=lambda r: type(r).__name__)
def test_every_result_is_declared_japanese_first(result) -> None:  # type: ignore[no-untyped-def]
    for view in result.views():
        assert view.title and view.title_en and view.title != view.title_en
        assert re.search(r"[぀-ヿ一-鿿]", view.title), view.title  # a Japanese caption
        for name in (view.sheet, view.sheet_en):
            assert name and sheet_name_ok(name)
        if "code" in view.keys and view.column("code").kind == "code":
            assert "name" in view.keys, f"{view.key}: a code without the member's name"
    ja, en = result.to_text(), result.to_text("en")
    assert ja != en
    for word in ("why:", "estimate under", "note:", "total:", "leaves after"):
        assert word not in ja, (type(result).__name__, word)
    assert "<table" in result.html_fragment("en") and "<table" in result._repr_html_()


def test_explanations_in_both_languages() -> None:
    a = jc.allocate(examples.toyama(), 1_390_000_000, RULE)
    assert len(a.explanations) == len(a.explanations_en) == len(a.why("en"))
    assert a.why() == a.explanations
    capped = [e for e in a.explanations if "上限額" in e]
    assert len(capped) == len(a.bound) and all("入善町" in e or "上市町" in e or "舟橋村" in e for e in capped)
    assert "理由:" in a.summary() and "why:" in a.summary("en")
    assert RULE.describe() == "均等割:人口割 = 3:7 (均等割 30%、人口割 70%)、最低 30% の削減を保障"
