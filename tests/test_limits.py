"""Every limit of reading tables answers in time, at its edge (issue 19, items 1 and 4).

Each case runs a documented limit at its edge (the largest input inside it, or the smallest
hostile input past it) and fails past ``20 s × machine factor``; the factor is measured in the same
run by timing a fixed Python and numpy workload against its time on a quiet 2-core machine
(:data:`QUIET_SECONDS`), so a loaded machine does not fail the test and a slow reader still does.
The hostile workbooks are written part by part with :mod:`zipfile` (streamed repeated XML), once
per session.  The biggest cases run with ``JC_LIMITS_LONG=1`` (or ``HYPOTHESIS_PROFILE=long``)::

    JC_LIMITS_LONG=1 python -m pytest tests/test_limits.py
"""

from __future__ import annotations

import io as _io
import os
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from jichitai_cloud import cli, io
from jichitai_cloud.errors import InputError
from jichitai_cloud.io._members import MAX_MEMBERS
from jichitai_cloud.io._read import MAX_CELL_CHARS, MAX_ROWS

LONG = bool(os.environ.get("JC_LIMITS_LONG")) or os.environ.get("HYPOTHESIS_PROFILE") in ("long", "fuzz")
long_only = pytest.mark.skipif(not LONG, reason="a big limit case: JC_LIMITS_LONG=1 runs it")

BUDGET = 20.0
"""Seconds every limit must answer in on a quiet 2-core machine. [s]"""
HOSTILE_BUDGET = 5.0
"""Seconds a hostile workbook (bomb, empty rows, shared strings) may take to be refused. [s]"""
QUIET_SECONDS = 0.30
"""Time of :func:`_workload` on a quiet 2-core machine (measured with nothing else running). [s]"""


def _workload() -> float:
    t = time.perf_counter()
    s = 0
    for i in range(2_000_000):
        s += i * i % 7
    np.random.default_rng(0).random(2_000_000).sort()
    return time.perf_counter() - t


@pytest.fixture(scope="session")
def factor() -> float:
    """How much slower this machine is right now than a quiet one (at least 1)."""
    return max(1.0, min(_workload(), _workload()) / QUIET_SECONDS)


def timed(call: Callable[[], Any]) -> tuple[float, Any]:
    t = time.perf_counter()
    try:
        out: Any = call()
    except InputError as exc:
        out = exc
    return time.perf_counter() - t, out


# -- hostile workbooks, written part by part ---------------------------------------------------------------

def _base_parts() -> dict[str, bytes]:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "参加団体 (members)"
    wb.active.append(["団体コード (code)", "市町村名 (name)"])
    buf = _io.BytesIO()
    wb.save(buf)
    with zipfile.ZipFile(buf) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def _workbook(path: Path, part: str, pieces: Iterator[bytes], level: int = 9) -> Path:
    parts = _base_parts()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        for name, data in parts.items():
            if name != part:
                z.writestr(name, data)
        with z.open(part, "w", force_zip64=True) as f:
            for piece in pieces:
                f.write(piece)
    return path


def _repeat(head: bytes, block: bytes, total: int, tail: bytes) -> Iterator[bytes]:
    yield head
    chunk = block * max(1, (1 << 20) // len(block))
    for _ in range(0, total, len(chunk) // len(block)):
        yield chunk
    yield tail


@pytest.fixture(scope="session")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    sheet = "xl/worksheets/sheet1.xml"
    head = b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    tail = b"</sheetData></worksheet>"
    expand = 400 * 10**6 if LONG else 120 * 10**6  # above the 100 MB limit either way
    row = b'<row r="2"><c r="A2" t="inlineStr"><is><t>x</t></is></c></row>'
    return {
        "bomb": _workbook(folder / "bomb.xlsx", sheet, _repeat(head, row, expand // len(row), tail), level=1),
        "empty_rows": _workbook(folder / "rows.xlsx", sheet, _repeat(head, b'<row r="9"/>', 1_048_576, tail)),
        "strings": _workbook(folder / "strings.xlsx", "xl/sharedStrings.xml", _repeat(
            b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">',
            b"<si><t/></si>", 2_000_000, b"</sst>")),
    }


@pytest.mark.parametrize(("case", "message"), [
    ("bomb", "expands to"),
    ("empty_rows", f"more than {MAX_MEMBERS:,} member rows"),
    ("strings", "shared strings"),
])
def test_hostile_workbooks_end_in_one_line_within_5_seconds(hostile: dict[str, Path], factor: float, case: str,
                                                            message: str) -> None:
    seconds, out = timed(lambda: io.load_council(hostile[case]))
    assert isinstance(out, InputError) and len(out.problems) == 1 and message in str(out), out
    assert seconds < HOSTILE_BUDGET * factor, f"{case}: {seconds:.1f} s (factor {factor:.1f})"
    if case != "bomb":  # read_table's own limit (1,000,000 rows) refuses the same files as fast
        seconds, out = timed(lambda: io.read_table(hostile[case]))
        assert isinstance(out, InputError) and len(out.problems) == 1, out
        assert seconds < HOSTILE_BUDGET * factor


def test_a_cell_longer_than_excels_limit_is_an_error_in_csv_and_xlsx(tmp_path: Path) -> None:
    import openpyxl

    long = "x" * (MAX_CELL_CHARS + 1)
    (tmp_path / "t.csv").write_text(f"a,b\n1,{long}\n2,{long[:-1]}\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        io.read_table(tmp_path / "t.csv")
    assert [str(p) for p in info.value.problems] == [
        "row 2, column 2: a cell of 32,768 characters; a cell holds at most 32,767 (Excel's limit)"]
    wb = openpyxl.Workbook()
    wb.active.append(["a", "b"])
    wb.active.append([1, "LONGCELL"])  # openpyxl cuts what it writes at 32,767: put the long text in the XML
    wb.save(tmp_path / "w.xlsx")
    with zipfile.ZipFile(tmp_path / "w.xlsx") as z, zipfile.ZipFile(tmp_path / "t.xlsx", "w") as out:
        for info in z.infolist():
            out.writestr(info.filename, z.read(info).replace(b"LONGCELL", long.encode()))
    with pytest.raises(InputError, match=r"row 2, column B: a cell of 32,768 characters"):
        io.read_table(tmp_path / "t.xlsx")


# -- the row limits, at their edge --------------------------------------------------------------------------

def _member_csv(path: Path, n: int) -> Path:
    with open(path, "w", encoding="utf-8") as f:
        f.write("code,name,population,current_cost,cloud_start\n")
        f.writelines(f"A{i},町{i},{1000 + i},{10**6 + i},2015-04\n" for i in range(n))
    return path


def test_member_csv_at_its_limit_answers_in_time(tmp_path: Path, factor: float) -> None:
    path = _member_csv(tmp_path / "m.csv", MAX_MEMBERS)
    seconds, council = timed(lambda: io.load_council(path))
    assert len(council.members) == MAX_MEMBERS
    assert seconds < BUDGET * factor, f"{seconds:.1f} s (factor {factor:.1f})"
    with open(path, "a", encoding="utf-8") as f:
        f.write("Z1,乙,1,1,2015-04\n")
    seconds, out = timed(lambda: io.load_council(path))
    assert isinstance(out, InputError) and f"more than {MAX_MEMBERS:,} member rows" in str(out)


@long_only
def test_member_workbook_at_its_limit_answers_in_time(tmp_path: Path, factor: float) -> None:
    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("参加団体 (members)")
    ws.append(["団体コード (code)", "市町村名 (name)", "人口 (population)", "現行経費 (current_cost)",
               "クラウド開始 (cloud_start)"])
    for i in range(MAX_MEMBERS):
        ws.append([f"A{i}", f"町{i}", 1000 + i, 10**6 + i, "2015-04"])
    wb.save(tmp_path / "m.xlsx")
    seconds, council = timed(lambda: io.load_council(tmp_path / "m.xlsx"))
    assert len(council.members) == MAX_MEMBERS
    assert seconds < BUDGET * factor, f"{seconds:.1f} s (factor {factor:.1f})"


@long_only
def test_csv_table_at_its_row_limit_answers_in_time(tmp_path: Path, factor: float) -> None:
    path = tmp_path / "t.csv"
    with open(path, "w", encoding="utf-8") as f:
        f.write("a,b,c,d,e\n")
        f.writelines(f"{i},x{i},{i * 3},2015-04,y\n" for i in range(MAX_ROWS))
    seconds, table = timed(lambda: io.read_table(path))
    assert len(table.rows) == MAX_ROWS
    assert seconds < BUDGET * factor, f"{seconds:.1f} s (factor {factor:.1f})"


def test_wide_header_is_linear(tmp_path: Path, factor: float) -> None:
    """A heading row of 200,000 columns (duplicate headings were counted quadratically)."""
    path = tmp_path / "wide.csv"
    path.write_text(",".join(f"h{j}" for j in range(200_000)) + ",h7\n" + "1\n", encoding="utf-8")
    seconds, out = timed(lambda: io.read_table(path))
    assert isinstance(out, InputError) and "duplicate column names ['h7']" in str(out)
    assert seconds < BUDGET * factor


def test_council_report_with_charts_for_1000_members(tmp_path: Path, factor: float,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("matplotlib")
    path = _member_csv(tmp_path / "k.csv", 1000)
    t = time.perf_counter()
    code = cli.main(["report", str(path), "--total", "1000000000", "--output", str(tmp_path / "r.html")])
    seconds = time.perf_counter() - t
    capsys.readouterr()
    assert code == 0 and (tmp_path / "r.html").stat().st_size > 0
    assert seconds < BUDGET * factor, f"{seconds:.1f} s (factor {factor:.1f})"
