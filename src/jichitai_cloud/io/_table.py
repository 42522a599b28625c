"""One reader for tables: CSV (UTF-8, UTF-8 with BOM, CP932) and Excel workbooks (.xlsx).

:func:`read_table` is the one way this package reads a table from a file; the topic schemas
(member lists, request registers, observations, outages, work records, quote tables) map the
:class:`Table` it returns to domain objects.  Reading keeps the cells' types: a CSV cell is text
(the schemas parse ``"540,000,000"``), an Excel number stays an ``int`` or ``float``, a date a
``datetime``, an empty cell is ``None`` (``""`` in CSV).  Every row keeps its row number in the
file, so a schema's error names file, sheet, row and column
(``members.xlsx [sheet '参加団体 (members)']: row 4, column C '人口 (population)': …``).

The limits of :mod:`jichitai_cloud.io._read` hold: a regular file of at most ``max_bytes``
(100 MB), at most ``max_rows`` rows (1,000,000), nothing in the file executed.  Workbooks are opened
by :mod:`jichitai_cloud.io._workbook`, which only this module calls.
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path

import attrs

from ..errors import InputError, Problem, ValidationError
from ._csv import Grid, parse_csv
from ._read import MAX_FILE_BYTES, MAX_ROWS, decode, read_bytes
from ._workbook import SheetIndex, column_letter, read_sheets

__all__ = ["TABLE_FORMATS", "Cell", "CsvTable", "Table", "read_csv", "read_table", "read_tables", "table_from"]

PathLike = str | os.PathLike[str]

Cell = str | int | float | bool | Decimal | _dt.datetime | _dt.date | _dt.time | _dt.timedelta | None
"""What a cell holds: text (every CSV cell), a number, a flag, a date or time, or nothing."""

TABLE_FORMATS: Mapping[str, str] = {".csv": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx"}
"""File extensions :func:`read_table` reads, and the format each stands for."""

SheetChoice = str | int | Callable[[tuple[str, ...]], str | None] | None
"""Which sheet of a workbook: its name, its 0-based position, a function picking a name (given the
visible sheets' names), or the first visible sheet."""


@attrs.frozen(slots=True)
class Table:
    """A table read from a file: headings and rows of typed cells, each row with its row number.

    Parameters
    ----------
    source
        The name errors use: the file, with the sheet for a workbook (``m.xlsx [sheet 'S']``).
    header
        The headings, as written (whitespace stripped).
    rows
        ``(row number in the file, {heading: cell})`` for every non-blank row after the headings.
    path
        The file read (``None`` for text given directly).
    sheet
        The sheet's name for a workbook, ``None`` for CSV.
    header_row
        The row number of the headings.
    """

    source: str
    header: tuple[str, ...]
    rows: tuple[tuple[int, Mapping[str, Cell]], ...]
    path: str | None = None
    sheet: str | None = None
    header_row: int = 1

    def column(self, heading: str) -> str:
        """How a message names a column: ``'人口'`` in CSV, ``C '人口 (population)'`` in a workbook."""
        if self.sheet is None:
            return repr(heading)
        try:
            return f"{column_letter(self.header.index(heading) + 1)} {heading!r}"
        except ValueError:
            return repr(heading)


CsvTable = Table
"""The former name of :class:`Table` (a CSV file's table is a :class:`Table` whose cells are text)."""


def _table(grid: Grid, *, source: str, path: str | None, sheet: str | None) -> Table:
    header_row, header, rows = grid
    return Table(source=source, header=header, rows=tuple(rows), path=path,  # type: ignore[arg-type]
                 sheet=sheet, header_row=header_row)


def _format(path: PathLike, fmt: str | None) -> str:
    if fmt is not None:
        if fmt not in ("csv", "xlsx"):
            raise ValidationError(f"format must be 'csv' or 'xlsx', got {fmt!r}")
        return fmt
    suffix = Path(path).suffix.lower()
    if suffix not in TABLE_FORMATS:
        raise InputError([Problem("", f"unknown file type {suffix!r}: expected a table (.csv, .xlsx)")],
                         source=os.fspath(path))
    return TABLE_FORMATS[suffix]


def _limit(max_rows: int | None) -> int:
    limit = MAX_ROWS if max_rows is None else max_rows
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
        raise ValidationError(f"max_rows must be an integer >= 0, got {max_rows!r}")
    return limit


def read_csv(path: PathLike | None = None, *, text: str | None = None, encoding: str = "auto",
             source: str | None = None, max_bytes: int | None = None, max_rows: int | None = None) -> Table:
    """Read a CSV file (or text) into a :class:`Table`; cells stay text, formula escapes are undone.

    Blank lines are skipped.  A row with more cells than the header is an error (nothing is
    dropped); a row with fewer leaves the missing cells empty (``""``).  At most ``max_rows`` rows
    (default :data:`~jichitai_cloud.io._read.MAX_ROWS`) and ``max_bytes`` bytes (default 100 MB).

    Parameters
    ----------
    path
        The file, or ``None`` with ``text``.
    text
        CSV text instead of a file.
    encoding
        ``"auto"`` (UTF-8 with or without BOM, else CP932) or a codec name.
    source
        Name for error messages (default: the path, or ``<csv>``).
    max_bytes
        Largest file read. [bytes]
    max_rows
        Most rows after the heading row.

    Raises
    ------
    InputError
        Undecodable bytes, an empty file, duplicate or empty column names, over-long rows, too many
        rows, a file too large.
    """
    limit = _limit(max_rows)
    name = None if path is None else os.fspath(path)
    if text is None:
        if path is None:
            raise ValidationError("read_csv needs a path or text")
        source = source or os.fspath(path)
        text = decode(read_bytes(path, max_bytes=max_bytes, source=source), encoding=encoding, source=source)
    source = source or "<csv>"
    return _table(parse_csv(text, source=source, max_rows=limit), source=source, path=name, sheet=None)


def read_tables(path: PathLike, *, sheets: Callable[[tuple[str, ...]], Sequence[str]] | None = None,
                encoding: str | None = None, format: str | None = None, max_bytes: int | None = None,
                max_rows: int | None = None) -> tuple[Table, ...]:
    """Several sheets of one workbook, read in one pass (a CSV file is one table).

    Parameters
    ----------
    path
        A ``.csv`` or ``.xlsx`` file.
    sheets
        Given the names of the workbook's visible sheets, the names to read, in order (default: the
        first visible sheet).  Hidden and very hidden sheets are not offered.  It may raise an
        :class:`~jichitai_cloud.errors.InputError` naming what it looked for.
    encoding, format, max_bytes, max_rows
        As for :func:`read_table`.

    Returns
    -------
    tuple of Table
        One per sheet named (one for CSV).

    Raises
    ------
    InputError
        As :func:`read_table`.
    """
    fmt = _format(path, format)
    if fmt == "csv":
        return (read_csv(path, encoding=encoding or "auto", max_bytes=max_bytes, max_rows=max_rows),)
    source = os.fspath(path)
    if sheets is None:
        return read_sheet_tables(path, pick=one_sheet(None, source), max_bytes=max_bytes, max_rows=max_rows)
    chosen = sheets

    def pick(index: SheetIndex) -> Sequence[str]:
        names = chosen(index.visible)
        unknown = [n for n in names if n not in index.names]
        if unknown:
            raise InputError([Problem("", f"no sheet {unknown[0]!r}; the workbook has {list(index.visible)}")],
                             source=source)
        return names

    return read_sheet_tables(path, pick=pick, max_bytes=max_bytes, max_rows=max_rows)


def read_sheet_tables(path: PathLike, *, pick: Callable[[SheetIndex], Sequence[str]], max_bytes: int | None = None,
                      max_rows: int | None = None) -> tuple[Table, ...]:
    """The sheets of a workbook ``pick`` chooses, knowing which are visible and their headings.

    For the readers of this package (member lists choose the sheet whose headings are members').

    Raises
    ------
    InputError
        As :func:`read_table`.
    """
    limit = _limit(max_rows)
    source = os.fspath(path)
    data = read_bytes(path, max_bytes=max_bytes, source=source)
    return tuple(_table(grid, source=f"{source} [sheet '{name}']", path=source, sheet=name)
                 for name, grid in read_sheets(data, source=source, select=pick, max_rows=limit,
                                               max_bytes=MAX_FILE_BYTES if max_bytes is None else max_bytes))


def one_sheet(sheet: SheetChoice, source: str) -> Callable[[SheetIndex], Sequence[str]]:
    """The ``pick`` of :func:`read_sheet_tables` choosing one sheet as :func:`read_table`'s ``sheet``
    does (a name or a position among all sheets, hidden ones too; default the first visible)."""
    def pick(index: SheetIndex) -> Sequence[str]:
        names = index.names
        if not names:
            raise InputError([Problem("", "the workbook has no sheets")], source=source)
        if sheet is None:
            if not index.visible:
                raise InputError([Problem("", f"no visible sheet; hidden sheets {list(index.hidden)} are read only "
                                              "when named (sheet=)")], source=source)
            return index.visible[:1]
        if isinstance(sheet, bool):
            raise ValidationError(f"sheet must be a name, a position or a function, got {sheet!r}")
        if isinstance(sheet, int):
            if not -len(names) <= sheet < len(names):
                raise InputError([Problem("", f"no sheet at position {sheet}; the workbook has {list(names)}")],
                                 source=source)
            return [names[sheet]]
        chosen = sheet if isinstance(sheet, str) else sheet(index.visible)
        if chosen is None or chosen not in names:
            raise InputError([Problem("", f"no sheet {chosen!r}; the workbook has {list(names)}")], source=source)
        return [chosen]

    return pick


def read_table(path: PathLike, *, sheet: SheetChoice = None, encoding: str | None = None,
               format: str | None = None, max_bytes: int | None = None, max_rows: int | None = None) -> Table:
    """Read a table from a CSV file or an Excel workbook, keeping the cells' types.

    The first non-blank row holds the headings (each non-empty, none twice); blank rows are
    skipped; a value to the right of the last heading is an error (nothing is dropped).

    Parameters
    ----------
    path
        A ``.csv`` file (UTF-8, UTF-8 with BOM or CP932, detected) or an ``.xlsx``/``.xlsm`` workbook
        (the ``excel`` extra, openpyxl).
    sheet
        For a workbook: the sheet's name, its 0-based position among all sheets, or a function given
        the visible sheets' names that returns one (default: the first visible sheet).  A hidden or
        very hidden sheet is read only when named or numbered here.  Ignored for CSV.
    encoding
        For CSV: a codec name (``"utf-8"``, ``"cp932"``); default: detected (UTF-8, else CP932).
    format
        ``"csv"`` or ``"xlsx"`` whatever the extension (default: from the extension).
    max_bytes
        Largest file read (default 100 MB, :data:`~jichitai_cloud.io._read.MAX_FILE_BYTES`). [bytes]
    max_rows
        Most rows after the headings (default 1,000,000, :data:`~jichitai_cloud.io._read.MAX_ROWS`).

    Returns
    -------
    Table
        Headings, rows with their row numbers, the file and the sheet.  CSV cells are ``str``
        (``""`` when empty); workbook cells are ``str``, ``int``, ``float``, ``bool``,
        ``datetime`` (a date), ``time`` or ``None`` (empty), as Excel stored them.

    Raises
    ------
    InputError
        A missing, unreadable or oversized file, undecodable text, not valid CSV, not a readable
        workbook, no such sheet, an empty table, empty or duplicate headings, a value beyond the
        last heading, too many rows; each problem names the file, the sheet and the row.
    ImportError
        For a workbook when openpyxl is not installed.

    Examples
    --------
    >>> from jichitai_cloud import io
    >>> table = io.read_table("members.xlsx")                          # doctest: +SKIP
    >>> table.rows[0]                                                  # doctest: +SKIP
    (2, {'団体コード (code)': '162019', '人口 (population)': 413938, ...})
    """
    if _format(path, format) == "csv":
        return read_csv(path, encoding=encoding or "auto", max_bytes=max_bytes, max_rows=max_rows)
    (table,) = read_sheet_tables(path, pick=one_sheet(sheet, os.fspath(path)), max_bytes=max_bytes,
                                 max_rows=max_rows)
    return table


def table_from(path: PathLike | None = None, *, text: str | None = None, encoding: str = "auto",
               source: str | None = None, max_bytes: int | None = None, max_rows: int | None = None) -> Table:
    """The table a topic reader was given: CSV text, a workbook (``.xlsx``, ``.xlsm``) or a CSV file.

    A file whose extension is not a workbook's is read as CSV, whatever it is called (``.txt``).
    This is how the readers of request registers, observations, outages, work records, quote tables
    and population lists take either a file or its text.

    Raises
    ------
    InputError
        As :func:`read_table` and :func:`read_csv`.
    """
    if text is not None or path is None:
        return read_csv(path, text=text, encoding=encoding, source=source, max_bytes=max_bytes, max_rows=max_rows)
    if TABLE_FORMATS.get(Path(path).suffix.lower()) == "xlsx":
        return read_table(path, max_bytes=max_bytes, max_rows=max_rows)
    return read_csv(path, encoding=encoding, source=source, max_bytes=max_bytes, max_rows=max_rows)
