"""Declared tables and their core renderings (text, notebook HTML, Markdown, pandas).

* :mod:`._table`: :class:`Column` (key, Japanese and English heading, kind with its unit and
  decimals) and :class:`DataTable` (columns, rows of stored values, captions, sheet names, notes);
* :mod:`._columns`: the catalogue of shared columns, declared once;
* :mod:`._format`: exact rounding when shown, and shown parts that add up to the shown total;
* :mod:`._units`: unit words as written in records (``"minutes"``) shown in the reader's language (``分``);
* :mod:`._render`: text, HTML, Markdown and DataFrame renderings of one table;
* :mod:`._view`: :class:`TableView`, the mixin every result uses.

The file exports (xlsx, HTML pages, CSV, JSON) live in :mod:`jichitai_cloud.report` and read the
same declarations.
"""

from ._columns import CATALOGUE, col, cols, member_column
from ._format import exact, round_half_up, shown_number, shown_rows, shown_text
from ._json import json_number
from ._render import (
    TOTAL_LABEL,
    display_width,
    render_frame,
    render_html,
    render_markdown,
    render_text,
    shown_cells,
)
from ._table import KINDS, NUMERIC_KINDS, Column, DataTable, Kind, Lang, check_lang, sheet_name_ok
from ._units import UNIT_WORDS, unit_cells, unit_word
from ._view import OneTable, Table, TableView

__all__ = [
    "CATALOGUE",
    "KINDS",
    "NUMERIC_KINDS",
    "TOTAL_LABEL",
    "UNIT_WORDS",
    "Column",
    "DataTable",
    "Kind",
    "Lang",
    "OneTable",
    "Table",
    "TableView",
    "check_lang",
    "col",
    "cols",
    "display_width",
    "exact",
    "json_number",
    "member_column",
    "render_frame",
    "render_html",
    "render_markdown",
    "render_text",
    "round_half_up",
    "sheet_name_ok",
    "shown_cells",
    "shown_number",
    "shown_rows",
    "shown_text",
    "unit_cells",
    "unit_word",
]
