"""The table protocol: every result hands out declared tables, and shows itself from them."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any, ClassVar

import attrs

from ..errors import ValidationError
from ._render import render_frame, render_html, render_markdown, render_text
from ._table import Column, DataTable, Lang, check_lang

if TYPE_CHECKING:  # pragma: no cover
    import pandas

__all__ = ["OneTable", "Table", "TableView"]

Table = tuple[tuple[str, ...], list[list[Any]]]
"""One table as plain data: ``(column keys, rows of stored values)``."""


class TableView:
    """Mixin for a result that shows itself as declared tables plus a few lines of verdict.

    The table protocol of the package: every result, whatever its topic, hands out its content as
    :class:`~jichitai_cloud._display.DataTable` objects (:meth:`views`), and every rendering --
    text, notebook HTML, Markdown, pandas, and the exports of :mod:`jichitai_cloud.report` (xlsx,
    HTML pages, CSV, JSON) -- is built from them.

    A subclass (an attrs class; the mixin has empty ``__slots__``) either declares one table with
    ``_COLUMNS`` (a tuple of :class:`~jichitai_cloud._display.Column`), ``_rows()`` and
    ``_title(lang)`` (and optionally ``_KEY``, ``_SHEET``, ``_INDEX``, ``_TOTALS``, ``_SUMS``), or
    overrides :meth:`views` for several.  ``summary(lang)`` gives the verdict lines in Japanese
    (default) or English.  Totals never go into a table's rows (a DataFrame of the rows sums to
    the total once); a table that declares ``totals`` shows a 合計 line in its renderings only.
    """

    __slots__ = ()
    _COLUMNS: ClassVar[tuple[Column, ...]] = ()
    _INDEX: ClassVar[str | None] = None
    _KEY: ClassVar[str] = ""
    _SHEET: ClassVar[tuple[str, str]] = ("", "")
    _TOTALS: ClassVar[bool] = False
    _SUMS: ClassVar[tuple[tuple[str, tuple[str, ...]], ...]] = ()

    # -- what a subclass provides -----------------------------------------------------------------
    def _rows(self) -> list[list[Any]]:
        raise NotImplementedError(f"{type(self).__name__} must define _rows() or views()")

    def _title(self, lang: Lang = "ja") -> str:
        return ""

    def _notes(self, lang: Lang = "ja") -> tuple[str, ...]:
        return ()

    def summary(self, lang: Lang = "ja") -> str:
        """The verdict in a few lines, in Japanese (``lang="en"``: English); ``""`` if the table says it all."""
        return ""

    # -- the declared tables ----------------------------------------------------------------------
    def views(self) -> tuple[DataTable, ...]:
        """Every declared table of the result, the main one first."""
        if not self._COLUMNS:
            raise NotImplementedError(f"{type(self).__name__} declares no table: give it _COLUMNS (with _rows() "
                                      "and _title()) or override views()")
        key = self._KEY or type(self).__name__
        return (DataTable(key=key, title=self._title("ja"), title_en=self._title("en"), columns=self._COLUMNS,
                          rows=self._rows(), sheet=self._SHEET[0], sheet_en=self._SHEET[1], index=self._INDEX,
                          totals=self._TOTALS, sums=self._SUMS, notes=self._notes("ja"),
                          notes_en=self._notes("en")),)

    def view(self, name: str | None = None) -> DataTable:
        """One declared table: by key or Japanese title, the main one by default."""
        views = self.views()
        if name is None:
            return views[0]
        for t in views:
            if name in (t.key, t.title, t.title_en):
                return t
        raise ValidationError(f"{type(self).__name__} has no table {name!r}; it has {[t.key for t in views]}")

    def tables(self) -> dict[str, Table]:
        """Every table as plain data, ``{Japanese title: (column keys, rows)}``, the main one first."""
        return {(t.title or t.key): (t.keys, [list(r) for r in t.rows]) for t in self.views()}

    def table(self) -> Table:
        """The main table as ``(column keys, rows)``."""
        t = self.views()[0]
        return t.keys, [list(r) for r in t.rows]

    # -- renderings -------------------------------------------------------------------------------
    def to_dataframe(self, table: str | None = None) -> pandas.DataFrame:
        """A table as a pandas DataFrame (the ``pandas`` extra): the main one, or ``table`` by key
        or title.  Columns are the keys; yen ``int64``, months ``Period[M]``, flags ``bool``."""
        return render_frame(self.view(table))

    def to_text(self, lang: Lang = "ja") -> str:
        """The tables as aligned text, followed by the summary lines."""
        lang = check_lang(lang)
        parts = [render_text(t, lang) for t in self.views()]
        lines = self.summary(lang)
        return "\n\n".join(parts) + (f"\n{lines}" if lines else "")

    def to_markdown(self, lang: Lang = "ja") -> str:
        """The tables as Markdown, followed by the summary lines."""
        lang = check_lang(lang)
        parts = [render_markdown(t, lang) for t in self.views()]
        lines = self.summary(lang)
        if lines:
            parts.append("\n".join(f"- {x.strip()}" for x in lines.splitlines() if x.strip()))
        return "\n\n".join(parts) + "\n"

    def html_fragment(self, lang: Lang = "ja") -> str:
        """The tables and the summary as an HTML fragment (what a notebook shows; a whole page:
        :func:`jichitai_cloud.report.to_html`)."""
        lang = check_lang(lang)
        parts = [render_html(t, lang) for t in self.views()]
        lines = self.summary(lang)
        if lines:
            items = [x.strip().removeprefix("- ").strip() for x in lines.splitlines()]
            parts.append('<ul class="summary">'
                         + "".join(f"<li>{html.escape(x)}</li>" for x in items if x) + "</ul>")
        return "\n".join(parts)

    def _repr_html_(self) -> str:
        return self.html_fragment("ja")


@attrs.frozen(slots=True)
class OneTable(TableView):
    """One declared table shown as a result (text, notebook HTML, DataFrame, every export).

    What a result's method returns when it hands out one of its tables on its own (e.g.
    :meth:`jichitai_cloud.billing.MonthlyBill.by_member`).
    """

    data: DataTable

    def views(self) -> tuple[DataTable, ...]:
        """The table."""
        return (self.data,)
