"""Exports of any result: one function per format, built only from the result's declared tables.

Every result of the package hands out its tables as :class:`~jichitai_cloud._display.DataTable`
objects (``result.views()``); the functions here write those, so no topic needs an export of its
own and every format shows the same headings, units and rounded values:

========================  ===========================================================================
:func:`to_excel`          workbook, a sheet per table (numbers with formats, widths, A4 landscape)
:func:`to_html`           a whole page (the package's one page shell, with a print style)
:func:`to_csv`            one table, UTF-8 with a BOM (or CP932), exact integers, rounded rates
:func:`to_json`           every table with its columns' kinds and units, exact numbers
:func:`to_markdown`       every table as Markdown, the summary as a list
:func:`to_text`           every table as aligned text, the summary under it
========================  ===========================================================================

Headings and captions are Japanese by default (``lang="en"``: English).  Writes are atomic and
never replace an existing file unless ``overwrite=True``; no cell can be read as a formula.

>>> import jichitai_cloud as jc
>>> from jichitai_cloud import report
>>> html = report.to_html(jc.allocate(jc.examples.toyama(), 1_390_000_000, jc.AllocationRule()))
>>> html.startswith("<!DOCTYPE html>")
True
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from typing import Any

from .._display import DataTable, Lang, check_lang, render_markdown, render_text
from ..io import write_atomic
from ._data import Header, csv_bytes, csv_encoding, csv_rows, csv_text, json_table
from ._page import page, summary_html, tables_html
from ._source import Tabular, pick_table, summary_lines, tables_of, title_of
from .workbook import write_workbook

__all__ = ["Tabular", "to_csv", "to_excel", "to_html", "to_json", "to_markdown", "to_text"]

Source = Tabular | DataTable | Sequence[DataTable]
"""What the exports take: a result of the package (anything with ``views()``), a table, or tables."""

PathArg = str | os.PathLike[str]


def _write_text(path: PathArg | None, text: str, overwrite: bool) -> None:
    if path is not None:
        write_atomic(path, text.encode("utf-8"), overwrite=overwrite)


def to_excel(result: Source, path: PathArg, *, lang: Lang = "ja", overwrite: bool = False) -> list[str]:
    """Write every table of ``result`` to an ``.xlsx`` workbook, one sheet per table (the excel extra).

    Each sheet has the table's caption in row 1, the headings in row 2 (bold, wrapped, frozen,
    repeated on every printed page), numbers stored as numbers with formats by kind (``#,##0``
    yen, ``0.0%`` rates, ``#,##0.0`` 億円, months as dates shown ``2025年4月``), a bold 合計 line
    with a top border where the table declares one (numbers, never formulas), the notes under it,
    columns as wide as their longest shown value, and A4 landscape fitted to one page wide.  The
    result's summary lines go under the first table.

    Parameters
    ----------
    result
        A result of this package (anything with ``views()``), a ``DataTable``, or several.
    path
        The workbook to write; the write is atomic.
    lang
        ``"ja"`` (default) or ``"en"``: headings, captions, notes, month format.
    overwrite
        Replace an existing file (refused by default).

    Returns
    -------
    list of str
        The sheet names, in order (the declared names, whole words).
    """
    lang = check_lang(lang)
    tables = tables_of(result)
    return write_workbook(path, tables, lang=lang, summary=summary_lines(result, lang), overwrite=overwrite)


def to_csv(result: Source, path: PathArg | None = None, *, table: str | None = None, lang: Lang = "ja",
           encoding: str = "utf-8", header: Header = "heading", overwrite: bool = False) -> str:
    """Write one table of ``result`` as CSV; returns the text (without the BOM).

    Yen, persons and counts are plain integers (``1390000000``), a percent column holds the rate
    rounded at its declared places plus two (30.0 % -> ``0.300``), points and ratios their
    declared decimals, months ISO (``2025-04``), flags ``true``/``false``; text cells are
    formula-safe.  No 合計 line: each column sums to its total once.

    Parameters
    ----------
    result
        A result of this package, a ``DataTable``, or several.
    path
        The file to write, or ``None`` to only return the text.
    table
        Which table: its key or its Japanese or English title (the first one by default).
    lang
        The language of the headings (``"ja"``: ``負担額 (share)``; ``"en"``: ``Share``).
    encoding
        ``"utf-8"`` (written with a BOM, so a spreadsheet opens it correctly) or ``"cp932"``
        (a character CP932 cannot hold is a :class:`~jichitai_cloud.errors.ValidationError`
        naming its line and column).
    header
        ``"heading"`` (the shown headings in ``lang``) or ``"key"`` (the column keys, for programs).
    overwrite
        Replace an existing file (refused by default).
    """
    lang = check_lang(lang)
    csv_encoding(encoding)
    t = pick_table(tables_of(result), table)
    cells = csv_rows(t, lang=lang, header=header)
    if path is not None:
        write_atomic(path, csv_bytes(t, cells, encoding), overwrite=overwrite)
    return csv_text(cells)


def json_data(result: Source, *, lang: Lang = "ja", title: str | None = None) -> dict[str, Any]:
    """The JSON document of :func:`to_json` as Python data."""
    lang = check_lang(lang)
    tables = tables_of(result)
    return {"title": title_of(tables, lang, title), "tables": [json_table(t, lang) for t in tables],
            "summary": list(summary_lines(result, lang))}


def to_json(result: Source, path: PathArg | None = None, *, lang: Lang = "ja", title: str | None = None,
            overwrite: bool = False) -> str:
    """Every table of ``result`` as JSON; returns the text.

    ``{"title", "tables": [{"key", "title", "columns": [{"key", "heading", "kind", "unit",
    "decimals"}], "rows": [{key: value}], "total": {…}, "notes": […]}], "summary": […]}``: yen,
    persons and counts exact integers, rates as decimals rounded at their declared places (30.0 %
    -> ``0.3``; ``decimals`` gives the places of the rate), points at theirs, months ISO
    ``"2025-04"``, flags ``true``/``false``.

    Parameters
    ----------
    result
        A result of this package, a ``DataTable``, or several.
    path
        The file to write (UTF-8), or ``None`` to only return the text.
    lang
        The language of headings, titles, notes and summary.
    title
        The document title (the first table's caption by default).
    overwrite
        Replace an existing file (refused by default).
    """
    text = json.dumps(json_data(result, lang=lang, title=title), ensure_ascii=False, indent=2) + "\n"
    _write_text(path, text, overwrite)
    return text


def to_html(result: Source, path: PathArg | None = None, *, lang: Lang = "ja", title: str | None = None,
            overwrite: bool = False) -> str:
    """A self-contained HTML page with every table of ``result`` and its summary; returns the page.

    The page is the package's one shell (:func:`jichitai_cloud.report.page`): tables fit a
    1280 px window (headings wrap, names and numbers do not, numbers right-aligned), and it prints
    on A4 landscape with the table header repeated on each page.

    Parameters
    ----------
    result
        A result of this package, a ``DataTable``, or several.
    path
        The file to write, or ``None`` to only return the page.
    lang
        ``"ja"`` (default) or ``"en"``; also the page's ``lang`` attribute.
    title
        The page title (the first table's caption by default).
    overwrite
        Replace an existing file (refused by default).
    """
    lang = check_lang(lang)
    tables = tables_of(result)
    body = tables_html(tables, lang)
    summary = summary_html(summary_lines(result, lang))
    html = page(body + ("\n" + summary if summary else ""), title=title_of(tables, lang, title), lang=lang)
    _write_text(path, html, overwrite)
    return html


def to_markdown(result: Source, path: PathArg | None = None, *, lang: Lang = "ja", overwrite: bool = False) -> str:
    """Every table of ``result`` as GitHub-flavoured Markdown, the summary as a list; returns the text.

    Parameters
    ----------
    result
        A result of this package, a ``DataTable``, or several.
    path
        The file to write (UTF-8), or ``None`` to only return the text.
    lang
        ``"ja"`` (default) or ``"en"``.
    overwrite
        Replace an existing file (refused by default).
    """
    lang = check_lang(lang)
    parts = [render_markdown(t, lang) for t in tables_of(result)]
    lines = summary_lines(result, lang)
    if lines:
        parts.append("\n".join(f"- {x}" for x in lines))
    text = "\n\n".join(parts) + "\n"
    _write_text(path, text, overwrite)
    return text


def to_text(result: Source, path: PathArg | None = None, *, lang: Lang = "ja", overwrite: bool = False) -> str:
    """Every table of ``result`` as aligned text (full-width characters count two), the summary
    under it; returns the text.

    Parameters
    ----------
    result
        A result of this package, a ``DataTable``, or several.
    path
        The file to write (UTF-8), or ``None`` to only return the text.
    lang
        ``"ja"`` (default) or ``"en"``.
    overwrite
        Replace an existing file (refused by default).
    """
    lang = check_lang(lang)
    parts = [render_text(t, lang) for t in tables_of(result)]
    text = "\n\n".join(parts)
    lines = summary_lines(result, lang)
    if lines:
        text += "\n" + "\n".join(lines)
    text = text + "\n"
    _write_text(path, text, overwrite)
    return text
