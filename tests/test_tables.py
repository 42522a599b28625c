"""io.read_table (CSV and xlsx, cells keeping their types), the member list schema on it, and io.load
accepting every format of a kind (issue 18, item 6)."""

from __future__ import annotations

import datetime as dt
import math
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import jichitai_cloud as jc
from jichitai_cloud import io
from jichitai_cloud.errors import InputError, JichitaiCloudError
from jichitai_cloud.testing import strategies as js

openpyxl = pytest.importorskip("openpyxl")

_HEADINGS = ["団体コード (code)", "市町村名 (name)", "人口 (population)", "現行経費 (current_cost)", "クラウド開始 (cloud_start)"]


def _workbook(path: Path, rows: list[list[Any]], *, title: str = "参加団体 (members)",
              council: list[list[Any]] | None = None, first: str | None = None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    if first is not None:
        ws.title = first
        ws.append(["x"])
        ws = wb.create_sheet(title)
    else:
        ws.title = title
    for row in rows:
        ws.append(row)
    if council is not None:
        wc = wb.create_sheet("協議会 (council)")
        for row in council:
            wc.append(row)
    wb.save(path)
    return path


def test_read_table_keeps_excel_cell_types(tmp_path: Path) -> None:
    when = dt.datetime(2015, 4, 1)
    path = _workbook(tmp_path / "t.xlsx", [["code", "n", "x", "day", "flag", "text"],
                                           [162019, 413938, 1.25, when, True, "  富山市 "],
                                           [None, None, None, None, None, None],
                                           ["A", 12345.0, "540,000,000", None, False, "'=1+1"]])
    table = io.read_table(path)
    assert isinstance(table, io.Table)
    assert (table.path, table.sheet, table.header_row) == (str(path), "参加団体 (members)", 1)
    assert table.source == f"{path} [sheet '参加団体 (members)']"
    assert table.header == ("code", "n", "x", "day", "flag", "text")
    (r2, first), (r4, second) = table.rows
    assert (r2, r4) == (2, 4)  # the blank row 3 is skipped, the numbers are the file's
    assert first == {"code": 162019, "n": 413938, "x": 1.25, "day": when, "flag": True, "text": "富山市"}
    assert type(first["n"]) is int and type(first["x"]) is float
    assert second == {"code": "A", "n": 12345.0, "x": "540,000,000", "day": None, "flag": False, "text": "=1+1"}
    assert table.column("x") == "C 'x'"


def test_read_table_csv_cells_are_text_in_every_encoding(tmp_path: Path) -> None:
    text = "団体コード,人口,現行経費\r\n162019,\"413,938\",540000000\r\n\r\nA,1,\r\n"
    for encoding in ("utf-8", "utf-8-sig", "cp932"):
        path = tmp_path / f"m-{encoding}.csv"
        path.write_bytes(text.encode(encoding))
        table = io.read_table(path)
        assert (table.sheet, table.source, table.header) == (None, str(path), ("団体コード", "人口", "現行経費"))
        assert table.rows == ((2, {"団体コード": "162019", "人口": "413,938", "現行経費": "540000000"}),
                              (4, {"団体コード": "A", "人口": "1", "現行経費": ""}))
        assert table.column("人口") == "'人口'"
    assert io.read_table(tmp_path / "m-cp932.csv", encoding="cp932").rows == table.rows
    assert io.CsvTable is io.Table


def test_read_table_chooses_a_sheet(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "t.xlsx", [["a"], [1]], title="data", first="cover")
    assert io.read_table(path).sheet == "cover"
    assert io.read_table(path, sheet="data").rows == ((2, {"a": 1}),)
    assert io.read_table(path, sheet=1).sheet == "data"
    assert io.read_table(path, sheet=lambda names: names[-1]).sheet == "data"
    with pytest.raises(InputError, match=r"no sheet 'nope'; the workbook has \['cover', 'data'\]"):
        io.read_table(path, sheet="nope")
    with pytest.raises(InputError, match="no sheet at position 5"):
        io.read_table(path, sheet=5)
    with pytest.raises(InputError, match=r"unknown file type '\.txt'"):
        io.read_table(tmp_path / "t.txt")
    assert io.read_table(path, format="xlsx", max_rows=1).sheet == "cover"


def test_read_table_errors_name_file_sheet_row_and_column(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "t.xlsx", [["a", "", "a"], [1, 2, 3, 4]])
    with pytest.raises(InputError) as info:
        io.read_table(path)
    text = str(info.value)
    assert f"{path} [sheet '参加団体 (members)']" in text
    assert "row 1, column B: empty column heading" in text and "row 1: duplicate column headings ['a']" in text
    assert "row 2, column D: a value beyond the last heading (column C)" in text
    path = _workbook(tmp_path / "many.xlsx", [["a"], [1], [2], [3]])
    with pytest.raises(InputError, match=r"sheet part 'xl/worksheets/sheet1.xml': more than 2 rows"):
        io.read_table(path, max_rows=2)
    (tmp_path / "bad.xlsx").write_bytes(b"PK\x03\x04 not a zip")
    with pytest.raises(InputError, match="not an Excel workbook"):
        io.read_table(tmp_path / "bad.xlsx")


def _members_rows(population: Any = 413938, cost: Any = 540_000_000) -> list[list[Any]]:
    return [_HEADINGS, [162019, "富山市", population, cost, "H27.04"], ["162027", "高岡市", 171000, 300_000_000, None]]


def test_excel_numbers_reach_the_member_schema_as_numbers(tmp_path: Path) -> None:
    council = io.load(_workbook(tmp_path / "m.xlsx", _members_rows(population=12345.0, cost=540_000_000.0)))
    assert isinstance(council, jc.Consortium)
    m = council.members[0]
    assert (m.code, m.population, m.current_cost) == ("162019", 12345, 540_000_000)
    assert type(m.population) is int and type(m.current_cost) is int
    with pytest.raises(InputError) as info:
        io.load(_workbook(tmp_path / "bad.xlsx", _members_rows(population=12345.5, cost=True)))
    text = str(info.value)
    assert "bad.xlsx [sheet '参加団体 (members)']" in text
    assert "row 2, column C '人口 (population)': must be an integer, got 12345.5" in text
    assert "row 2, column D '現行経費 (current_cost)': must be an integer, got True" in text


def test_a_cell_is_read_for_its_field_type() -> None:
    from decimal import Decimal

    from jichitai_cloud.io._schema import cell_value

    assert cell_value(12345.0, int) == 12345 and type(cell_value(12345.0, int)) is int
    assert cell_value(Decimal("540000000"), int) == 540_000_000
    assert cell_value("540,000,000", int) == 540_000_000
    for bad in (12345.5, float("nan"), float("inf"), True, dt.datetime(2015, 4, 1), Decimal("1.5")):
        with pytest.raises(jc.errors.ValidationError, match="must be an integer"):
            cell_value(bad, int)
    assert cell_value(162019, str) == "162019" and cell_value(162019.0, str) == "162019"
    assert cell_value(1.5, float) == 1.5 and cell_value(2.0, float) == 2
    assert cell_value(None, int | None) is None and cell_value("", jc.Month | None) is None
    assert cell_value(dt.datetime(2015, 4, 1), jc.Month) == dt.datetime(2015, 4, 1)  # the converter reads it
    assert cell_value(1, bool) is True and cell_value("○", bool) is True
    with pytest.raises(jc.errors.ValidationError, match="true or false"):
        cell_value(2, bool)


def test_a_yen_amount_as_text_is_parsed_by_the_schema(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text("団体コード,市町村名,人口,現行経費,クラウド開始\n162019,富山市,\"413,938\",\"540,000,000\",H27.04\n",
                    encoding="utf-8")
    (m,) = io.load(path).members
    assert (m.population, m.current_cost) == (413938, 540_000_000)
    path.write_text("団体コード,市町村名,人口,現行経費,クラウド開始\n162019,富山市,1,\"5,40,000\",H27.04\n",
                    encoding="utf-8")
    with pytest.raises(InputError, match=r"(?s)m\.csv: 1 problem.*row 2, column '現行経費': must be an integer, got '5,40,000'"):
        io.load(path)


def test_io_load_gives_a_council_for_every_format_of_a_member_list(tmp_path: Path) -> None:
    toyama = jc.examples.toyama()
    xlsx = tmp_path / "members.xlsx"
    io.write_member_template(xlsx, council=toyama)
    csv = tmp_path / "members.csv"
    io.save(toyama, csv)
    toml = tmp_path / "council.toml"
    io.save(toyama, toml)
    from_xlsx, from_csv, from_toml = io.load(xlsx), io.load(csv), io.load(toml)
    assert all(isinstance(c, jc.Consortium) for c in (from_xlsx, from_csv, from_toml))
    assert from_xlsx == io.load_council(xlsx) and from_csv == io.load_council(csv) and from_toml == toyama
    assert from_xlsx.members == from_csv.members == toyama.members
    assert (from_xlsx.name, from_xlsx.fee_period) == (toyama.name, toyama.fee_period)  # from the 協議会 sheet
    assert from_csv.name == "members" and from_csv.period_start == toyama.period_start
    with pytest.raises(InputError, match=r"unknown file type '\.xlsx': expected \.toml, \.json for Procurement"):
        io.load(xlsx, jc.Procurement)


def test_io_load_reads_a_register_from_csv(tmp_path: Path) -> None:
    path = tmp_path / "requests.csv"
    path.write_text("id,title,requesters,adopters,quote_1,quote_2\n1,帳票追加,A;B,A,100,150\n", encoding="utf-8")
    got = io.load(path, jc.CustomizationRegister)
    assert isinstance(got, jc.CustomizationRegister) and got.members == ("A", "B")
    assert got == io.read_requests_csv(path)


def test_council_sheet_settings_with_typed_cells(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "m.xlsx", _members_rows(),
                     council=[["項目 (item)", "値 (value)"], ["協議会名", "県協議会"],
                              ["評価期間開始", dt.datetime(2016, 4, 1)], ["評価期間月数", 48.0]])
    council = io.load(path)
    assert (council.name, council.period_start, council.period_months) == ("県協議会", jc.Month(2016, 4), 48)
    path = _workbook(tmp_path / "bad.xlsx", _members_rows(),
                     council=[["項目 (item)", "値 (value)"], ["評価期間月数", 48.5]])
    with pytest.raises(InputError, match=r"(?s)\[sheet '協議会 \(council\)'\]: .*row 2, column B \(period_months\): must be a "
                                         r"whole number of months 1\.\.1200, got 48\.5"):
        io.load(path)
    path = _workbook(tmp_path / "nohead.xlsx", _members_rows(), council=[["協議会名", "x"]])
    with pytest.raises(InputError, match="the first row must hold the headings"):
        io.load(path)


_FUZZ = settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)


@_FUZZ
@given(rows=st.lists(st.lists(js.cell_values(), min_size=1, max_size=5), min_size=1, max_size=5))
def test_hostile_workbook_cells_through_read_table(rows: list[list[Any]]) -> None:
    """Any cells: a table whose cells are what was stored (numbers stay numbers), or an InputError
    naming the file."""
    from openpyxl.utils.exceptions import IllegalCharacterError

    wb = openpyxl.Workbook()
    ws = wb.active
    stored: list[list[Any]] = []
    for row in rows:
        try:
            openpyxl.Workbook().active.append(row)  # a scratch sheet: append may fail half way
        except (IllegalCharacterError, ValueError, TypeError):
            continue  # openpyxl cannot store it: not a workbook anyone can hand in
        ws.append(row)
        stored.append(row)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "hostile.xlsx"
        try:
            wb.save(path)
        except (ValueError, TypeError):
            return
        try:
            table = io.read_table(path)
        except JichitaiCloudError as exc:
            refused: JichitaiCloudError | None = exc
        else:
            refused = None
    if refused is not None:
        assert isinstance(refused, InputError) and str(path) in str(refused)
        return
    for _, cells in table.rows:
        for value in cells.values():
            assert value is None or isinstance(value, str | int | float | bool | dt.datetime | dt.date | dt.time)
            if isinstance(value, str):
                assert value == value.strip() and value
    numbers = [x for row in stored for x in row if isinstance(x, int | float) and not isinstance(x, bool)]
    read = [x for _, cells in table.rows for x in cells.values() if isinstance(x, int | float)
            and not isinstance(x, bool)]
    for x in read:  # every number read was stored as a number (never text turned into a number); the
        # file keeps 16 significant digits, so the largest floats come back infinite
        assert any(x == y or (isinstance(x, float) and (math.isclose(x, float(y), rel_tol=1e-14) or (
            math.isinf(x) and abs(float(y)) > 1.79e308))) for y in numbers)


@_FUZZ
@given(rows=st.lists(st.lists(st.text(max_size=12), min_size=1, max_size=4), min_size=1, max_size=6))
def test_hostile_csv_text_through_read_table(rows: list[list[str]]) -> None:
    text = io.write_csv(None, rows[0], rows[1:])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "hostile.csv"
        path.write_text(text, encoding="utf-8")
        try:
            table = io.read_table(path)
        except JichitaiCloudError as exc:
            refused: JichitaiCloudError | None = exc
        else:
            refused = None
            assert table == io.read_csv(path)  # one CSV reader, whichever face is called
    if refused is not None:
        assert isinstance(refused, InputError) and str(path) in str(refused)
        return
    assert all(isinstance(v, str) for _, cells in table.rows for v in cells.values())
