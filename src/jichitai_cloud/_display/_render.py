"""The core renderers of a declared table: aligned text, notebook HTML, Markdown and pandas.

The file exports (xlsx, HTML pages, CSV, JSON) are in :mod:`jichitai_cloud.report`; they read the
same declaration through :func:`~._format.shown_rows`.  pandas is imported only inside
:func:`render_frame`, so ``import jichitai_cloud`` never imports it.
"""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from ._format import shown_rows, shown_text
from ._table import Column, DataTable, Lang

if TYPE_CHECKING:  # pragma: no cover
    import pandas

__all__ = ["TOTAL_LABEL", "display_width", "render_frame", "render_html", "render_markdown", "render_text", "shown_cells"]

TOTAL_LABEL: dict[str, str] = {"ja": "合計", "en": "Total"}
"""The label of a 合計 line, by language."""


def display_width(text: str) -> int:
    """Width of ``text`` in a fixed-width font: full-width (East Asian wide) characters count two."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    fill = " " * (width - display_width(text))
    return fill + text if right else text + fill


def shown_cells(table: DataTable, lang: Lang = "ja") -> tuple[list[list[str]], list[str] | None]:
    """Every shown cell as text: the rows and the 合計 line (labelled in its first text column)."""
    rows, total = shown_rows(table)
    cols = table.columns
    cells = [[shown_text(v, c, lang) for v, c in zip(r, cols, strict=True)] for r in rows]
    total_cells = None
    if total is not None:
        total_cells = [shown_text(v, c, lang) for v, c in zip(total, cols, strict=True)]
        label_at = next((j for j, c in enumerate(cols) if not c.numeric), 0)
        total_cells[label_at] = TOTAL_LABEL[lang]
    return cells, total_cells


def render_text(table: DataTable, lang: Lang = "ja", *, title: bool = True) -> str:
    """A fixed-width text table: numbers right-aligned; full-width characters count double."""
    table = table.in_lang(lang)
    cells, total = shown_cells(table, lang)
    header = list(table.headings(lang))
    body = cells + ([total] if total is not None else [])
    right = [c.numeric for c in table.columns]
    widths = [max([display_width(h)] + [display_width(r[j]) for r in body]) for j, h in enumerate(header)]
    lines = [table.caption(lang)] if title and table.caption(lang) else []
    lines.append("  ".join(_pad(h, w, n) for h, w, n in zip(header, widths, right, strict=True)))
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(_pad(c, w, n) for c, w, n in zip(r, widths, right, strict=True)) for r in cells]
    if total is not None:
        lines.append("  ".join("-" * w for w in widths))
        lines.append("  ".join(_pad(c, w, n) for c, w, n in zip(total, widths, right, strict=True)))
    lines += [f"※ {n}" if lang == "ja" else f"Note: {n}" for n in table.note_lines(lang)]
    return "\n".join(line.rstrip() for line in lines)


def _td(text: str, column: Column, tag: str = "td") -> str:
    cls = {"name": "name", "code": "code", "flag": "flag"}.get(column.kind, "num" if column.numeric else "")
    attr = f' class="{cls}"' if cls else ""
    return f"<{tag}{attr}>{html.escape(text)}</{tag}>"


_ONE_WORD = 12
"""The widest heading without a space kept on one line (a member's name as a column heading, 射水市). [columns]"""


def _heading_html(text: str) -> str:
    """A heading cell, escaped, with a break opportunity after each ``_`` (``reduction_<wbr>rate``); a
    short heading of one word (a name, 滑川市) is never broken (``class="nobr"``), even over a narrow column."""
    attr = ' class="nobr"' if " " not in text and display_width(text) <= _ONE_WORD else ""
    return f"<th{attr}>" + html.escape(text).replace("_", "_<wbr>") + "</th>"


def render_html(table: DataTable, lang: Lang = "ja", *, caption: bool = True) -> str:
    """An HTML table: escaped cells, numbers right-aligned (``class="num"``), names kept on one line
    (``class="name"``), a 合計 line in ``<tfoot>``, notes under it.  Styled by the page shell of
    :mod:`jichitai_cloud.report` and readable without it."""
    table = table.in_lang(lang)
    cells, total = shown_cells(table, lang)
    out = ['<table class="jichitai-cloud">']
    if caption and table.caption(lang):
        out.append(f"<caption>{html.escape(table.caption(lang))}</caption>")
    out.append("<thead><tr>" + "".join(_heading_html(h) for h in table.headings(lang))
               + "</tr></thead>")
    out.append("<tbody>")
    out += ["<tr>" + "".join(_td(t, c) for t, c in zip(r, table.columns, strict=True)) + "</tr>" for r in cells]
    out.append("</tbody>")
    if total is not None:
        out.append('<tfoot><tr class="total">'
                   + "".join(_td(t, c) for t, c in zip(total, table.columns, strict=True)) + "</tr></tfoot>")
    out.append("</table>")
    notes = table.note_lines(lang)
    if notes:
        out.append('<p class="note">' + "<br>".join(html.escape(f"※ {n}" if lang == "ja" else n) for n in notes)
                   + "</p>")
    return "\n".join(out)


def render_markdown(table: DataTable, lang: Lang = "ja", *, title: bool = True) -> str:
    """A GitHub-flavoured Markdown table (pipes escaped; numbers right-aligned)."""
    table = table.in_lang(lang)
    cells, total = shown_cells(table, lang)

    def cell(text: str) -> str:
        return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")

    lines = [f"**{cell(table.caption(lang))}**", ""] if title and table.caption(lang) else []
    lines.append("| " + " | ".join(cell(h) for h in table.headings(lang)) + " |")
    lines.append("|" + "|".join("---:" if c.numeric else "---" for c in table.columns) + "|")
    lines += ["| " + " | ".join(cell(x) for x in r) + " |" for r in cells]
    if total is not None:
        lines.append("| " + " | ".join(f"**{cell(x)}**" if x else "" for x in total) + " |")
    notes = table.note_lines(lang)
    if notes:
        lines += [""] + [f"※ {cell(n)}" if lang == "ja" else cell(n) for n in notes]
    return "\n".join(lines)


def _frame_column(values: Sequence[Any], column: Column) -> Any:
    import pandas as pd

    kind = column.kind
    if kind == "month":
        return pd.PeriodIndex([None if v is None else pd.Period(year=v.year, month=v.month, freq="M")
                               for v in values], freq="M")
    if kind == "flag":
        if any(v is None for v in values):
            return pd.array(values, dtype="boolean")
        return pd.array(values, dtype=bool)
    if kind in {"yen", "persons", "months", "count"}:
        if any(v is None for v in values):
            return pd.array(values, dtype="Int64")
        return pd.array([int(v) for v in values], dtype="int64")
    if column.numeric:
        return pd.array([None if v is None else float(v) if not isinstance(v, int) or kind == "oku_yen"
                         else v for v in values], dtype="float64" if kind not in {"yen"} else None)
    if kind == "date":
        return pd.to_datetime(list(values))
    return list(values)


def render_frame(table: DataTable) -> pandas.DataFrame:
    """A pandas DataFrame of the table's stored values (the ``pandas`` extra).

    Columns are the keys; yen, persons and counts are ``int64`` (``Int64`` where a value is
    missing), months ``Period[M]``, flags ``bool``, rates and points ``float64`` (exact rates
    converted once); 億円 columns hold yen ÷ 10**8.  The 合計 line is never a row.
    """
    try:
        import pandas as pd
    except ImportError as exc:  # pragma: no cover - exercised only without pandas
        raise ImportError(
            "to_dataframe() needs pandas, an optional extra: pip install 'jichitai-cloud[pandas]'"
        ) from exc
    data: dict[str, Any] = {}
    for j, c in enumerate(table.columns):
        values = [r[j] for r in table.rows]
        if c.kind == "oku_yen":
            values = [None if v is None else Fraction(v) / 10**8 for v in values]
        data[c.key] = _frame_column(values, c)
    frame = pd.DataFrame(data, columns=list(table.keys))
    return frame.set_index(table.index) if table.index is not None else frame
