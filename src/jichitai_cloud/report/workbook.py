"""The spreadsheet export (openpyxl, an optional extra): declared tables as a workbook a council can print.

:func:`write_workbook` writes one sheet per :class:`~jichitai_cloud._display.DataTable`:

* row 1 the table's caption (bold), row 2 the headings (bold, wrapped, frozen, repeated on every
  printed page), then the rows, a 合計 line (bold, a top border) where the table declares one, and
  the notes under the table;
* numbers are stored as numbers with a format by kind: ``#,##0`` for yen, persons, months and
  counts, ``0.0%`` for a rate (by its declared decimals), ``#,##0.0`` for 億円 (the cell holds
  yen ÷ 10**8), ``#,##0.00`` for points; a month is a date shown as ``2025年4月``
  (``2025-04`` in English); codes and names are text;
* the values are the ones every other rendering shows (:func:`~jichitai_cloud._display.shown_rows`:
  rounded at the declared decimals, parts apportioned so they add up to the shown total), and the
  合計 line holds numbers, never formulas;
* every column is as wide as its longest shown value (a full-width character counts two), so no
  number becomes ``###``; headings wrap at spaces;
* A4 landscape, fitted to one page wide; sheet names from the declaration, whole words;
* every text cell goes through :func:`jichitai_cloud.io.put_cell` (formula-like text is prefixed
  with ``'`` and stored as text): no cell of a workbook this library writes is ever a formula.

:func:`write_xlsx` is the older writer of plain ``(header, rows)`` sheets (kept for callers that have
no declared tables yet); it gets the same widths and print setup.
"""

from __future__ import annotations

import datetime as _dt
import math
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .._display import TOTAL_LABEL, Column, DataTable, Lang, check_lang, display_width, shown_rows, shown_text
from ..io import escape_cell, put_cell, save_workbook

if TYPE_CHECKING:  # pragma: no cover
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["excel_shown", "number_format", "sheet_names", "write_workbook", "write_xlsx"]

_BAD_SHEET = str.maketrans({"[": "(", "]": ")", ":": " ", "*": "", "?": "", "/": "・", "\\": "・", "'": ""})
_MAX_SHEET = 31
_MAX_WIDTH = 120.0
_MAX_TEXT_WIDTH = 60  # a text longer than this wraps (numbers, codes and names never do) [characters]
_LINE_HEIGHT = 16.0  # points per line of an 11 pt heading (full-width glyphs are a little taller)

_INTEGER_KINDS = frozenset({"yen", "persons", "months", "count"})


def _decimals_format(places: int, thousands: bool = True) -> str:
    base = "#,##0" if thousands else "0"
    return base + ("." + "0" * places if places else "")


def number_format(column: Column, lang: Lang = "ja") -> str:
    """The spreadsheet number format of ``column``'s cells.

    ``#,##0`` for yen, persons, months and counts; ``0.0%`` for percent (by the declared decimals;
    the cell holds the rate); ``#,##0.0`` for 億円 (the cell holds yen ÷ 10**8); ``#,##0.00`` for
    points and other numbers (by the declared decimals); a year-month format for months
    (``yyyy"年"m"月"``, English ``yyyy-mm``); ``yyyy-mm-dd`` for dates; ``@`` (text) otherwise.
    """
    kind = column.kind
    if kind in _INTEGER_KINDS:
        return _decimals_format(column.places)
    if kind == "percent":
        return _decimals_format(column.places, thousands=False) + "%"
    if column.numeric:
        return _decimals_format(column.places)
    if kind == "month":
        return 'yyyy"年"m"月"' if lang == "ja" else "yyyy-mm"
    if kind == "date":
        return "yyyy-mm-dd"
    return "@"


_NUMBER_FORMAT = re.compile(r"^(#,##)?0(?:\.(0+))?(%)?$")


def excel_shown(value: Any, fmt: str) -> str:
    """The text a spreadsheet shows for ``value`` under the number format ``fmt`` (the formats this
    module writes, and ``General``); used to fit column widths."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, _dt.date):
        if fmt == 'yyyy"年"m"月"':
            return f"{value.year}年{value.month}月"
        if fmt == "yyyy-mm":
            return f"{value.year:04d}-{value.month:02d}"
        return value.isoformat()[:10]
    if isinstance(value, int | float | Decimal):
        m = _NUMBER_FORMAT.match(fmt)
        if m is not None:
            places = len(m.group(2) or "")
            x = Decimal(str(value)) * (100 if m.group(3) else 1)
            text = f"{x:,.{places}f}" if m.group(1) else f"{x:.{places}f}"
            return text + ("%" if m.group(3) else "")
        if isinstance(value, float) and not value.is_integer():
            return f"{value:.10g}"
        return str(int(value)) if isinstance(value, float) else str(value)
    return str(value)


def _clean_sheet(name: str) -> str:
    cleaned = " ".join(str(name).translate(_BAD_SHEET).split())
    return cleaned or "Sheet"


def _fit_words(base: str, room: int) -> str:
    """``base`` shortened to ``room`` characters by dropping whole words from the end (characters only
    when a single word is longer than ``room``)."""
    while len(base) > room and " " in base:
        base = base.rsplit(" ", 1)[0].rstrip()
    return base[:room].rstrip()


def sheet_names(tables: Sequence[DataTable], lang: Lang = "ja") -> list[str]:
    """One valid, unique sheet name per table: the declared name (:meth:`DataTable.sheet_name`), with
    ``" (2)"``, ``" (3)"`` … only where a name repeats; names are shortened by whole words."""
    used: set[str] = set()
    out = []
    for t in tables:
        base = _fit_words(_clean_sheet(t.sheet_name(lang)), _MAX_SHEET)
        name, n = base, 1
        while name.casefold() in used:
            n += 1
            suffix = f" ({n})"
            name = _fit_words(base, _MAX_SHEET - len(suffix)) + suffix
        used.add(name.casefold())
        out.append(name)
    return out


# -- widths and print setup, shared by both writers ------------------------------------------------


def _tokens_width(text: str) -> int:
    """The widest piece of ``text`` between spaces (a wrapped heading is never narrower)."""
    return max((display_width(w) for w in str(text).split()), default=0)


def _wrapped_lines(text: str, width: float) -> int:
    """Lines ``text`` takes when wrapped at spaces in a column ``width`` characters wide."""
    lines, used = 1, 0
    for word in str(text).split():
        w = display_width(word)
        if used and used + 1 + w > width:
            lines += 1
            used = w
        else:
            used = used + 1 + w if used else w
    return lines


def _finish_sheet(ws: Worksheet, *, header_row: int, first: int, last: int, ncols: int) -> None:
    """Fit the column widths to the shown values of rows ``first..last`` (and the header's words),
    size the header row for its wrapped headings, freeze it, and set up A4 landscape printing."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    widths: list[float] = []
    for j in range(1, ncols + 1):
        head = ws.cell(row=header_row, column=j).value
        w = max(_tokens_width(str(head or "")), 4)
        long_text = []
        for i in range(first, last + 1):
            cell = ws.cell(row=i, column=j)
            if cell.value is None:
                continue
            shown_width = display_width(excel_shown(cell.value, cell.number_format))
            if isinstance(cell.value, str) and shown_width > _MAX_TEXT_WIDTH:
                long_text.append(cell)  # a long text wraps in a column of readable width
                shown_width = _MAX_TEXT_WIDTH
            w = max(w, shown_width)
        for cell in long_text:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        width = min(float(w) + 2.5, _MAX_WIDTH)
        widths.append(width)
        ws.column_dimensions[get_column_letter(j)].width = width
    lines = max((_wrapped_lines(str(ws.cell(row=header_row, column=j).value or ""), widths[j - 1] - 1.5)
                 for j in range(1, ncols + 1)), default=1)
    ws.row_dimensions[header_row].height = _LINE_HEIGHT * lines + 4
    for j in range(1, ncols + 1):
        ws.cell(row=header_row, column=j).alignment = Alignment(wrap_text=True, horizontal="center",
                                                                vertical="center")
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1).coordinate
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "&P / &N"


def _styles() -> dict[str, Any]:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    return {
        "center": Alignment(horizontal="center"),
        "title": Font(bold=True, size=12),
        "bold": Font(bold=True),
        "fill": PatternFill("solid", fgColor="DDEBF7"),
        "header_border": Border(bottom=Side(style="thin"), top=Side(style="thin"), left=Side(style="thin"),
                                right=Side(style="thin")),
        "total_border": Border(top=Side(style="medium")),
    }


def _workbook() -> Any:
    try:
        from openpyxl import Workbook
    except ImportError as exc:  # pragma: no cover - exercised only without openpyxl
        raise ImportError("Excel export needs openpyxl: pip install 'jichitai-cloud[excel]'") from exc
    wb = Workbook()
    wb.remove(wb.active)
    return wb


# -- declared tables ----------------------------------------------------------------------------------


def _cell_value(value: Any, column: Column, lang: Lang) -> Any:
    """What a cell stores for one shown value of ``column`` (see :func:`number_format`)."""
    if value is None:
        return None
    kind = column.kind
    if column.numeric and isinstance(value, Decimal):
        if kind == "percent":
            return float(value / 100)
        if kind in _INTEGER_KINDS and column.places == 0:
            return int(value)
        return int(value) if column.places == 0 else float(value)
    if kind == "month":
        return value.first_day()
    if kind == "date":
        return value
    return shown_text(value, column, lang)


def _write_table(ws: Worksheet, table: DataTable, lang: Lang, styles: Mapping[str, Any],
                 extra: Sequence[str] = ()) -> None:
    table = table.in_lang(lang)
    cols = table.columns
    caption = table.caption(lang) or table.key
    put_cell(ws.cell(row=1, column=1), caption)
    ws.cell(row=1, column=1).font = styles["title"]
    header_row = 2
    for j, c in enumerate(cols, start=1):
        cell = ws.cell(row=header_row, column=j)
        put_cell(cell, c.heading(lang))
        cell.font = styles["bold"]
        cell.fill = styles["fill"]
        cell.border = styles["header_border"]
    rows, total = shown_rows(table)
    formats = [number_format(c, lang) for c in cols]
    r = header_row
    for row in rows:
        r += 1
        for j, (value, c) in enumerate(zip(row, cols, strict=True), start=1):
            stored = _cell_value(value, c, lang)
            cell = ws.cell(row=r, column=j)
            put_cell(cell, stored)
            if stored is not None:
                cell.number_format = formats[j - 1]
                if c.kind == "flag":
                    cell.alignment = styles["center"]
    if total is not None:
        r += 1
        label_at = next((j for j, c in enumerate(cols) if not c.numeric), 0)
        for j, (value, c) in enumerate(zip(total, cols, strict=True), start=1):
            cell = ws.cell(row=r, column=j)
            if j - 1 == label_at:
                put_cell(cell, TOTAL_LABEL[lang])
            else:
                stored = _cell_value(value, c, lang)
                put_cell(cell, stored)
                if stored is not None:
                    cell.number_format = formats[j - 1]
            cell.font = styles["bold"]
            cell.border = styles["total_border"]
    last = r
    lines = [f"※ {n}" if lang == "ja" else f"Note: {n}" for n in table.note_lines(lang)] + list(extra)
    if lines:
        r += 1
        for line in lines:
            r += 1
            put_cell(ws.cell(row=r, column=1), line)
    _finish_sheet(ws, header_row=header_row, first=header_row + 1, last=last, ncols=len(cols))


def write_workbook(path: str | os.PathLike[str], tables: Iterable[DataTable], *, lang: Lang = "ja",
                   summary: Sequence[str] = (), overwrite: bool = False) -> list[str]:
    """Write declared tables to an ``.xlsx`` workbook, one sheet per table; returns the sheet names.

    Parameters
    ----------
    path
        The workbook to write; the write is atomic.
    tables
        The tables, in sheet order (a result's :meth:`views`).
    lang
        Headings, captions, notes and month formats in Japanese (``"ja"``) or English (``"en"``).
    summary
        Lines written under the first table's notes (a result's verdict).
    overwrite
        Replace an existing file (refused by default with an
        :class:`~jichitai_cloud.errors.OutputError`).

    Raises
    ------
    ImportError
        If openpyxl is not installed (``pip install 'jichitai-cloud[excel]'``).
    """
    lang = check_lang(lang)
    tables = tuple(tables)
    wb = _workbook()
    styles = _styles()
    names = sheet_names(tables, lang)
    for i, (t, name) in enumerate(zip(tables, names, strict=True)):
        _write_table(wb.create_sheet(title=name), t, lang, styles, summary if i == 0 else ())
    save_workbook(path, wb, overwrite=overwrite)
    return names


# -- plain (header, rows) sheets ---------------------------------------------------------------------

_BAD_TITLE = str.maketrans({c: "_" for c in "[]:*?/\\'"})


def _sheet_title(name: str, used: set[str]) -> str:
    """A valid, unique sheet title: at most 31 characters, none of ``[]:*?/\\'``."""
    base = (str(escape_cell(name)).translate(_BAD_TITLE)[:31] or "Sheet").strip() or "Sheet"
    title, n = base, 1
    while title.lower() in used:
        n += 1
        title = f"{base[:31 - len(str(n)) - 1]}~{n}"
    used.add(title.lower())
    return title


def _default_format(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, int) or (math.isfinite(value) and value.is_integer() and abs(value) >= 1000):
        return "#,##0"
    return "#,##0.00"


def write_xlsx(path: str | os.PathLike[str], sheets: Mapping[str, tuple[Sequence[str], Sequence[Sequence[Any]]]],
               *, overwrite: bool = False, number_formats: Mapping[str, Sequence[str | None]] | None = None,
               totals: Mapping[str, Sequence[Any]] | None = None, titles: Mapping[str, str] | None = None) -> None:
    """Write plain tables to an ``.xlsx`` workbook, one sheet per table (for declared tables use
    :func:`write_workbook`).

    Parameters
    ----------
    path
        File to write.
    sheets
        ``{sheet name: (header, rows)}``; values are text, integers (yen), floats or ``None``.
    overwrite
        Replace an existing file (refused by default with an
        :class:`~jichitai_cloud.errors.OutputError`); the write is atomic.
    number_formats
        ``{sheet name: one Excel number format per column}`` (``"#,##0"`` for yen, ``"0.0%"`` for a
        rate, ``None`` for the default: ``#,##0`` for integers, ``#,##0.00`` for other numbers),
        applied to the rows and the totals line.
    totals
        ``{sheet name: a last row}`` written in bold with a top border below the rows, e.g.
        ``["合計 (total)", None, 2160000000, …]``; its numbers are stored as numbers, not as formulas.
    titles
        ``{sheet name: a title}`` written in bold in the first row, above the header.

    Raises
    ------
    ImportError
        If openpyxl is not installed (``pip install 'jichitai-cloud[excel]'``).
    """
    wb = _workbook()
    styles = _styles()
    used: set[str] = set()
    for name, (header, rows) in sheets.items():
        ws = wb.create_sheet(title=_sheet_title(name, used))
        formats = list((number_formats or {}).get(name, ()))
        title = (titles or {}).get(name)
        top = 2 if title else 1
        if title:
            put_cell(ws.cell(row=1, column=1), str(title))
            ws.cell(row=1, column=1).font = styles["title"]
        for c_i, h in enumerate(header, start=1):
            cell = ws.cell(row=top, column=c_i)
            put_cell(cell, h)
            cell.font = styles["bold"]
            cell.fill = styles["fill"]
            cell.border = styles["header_border"]
        body = [list(r) for r in rows]
        total = (totals or {}).get(name)
        if total is not None:
            body.append(list(total))
        for r_i, row in enumerate(body, start=top + 1):
            is_total = total is not None and r_i == top + len(body)
            for c_i, value in enumerate(row, start=1):
                cell = ws.cell(row=r_i, column=c_i)
                if isinstance(value, bool):
                    value = "○" if value else "－"
                    cell.alignment = styles["center"]
                put_cell(cell, value)
                if value is not None and not isinstance(value, str):
                    fmt = formats[c_i - 1] if c_i - 1 < len(formats) else None
                    fmt = fmt or _default_format(value)
                    if fmt:
                        cell.number_format = fmt
                if is_total:
                    cell.font = styles["bold"]
                    cell.border = styles["total_border"]
        _finish_sheet(ws, header_row=top, first=top + 1, last=top + len(body), ncols=len(header))
    save_workbook(path, wb, overwrite=overwrite)
