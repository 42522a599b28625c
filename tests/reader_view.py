"""What a reader sees in an exported workbook or page, computed independently of the library's writers.

Used by ``tests/test_look.py`` and ``tests/test_renderers.py``: the text a spreadsheet program
shows for a cell under its number format, the width a column needs for it, and the width a browser
gives an HTML table (estimated from the rendered text: no browser needed).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from html.parser import HTMLParser
from typing import Any

FORMAT = re.compile(r"^(#,##)?0(?:\.(0+))?(%)?$")
CODE = re.compile(r"^\d{6}$")
NUMBER_TEXT = re.compile(r"^[-+]?[\d,]+(\.\d+)?\s?%?$")


def width(text: str) -> int:
    """Characters of ``text`` in a fixed-width font: full-width (East Asian wide) characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def round_half_up(x: float, places: int) -> str:
    from decimal import ROUND_HALF_UP, Decimal

    return str(Decimal(repr(x)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def shown(value: Any, fmt: str) -> str:
    """The text a spreadsheet shows for ``value`` under the number format ``fmt``."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        if "年" in fmt:
            return f"{value.year}年{value.month}月"
        if fmt == "yyyy-mm":
            return f"{value.year:04d}-{value.month:02d}"
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        m = FORMAT.match(fmt)
        if m is None:
            raise AssertionError(f"unexpected number format {fmt!r} for {value!r}")
        places = len(m.group(2) or "")
        x = value * 100 if m.group(3) else value
        text = round_half_up(float(x), places)
        if m.group(1):
            whole, _, frac = text.partition(".")
            sign = "-" if whole.startswith("-") else ""
            whole = f"{int(whole.lstrip('-')):,}"
            text = sign + whole + ("." + frac if frac else "")
        return text + ("%" if m.group(3) else "")
    return str(value)


class _Tables(HTMLParser):
    """Collects every ``<table>`` of a page: headings (with break opportunities) and cells with their class."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict[str, Any]] = []
        self._cell: dict[str, Any] | None = None
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append({"rows": [], "caption": ""})
        elif tag == "tr" and self.tables:
            self.tables[-1]["rows"].append([])
        elif tag in ("td", "th") and self.tables:
            self._cell = {"tag": tag, "class": dict(attrs).get("class") or "", "text": "", "breaks": []}
        elif tag == "wbr" and self._cell is not None:
            self._cell["breaks"].append(len(self._cell["text"]))
        elif tag == "caption":
            self._cell = {"tag": "caption", "class": "", "text": "", "breaks": []}

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self.tables:
            self.tables[-1]["rows"][-1].append(self._cell)
            self._cell = None
        elif tag == "caption" and self._cell is not None:
            self.tables[-1]["caption"] = self._cell["text"]
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell["text"] += data


def html_tables(page: str) -> list[dict[str, Any]]:
    """The tables of ``page``: ``{"caption", "rows": [[{"tag", "class", "text", "breaks"}]]}``."""
    p = _Tables()
    p.feed(page)
    return p.tables


FONT_PX = 12.0
"""The table font size of the page's style. [px]"""
PAD_PX = 2 * 6 + 1
"""Left and right padding of a cell plus its border. [px]"""


def text_px(text: str, bold: bool = False) -> float:
    """An upper estimate of the rendered width of ``text`` at :data:`FONT_PX`: a full-width
    character is one em, an ASCII digit or letter 0.62 em (bold 0.66). [px]"""
    narrow = 0.66 if bold else 0.62
    return sum(FONT_PX if unicodedata.east_asian_width(ch) in "WF" else FONT_PX * narrow for ch in text)


def _pieces(cell: dict[str, Any]) -> list[str]:
    """What cannot be broken in a heading: words between spaces and ``<wbr>`` points; a full-width
    character is a piece of its own (a browser may break between them)."""
    text: str = cell["text"]
    cuts = sorted(set(cell["breaks"]))
    parts, start = [], 0
    for c in cuts:
        parts.append(text[start:c])
        start = c
    parts.append(text[start:])
    out: list[str] = []
    for part in parts:
        for word in part.split():
            run = ""
            for ch in word:
                if unicodedata.east_asian_width(ch) in "WF":
                    if run:
                        out.append(run)
                        run = ""
                    out.append(ch)
                else:
                    run += ch
            if run:
                out.append(run)
    return out


def table_px(table: dict[str, Any]) -> float:
    """The narrowest width a browser can lay ``table`` out in: each column as wide as its widest
    unbreakable cell (data cells do not wrap; headings wrap between pieces, one-word ones not at all). [px]"""
    cols: dict[int, float] = {}
    for row in table["rows"]:
        for j, cell in enumerate(row):
            if cell["tag"] == "th" and cell["class"] == "nobr":  # a one-word heading (a name): never wrapped
                need = text_px(cell["text"].strip(), bold=True)
            elif cell["tag"] == "th":
                need = max((text_px(p, bold=True) for p in _pieces(cell)), default=0.0)
            elif cell["class"] in ("num", "name", "code"):  # never wrapped
                need = text_px(cell["text"].strip())
            else:  # other text wraps at spaces
                need = max((text_px(w) for w in cell["text"].split()), default=0.0)
            cols[j] = max(cols.get(j, 0.0), need + PAD_PX)
    return math.fsum(cols.values()) + 1
