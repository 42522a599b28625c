"""One report for the council (協議会報告): every result already computed, in one workbook or one page.

>>> import jichitai_cloud as jc
>>> from jichitai_cloud import report
>>> council = jc.examples.toyama()
>>> result = jc.allocate(council, 1_390_000_000, jc.AllocationRule(ratios={"equal": 3, "population": 7},
...                                                                  min_reduction=0.30))
>>> r = report.council_report(council, allocation=result)
>>> [s.name for s in r.sheets]
['参加団体', '費用按分', '導入効果']
>>> r.sheet("費用按分").totals()[r.sheet("費用按分").column("share")] == 1_390_000_000
True

:func:`council_report` computes nothing: it takes the council and the results the secretariat has
(an allocation, a cost statement, the customization tables, the evaluation, the monthly report, a
schedule) and lays them out as sheets with Japanese headings (English beside), numbers stored as
numbers with yen (``#,##0``) and percent (``0.0%``) formats, and a 合計 line under each money table
whose figures are the library's own totals.  :meth:`CouncilReport.to_excel` writes the workbook (no
cell can be read as a formula), :meth:`CouncilReport.to_html` a self-contained page with the same
tables and the charts (matplotlib, the plot extra) embedded as images.
"""

from __future__ import annotations

import base64
import html as _html
import io as _io
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import attrs

from .._display import Table, TableView, format_cell
from ..errors import ValidationError
from ..io import write_atomic
from ._headings import RATE, YEN, YEN_FORMAT, bilingual
from .workbook import write_xlsx

if TYPE_CHECKING:  # pragma: no cover
    from ..allocation import Allocation, EffectTable
    from ..model import Consortium
    from .tables import Tabular

__all__ = ["CouncilReport", "ReportSheet", "council_report"]

TOTAL_LABEL = "合計 (total)"
"""The label of a sheet's totals line."""

_RATE_FORMAT = "0.0%"


@attrs.frozen(kw_only=True, slots=True)
class ReportSheet:
    """One sheet of the council report: a table with its headings, number formats and totals.

    Parameters
    ----------
    name
        Sheet name (at most 31 characters), e.g. ``費用按分``.
    title
        The line above the table: topic in Japanese and English, and the result's own title.
    columns
        The column names as the library calls them (``share``).
    rows
        The values: integers in yen or persons, floats for rates (``0.3`` for 30 %), text.
    formats
        One Excel number format per column (``#,##0``, ``0.0%``) or ``None``.
    total_columns
        The columns summed in the 合計 line (none: the sheet has no totals line).
    """

    name: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    formats: tuple[str | None, ...]
    total_columns: tuple[int, ...] = ()

    @property
    def header(self) -> tuple[str, ...]:
        """The headings shown: Japanese with English beside (``負担額 (share)``)."""
        return tuple(bilingual(c) for c in self.columns)

    def column(self, name: str) -> int:
        """Position of the column called ``name`` (the library's name, e.g. ``"share"``)."""
        try:
            return self.columns.index(name)
        except ValueError:
            raise ValidationError(f"sheet {self.name!r} has no column {name!r}; it has {list(self.columns)}") from None

    def totals(self) -> tuple[Any, ...] | None:
        """The 合計 line: the label, then the sum of each totalled column (integers) [yen, persons]."""
        if not self.total_columns:
            return None
        out: list[Any] = [None] * len(self.columns)
        out[0] = TOTAL_LABEL
        for j in self.total_columns:
            out[j] = sum(r[j] for r in self.rows if isinstance(r[j], int) and not isinstance(r[j], bool))
        return tuple(out)


def _formats(columns: Sequence[str], rows: Sequence[Sequence[Any]], yen: frozenset[str]) -> tuple[str | None, ...]:
    out: list[str | None] = []
    for j, c in enumerate(columns):
        values = [r[j] for r in rows if r[j] is not None and not isinstance(r[j], bool)]
        if c in RATE:
            out.append(_RATE_FORMAT)
        elif c in yen or (values and all(isinstance(x, int) for x in values)):
            out.append(YEN_FORMAT)
        elif values and all(isinstance(x, int | float) for x in values):
            out.append("0.00")
        else:
            out.append(None)
    return tuple(out)


def _sheet(name: str, title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]], *,
           total: Sequence[str] = (), yen: frozenset[str] = YEN) -> ReportSheet:
    columns = tuple(columns)
    fixed = tuple(tuple(r) for r in rows)
    return ReportSheet(name=name, title=title, columns=columns, rows=fixed, formats=_formats(columns, fixed, yen),
                       total_columns=tuple(j for j, c in enumerate(columns) if c in total))


def _members_sheet(council: Consortium) -> ReportSheet:
    rows = [[m.code, m.name, m.population, m.current_cost, m.penalty,
             m.current_system_end.era_short() if m.current_system_end else None,
             m.cloud_start.era_short() if m.cloud_start else None] for m in council.members]
    return _sheet("参加団体", f"参加団体 (members): {council.name}",
                  ("code", "name", "population", "current_cost", "penalty", "current_system_end", "cloud_start"),
                  rows, total=("population", "current_cost", "penalty"))


def _allocation_sheet(allocation: Allocation) -> ReportSheet:
    rows = [[m.code, m.name, m.months_on_cloud, m.current_cost, m.rule_share, m.cap, m.cap_bound, m.share,
             m.penalty, m.net_cost, m.reduction, m.reduction_rate] for m in allocation.members]
    title = next(iter(allocation.tables()), "")
    return _sheet("費用按分", f"費用按分 (cost allocation): {title}",
                  ("code", "name", "months", "current_cost", "rule_share", "cap", "cap_bound", "share", "penalty",
                   "net_cost", "reduction", "reduction_rate"),
                  rows, total=("current_cost", "rule_share", "share", "penalty", "net_cost", "reduction"))


def _effect_sheet(effect: EffectTable, council: Consortium) -> ReportSheet:
    pub = council.published.cloud_fees if council.published is not None else {}
    with_pub = bool(pub) and all(r.code in pub for r in effect.rows)
    columns = ["code", "name", "current_cost", "cloud_fee", "reduction", "reduction_rate"]
    if with_pub:
        columns += ["published_cloud_fee", "difference"]
    rows = []
    for r in effect.rows:
        row: list[Any] = [r.code, r.name, r.current_cost, r.cloud_fee, r.current_cost - r.cloud_fee, r.reduction_rate]
        if with_pub:
            row += [pub[r.code], r.cloud_fee - pub[r.code]]
        rows.append(row)
    return _sheet("導入効果", f"導入効果 (five-year effect): {effect.title}", columns, rows,
                  total=("current_cost", "cloud_fee", "reduction", "published_cloud_fee", "difference"))


_TOPICS: dict[str, tuple[str, str, bool]] = {
    "statement": ("費用明細", "cost statement", True),
    "customization": ("カスタマイズ", "customization", True),
    "evaluation": ("総合評価", "evaluation", False),
    "operations": ("月次報告", "SLA and monthly report", False),
    "schedule": ("スケジュール", "schedule", False),
}
"""Topic -> (Japanese name, English name, whether its money tables get a 合計 line)."""

_NOT_ADDITIVE = frozenset({"脱退"})
"""Tables whose money columns repeat one amount per row (summing them means nothing)."""


def _topic_sheets(topic: str, results: Tabular | Sequence[Tabular], codes: tuple[str, ...]) -> list[ReportSheet]:
    ja, en, additive = _TOPICS[topic]
    items: Sequence[Tabular] = results if isinstance(results, list | tuple) else (results,)
    tables: list[tuple[str, Table]] = []
    for result in items:
        tables += list(result.tables().items())
    yen = YEN | frozenset(codes)
    if topic == "statement":  # members x items: every integer column is yen
        yen = yen | frozenset(c for _, (h, rows) in tables for j, c in enumerate(h)
                              if rows and all(isinstance(r[j], int) and not isinstance(r[j], bool) for r in rows))
    out = []
    for name, (header, rows) in tables:
        sheet_name = ja if len(tables) == 1 else f"{ja} {name}"
        total: tuple[str, ...] = ()
        if additive and name not in _NOT_ADDITIVE:
            total = tuple(c for c in header if c in yen or (c == "total" and topic == "customization"))
        out.append(_sheet(sheet_name, f"{ja} ({en}): {name}", header, rows, total=total,
                          yen=yen | (frozenset({"total"}) if topic == "customization" else frozenset())))
    return out


def _unique_names(sheets: list[ReportSheet]) -> tuple[ReportSheet, ...]:
    from .workbook import _sheet_title

    used: set[str] = set()
    return tuple(attrs.evolve(s, name=_sheet_title(s.name, used)) for s in sheets)


@attrs.frozen(kw_only=True, slots=True)
class CouncilReport(TableView):
    """The council report: sheets in order, and the effect table drawn as a chart in the page.

    Parameters
    ----------
    title
        The report's title (the council's name).
    sheets
        One :class:`ReportSheet` per table, topic by topic.
    effect
        The five-year effect table drawn in the HTML page, if any.
    """

    title: str
    sheets: tuple[ReportSheet, ...]
    effect: EffectTable | None = None

    def sheet(self, name: str) -> ReportSheet:
        """The sheet called ``name``."""
        for s in self.sheets:
            if s.name == name:
                return s
        raise ValidationError(f"no sheet {name!r}; the report has {[s.name for s in self.sheets]}")

    def tables(self) -> dict[str, Table]:
        """Every sheet as ``(headings, rows)``; the 合計 lines are not among the rows (see :meth:`summary`)."""
        return {s.name: (s.header, [list(r) for r in s.rows]) for s in self.sheets}

    def summary(self) -> str:
        """One line per sheet that has a 合計 line."""
        lines = []
        for s in self.sheets:
            t = s.totals()
            if t is not None:
                parts = [f"{s.header[j]} {format_cell(t[j])}" for j in s.total_columns]
                lines.append(f"{s.name} 合計: " + ", ".join(parts))
        return "\n".join(lines)

    def to_excel(self, path: str | os.PathLike[str], *, overwrite: bool = False) -> None:
        """Write the workbook: one sheet per table, title in row 1, headings in row 2, 合計 last.

        Numbers are stored as numbers (yen ``#,##0``, rates ``0.0%``), the 合計 line's figures are
        numbers too (never formulas), and no text cell can be read as a formula.  The write is
        atomic; an existing file is replaced only with ``overwrite=True``.  Needs the excel extra.
        """
        write_xlsx(
            path,
            {s.name: (s.header, s.rows) for s in self.sheets},
            overwrite=overwrite,
            number_formats={s.name: s.formats for s in self.sheets},
            totals={s.name: t for s in self.sheets if (t := s.totals()) is not None},
            titles={s.name: s.title for s in self.sheets},
        )

    def to_html(self, path: str | os.PathLike[str] | None = None, *, charts: bool = True,
                overwrite: bool = False) -> str:
        """A self-contained HTML page with every sheet's table and the charts; returns the page.

        Parameters
        ----------
        path
            The file to write, or ``None`` to only return the page.
        charts
            Embed the charts (PNG, base64) when matplotlib is installed; without it the page says
            so and shows the tables alone.
        overwrite
            Replace an existing file (refused by default); the write is atomic.
        """
        body = [f"<h1>{_html.escape(self.title)}</h1>", "<nav><ol>"]
        body += [f'<li><a href="#s{i}">{_html.escape(s.name)}</a></li>' for i, s in enumerate(self.sheets)]
        body.append("</ol></nav>")
        if charts and self.effect is not None:
            body.append(_chart_html(self.effect))
        for i, s in enumerate(self.sheets):
            body.append(f'<section id="s{i}"><h2>{_html.escape(s.name)}</h2>')
            body.append(_html_sheet(s))
            body.append("</section>")
        page = (
            '<!DOCTYPE html>\n<html lang="ja">\n<head><meta charset="utf-8">'
            f"<title>{_html.escape(self.title)}</title>\n<style>{_CSS}</style></head>\n<body>\n"
            + "\n".join(body) + "\n</body>\n</html>\n"
        )
        if path is not None:
            write_atomic(path, page.encode("utf-8"), overwrite=overwrite)
        return page


_CSS = ("body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin:1em 0}"
        "th,td{border:1px solid #999;padding:2px 6px}th{background:#ddebf7}"
        "tfoot td{font-weight:bold;border-top:2px solid #333}caption{text-align:left;font-weight:bold}"
        ".note{color:#555}")


def _cell_html(value: Any, fmt: str | None) -> str:
    numeric = isinstance(value, int | float) and not isinstance(value, bool)
    if numeric and fmt == _RATE_FORMAT:
        text = f"{value * 100:.1f} %"
    elif numeric and fmt == YEN_FORMAT:
        text = f"{value:,.0f}"
    else:
        text = format_cell(value)
    align = ' style="text-align:right"' if numeric else ""
    return f"<td{align}>{_html.escape(text)}</td>"


def _html_sheet(s: ReportSheet) -> str:
    out = ['<table class="jichitai-cloud">', f"<caption>{_html.escape(s.title)}</caption>",
           "<thead><tr>" + "".join(f"<th>{_html.escape(h)}</th>" for h in s.header) + "</tr></thead>", "<tbody>"]
    out += ["<tr>" + "".join(_cell_html(x, f) for x, f in zip(r, s.formats, strict=True)) + "</tr>" for r in s.rows]
    out.append("</tbody>")
    t = s.totals()
    if t is not None:
        out.append("<tfoot><tr>" + "".join(_cell_html(x, f) for x, f in zip(t, s.formats, strict=True))
                   + "</tr></tfoot>")
    out.append("</table>")
    return "\n".join(out)


def _chart_html(effect: EffectTable) -> str:
    try:
        from matplotlib.figure import Figure
    except ImportError:
        return ('<p class="note">グラフは matplotlib が必要です (charts need matplotlib: '
                "pip install 'jichitai-cloud[plot]'); the tables follow.</p>")
    from .plots import plot_effect

    fig = Figure(figsize=(7, 4))
    ax = plot_effect(effect, ax=fig.subplots(), lang="ja", title="導入効果 (5年試算)")
    buf = _io.BytesIO()
    ax.figure.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return (f'<figure><img alt="導入効果 (five-year effect)" src="data:image/png;base64,{data}">'
            "<figcaption>導入効果: 現行経費とクラウド利用料 (five-year effect)</figcaption></figure>")


def council_report(council: Consortium, *, allocation: Allocation | None = None, effect: EffectTable | None = None,
                   statement: Tabular | None = None, customization: Tabular | Sequence[Tabular] | None = None,
                   evaluation: Tabular | None = None, operations: Tabular | None = None,
                   schedule: Tabular | None = None, title: str | None = None) -> CouncilReport:
    """Lay out a council's results as one report (a sheet per table, topic by topic).

    Nothing is computed here: pass the results you already have; a topic left out has no sheet.

    Parameters
    ----------
    council
        The council (its members make the first sheet, 参加団体).
    allocation
        The cost allocation (費用按分), e.g. ``jc.allocate(council, total, rule)``. [yen]
    effect
        The five-year effect table (導入効果); by default the allocation's
        :meth:`~jichitai_cloud.allocation.Allocation.effect_table`.  Compared with the council's
        published cloud fees when it has them. [yen]
    statement
        A cost statement (費用明細): members x cost items; every integer column is yen and totalled.
    customization
        Customization results (カスタマイズ): e.g. ``comparison_table(register)`` and
        ``decision_summary(council)``; a sequence gives several.
    evaluation
        The proposal evaluation (総合評価), e.g. ``jc.evaluate(procurement)``.
    operations
        The monthly operations report (月次報告, SLA), e.g. ``operations.monthly_report(month)``.
    schedule
        A migration schedule result, once the library has one (any result with ``tables()``).
    title
        The report's title (default: the council's name).

    Returns
    -------
    CouncilReport
        Write it with :meth:`CouncilReport.to_excel` or :meth:`CouncilReport.to_html`.
    """
    sheets = [_members_sheet(council)]
    if allocation is not None:
        sheets.append(_allocation_sheet(allocation))
        if effect is None:
            effect = allocation.effect_table()
    if effect is not None:
        sheets.append(_effect_sheet(effect, council))
    for topic, value in (("statement", statement), ("customization", customization), ("evaluation", evaluation),
                         ("operations", operations), ("schedule", schedule)):
        if value is not None:
            sheets += _topic_sheets(topic, value, council.codes)
    return CouncilReport(title=title or council.name, sheets=_unique_names(sheets), effect=effect)
