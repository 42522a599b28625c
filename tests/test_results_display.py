"""Customization and operations results as a council reads them: names as headings, Japanese
first, exact rates, no float noise in JSON."""

from __future__ import annotations

import json
import re
from fractions import Fraction

import jichitai_cloud as jc
from jichitai_cloud import customization as cz
from jichitai_cloud import examples

NOISE = re.compile(r"\d\.\d*(0000000|9999999)\d")


def _council() -> jc.Consortium:
    return examples.toyama_customization().apply_to(examples.toyama())


def test_members_as_columns_are_headed_by_their_names() -> None:
    council = _council()
    t = cz.comparison_table(council)
    names = [m.name for m in council.members]
    view = t.view("比較一覧表")
    assert [view.column(m.code).heading("ja") for m in council.members] == names
    assert [view.column(m.code).heading("en") for m in council.members] == names
    assert list(t.tables()["比較一覧表"][0][8:14]) == [m.code for m in council.members]  # keys stay the codes
    header = t.to_text().splitlines()[1]
    assert all(n in header for n in names)
    totals = t.view("団体別合計")
    assert totals.keys == ("name", "code", "total") and totals.values("name") == tuple(names)
    assert '<th class="nobr">射水市</th>' in t.html_fragment()  # a name heading is never broken
    attendance = cz.subcommittee_summary(council, examples.toyama_customization()).view("出席")
    assert all(n in attendance.headings("ja") for n in names)
    by_member = cz.decision_summary(council).view("団体別")
    assert by_member.values("name") == tuple(names) and by_member.values("code") == tuple("ABCDEF")


def test_captions_are_japanese_first_with_english_on_request() -> None:
    council = _council()
    for result in (cz.comparison_table(council), cz.stable_adoption(council), cz.decision_summary(council)):
        for view in result.views():
            assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", view.title), view.title
            assert view.title_en and not re.search(r"[\u3040-\u30ff]", view.title_en), view.title_en
            assert view.sheet and len(view.sheet) <= 31 and view.sheet_en and len(view.sheet_en) <= 31
    d = cz.decision_summary(council)
    assert d.summary().startswith("カスタマイズ要望 31 件") and d.summary("en").startswith("customization requests: 31")


def test_rates_are_exact_and_months_are_months() -> None:
    ops = examples.toyama_operations()
    fr = ops.fee_reductions(2015)
    assert all(isinstance(x, Fraction) for x in fr.view().values("achievement"))
    assert fr.view().column("achievement").kind == "percent"
    av = ops.availability()
    assert all(isinstance(m, jc.Month) for m in av.view().values("month"))
    frame = av.to_dataframe()
    assert str(frame["month"].dtype) == "period[M]"
    pts = ops.penalty_points().to_dataframe()
    assert str(pts["flagged"].dtype) == "bool" and str(pts["penalty"].dtype) == "int64"


def test_monthly_report_json_has_no_float_noise_and_renders_declared_tables() -> None:
    r = examples.toyama_operations().monthly_report("H27.10")
    text = json.dumps(r.to_dict(), ensure_ascii=False)
    assert not NOISE.search(text)
    md = r.to_markdown()
    assert "## 2 サービスレベルモニタリング状況" in md and "| 項目 (name) |" in md
    assert "## 2 Service-level monitoring (SLM)" in r.to_markdown("en")
    assert r.to_html().count("<table") == sum(1 for t in r.views()[1:] if t.rows)
    frame = r.to_dataframe()
    assert str(frame["streak"].dtype) == "int64" and frame.shape[0] == len(r.slm)


def test_continuity_explains_in_both_languages() -> None:
    a = examples.toyama_operations().continuity_assessment(council=examples.toyama())
    assert "サービス継続・切替の判断" in a.explain() and "Continue or switch" in a.explain("en")
    assert a.summary() == a.explain() and "点" in a.to_text()
