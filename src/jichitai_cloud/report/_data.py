"""CSV and JSON of declared tables: exact numbers, rates rounded at their declared places, ISO months.

Both carry the values a reader sees in every other rendering
(:func:`~jichitai_cloud._display.shown_rows`), written for a program to read back:

* yen, persons, months and counts as plain integers (``1390000000``), exact;
* a percent column as the rate rounded at its declared places plus two (30.0 % -> ``0.300`` in
  CSV, ``0.3`` in JSON), never float noise such as ``0.30000000000000004``; points, ratios and 億円
  at their declared decimals;
* months as ISO ``2025-04``, dates as ``2025-04-01``, flags as ``true``/``false``;
* CSV text cells formula-safe (:func:`jichitai_cloud.io.escape_cell`).
"""

from __future__ import annotations

import codecs
import csv
import datetime as _dt
import io as _io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Literal

from .._display import Column, DataTable, Lang, shown_rows
from ..errors import ValidationError
from ..io import escape_cell

__all__ = ["Header", "csv_bytes", "csv_rows", "data_value", "json_table"]

Header = Literal["heading", "key"]
"""The CSV header: the shown headings in the chosen language, or the column keys."""

_ENCODINGS = {"utf-8": "utf-8", "cp932": "cp932"}


def data_value(value: Any, column: Column) -> Any:
    """One shown value (from :func:`shown_rows`) as data: ``int``, ``Decimal`` (at the declared
    places; a percent as the rate), ``bool``, ISO text or ``None``."""
    if value is None:
        return None
    kind = column.kind
    if kind == "flag":
        return bool(value)
    if kind == "month":
        return str(value.iso())
    if kind == "date":
        return value.isoformat() if isinstance(value, _dt.date) else str(value)
    if column.numeric and isinstance(value, Decimal):
        if kind == "percent":
            return value.scaleb(-2)
        return int(value) if column.places == 0 else value
    return value


def _csv_text(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    return escape_cell(value)


def csv_rows(table: DataTable, *, lang: Lang = "ja", header: Header = "heading") -> list[list[str]]:
    """The CSV cells of ``table``: a header (headings in ``lang`` or keys), then one line per row
    (no 合計 line: a column of the CSV sums to the total once)."""
    if header not in ("heading", "key"):
        raise ValidationError(f"header must be 'heading' or 'key', got {header!r}")
    if header == "heading":  # a sheet for people: in their language; key headings are data (both)
        table = table.in_lang(lang)
    names = table.keys if header == "key" else table.headings(lang)
    rows, _ = shown_rows(table)
    out = [[str(escape_cell(h)) for h in names]]
    out += [[str(_csv_text(data_value(v, c))) for v, c in zip(r, table.columns, strict=True)] for r in rows]
    return out


def csv_encoding(encoding: str) -> str:
    """``"utf-8"`` or ``"cp932"`` (any spelling Python knows, e.g. ``"UTF8"``, ``"shift_jis"`` is
    refused: CP932 is the Windows superset a spreadsheet expects)."""
    try:
        name = codecs.lookup(str(encoding)).name
    except LookupError:
        name = ""
    if name not in _ENCODINGS:
        raise ValidationError(f"encoding must be 'utf-8' (with a BOM, for spreadsheets) or 'cp932', got {encoding!r}")
    return _ENCODINGS[name]


def csv_text(cells: Sequence[Sequence[str]], *, newline: str = "\r\n") -> str:
    """The CSV text of ``cells`` (lines end with ``newline``)."""
    buf = _io.StringIO()
    csv.writer(buf, lineterminator=newline).writerows(cells)
    return buf.getvalue()


def csv_bytes(table: DataTable, cells: Sequence[Sequence[str]], encoding: str) -> bytes:
    """The file content: UTF-8 with a BOM, or CP932; a character CP932 cannot hold is a
    :class:`ValidationError` naming the table, line and column (never a silent ``?``)."""
    enc = csv_encoding(encoding)
    if enc == "utf-8":
        return ("\ufeff" + csv_text(cells)).encode("utf-8")
    for i, row in enumerate(cells):
        for j, cell in enumerate(row):
            try:
                cell.encode("cp932")
            except UnicodeEncodeError as exc:
                ch = cell[exc.start]
                where = "the header" if i == 0 else f"line {i + 1} (row {i})"
                col = table.columns[j] if j < len(table.columns) else None
                name = f"column {col.key!r} ({col.ja})" if col is not None else f"column {j + 1}"
                raise ValidationError(
                    f"cannot write table {table.key!r} in CP932: {where}, {name}: the character {ch!r} "
                    f"(U+{ord(ch):04X}) in {cell!r} has no CP932 code; write UTF-8 instead (encoding='utf-8')"
                ) from None
    return csv_text(cells).encode("cp932")


def _json_number(value: Any) -> Any:
    # a Decimal at its declared places becomes the float closest to it, written in its shortest form
    # (Decimal("0.300") -> 0.3): never the noise of a float product
    return float(value) if isinstance(value, Decimal) else value


def json_table(table: DataTable, lang: Lang = "ja") -> dict[str, Any]:
    """One table as JSON-ready data: key, title, columns (key, heading, kind, unit, decimals), rows
    as ``{key: value}`` and, where the table declares one, the 合計 line as ``total``."""
    rows, total = shown_rows(table)
    cols = table.columns
    out: dict[str, Any] = {
        "key": table.key,
        "title": table.caption(lang),
        "columns": [{"key": c.key, "heading": c.heading(lang), "kind": c.kind, "unit": "rate" if c.kind == "percent" else c.unit(lang),
                     "decimals": (c.places + 2 if c.kind == "percent" else c.places) if c.numeric else None}
                    for c in cols],
        "rows": [{c.key: _json_number(data_value(v, c)) for v, c in zip(r, cols, strict=True)} for r in rows],
    }
    if total is not None:
        out["total"] = {c.key: _json_number(data_value(v, c)) for v, c in zip(total, cols, strict=True)
                        if v is not None}
    notes = table.note_lines(lang)
    if notes:
        out["notes"] = list(notes)
    return out
