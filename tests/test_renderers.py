"""One renderer per format (jichitai_cloud.report): properties over random declared tables.

Shown parts add up to the shown totals in every rendering, CSV and JSON carry the stored integers
exactly and rates rounded at their declared places (never float noise), no workbook cell is a
formula, every number has a format and every column is wide enough for what it shows.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import jichitai_cloud as jc
from jichitai_cloud import report
from jichitai_cloud._display import Column, DataTable, round_half_up, shown_cells
from jichitai_cloud.errors import OutputError, ValidationError
from jichitai_cloud.io import unescape_cell
from jichitai_cloud.testing.strategies import data_tables
from reader_view import shown, width

_INTS = {"yen", "persons", "months", "count"}


def _number(text: str) -> Decimal:
    return Decimal(text.replace(",", "").rstrip("%"))


@given(data_tables())
def test_shown_parts_add_up_to_the_shown_totals(table: DataTable) -> None:
    for lang in ("ja", "en"):
        cells, total = shown_cells(table, lang)
        for j, c in enumerate(table.columns):
            if total is not None and total[j] and c.numeric:
                assert sum((_number(r[j]) for r in cells if r[j]), Decimal(0)) == _number(total[j]), c.key
        for total_key, parts in table.sums:
            t = table.position(total_key)
            for r in cells:
                if r[t]:
                    assert sum(_number(r[table.position(k)]) for k in parts) == _number(r[t])


def _rate(value: Any, places: int) -> Decimal:
    units = round_half_up(Fraction(value), places + 2)
    return Decimal(units).scaleb(-(places + 2))


@given(data_tables(), st.sampled_from(["ja", "en"]))
def test_csv_round_trips_the_stored_values(table: DataTable, lang: str) -> None:
    text = report.to_csv(table, header="key", lang=lang)  # type: ignore[arg-type]
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == list(table.keys)
    assert len(rows) == len(table.rows) + 1  # no 合計 line: a column sums to its total once
    summed = {k for _, parts in table.sums for k in parts}
    for stored, line in zip(table.rows, rows[1:], strict=True):
        for value, cell, c in zip(stored, line, table.columns, strict=True):
            if value is None:
                assert cell == ""
            elif c.kind in _INTS:
                assert int(cell) == value  # exact, no separators
            elif c.kind == "percent":
                assert Decimal(cell) == _rate(value, c.places) and len(cell.partition(".")[2]) == c.places + 2
            elif c.kind == "flag":
                assert cell == ("true" if value else "false")
            elif c.kind == "month":
                assert cell == value.iso()
            elif c.kind in ("text", "code", "name"):
                assert unescape_cell(cell) == value and not cell.startswith(("=", "+", "-", "@"))
            elif c.key not in summed and not (table.totals and c.total):
                units = round_half_up(Fraction(value) / (10**8 if c.kind == "oku_yen" else 1), c.places)
                assert Decimal(cell) == Decimal(units).scaleb(-c.places)
    headed = list(csv.reader(io.StringIO(report.to_csv(table, lang=lang))))  # type: ignore[arg-type]
    assert headed[0] == list(table.headings(lang))  # type: ignore[arg-type]


@given(data_tables())
def test_json_carries_exact_integers_and_rounded_rates(table: DataTable) -> None:
    data = json.loads(report.to_json(table))
    (t,) = data["tables"]
    assert [c["key"] for c in t["columns"]] == list(table.keys)
    for stored, row in zip(table.rows, t["rows"], strict=True):
        for value, c in zip(stored, table.columns, strict=True):
            got = row[c.key]
            if value is None:
                assert got is None
            elif c.kind in _INTS:
                assert got == value and isinstance(got, int)
            elif c.kind == "percent":
                assert Decimal(repr(got)) == _rate(value, c.places)  # the shortest float: no noise
            elif c.kind == "flag":
                assert got is value
            elif c.kind == "month":
                assert got == value.iso()


def test_json_of_a_held_rate_is_not_float_noise() -> None:
    cols = (Column("name", "市町村名", "Municipality", "name"), Column("rate", "削減率", "Reduction rate", "percent"),
            Column("price", "価格点", "Price", "points", decimals=1))
    t = DataTable(key="t", title="表", title_en="Table", columns=cols,
                  rows=[("射水市", 0.19999999999999996, 0.1 + 0.2), ("滑川市", Fraction(3, 10), 849.25)])
    text = report.to_json(t)
    assert "0.19999999999999996" not in text and "0.30000000000000004" not in text
    rows = json.loads(text)["tables"][0]["rows"]
    assert rows == [{"name": "射水市", "rate": 0.2, "price": 0.3}, {"name": "滑川市", "rate": 0.3, "price": 849.3}]
    assert report.to_csv(t, header="key").splitlines()[1:] == ["射水市,0.200,0.3", "滑川市,0.300,849.3"]


def test_cp932_names_the_cell_it_cannot_hold(tmp_path: Path) -> None:
    cols = (Column("code", "団体コード", "Code", "code"), Column("name", "市町村名", "Municipality", "name"))
    ok = DataTable(key="m", title="団体", title_en="Members", columns=cols, rows=[("162116", "射水市")])
    path = tmp_path / "m.csv"
    report.to_csv(ok, path, encoding="cp932")
    assert path.read_bytes().decode("cp932").startswith("団体コード (code),市町村名 (name)\r\n162116,射水市")
    bad = DataTable(key="m", title="団体", title_en="Members", columns=cols,
                    rows=[("162116", "射水市"), ("999999", "𠮷野町")])
    with pytest.raises(ValidationError, match=r"line 3 \(row 2\), column 'name' \(市町村名\).*U\+20BB7"):
        report.to_csv(bad, tmp_path / "bad.csv", encoding="cp932")
    assert not (tmp_path / "bad.csv").exists()
    report.to_csv(bad, tmp_path / "good.csv")
    assert (tmp_path / "good.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    with pytest.raises(ValidationError, match="encoding"):
        report.to_csv(ok, encoding="latin-1")
    with pytest.raises(ValidationError, match="header"):
        report.to_csv(ok, header="names")  # type: ignore[arg-type]
    with pytest.raises(OutputError, match="exists"):
        report.to_csv(ok, path)


def _check_workbook(path: Path) -> None:
    import openpyxl
    from openpyxl.utils import get_column_letter

    wb = openpyxl.load_workbook(path)
    for ws in wb:
        assert len(ws.title) <= 31
        header = 2
        assert ws.freeze_panes == "A3" and ws.print_title_rows == "$2:$2"
        assert ws.page_setup.orientation == "landscape" and ws.sheet_properties.pageSetUpPr.fitToPage
        ncols = sum(1 for c in ws[header] if c.value is not None)
        last = header
        for row in ws.iter_rows(min_row=header + 1):
            if all(c.value is None for c in row[1:ncols]) and isinstance(row[0].value, str) and \
                    row[0].value.startswith(("※", "Note")):
                break
            if all(c.value is None for c in row):
                break
            last = row[0].row
        for j in range(1, ncols + 1):
            col_width = ws.column_dimensions[get_column_letter(j)].width
            for i in range(header + 1, last + 1):
                cell = ws.cell(row=i, column=j)
                assert cell.data_type != "f"
                if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                    assert cell.number_format != "General", f"{ws.title}!{cell.coordinate}"
                if cell.value is not None:
                    assert col_width >= width(shown(cell.value, cell.number_format)) + 1, \
                        f"{ws.title}!{cell.coordinate} {shown(cell.value, cell.number_format)!r} in {col_width}"
            for word in str(ws.cell(row=header, column=j).value).split():
                assert col_width >= width(word), f"{ws.title} heading {word!r}"


@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(data_tables(max_rows=5), min_size=1, max_size=3))
def test_workbook_has_formats_widths_and_no_formula(tmp_path: Path, tables: list[DataTable]) -> None:
    pytest.importorskip("openpyxl")
    path = tmp_path / "t.xlsx"
    names = report.to_excel(tables, path, overwrite=True)
    assert len({n.casefold() for n in names}) == len(names)
    _check_workbook(path)


@given(st.lists(st.text("ab 費用按分xyz", min_size=1, max_size=40).filter(lambda s: s.strip()), min_size=1,
                max_size=5))
def test_sheet_names_are_whole_words_and_unique(titles: list[str]) -> None:
    tables = [DataTable(key=t, title=t, title_en=t, columns=(), rows=()) for t in titles]
    names = report.sheet_names(tables)
    assert len({n.casefold() for n in names}) == len(names)
    for name, t in zip(names, titles, strict=True):
        assert 0 < len(name) <= 31
        base = name.rsplit(" (", 1)[0] if name.endswith(")") and " (" in name else name
        words, source = base.split(), t.split()
        if len(source[0]) <= 25:  # room for a suffix: whole words only, never a cut one
            assert words and words == source[:len(words)]


def test_declared_sheet_names_are_used_and_never_cut(tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    cols = (Column("name", "市町村名", "Municipality", "name"), Column("share", "負担額", "Share", "yen", total=True))
    a = DataTable(key="allocation", title="費用按分", title_en="Cost allocation", columns=cols, rows=[("射水市", 5)],
                  sheet="費用按分", sheet_en="Cost allocation of the council", totals=True)
    assert report.sheet_names([a, a], "en") == ["Cost allocation of the council", "Cost allocation of the (2)"]
    assert report.to_excel([a, a], tmp_path / "a.xlsx") == ["費用按分", "費用按分 (2)"]


def test_every_format_of_a_declared_result() -> None:
    cols = (Column("code", "団体コード", "Code", "code"), Column("name", "市町村名", "Municipality", "name"),
            Column("share", "負担額", "Share", "yen", total=True),
            Column("rate", "削減率", "Reduction rate", "percent"), Column("start", "クラウド開始", "Cloud start", "month"),
            Column("capped", "上限適用", "Held at cap", "flag"))
    rows = [("162116", "射水市", 575_076_985, Fraction(3, 8), jc.Month(2015, 7), False),
            ("163210", "舟橋村", 77_000_000, Fraction(3, 10), jc.Month(2015, 4), True)]
    t = DataTable(key="allocation", title="費用按分", title_en="Cost allocation", columns=cols, rows=rows,
                  sheet="費用按分", sheet_en="Cost allocation", totals=True, notes=("按分の注記",), notes_en=("A note",))
    page = report.to_html(t)
    assert '<html lang="ja">' in page and "<title>費用按分</title>" in page and "@media print" in page
    assert '<td class="num">652,076,985</td>' in page and '<td class="name">射水市</td>' in page
    assert "H27.07" in page and "37.5%" in page and "○" in page
    en = report.to_html(t, lang="en")
    assert '<html lang="en">' in en and "Cost allocation" in en and "2015-07" in en and "Total" in en
    md = report.to_markdown(t)
    assert "| 団体コード (code) |" in md and "**652,076,985**" in md and "※ 按分の注記" in md
    text = report.to_text(t, lang="en")
    assert "Share" in text and "Note: A note" in text
    data = json.loads(report.to_json(t))
    assert data["title"] == "費用按分" and data["tables"][0]["total"] == {"share": 652_076_985}
    assert data["tables"][0]["rows"][0] == {"code": "162116", "name": "射水市", "share": 575_076_985, "rate": 0.375,
                                            "start": "2015-07", "capped": False}
    with pytest.raises(ValidationError, match="lang"):
        report.to_html(t, lang="fr")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="no declared tables"):
        report.to_csv(object())  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="table must be one of"):
        report.to_csv(t, table="nothing")


def test_workbook_of_a_declared_table(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    cols = (Column("code", "団体コード", "Code", "code"), Column("name", "市町村名", "Municipality", "name"),
            Column("share", "負担額", "Share", "yen", total=True), Column("oku", "負担額", "Share", "oku_yen", total=True),
            Column("rate", "削減率", "Reduction rate", "percent"), Column("start", "クラウド開始", "Cloud start", "month"),
            Column("price", "価格点", "Price", "points", decimals=1), Column("note", "備考", "Note", "text"))
    rows = [("162116", "射水市", 575_076_985, 575_076_985, Fraction(3, 8), jc.Month(2015, 7), 849.25, "=SUM(A1)"),
            ("163210", "舟橋村", 77_000_000, 77_000_000, Fraction(3, 10), jc.Month(2015, 4), 913.25, "")]
    t = DataTable(key="allocation", title="費用按分", title_en="Cost allocation", columns=cols, rows=rows,
                  sheet="費用按分", totals=True)
    path = tmp_path / "t.xlsx"
    assert report.to_excel(t, path) == ["費用按分"]
    _check_workbook(path)
    ws = openpyxl.load_workbook(path)["費用按分"]
    assert ws["A1"].value == "費用按分" and ws["A1"].font.b
    assert [c.value for c in ws[2]][:3] == ["団体コード (code)", "市町村名 (name)", "負担額 (share)"]
    assert ws["A2"].font.b and ws["A2"].alignment.wrap_text
    assert ws["A3"].value == "162116" and ws["A3"].data_type == "s"
    assert ws["C3"].value == 575_076_985 and ws["C3"].number_format == "#,##0"
    assert ws["D3"].value == pytest.approx(5.7) and ws["D3"].number_format == "#,##0.0"
    assert ws["E3"].value == 0.375 and ws["E3"].number_format == "0.0%"
    assert ws["F3"].value.year == 2015 and ws["F3"].value.month == 7 and ws["F3"].number_format == 'yyyy"年"m"月"'
    assert ws["G3"].number_format == "#,##0.0"
    assert ws["H3"].value == "'=SUM(A1)" and ws["H3"].data_type == "s"
    total = ws[5]
    assert total[0].value == "合計" and total[0].font.b and total[2].border.top.style == "medium"
    assert total[2].value == 652_076_985 and isinstance(total[2].value, int)
    assert total[3].value + 0 == pytest.approx(6.5) and ws["D3"].value + ws["D4"].value == pytest.approx(6.5)
    assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.fitToWidth == 1


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_command_line_writes_every_format_through_the_renderers(
        lang: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import argparse

    from jichitai_cloud.cli._common import write_result

    cols = (Column("code", "団体コード", "Code", "code"), Column("name", "市町村名", "Municipality", "name"),
            Column("share", "負担額", "Share", "yen", total=True), Column("rate", "削減率", "Reduction rate", "percent"))
    t = DataTable(key="allocation", title="費用按分", title_en="Cost allocation", columns=cols,
                  rows=[("162116", "射水市", 575_076_985, 0.1 + 0.2)], sheet="費用按分", sheet_en="Cost allocation",
                  totals=True)

    def run(fmt: str, output: Path | None = None) -> str:
        write_result(argparse.Namespace(format=fmt, output=None if output is None else str(output), lang=lang),
                     table=t)
        return capsys.readouterr().out

    page = run("html")
    assert f'<html lang="{lang}">' in page and ("費用按分" if lang == "ja" else "Cost allocation") in page
    assert run("csv").splitlines() == ["code,name,share,rate", "162116,射水市,575076985,0.300"]  # keys: for programs
    assert json.loads(run("json")) == [{"code": "162116", "name": "射水市", "share": 575_076_985, "rate": 0.3}]
    assert ("合計" if lang == "ja" else "Total") in run("table")
    assert "| **575,076,985** |" in run("markdown").replace("|  |", "|")
    out = tmp_path / "a.xlsx"
    assert "wrote" in run("xlsx", out)
    wb = pytest.importorskip("openpyxl").load_workbook(out)
    assert wb.sheetnames == ["費用按分" if lang == "ja" else "Cost allocation"]
    run("csv", tmp_path / "a.csv")
    assert (tmp_path / "a.csv").read_bytes().startswith(b"\xef\xbb\xbfcode,name")
