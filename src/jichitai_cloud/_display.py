"""Shared rendering of tabular results: plain text, HTML for notebooks, and pandas.

Result objects hold their data as tuples; to show themselves they hand a header and rows to
these functions.  pandas is imported only inside :func:`dataframe`, so ``import jichitai_cloud``
never imports it.
"""

from __future__ import annotations

import html
import math
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:  # pragma: no cover
    import pandas

__all__ = ["Table", "TableView", "dataframe", "format_cell", "html_table", "text_table"]

Row = Sequence[Any]


def format_cell(value: Any) -> str:
    """Text for one cell: integers with thousands separators; floats of 1,000 or more to 2 decimals, smaller
    ones (ratios, percentages) to 4 significant digits."""
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


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    fill = " " * (width - _width(text))
    return fill + text if right else text + fill


def text_table(header: Sequence[str], rows: Sequence[Row], *, title: str | None = None) -> str:
    """A fixed-width text table; numbers right-aligned; Japanese characters count double width."""
    cells = [[format_cell(x) for x in r] for r in rows]
    numeric = [
        all(isinstance(r[i], int | float) and not isinstance(r[i], bool) for r in rows if r[i] is not None)
        and any(r[i] is not None for r in rows)
        for i in range(len(header))
    ]
    widths = [max([_width(h)] + [_width(r[i]) for r in cells]) for i, h in enumerate(header)]
    lines = []
    if title:
        lines.append(title)
    lines.append("  ".join(_pad(h, w, n) for h, w, n in zip(header, widths, numeric, strict=True)))
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(_pad(c, w, n) for c, w, n in zip(r, widths, numeric, strict=True)) for r in cells]
    return "\n".join(line.rstrip() for line in lines)


def html_table(header: Sequence[str], rows: Sequence[Row], *, caption: str | None = None) -> str:
    """An HTML table for Jupyter's ``_repr_html_``; every cell is escaped."""
    out = ['<table class="jichitai-cloud">']
    if caption:
        out.append(f"<caption>{html.escape(caption)}</caption>")
    out.append("<thead><tr>" + "".join(f"<th>{html.escape(str(h))}</th>" for h in header) + "</tr></thead>")
    out.append("<tbody>")
    for r in rows:
        tds = []
        for x in r:
            align = ' style="text-align:right"' if isinstance(x, int | float) and not isinstance(x, bool) else ""
            tds.append(f"<td{align}>{html.escape(format_cell(x))}</td>")
        out.append("<tr>" + "".join(tds) + "</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def dataframe(header: Sequence[str], rows: Sequence[Row], *, index: str | None = None) -> pandas.DataFrame:
    """A pandas DataFrame of the table (pandas is an optional extra: ``pip install jichitai-cloud[pandas]``).

    Parameters
    ----------
    header
        Column names.
    rows
        Rows of values.
    index
        Column to use as the index, if any.
    """
    try:
        import pandas as pd
    except ImportError as exc:  # pragma: no cover - exercised only without pandas
        raise ImportError(
            "to_dataframe() needs pandas, an optional extra: pip install 'jichitai-cloud[pandas]'"
        ) from exc
    frame = pd.DataFrame([list(r) for r in rows], columns=list(header))
    return frame.set_index(index) if index is not None else frame


Table = tuple[tuple[str, ...], list[list[Any]]]
"""One table: ``(header, rows)``."""


class TableView:
    """Mixin for a result that shows itself as one or more named tables plus a few lines of verdict.

    The table protocol of the package: every result, whatever its topic, hands out its content as
    named tables (:meth:`tables`), and every rendering -- text, notebook HTML, pandas, and the
    exports of :mod:`jichitai_cloud.report` (Excel, CSV, HTML) -- is built from them.

    A subclass (an attrs class; the mixin has empty ``__slots__``) defines either ``_HEADER`` (the
    column names) and ``_rows()`` for a single table, or overrides :meth:`tables` for several; it may
    define ``_INDEX`` (the column a DataFrame is indexed by), ``_title()`` and ``summary()``.
    Totals never go into a table's rows (a DataFrame of the rows sums to the total once); a result
    that has totals shows them in :meth:`summary` or as a table of their own.
    """

    __slots__ = ()
    _HEADER: ClassVar[tuple[str, ...]] = ()
    _INDEX: ClassVar[str | None] = None

    def _rows(self) -> list[list[Any]]:
        raise NotImplementedError(f"{type(self).__name__} must define _rows() or tables()")

    def _title(self) -> str:
        return ""

    def summary(self) -> str:
        """The verdict in a few lines ("" if the table says it all)."""
        return ""

    def table(self) -> Table:
        """The main table as ``(header, rows)`` (for CSV, JSON or a spreadsheet)."""
        return self._HEADER, self._rows()

    def tables(self) -> dict[str, Table]:
        """Every table of the result, by name (the title, or the class name), first the main one."""
        return {self._title() or type(self).__name__: self.table()}

    def to_dataframe(self) -> pandas.DataFrame:
        """The main table as a pandas DataFrame (needs the ``pandas`` extra); columns as in :meth:`to_text`."""
        header, rows = self.table()
        return dataframe(header, rows, index=self._INDEX)

    def to_text(self) -> str:
        """The tables as aligned text, followed by the summary lines."""
        parts = [text_table(h, r, title=name or None) for name, (h, r) in self._named()]
        lines = self.summary()
        return "\n\n".join(parts) + (f"\n{lines}" if lines else "")

    def _named(self) -> list[tuple[str, Table]]:
        tables = self.tables()
        if len(tables) == 1:  # the single table keeps its own title ("" when it has none)
            (_, t), = tables.items()
            return [(self._title(), t)]
        return list(tables.items())

    def _repr_html_(self) -> str:
        parts = [html_table(h, r, caption=name or None) for name, (h, r) in self._named()]
        lines = self.summary()
        table = "\n".join(parts)
        if not lines:
            return table
        return f"{table}\n<ul>" + "".join(f"<li>{html.escape(x)}</li>" for x in lines.splitlines()) + "</ul>"
