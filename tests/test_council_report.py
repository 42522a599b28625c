"""The council report: one workbook (a sheet per table, yen/percent formats, 合計 lines) and one HTML page."""

from __future__ import annotations

import html
import re
import warnings
from pathlib import Path

import pytest

import jichitai_cloud as jc
from jichitai_cloud import customization, examples, report
from jichitai_cloud.cli import main

openpyxl = pytest.importorskip("openpyxl")


@pytest.fixture(scope="module")
def toyama_report() -> tuple[jc.Consortium, jc.Allocation, report.CouncilReport]:
    council = examples.toyama()
    rule = jc.AllocationRule(ratios={"equal": 3, "population": 7}, min_reduction=0.30)
    allocation = jc.allocate(council, 1_390_000_000, rule)
    reg = examples.toyama_customization()
    ops = examples.toyama_operations()
    r = report.council_report(
        council, allocation=allocation,
        customization=(customization.comparison_table(reg), customization.decision_summary(reg.apply_to(council))),
        evaluation=jc.evaluate(examples.toyama_evaluation()),
        operations=ops.monthly_report(ops.end),
    )
    return council, allocation, r


def test_sheets_and_headings(toyama_report: tuple[jc.Consortium, jc.Allocation, report.CouncilReport]) -> None:
    _, _, r = toyama_report
    names = [s.name for s in r.sheets]
    assert names[:4] == ["参加団体", "費用按分", "導入効果", "カスタマイズ 比較一覧表"]
    assert any(n.startswith("総合評価") for n in names) and any(n.startswith("月次報告") for n in names)
    assert len(set(names)) == len(names) and all(len(n) <= 31 for n in names)
    alloc = r.sheet("費用按分")
    assert alloc.header[alloc.column("share")] == "負担額 (share)"
    assert alloc.header[alloc.column("reduction_rate")] == "削減率 (reduction_rate)"
    assert alloc.formats[alloc.column("share")] == "#,##0"
    assert alloc.formats[alloc.column("reduction_rate")] == "0.0%"


def test_totals_equal_the_library(toyama_report: tuple[jc.Consortium, jc.Allocation, report.CouncilReport]) -> None:
    council, allocation, r = toyama_report
    members = r.sheet("参加団体").totals()
    assert members is not None
    assert members[0] == "合計"
    assert members[2] == sum(m.population for m in council.members)
    assert members[3] == sum(m.current_cost for m in council.members)
    alloc = r.sheet("費用按分")
    t = alloc.totals()
    assert t is not None
    assert t[alloc.column("share")] == allocation.total_fee == 1_390_000_000
    assert t[alloc.column("net_cost")] == allocation.total_net_cost
    assert t[alloc.column("current_cost")] == allocation.total_current_cost
    effect = r.sheet("導入効果")
    te = effect.totals()
    total_row = allocation.effect_table().total
    assert te is not None
    assert te[effect.column("cloud_fee_oku")] == total_row.cloud_fee  # stored in yen, shown in 億円
    assert te[effect.column("current_cost_oku")] == total_row.current_cost
    assert te[effect.column("published_cloud_fee_oku")] == council.published.total_cloud_fee  # type: ignore[union-attr]
    assert r.sheet("総合評価 評価結果").totals() is None  # bids are not added up


def test_workbook_numbers_formats_and_no_formulas(
        tmp_path: Path, toyama_report: tuple[jc.Consortium, jc.Allocation, report.CouncilReport]) -> None:
    _, allocation, r = toyama_report
    path = tmp_path / "council.xlsx"
    r.to_excel(path)
    with pytest.raises(jc.errors.OutputError, match="exists"):
        r.to_excel(path)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [s.name for s in r.sheets]
    for ws in wb:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", f"{ws.title}!{c.coordinate} is a formula"
                if isinstance(c.value, str):
                    assert not c.value.startswith(("=", "+", "-", "@")), f"{ws.title}!{c.coordinate}"
    ws = wb["費用按分"]
    assert ws.cell(row=2, column=8).value == "負担額 (share)"
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    assert [row[7] for row in rows[:-1]] == list(allocation.shares)
    last = next(iter(ws.iter_rows(min_row=ws.max_row, max_row=ws.max_row)))
    assert last[0].value == "合計"
    assert last[7].value == 1_390_000_000 and isinstance(last[7].value, int)
    assert last[7].number_format == "#,##0"
    rate = ws.cell(row=3, column=12)
    assert isinstance(rate.value, float) and rate.number_format == "0.0%"
    for s in r.sheets:
        header = [c.value or "" for c in wb[s.name][2]]
        assert header == list(s.header)


def test_html_has_every_table_and_the_chart(
        tmp_path: Path, toyama_report: tuple[jc.Consortium, jc.Allocation, report.CouncilReport]) -> None:
    pytest.importorskip("matplotlib")
    _, _, r = toyama_report
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # no missing glyph in the embedded chart
        page = r.to_html(tmp_path / "council.html")
    assert (tmp_path / "council.html").read_text(encoding="utf-8") == page
    assert page.count("<table") == len(r.sheets)
    for s in r.sheets:
        assert html.escape(s.title) in page
        assert all(html.escape(h) in page.replace("<wbr>", "") for h in s.header)
    assert "data:image/png;base64," in page
    assert re.search(r"<tfoot>.*?合計.*?1,390,000,000", page, re.S)  # the 合計 line of the money tables
    assert "data:image/png" not in r.to_html(charts=False)


def test_report_without_allocation_and_tables_protocol() -> None:
    council = examples.toyama()
    r = report.council_report(council)
    assert [s.name for s in r.sheets] == ["参加団体"]
    assert r.effect is None
    assert "参加団体 合計" in r.summary()
    (_name, (_header, rows)), = r.tables().items()
    assert len(rows) == len(council.members)  # the 合計 line is not a row of the table
    with pytest.raises(jc.ValidationError, match="no sheet"):
        r.sheet("nothing")


@pytest.mark.parametrize("suffix", [".xlsx", ".html"])
def test_report_cli(tmp_path: Path, suffix: str, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / f"council{suffix}"
    assert main(["report", "--example", "toyama", "--output", str(out)]) == 0
    assert out.exists() and "wrote" in capsys.readouterr().out
    assert main(["report", "--example", "toyama", "--output", str(out)]) == 1
    assert "exists" in capsys.readouterr().err
    assert main(["report", "--example", "toyama", "--output", str(out), "--force"]) == 0


def test_report_cli_from_member_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from jichitai_cloud import io

    members = tmp_path / "members.xlsx"
    io.write_member_template(members, council=examples.toyama())
    out = tmp_path / "council.xlsx"
    assert main(["report", str(members), "--total", "1390000000", "--ratio", "3:7", "--min-reduction", "0.3",
                 "--output", str(out)]) == 0
    assert "参加団体, 費用按分, 導入効果" in capsys.readouterr().out
    wb = openpyxl.load_workbook(out)
    ws = wb["費用按分"]
    assert ws.cell(row=ws.max_row, column=8).value == 1_390_000_000
    assert main(["report", str(members), "--output", str(tmp_path / "x.txt")]) == 2
    assert ".xlsx" in capsys.readouterr().err
