"""TRANSITION: results that do not declare their columns yet (``_HEADER``/``_rows``/``tables()``
returning plain ``(header, rows)``), and the old ``(header, rows)`` renderers.  Columns are looked
up in the catalogue or inferred from the values.  Removed once every result declares its tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ._columns import CATALOGUE
from ._table import Column, DataTable

__all__ = ["dataframe", "format_cell", "html_table", "infer_columns", "legacy_views", "text_table"]


def _kind(values: list[Any]) -> str:
    vals = [v for v in values if v is not None]
    if vals and all(isinstance(v, bool) for v in vals):
        return "flag"
    if vals and all(isinstance(v, int) and not isinstance(v, bool) for v in vals):
        return "count"
    if vals and all(isinstance(v, int | float) and not isinstance(v, bool) for v in vals):
        return "number"
    if vals and all(hasattr(v, "era_short") for v in vals):
        return "month"
    return "text"


def infer_columns(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> tuple[Column, ...]:
    from ..errors import ValidationError
    from ._table import _check_value

    out = []
    for j, h in enumerate(header):
        values = [r[j] for r in rows]
        known = CATALOGUE.get(h)
        if known is not None:
            try:
                for v in values:
                    _check_value("", 0, known, v)
                out.append(known)
                continue
            except ValidationError:
                pass
        out.append(Column(str(h), str(h), str(h), _kind(values), bilingual=False))  # type: ignore[arg-type]
    return tuple(out)


def _fix(rows: Sequence[Sequence[Any]], columns: Sequence[Column]) -> list[list[Any]]:
    out = []
    for r in rows:
        row = []
        for v, c in zip(r, columns, strict=True):
            if c.kind == "text" and v is not None and not isinstance(v, str):
                v = str(v)
            row.append(v)
        out.append(row)
    return out


def to_datatable(name: str, header: Sequence[str], rows: Sequence[Sequence[Any]], index: str | None = None
                 ) -> DataTable:
    columns = infer_columns(header, rows)
    return DataTable(key=name or "table", title=name, title_en=name, columns=columns, rows=_fix(rows, columns),
                     index=index if index in header else None)


def legacy_views(result: Any) -> tuple[DataTable, ...]:
    from ._view import TableView

    cls = type(result)
    if cls.tables is not TableView.tables:
        tables = result.tables()
    elif getattr(cls, "_HEADER", ()):
        tables = {result._title(): (cls._HEADER, result._rows())}
    elif cls.table is not TableView.table:
        tables = {result._title(): result.table()}
    else:
        raise NotImplementedError(f"{cls.__name__} must declare _COLUMNS or define views()")
    index = getattr(cls, "_INDEX", None)
    return tuple(to_datatable(name, h, r, index if i == 0 else None)
                 for i, (name, (h, r)) in enumerate(tables.items()))


def format_cell(value: Any) -> str:
    import math

    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if value.is_integer() and abs(value) >= 1000:
            return f"{value:,.0f}"
        if abs(value) >= 1000:
            return f"{value:,.2f}"
        return f"{value:.4g}"
    return str(value)


def text_table(header: Sequence[str], rows: Sequence[Sequence[Any]], *, title: str | None = None) -> str:
    from ._render import render_text

    return render_text(to_datatable(title or "", header, rows))


def html_table(header: Sequence[str], rows: Sequence[Sequence[Any]], *, caption: str | None = None) -> str:
    from ._render import render_html

    return render_html(to_datatable(caption or "", header, rows))


def dataframe(header: Sequence[str], rows: Sequence[Sequence[Any]], *, index: str | None = None) -> Any:
    import pandas as pd

    frame = pd.DataFrame([list(r) for r in rows], columns=list(header))
    return frame.set_index(index) if index is not None else frame
