"""Excel workbooks (.xlsx) opened with openpyxl, read-only, cells keeping their types.

Only :mod:`jichitai_cloud.io._table` calls this module (:func:`~jichitai_cloud.io.read_table` is
the one way a workbook is read), so every limit on workbooks lives here.  The bytes come from
:func:`~jichitai_cloud.io._read.read_bytes` (a regular file, at most ``max_bytes``); they are opened
with ``openpyxl.load_workbook(read_only=True, data_only=True)``: cells are the values Excel last
stored, never formulas, and nothing in the file is executed.  A number stays an ``int`` or
``float``, a date a ``datetime``, a text a ``str`` (stripped, formula escape undone); an empty cell
is ``None``.  A file that is not a readable workbook is an :class:`~jichitai_cloud.errors.InputError`.
"""

from __future__ import annotations

import datetime as _dt
import io as _io
import zipfile
import zlib
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from ..errors import InputError, JichitaiCloudError, Problem
from ._csv import Grid
from ._safe import unescape_cell

__all__ = ["column_letter", "read_sheets"]

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
            dups = sorted({h for h in header if h and header.count(h) > 1})
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


def read_sheets(data: bytes, *, source: str, select: Callable[[tuple[str, ...]], Sequence[str]],
                max_rows: int) -> list[tuple[str, Grid]]:
    """The sheets ``select`` picks (from the workbook's sheet names, in order), each as a grid.

    Parameters
    ----------
    data
        The workbook's bytes (read through :func:`~jichitai_cloud.io._read.read_bytes`).
    source
        The file's name, for messages; a sheet's problems are located ``FILE [sheet 'S']``.
    select
        Given the sheet names, the names to read; it may raise an
        :class:`~jichitai_cloud.errors.InputError` (no such sheet).
    max_rows
        Most rows after the heading row, per sheet.

    Raises
    ------
    InputError
        Not a readable workbook, a damaged one, an empty sheet, bad headings, values beyond the last
        heading, too many rows.
    ImportError
        If openpyxl is not installed.
    """
    openpyxl = _openpyxl()
    try:
        wb = openpyxl.load_workbook(_io.BytesIO(data), read_only=True, data_only=True)
    except MemoryError:
        raise InputError([Problem("", "not enough memory to open the workbook")], source=source) from None
    except _BROKEN as exc:
        raise InputError([Problem("", f"not an Excel workbook (.xlsx): {_reason(exc)}")], source=source) from None
    try:
        names = tuple(str(n) for n in wb.sheetnames)
        return [(name, _grid(wb[name], f"{source} [sheet '{name}']", max_rows)) for name in select(names)]
    except JichitaiCloudError:
        raise
    except MemoryError:
        raise InputError([Problem("", "not enough memory to read the workbook")], source=source) from None
    except _BROKEN as exc:  # sheets are parsed lazily, while their rows are read
        raise InputError([Problem("", f"a damaged Excel workbook (.xlsx): {_reason(exc)}")],
                         source=source) from None
    finally:
        wb.close()
