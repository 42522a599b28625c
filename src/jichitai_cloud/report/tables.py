"""Exports of any result: every :class:`~jichitai_cloud._display.TableView` to Excel, CSV or HTML.

Results of every topic show themselves through one table protocol (named tables of a header and
rows, :meth:`TableView.tables`); the functions here write those tables, so no topic needs an export
of its own.  Writes are atomic and never replace an existing file unless ``overwrite=True``; no cell
can be read as a formula.

>>> import jichitai_cloud as jc
>>> from jichitai_cloud import report
>>> html = report.to_html(jc.allocate(jc.examples.toyama(), 1_390_000_000, jc.AllocationRule()))
>>> html.startswith("<!DOCTYPE html>")
True
"""

from __future__ import annotations

import html as _html
import os
from typing import Protocol

from .._display import Table, html_table
from ..io import write_atomic
from ..io.files import write_csv
from .workbook import write_xlsx

__all__ = ["Tabular", "to_csv", "to_excel", "to_html"]


class Tabular(Protocol):
    """Anything that hands out named tables: every result of this package."""

    def tables(self) -> dict[str, Table]: ...

    def summary(self) -> str: ...


def to_excel(result: Tabular, path: str | os.PathLike[str], *, overwrite: bool = False) -> None:
    """Write every table of ``result`` to an ``.xlsx`` workbook, one sheet per table (the excel extra).

    Parameters
    ----------
    result
        A result of this package (anything with ``tables()``).
    path
        The workbook to write.
    overwrite
        Replace an existing file (refused by default).
    """
    write_xlsx(path, result.tables(), overwrite=overwrite)


def to_csv(result: Tabular, path: str | os.PathLike[str] | None = None, *, table: str | None = None,
           encoding: str = "utf-8", overwrite: bool = False) -> str:
    """Write one table of ``result`` as formula-safe CSV; returns the text.

    Parameters
    ----------
    result
        A result of this package.
    path
        The file to write, or ``None`` to only return the text.
    table
        The name of the table (one of ``result.tables()``); the first one by default.
    encoding
        ``"utf-8"`` (with a BOM, for Excel) or ``"cp932"``.
    overwrite
        Replace an existing file (refused by default).
    """
    tables = result.tables()
    name = next(iter(tables)) if table is None else table
    if name not in tables:
        from ..errors import ValidationError

        raise ValidationError(f"table must be one of {sorted(tables)}, got {table!r}")
    header, rows = tables[name]
    return write_csv(path, header, rows, encoding=encoding, overwrite=overwrite)


def to_html(result: Tabular, path: str | os.PathLike[str] | None = None, *, title: str | None = None,
            overwrite: bool = False) -> str:
    """A self-contained HTML page with every table of ``result`` and its summary; returns the page.

    Parameters
    ----------
    result
        A result of this package.
    path
        The file to write, or ``None`` to only return the page.
    title
        The page title (the first table's name by default).
    overwrite
        Replace an existing file (refused by default).
    """
    tables = result.tables()
    head = title or next(iter(tables), "jichitai_cloud")
    body = [f"<h1>{_html.escape(head)}</h1>"]
    body += [html_table(h, r, caption=name) for name, (h, r) in tables.items()]
    lines = result.summary()
    if lines:
        body.append("<ul>" + "".join(f"<li>{_html.escape(x)}</li>" for x in lines.splitlines()) + "</ul>")
    page = (
        '<!DOCTYPE html>\n<html lang="ja">\n<head><meta charset="utf-8">'
        f"<title>{_html.escape(head)}</title></head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n"
    )
    if path is not None:
        write_atomic(path, page.encode("utf-8"), overwrite=overwrite)
    return page


