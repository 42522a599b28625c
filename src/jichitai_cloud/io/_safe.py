"""Formula-injection-safe cells for CSV and spreadsheet export (and the inverse on import).

A text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return can be read by a
spreadsheet as a formula (CSV injection).  On export such a cell is prefixed with an apostrophe
``'``; so is a cell that already begins with one, which keeps the mapping reversible: on import a
leading apostrophe followed by one of those characters (or by another apostrophe) is removed.
Numbers are written as numbers and never escaped, so ``-5`` stays a number.
"""

from __future__ import annotations

from typing import Any

__all__ = ["FORMULA_TRIGGERS", "escape_cell", "put_cell", "unescape_cell"]

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
_ESCAPED = (*FORMULA_TRIGGERS, "'")


def escape_cell(value: Any) -> Any:
    """Make a text cell safe to open in a spreadsheet; other values pass through unchanged."""
    if isinstance(value, str) and value.startswith(_ESCAPED):
        return "'" + value
    return value


def unescape_cell(value: str) -> str:
    """Undo :func:`escape_cell` on text read back from a file."""
    if len(value) >= 2 and value[0] == "'" and value[1] in _ESCAPED:
        return value[1:]
    return value


def put_cell(cell: Any, value: Any) -> None:
    """Store ``value`` in an openpyxl cell: text escaped and typed as text (never a formula), the rest as is."""
    if isinstance(value, str):
        from openpyxl.cell.cell import TYPE_STRING

        cell.value = escape_cell(value)
        cell.data_type = TYPE_STRING
    else:
        cell.value = value
