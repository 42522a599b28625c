"""Excel workbooks (.xlsx) opened with openpyxl, read-only, cells keeping their types.

Only :mod:`jichitai_cloud.io._table` calls this module (:func:`~jichitai_cloud.io.read_table` is
the one way a workbook is read), so every limit on workbooks lives here.  The bytes come from
:func:`~jichitai_cloud.io._read.read_bytes` (a regular file, at most ``max_bytes``).  Before
openpyxl sees them, :func:`check_archive` reads the zip directory and counts, without parsing:
every part's uncompressed size (and their sum) must stay within ``max_bytes`` too (a 410 KB
workbook that expands to 400 MB is refused at once), a sheet may hold at most ``max_rows`` rows
and :data:`~jichitai_cloud.io._read.MAX_CELLS` cells, the shared strings at most as many entries.
They are then opened with ``openpyxl.load_workbook(read_only=True, data_only=True)``: cells are the
values Excel last stored, never formulas, and nothing in the file is executed.  The stored sheet
size (``<dimension>``) is never trusted (``reset_dimensions``): every row and column the sheet holds
is read.  Sheets the user cannot see (hidden, very hidden) are offered to the caller separately,
and read only when named.  A number stays an ``int`` or ``float``, a date a ``datetime``, a text a
``str`` (stripped, formula escape undone, at most 32,767 characters); an empty cell is ``None``.
A file that is not a readable workbook is an :class:`~jichitai_cloud.errors.InputError`.
"""

from __future__ import annotations

import datetime as _dt
import io as _io
import re
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

import attrs

from ..errors import InputError, JichitaiCloudError, Problem
from ._csv import Grid
from ._read import MAX_CELL_CHARS, MAX_CELLS
from ._safe import unescape_cell

__all__ = ["SheetIndex", "check_archive", "check_sheet", "column_letter", "read_sheets"]

_BROKEN = (OSError, EOFError, zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, KeyError, IndexError,
           ValueError, TypeError, AttributeError, SyntaxError, NotImplementedError, RecursionError)
"""What openpyxl (zipfile, the XML parser) raises on a damaged or hostile workbook.

``SyntaxError`` covers the XML parser's ``ParseError``; ``ValueError`` also openpyxl's own
``InvalidFileException``."""

_TYPED = (str, bool, int, float, Decimal, _dt.datetime, _dt.date, _dt.time, _dt.timedelta)
"""The cell values a workbook may hold (openpyxl's types)."""


def column_letter(column: int) -> str:
    """The spreadsheet letter of a 1-based column number (1 -> ``A``, 28 -> ``AB``)."""
    out = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        out = chr(65 + rest) + out
    return out


def _openpyxl() -> Any:
    try:
        import openpyxl
    except ImportError as exc:  # pragma: no cover - exercised only without openpyxl
        raise ImportError("Excel files need openpyxl, an optional extra: pip install 'jichitai-cloud[excel]'") from exc
    return openpyxl


def _reason(exc: BaseException) -> str:
    text = str(exc).replace("\n", " ").strip()
    return f"{type(exc).__name__}: {text:.200}" if text else type(exc).__name__


def _heading(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return unescape_cell(str(value).strip())


_SHEET_PART = re.compile(r"^xl/worksheets/[^/]+\.xml$", re.IGNORECASE)
_STRINGS_PART = re.compile(r"^xl/sharedstrings\.xml$", re.IGNORECASE)
_ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
_STRING = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s/>]")
_CHUNK = 1 << 20


def _plain(patterns: Sequence[re.Pattern[bytes]]) -> list[tuple[bytes, ...]]:
    """The un-prefixed spellings each tag pattern matches: ``<row ``, ``<row>``, ``<row/`` and the other blanks."""
    names = {_ROW: b"row", _CELL: b"c", _STRING: b"si"}
    return [tuple(b"<" + names[p] + end for end in (b" ", b">", b"/", b"\t", b"\n", b"\r")) for p in patterns]


def _count(zf: zipfile.ZipFile, info: zipfile.ZipInfo, patterns: Sequence[re.Pattern[bytes]],
           limits: Sequence[int]) -> list[int]:
    """How often each tag pattern occurs in a part, streamed; stops once a count passes its limit."""
    counts = [0] * len(patterns)
    carry = b""
    with zf.open(info) as f:
        while True:
            chunk = f.read(_CHUNK)
            buf = carry + chunk
            if not chunk:
                scan, carry = buf, b""
            else:
                k = buf.rfind(b"<")
                # keep an unfinished tag (a short tail after the last '<') for the next chunk
                scan, carry = (buf[:k], buf[k:]) if k >= 0 and len(buf) - k < 64 else (buf, b"")
            for j, (pattern, plain) in enumerate(zip(patterns, _plain(patterns), strict=True)):
                if b":" in scan:  # a namespace prefix somewhere (<x:row>): the pattern, slower
                    counts[j] += len(pattern.findall(scan))
                else:  # the usual file: bytes.count, at memory speed
                    counts[j] += sum(scan.count(tag) for tag in plain)
            if not chunk or any(c > lim for c, lim in zip(counts, limits, strict=True)):
                return counts


def check_archive(data: bytes, *, source: str, max_bytes: int, max_rows: int, max_cells: int = MAX_CELLS) -> None:
    """Refuse a workbook past its limits from the zip directory and a count of tags, before parsing.

    Every sheet is counted by :func:`check_sheet` (openpyxl parses a sheet without a
    ``<dimension>`` tag in full just to open the workbook, so this must come first).

    Raises
    ------
    InputError
        A part (or all of them together) larger than ``max_bytes`` once uncompressed, a sheet past
        :func:`check_sheet`'s limits, more than ``max_cells`` shared strings; a file that is not a
        zip archive or a damaged one.
    """
    try:
        zf = zipfile.ZipFile(_io.BytesIO(data))
    except _BROKEN as exc:
        raise InputError([Problem("", f"not an Excel workbook (.xlsx): {_reason(exc)}")], source=source) from None
    with zf:
        infos = zf.infolist()
        total = 0
        for info in infos:
            total += info.file_size
            if info.file_size > max_bytes:
                raise InputError([Problem(f"part {info.filename!r}",
                                          f"expands to {info.file_size:,} bytes, above the limit of {max_bytes:,} "
                                          "bytes (a workbook is limited like any file, uncompressed too); pass "
                                          "max_bytes= to read larger files")], source=source)
        if total > max_bytes:
            raise InputError([Problem("", f"the workbook expands to {total:,} bytes, above the limit of {max_bytes:,} "
                                          "bytes; pass max_bytes= to read larger files")], source=source)
        try:
            for info in infos:
                if _SHEET_PART.match(info.filename):  # openpyxl parses a whole sheet to size it: count first
                    check_sheet(zf, info.filename, source=source, max_rows=max_rows, max_cells=max_cells,
                                where=f"sheet part {info.filename!r}")
                elif _STRINGS_PART.match(info.filename):
                    (strings,) = _count(zf, info, (_STRING,), (max_cells,))
                    if strings > max_cells:
                        raise InputError([Problem(f"part {info.filename!r}",
                                                  f"more than {max_cells:,} shared strings")], source=source)
        except JichitaiCloudError:
            raise
        except MemoryError:
            raise InputError([Problem("", "not enough memory to open the workbook")], source=source) from None
        except _BROKEN as exc:
            raise InputError([Problem("", f"a damaged Excel workbook (.xlsx): {_reason(exc)}")],
                             source=source) from None


def check_sheet(zf: zipfile.ZipFile, part: str, *, source: str, max_rows: int, max_cells: int = MAX_CELLS,
                where: str = "") -> None:
    """Refuse a sheet with more than ``max_rows`` rows after its heading or ``max_cells`` cells, before parsing.

    Rows are ``<row>`` elements (empty rows Excel keeps count too), cells ``<c>`` elements; the
    count streams the part and stops at the limit, so a sheet of a million empty rows is refused
    in a fraction of a second.
    """
    rows, cells = _count(zf, zf.getinfo(part), (_ROW, _CELL), (max_rows + 1, max_cells))
    if rows > max_rows + 1:
        raise InputError([Problem(where, f"more than {max_rows:,} rows (empty rows the sheet keeps count too); "
                                      "pass max_rows= to read larger tables")], source=source)
    if cells > max_cells:
        raise InputError([Problem(where, f"more than {max_cells:,} cells in one sheet, the limit of a sheet "
                                      "(io._read.MAX_CELLS)")], source=source)


def _too_long(row_no: int, col_no: int, length: int) -> Problem:
    return Problem(f"row {row_no}, column {column_letter(col_no)}",
                   f"a cell of {length:,} characters; a cell holds at most {MAX_CELL_CHARS:,} (Excel's limit)")


def _grid(ws: Any, source: str, max_rows: int) -> Grid:
    """A worksheet's heading row and rows, cells typed."""
    problems: list[Problem] = []
    header: tuple[str, ...] | None = None
    header_row = 0
    rows: list[tuple[int, dict[str, object]]] = []
    for row_no, cells in enumerate(ws.iter_rows(values_only=True), start=1):
        values: list[object] = []
        for col_no, value in enumerate(cells, start=1):
            if isinstance(value, str):
                if len(value) > MAX_CELL_CHARS:
                    problems.append(_too_long(row_no, col_no, len(value)))
                    value = ""
                value = unescape_cell(value.strip())
                values.append(value if value else None)
            elif value is None or isinstance(value, _TYPED):
                values.append(value)
            else:
                problems.append(Problem(f"row {row_no}, column {column_letter(col_no)}",
                                        f"unsupported cell value {value!r:.80} ({type(value).__name__})"))
                values.append(None)
        if all(v is None for v in values):
            continue
        if header is None:
            texts = [_heading(v) for v in values]
            while texts and not texts[-1]:
                texts.pop()
            header, header_row = tuple(texts), row_no
            for j, h in enumerate(header, start=1):
                if not h:
                    problems.append(Problem(f"row {row_no}, column {column_letter(j)}", "empty column heading"))
            dups = sorted(h for h, n in Counter(header).items() if h and n > 1)  # linear, however wide
            if dups:
                problems.append(Problem(f"row {row_no}", f"duplicate column headings {dups}"))
            continue
        if len(rows) >= max_rows:
            raise InputError([Problem(f"row {row_no}", f"more than {max_rows:,} rows; pass max_rows= to read "
                                                       "larger tables")], source=source)
        width = len(header)
        extra = [j for j, v in enumerate(values[width:], start=width + 1) if v is not None]
        if extra:
            problems.append(Problem(f"row {row_no}, column {column_letter(extra[0])}",
                                    f"a value beyond the last heading (column {column_letter(width)})"))
            continue
        rows.append((row_no, {h: (values[j] if j < len(values) else None) for j, h in enumerate(header)}))
    if header is None:
        problems.append(Problem("", "the sheet is empty: expected a heading row"))
    if problems:
        raise InputError(problems, source=source)
    assert header is not None
    return header_row, header, rows


@attrs.frozen(slots=True)
class SheetIndex:
    """The sheets of a workbook as a picker sees them: every name, the visible ones, their headings.

    Parameters
    ----------
    names
        Every sheet, in order (hidden and very hidden ones too).
    visible
        The sheets the user sees, in order.
    heading
        Given a sheet name, the cells of its first non-blank row (as text, ``""`` for empty),
        read without reading the rest of the sheet.
    """

    names: tuple[str, ...]
    visible: tuple[str, ...]
    heading: Callable[[str], tuple[str, ...]]

    @property
    def hidden(self) -> tuple[str, ...]:
        """The hidden and very hidden sheets."""
        return tuple(n for n in self.names if n not in self.visible)


def _first_row(ws: Any) -> tuple[str, ...]:
    for cells in ws.iter_rows(values_only=True):
        texts = [_heading(v) for v in cells]
        if any(texts):
            while texts and not texts[-1]:
                texts.pop()
            return tuple(texts)
    return ()


def read_sheets(data: bytes, *, source: str, select: Callable[[SheetIndex], Sequence[str]],
                max_rows: int, max_bytes: int) -> list[tuple[str, Grid]]:
    """The sheets ``select`` picks, each as a grid.

    Parameters
    ----------
    data
        The workbook's bytes (read through :func:`~jichitai_cloud.io._read.read_bytes`).
    source
        The file's name, for messages; a sheet's problems are located ``FILE [sheet 'S']``.
    select
        Given the :class:`SheetIndex` (names, visible names, headings), the names to read; it may
        raise an :class:`~jichitai_cloud.errors.InputError` (no such sheet).
    max_rows
        Most rows after the heading row, per sheet.
    max_bytes
        Largest part, and sum of parts, once uncompressed. [bytes]

    Raises
    ------
    InputError
        Not a readable workbook, a damaged one, past a limit of :func:`check_archive`, an empty
        sheet, bad headings, values beyond the last heading, too many rows, a cell too long.
    ImportError
        If openpyxl is not installed.
    """
    openpyxl = _openpyxl()
    check_archive(data, source=source, max_bytes=max_bytes, max_rows=max_rows)
    try:
        wb = openpyxl.load_workbook(_io.BytesIO(data), read_only=True, data_only=True)
    except MemoryError:
        raise InputError([Problem("", "not enough memory to open the workbook")], source=source) from None
    except _BROKEN as exc:
        raise InputError([Problem("", f"not an Excel workbook (.xlsx): {_reason(exc)}")], source=source) from None
    try:
        names = tuple(str(n) for n in wb.sheetnames)

        def sheet(name: str) -> Any:
            ws = wb[name]
            if hasattr(ws, "reset_dimensions"):
                ws.reset_dimensions()  # never trust the stored <dimension>: read every row and column
            return ws

        visible = tuple(n for n in names if getattr(wb[n], "sheet_state", "visible") == "visible")
        index = SheetIndex(names=names, visible=visible, heading=lambda name: _first_row(sheet(name)))
        return [(name, _grid(sheet(name), f"{source} [sheet '{name}']", max_rows))
                for name in select(index)]
    except JichitaiCloudError:
        raise
    except MemoryError:
        raise InputError([Problem("", "not enough memory to read the workbook")], source=source) from None
    except _BROKEN as exc:  # sheets are parsed lazily, while their rows are read
        raise InputError([Problem("", f"a damaged Excel workbook (.xlsx): {_reason(exc)}")],
                         source=source) from None
    finally:
        wb.close()
