"""What the exports read from a result: its declared tables and its summary lines.

Every export of :mod:`jichitai_cloud.report` takes anything with ``views()`` (every result of the
package), a single :class:`~jichitai_cloud._display.DataTable`, or a sequence of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from .._display import DataTable, Lang
from ..errors import ValidationError

__all__ = ["Tabular", "pick_table", "summary_lines", "tables_of", "title_of"]


class Tabular(Protocol):
    """Anything that hands out declared tables: every result of this package."""

    def views(self) -> tuple[DataTable, ...]: ...


def tables_of(result: Tabular | DataTable | Sequence[DataTable]) -> tuple[DataTable, ...]:
    """The declared tables of ``result`` (a result with ``views()``, a table, or tables)."""
    if isinstance(result, DataTable):
        return (result,)
    if isinstance(result, list | tuple) and result and all(isinstance(t, DataTable) for t in result):
        return tuple(result)
    views = getattr(result, "views", None)
    if views is None:
        raise ValidationError(f"{type(result).__name__} has no declared tables: give a result of the package "
                              "(anything with views()) or a DataTable")
    tables = tuple(views())
    if not tables:
        raise ValidationError(f"{type(result).__name__} has no tables to write")
    return tables


def pick_table(tables: Sequence[DataTable], table: str | None) -> DataTable:
    """The table named ``table`` (its key, or its Japanese or English title); the first by default."""
    if table is None:
        return tables[0]
    for t in tables:
        if table in (t.key, t.title, t.title_en):
            return t
    raise ValidationError(f"table must be one of {[t.key for t in tables]} (or their titles), got {table!r}")


def summary_lines(result: Any, lang: Lang) -> tuple[str, ...]:
    """The summary lines of ``result`` in ``lang`` (none for a bare table)."""
    summary = getattr(result, "summary", None)
    if summary is None or isinstance(result, DataTable) or not callable(summary):
        return ()
    text = summary(lang)
    out = []
    for line in str(text or "").splitlines():
        line = line.strip()
        for bullet in ("- ", "* ", "・"):  # a bullet of the text rendering: each line is an item already
            if line.startswith(bullet):
                line = line[len(bullet):].strip()
                break
        if line:
            out.append(line)
    return tuple(out)


def title_of(tables: Sequence[DataTable], lang: Lang, title: str | None) -> str:
    """The page or document title: ``title`` if given, else the first table's caption."""
    if title:
        return title
    first = tables[0]
    return first.caption(lang) or first.caption("ja") or first.key
