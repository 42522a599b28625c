"""The one HTML page shell of the package: used by the CLI, :func:`jichitai_cloud.report.to_html` and
the council report.

A page is self-contained (no external file, no script): a compact screen style in which tables fit
a 1280 px wide window (headings wrap, names and numbers do not, numbers are right-aligned), and a
print style for A4 landscape (the table header repeats on every printed page, the navigation is
not printed, a section starts on a new page).

>>> from jichitai_cloud.report import page
>>> html = page("<p>本文</p>", title="協議会報告", lang="ja")
>>> html.startswith("<!DOCTYPE html>") and '<html lang="ja">' in html
True
"""

from __future__ import annotations

import html as _html
from collections.abc import Iterable, Sequence

from .._display import DataTable, Lang, check_lang, render_html

__all__ = ["PAGE_CSS", "PAGE_WIDTH", "page", "summary_html", "tables_html"]

PAGE_WIDTH = 1280
"""The window width every table of a page fits in. [px]"""

PAGE_CSS = """\
:root{color-scheme:light}
body{font-family:"Noto Sans CJK JP","Hiragino Sans","Yu Gothic","Meiryo",sans-serif;font-size:14px;
 line-height:1.45;color:#111;margin:16px 24px;max-width:1232px}
h1{font-size:1.5em;margin:.2em 0 .6em}
h2{font-size:1.2em;margin:1.6em 0 .4em;border-bottom:2px solid #1f4e79;padding-bottom:2px}
nav ol{margin:.2em 0 1em;padding-left:1.6em;columns:2}
table.jichitai-cloud{border-collapse:collapse;margin:.6em 0 .4em;font-size:12px;
 font-variant-numeric:tabular-nums;max-width:100%}
table.jichitai-cloud caption{text-align:left;font-weight:bold;font-size:13px;padding:2px 0}
table.jichitai-cloud th,table.jichitai-cloud td{border:1px solid #9aa5b1;padding:2px 6px;vertical-align:top}
table.jichitai-cloud th{background:#ddebf7;white-space:normal;overflow-wrap:break-word;text-align:center;
 vertical-align:bottom;font-weight:bold}
table.jichitai-cloud th.nobr{white-space:nowrap}
table.jichitai-cloud td.num{text-align:right;white-space:nowrap}
table.jichitai-cloud td.name,table.jichitai-cloud td.code{white-space:nowrap}
table.jichitai-cloud td.flag{text-align:center}
table.jichitai-cloud tbody tr:nth-child(even) td{background:#f6f8fa}
table.jichitai-cloud tfoot td{font-weight:bold;border-top:2px solid #333;background:#fff}
p.note{color:#444;font-size:12px;margin:.2em 0 1em}
ul.summary{margin:.4em 0 1em;padding-left:1.4em}
figure{margin:1em 0}figure img{max-width:100%;height:auto}
figcaption{font-size:12px;color:#444}
@page{size:A4 landscape;margin:12mm}
@media print{
 body{margin:0;max-width:none;font-size:10pt}
 nav{display:none}
 h2{break-after:avoid}
 section+section{break-before:page}
 table.jichitai-cloud{font-size:8.5pt;page-break-inside:auto}
 table.jichitai-cloud thead{display:table-header-group}
 table.jichitai-cloud tfoot{display:table-row-group}
 table.jichitai-cloud tr{break-inside:avoid}
 table.jichitai-cloud tbody tr:nth-child(even) td{background:none}
 a{color:inherit;text-decoration:none}
}
"""
"""The style of every page: screen (fits :data:`PAGE_WIDTH`) and print (A4 landscape)."""


def page(body_html: str, *, title: str, lang: Lang = "ja", heading: bool = True) -> str:
    """A whole HTML page around ``body_html`` (the one shell of the package).

    Parameters
    ----------
    body_html
        The content (already escaped HTML: tables from :func:`tables_html`, figures, lists).
    title
        The page title (``<title>``, and an ``<h1>`` when ``heading``); escaped here.
    lang
        The language of the page (``<html lang>``): ``"ja"`` or ``"en"``.
    heading
        Put ``title`` as an ``<h1>`` above the body (off when the body has its own).
    """
    lang = check_lang(lang)
    head = _html.escape(title or "jichitai_cloud")
    h1 = f"<h1>{head}</h1>\n" if heading else ""
    return (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{head}</title>\n<style>\n{PAGE_CSS}</style>\n</head>\n<body>\n{h1}"
            f"{body_html.rstrip()}\n</body>\n</html>\n")


def tables_html(tables: Iterable[DataTable], lang: Lang = "ja", *, sections: bool = False) -> str:
    """The declared ``tables`` as HTML (caption, headings, rows, 合計 line, notes), one after another.

    With ``sections=True`` each table is a ``<section id="t1">`` headed by an ``<h2>`` with its caption
    (a report with a table of contents); otherwise the caption is the table's ``<caption>``.
    """
    lang = check_lang(lang)
    out = []
    for i, t in enumerate(tables, start=1):
        if sections:
            out.append(f'<section id="t{i}"><h2>{_html.escape(t.caption(lang) or t.key)}</h2>')
            out.append(render_html(t, lang, caption=False))
            out.append("</section>")
        else:
            out.append(render_html(t, lang))
    return "\n".join(out)


def summary_html(lines: Sequence[str]) -> str:
    """Summary lines as a list (``""`` when there are none)."""
    if not lines:
        return ""
    return '<ul class="summary">' + "".join(f"<li>{_html.escape(x)}</li>" for x in lines) + "</ul>"
