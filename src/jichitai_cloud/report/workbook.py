"""Excel export (openpyxl, an optional extra), formula-injection safe.

Every text cell goes through :func:`jichitai_cloud.io._safe.escape_cell` *and* is stored with the
string data type, so no cell of a workbook this library writes is ever evaluated as a formula.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

from ..io._safe import escape_cell
from ..io._write import write_atomic_with

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
               *, overwrite: bool = False) -> None:
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

    Raises
    ------
    ImportError
        If openpyxl is not installed (``pip install 'jichitai-cloud[excel]'``).
    """
    try:
        from openpyxl import Workbook
        from openpyxl.cell.cell import TYPE_STRING
    except ImportError as exc:  # pragma: no cover - exercised only without openpyxl
        raise ImportError("Excel export needs openpyxl: pip install 'jichitai-cloud[excel]'") from exc
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for name, (header, rows) in sheets.items():
        ws = wb.create_sheet(title=_sheet_title(name, used))
        for r_i, row in enumerate([list(header), *[list(r) for r in rows]], start=1):
            for c_i, value in enumerate(row, start=1):
                if isinstance(value, bool):
                    value = "yes" if value else "no"
                cell = ws.cell(row=r_i, column=c_i)
                if isinstance(value, str):
                    cell.value = escape_cell(value)
                    cell.data_type = TYPE_STRING
                else:
                    cell.value = value
        ws.freeze_panes = "A2"
    write_atomic_with(path, lambda tmp: wb.save(os.fspath(tmp)), overwrite=overwrite)
