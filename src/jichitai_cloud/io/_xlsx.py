"""Member lists in Excel: the template a secretariat fills in, and its reader (openpyxl, the excel extra).

The reader reads the file's bytes through :func:`~jichitai_cloud.io._read.read_bytes` (a regular
file no larger than 100 MB, ``max_bytes=`` to change it: folders, devices and FIFOs are refused
before a byte is read), then opens them with ``openpyxl.load_workbook(read_only=True,
data_only=True)``: cells are read as the values Excel last stored, never as formulas, and nothing in
the file is executed.  A file that is not a readable workbook (random bytes, a damaged archive) is an
:class:`~jichitai_cloud.errors.InputError`.  Every problem names the file, the sheet, the row and
the column (letter and heading).
"""

from __future__ import annotations

import datetime as _dt
import io as _io
import os
import re
import zipfile
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError, JichitaiCloudError, Problem
from ._members import COUNCIL_SETTINGS, MEMBER_COLUMNS, _field_of, member_aliases, members_from_table
from ._read import read_bytes
from ._safe import put_cell, unescape_cell
from ._write import write_atomic_with
from .files import CsvTable

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Consortium, Municipality

__all__ = [
    "COUNCIL_SHEET",
    "INSTRUCTIONS_SHEET",
    "MEMBERS_SHEET",
    "read_member_workbook",
    "write_member_template",
]

PathLike = str | os.PathLike[str]

MEMBERS_SHEET = "参加団体 (members)"
"""The sheet with one row per member."""
COUNCIL_SHEET = "協議会 (council)"
"""The sheet with the council's own settings (name, evaluation period)."""
INSTRUCTIONS_SHEET = "説明 (instructions)"
"""The sheet explaining every column, with units and limits."""

_MEMBER_NAMES = ("参加団体", "参加市町村", "members", "構成団体")
_COUNCIL_NAMES = ("協議会", "council")
_INSTRUCTION_NAMES = ("説明", "instructions")


def _openpyxl() -> Any:
    try:
        import openpyxl
    except ImportError as exc:  # pragma: no cover - exercised only without openpyxl
        raise ImportError("Excel member lists need openpyxl, an optional extra: "
                          "pip install 'jichitai-cloud[excel]'") from exc
    return openpyxl


def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(column))


def _text(value: Any) -> str:
    """A cell's value as the text the CSV reader would have seen."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, _dt.datetime | _dt.date):
        return f"{value.year:04d}-{value.month:02d}"
    if isinstance(value, str):
        return unescape_cell(value.strip())
    raise TypeError(f"unsupported cell value {value!r} ({type(value).__name__})")


def _sheet_kind(name: str) -> str:
    low = name.lower()
    for kind, names in (("members", _MEMBER_NAMES), ("council", _COUNCIL_NAMES),
                        ("instructions", _INSTRUCTION_NAMES)):
        if any(n.lower() in low for n in names):
            return kind
    return ""


def _locate(problems: Iterable[Problem], letters: dict[str, str], headings: dict[str, str]) -> list[Problem]:
    """Add the column letter to each problem's place: ``column 'X'`` -> ``column C 'X'``.

    ``headings`` maps a field name to the heading that stands for it, for problems that name the
    field (a required cell left empty).
    """

    def column(m: re.Match[str]) -> str:
        name = m[1][1:-1]
        heading = headings.get(name, name)
        return f"column {letters.get(heading, '?')} {heading!r}"

    out = []
    for p in problems:
        where = re.sub(r"column ('(?:[^'\\]|\\.)*'|\"[^\"]*\")", column, p.where)
        message = p.message
        if message.startswith("missing"):
            message += "; the cell is empty (or holds a formula Excel has not calculated: type the value)"
        out.append(Problem(where, message))
    return out


def _table(ws: Any, source: str) -> tuple[CsvTable, dict[str, str]]:
    """A worksheet's header and rows as text, and each heading's column letter."""
    problems: list[Problem] = []
    header: tuple[str, ...] | None = None
    header_row = 0
    rows: list[tuple[int, dict[str, str]]] = []
    letters: dict[str, str] = {}
    for row_no, cells in enumerate(ws.iter_rows(values_only=True), start=1):
        texts: list[str] = []
        for col_no, value in enumerate(cells, start=1):
            try:
                texts.append(_text(value))
            except TypeError as exc:
                problems.append(Problem(f"row {row_no}, column {_letter(col_no)}", str(exc)))
                texts.append("")
        if not any(texts):
            continue
        if header is None:
            while texts and not texts[-1]:
                texts.pop()
            header, header_row = tuple(texts), row_no
            for j, h in enumerate(header, start=1):
                if not h:
                    problems.append(Problem(f"row {row_no}, column {_letter(j)}", "empty column heading"))
                letters.setdefault(h, _letter(j))
            dups = sorted({h for h in header if h and header.count(h) > 1})
            if dups:
                problems.append(Problem(f"row {row_no}", f"duplicate column headings {dups}"))
            continue
        extra = [j for j, t in enumerate(texts[len(header):], start=len(header) + 1) if t]
        if extra:
            problems.append(Problem(f"row {row_no}, column {_letter(extra[0])}",
                                    f"a value beyond the last heading (column {_letter(len(header))})"))
            continue
        rows.append((row_no, {h: (texts[j] if j < len(texts) else "") for j, h in enumerate(header)}))
    if header is None:
        problems.append(Problem("", "the sheet is empty: expected a heading row"))
    if problems:
        raise InputError(problems, source=source)
    assert header is not None
    del header_row
    return CsvTable(source=source, header=header, rows=tuple(rows)), letters


def _settings(ws: Any, source: str) -> dict[str, Any]:
    """The council sheet's item/value rows as ``{field: value}`` (blank values left out)."""
    fields = {c.field: c.field for c in COUNCIL_SETTINGS} | {c.ja: c.field for c in COUNCIL_SETTINGS}
    out: dict[str, Any] = {}
    problems: list[Problem] = []
    for row_no, cells in enumerate(ws.iter_rows(values_only=True, max_col=2), start=1):
        cells = (*cells, None, None)
        item, value = cells[0], cells[1]
        if row_no == 1 or item is None or (isinstance(item, str) and not item.strip()):
            continue  # the heading row, blank rows
        field = _field_of(str(item), fields)
        if field is None:
            problems.append(Problem(f"row {row_no}, column A",
                                    f"unknown item {item!r}; expected one of "
                                    f"{[c.heading for c in COUNCIL_SETTINGS]}"))
            continue
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        where = f"row {row_no}, column B ({field})"
        if field == "period_months":
            if isinstance(value, bool) or not isinstance(value, int | float | str):
                problems.append(Problem(where, f"must be a whole number of months, got {value!r}"))
                continue
            text = _text(value).replace(",", "")
            if not text.isdigit():
                problems.append(Problem(where, f"must be a whole number of months 1..1200, got {value!r}"))
                continue
            out[field] = int(text)
        elif field == "period_start":
            from ..calendar import Month
            from ..errors import ParseError

            try:
                out[field] = Month.parse(_text(value))
            except ParseError as exc:
                problems.append(Problem(where, str(exc)))
        else:
            out[field] = _text(value)
    if problems:
        raise InputError(problems, source=source)
    return out


_BROKEN = (OSError, EOFError, zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, KeyError, IndexError,
           ValueError, TypeError, AttributeError, SyntaxError, NotImplementedError, RecursionError)
"""What openpyxl (zipfile, the XML parser) raises on a damaged or hostile workbook.

``SyntaxError`` covers the XML parser's ``ParseError``; ``ValueError`` also openpyxl's own
``InvalidFileException``."""


def read_member_workbook(path: PathLike, *, max_bytes: int | None = None,
                         ) -> tuple[tuple[Municipality, ...], dict[str, Any]]:
    """Read the members (and the council's settings, if given) from an ``.xlsx`` workbook.

    The members sheet is the one named like ``参加団体`` / ``members`` (else the first sheet that is
    neither the council sheet nor the instructions); its first non-empty row holds the headings
    (see :func:`~jichitai_cloud.io.load_council` for the headings accepted).  The optional
    ``協議会 (council)`` sheet gives ``協議会名`` (name), ``評価期間開始`` (period_start) and
    ``評価期間月数`` (period_months) as item/value rows.

    Parameters
    ----------
    path
        The workbook (a regular file).
    max_bytes
        Largest file read (default 100 MB, :data:`~jichitai_cloud.io._read.MAX_FILE_BYTES`). [bytes]

    Returns
    -------
    tuple
        ``(members, settings)``: the members in row order and ``{field: value}`` of the council sheet.

    Raises
    ------
    InputError
        Every problem, located as ``FILE [sheet 'S']: row R, column C 'heading': …``; a file that is
        missing, not a regular file, too large or not a readable workbook.
    ImportError
        If openpyxl is not installed (``pip install 'jichitai-cloud[excel]'``).
    """
    openpyxl = _openpyxl()
    source = os.fspath(path)
    data = read_bytes(path, max_bytes=max_bytes, source=source)
    try:
        wb = openpyxl.load_workbook(_io.BytesIO(data), read_only=True, data_only=True)
    except MemoryError:
        raise InputError([Problem("", "not enough memory to open the workbook")], source=source) from None
    except _BROKEN as exc:
        raise InputError([Problem("", f"not an Excel workbook (.xlsx): {_reason(exc)}")], source=source) from None
    try:
        return _read_workbook(wb, source)
    except JichitaiCloudError:
        raise
    except MemoryError:
        raise InputError([Problem("", "not enough memory to read the workbook")], source=source) from None
    except _BROKEN as exc:  # sheets are parsed lazily, while their rows are read
        raise InputError([Problem("", f"a damaged Excel workbook (.xlsx): {_reason(exc)}")],
                         source=source) from None
    finally:
        wb.close()


def _reason(exc: BaseException) -> str:
    text = str(exc).replace("\n", " ").strip()
    return f"{type(exc).__name__}: {text:.200}" if text else type(exc).__name__


def _read_workbook(wb: Any, source: str) -> tuple[tuple[Municipality, ...], dict[str, Any]]:
    kinds = {name: _sheet_kind(name) for name in wb.sheetnames}
    members_name = next((n for n, k in kinds.items() if k == "members"), None)
    if members_name is None:
        members_name = next((n for n, k in kinds.items() if k == ""), None)
    if members_name is None:
        raise InputError([Problem("", f"no members sheet: expected a sheet named {MEMBERS_SHEET!r}; "
                                      f"the workbook has {wb.sheetnames}")], source=source)
    where = f"{source} [sheet '{members_name}']"
    table, letters = _table(wb[members_name], where)
    try:
        members = members_from_table(table)
    except InputError as exc:
        headings = {field: h for h, field in member_aliases(table.header).items()}
        raise InputError(_locate(exc.problems, letters, headings), source=where) from None
    settings: dict[str, Any] = {}
    council_name = next((n for n, k in kinds.items() if k == "council"), None)
    if council_name is not None:
        settings = _settings(wb[council_name], f"{source} [sheet '{council_name}']")
    return members, settings


# -- the template --------------------------------------------------------------------------------
_WIDTHS = {"code": 16, "name": 18, "population": 16, "current_cost": 20, "penalty": 16,
           "current_system_end": 26, "cloud_start": 20}
_NUMBER = {"population": "#,##0", "current_cost": "#,##0", "penalty": "#,##0"}
_BLANK_ROWS = 50


def _put(ws: Any, row: int, column: int, value: Any, *, number_format: str | None = None) -> Any:
    cell = ws.cell(row=row, column=column)
    put_cell(cell, value)
    if number_format is not None:
        cell.number_format = number_format
    return cell


def _member_values(m: Municipality) -> dict[str, Any]:
    return {
        "code": m.code, "name": m.name, "population": m.population, "current_cost": m.current_cost,
        "penalty": m.penalty,
        "current_system_end": m.current_system_end.era_short() if m.current_system_end else None,
        "cloud_start": m.cloud_start.era_short() if m.cloud_start else None,
        **{f"drivers.{k}": x for k, x in m.drivers.items()},
    }


def write_member_template(path: PathLike, *, council: Consortium | None = None, overwrite: bool = False) -> Path:
    """Write the workbook a secretariat fills in with its council's members.

    Three sheets: ``参加団体 (members)`` with the headings of
    :data:`~jichitai_cloud.io.MEMBER_COLUMNS` in Japanese with the field name beside
    (``人口 (population)``), yen and persons columns formatted ``#,##0`` and month columns as text;
    ``協議会 (council)`` with the council's name and evaluation period; ``説明 (instructions)``
    explaining every column with its unit, limits and an example.  No cell holds a formula.
    :func:`~jichitai_cloud.io.load_council` reads the filled workbook back.

    Parameters
    ----------
    path
        The ``.xlsx`` file to write.
    council
        Fill the sheets with this council's members and settings (default: empty rows).
    overwrite
        Replace an existing file (refused by default); the write is atomic.

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    OutputError
        The file exists (without ``overwrite``) or cannot be written.
    ImportError
        If openpyxl is not installed (``pip install 'jichitai-cloud[excel]'``).
    """
    openpyxl = _openpyxl()
    from openpyxl.styles import Alignment, Font, PatternFill

    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = MEMBERS_SHEET
    members = council.members if council is not None else ()
    drivers: list[str] = []
    for m in members:
        drivers += [k for k in m.drivers if k not in drivers]
    fields = [c.field for c in MEMBER_COLUMNS] + [f"drivers.{k}" for k in drivers]
    headings = [c.heading for c in MEMBER_COLUMNS] + [f"drivers.{k}" for k in drivers]
    for j, (field, heading) in enumerate(zip(fields, headings, strict=True), start=1):
        cell = _put(ws, 1, j, heading)
        cell.font, cell.fill = bold, fill
        ws.column_dimensions[_letter(j)].width = _WIDTHS.get(field, 16)
    for i in range(len(members) + _BLANK_ROWS):
        values = _member_values(members[i]) if i < len(members) else {}
        for j, field in enumerate(fields, start=1):
            fmt = _NUMBER.get(field, "General" if field.startswith("drivers.") else "@")
            _put(ws, i + 2, j, values.get(field), number_format=fmt)
    ws.freeze_panes = "A2"

    wc = wb.create_sheet(COUNCIL_SHEET)
    for j, h in enumerate(("項目 (item)", "値 (value)", "説明 (description)"), start=1):
        cell = _put(wc, 1, j, h)
        cell.font, cell.fill = bold, fill
    settings: dict[str, Any] = {}
    if council is not None:
        settings = {"name": council.name, "period_start": council.period_start.era_short(),
                    "period_months": council.period_months, "fee_period": council.fee_period}
    for i, s in enumerate(COUNCIL_SETTINGS, start=2):
        _put(wc, i, 1, s.heading)
        _put(wc, i, 2, settings.get(s.field), number_format="0" if s.field == "period_months" else "@")
        _put(wc, i, 3, s.description)
    for letter, width in (("A", 26), ("B", 40), ("C", 90)):
        wc.column_dimensions[letter].width = width

    wi = wb.create_sheet(INSTRUCTIONS_SHEET)
    intro = (
        "参加団体シートに1団体1行で記入してください。1行目の見出しは変更しないでください。",
        "Fill in one row per member on the members sheet; keep the headings of row 1.",
        "金額は円単位の整数、人口は人数の整数で記入します (桁区切りは書式で表示されます)。",
        "Money in whole yen, population in persons; thousands separators are only a display format.",
        "年月は H27.07、平成27年7月、2015-07 のいずれの表記でも構いません。",
        "Months in any of H27.07, 平成27年7月, 2015-07. Formulas are not evaluated: type values.",
    )
    for i, line in enumerate(intro, start=1):
        _put(wi, i, 1, line)
    top = len(intro) + 2
    for j, h in enumerate(("列 (column)", "必須 (required)", "単位 (unit)", "説明 (description)", "例 (example)"),
                          start=1):
        cell = _put(wi, top, j, h)
        cell.font, cell.fill = bold, fill
    for i, col in enumerate((*MEMBER_COLUMNS, *COUNCIL_SETTINGS), start=top + 1):
        for j, value in enumerate((col.heading, "必須 required" if col.required else "任意 optional",
                                   col.unit, col.description, col.example), start=1):
            cell = _put(wi, i, j, value)
            cell.alignment = Alignment(wrap_text=j == 4, vertical="top")
    for letter, width in (("A", 30), ("B", 16), ("C", 16), ("D", 90), ("E", 36)):
        wi.column_dimensions[letter].width = width
    return write_atomic_with(path, lambda tmp: wb.save(os.fspath(tmp)), overwrite=overwrite)
