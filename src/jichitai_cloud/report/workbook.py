"""Excel export (openpyxl, an optional extra), formula-injection safe.

Every text cell goes through :func:`jichitai_cloud.io.escape_cell` *and* is stored with the
string data type, so no cell of a workbook this library writes is ever evaluated as a formula.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

from ..io import escape_cell, put_cell, write_atomic_with

__all__ = ["write_xlsx"]

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


def write_xlsx(path: str | os.PathLike[str], sheets: Mapping[str, tuple[Sequence[str], Sequence[Sequence[Any]]]],
               *, overwrite: bool = False, number_formats: Mapping[str, Sequence[str | None]] | None = None,
               totals: Mapping[str, Sequence[Any]] | None = None, titles: Mapping[str, str] | None = None) -> None:
    """Write tables to an ``.xlsx`` workbook, one sheet per table.

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
        rate, ``None`` for the default), applied to the rows and the totals line.
    totals
        ``{sheet name: a last row}`` written in bold below the rows, e.g. ``["合計 (total)", None,
        2160000000, …]``; its numbers are stored as numbers, not as formulas.
    titles
        ``{sheet name: a title}`` written in bold in the first row, above the header.

    Raises
    ------
    ImportError
        If openpyxl is not installed (``pip install 'jichitai-cloud[excel]'``).
    """
    try:
        from openpyxl import Workbook
        from openpyxl.styles import Font
    except ImportError as exc:  # pragma: no cover - exercised only without openpyxl
        raise ImportError("Excel export needs openpyxl: pip install 'jichitai-cloud[excel]'") from exc
    bold = Font(bold=True)
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for name, (header, rows) in sheets.items():
        ws = wb.create_sheet(title=_sheet_title(name, used))
        formats = list((number_formats or {}).get(name, ()))
        title = (titles or {}).get(name)
        top = 2 if title else 1
        if title:
            cell = ws.cell(row=1, column=1)
            put_cell(cell, str(title))
            cell.font = bold
        body = [list(header), *[list(r) for r in rows]]
        total = (totals or {}).get(name)
        if total is not None:
            body.append(list(total))
        for r_i, row in enumerate(body, start=top):
            is_data = r_i > top
            for c_i, value in enumerate(row, start=1):
                if isinstance(value, bool):
                    value = "yes" if value else "no"
                cell = ws.cell(row=r_i, column=c_i)
                put_cell(cell, value)
                if not isinstance(value, str):
                    fmt = formats[c_i - 1] if is_data and c_i - 1 < len(formats) else None
                    if fmt and value is not None:
                        cell.number_format = fmt
                if r_i == top or (total is not None and r_i == top + len(body) - 1):
                    cell.font = bold
        ws.freeze_panes = f"A{top + 1}"
    write_atomic_with(path, lambda tmp: wb.save(os.fspath(tmp)), overwrite=overwrite)

