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
(an allocation, a cost statement, the customization tables, the evaluation of a procurement, the
monthly operations report, a migration plan, the continue-or-switch comparison) and lays them out
as sheets, topic by topic.  Each sheet is one of the results' own declared tables (their ``views()``): the columns, headings, kinds
and totals are the result's, never re-listed here; the report adds only the sheet's name (whole
words, at most 31 characters), a caption naming the topic, the comparison of the five-year effect
with the council's published figures, and a 合計 line under every money table.  Captions and
headings are Japanese by default (``lang="en"``: English).  :meth:`CouncilReport.to_excel` writes
the workbook (numbers stored as numbers with yen, percent and 億円 formats; no cell can be read
as a formula), :meth:`CouncilReport.to_html` a self-contained page with the same tables and the
charts (matplotlib, the plot extra) embedded as images.  The ``jichitai-cloud report`` command
computes the results from the council's own files and calls this function.
"""

from __future__ import annotations

import base64
import html as _html
import io as _io
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import attrs

from .._display import TOTAL_LABEL, DataTable, Lang, TableView, check_lang, cols, sheet_name_ok
from ..errors import ValidationError
from ..io import write_atomic
from ._page import page, tables_html
from .workbook import number_format, write_workbook

if TYPE_CHECKING:  # pragma: no cover
    from ..allocation import Allocation, EffectTable
    from ..model import Consortium
    from ..renewal import RenewalComparison
    from ..schedule import MigrationPlan
    from .tables import Tabular

__all__ = ["CouncilReport", "ReportSheet", "council_report", "member_table"]

@attrs.frozen(kw_only=True, slots=True)
class ReportSheet:
    """One sheet of the council report: one declared table of a result, with the sheet's name and caption.

    Parameters
    ----------
    name
        Sheet name: whole words, at most 31 characters, e.g. ``費用按分`` or ``総合評価 評価結果``.
    title
        The caption above the table: the topic and the table's own caption, in ``lang``.
    table
        The result's declared table (:class:`~jichitai_cloud._display.DataTable`): columns with
        their headings, kinds and totals, and the rows of stored values.
    lang
        ``"ja"`` or ``"en"``: the language of the headings shown.
    """

    name: str
    title: str
    table: DataTable
    lang: str = "ja"

    @property
    def columns(self) -> tuple[str, ...]:
        """The column keys as the library calls them (``share``)."""
        return self.table.keys

    @property
    def header(self) -> tuple[str, ...]:
        """The headings shown: ``負担額 (share)`` in Japanese, ``Share`` in English."""
        return self.table.headings(check_lang(self.lang))

    @property
    def rows(self) -> tuple[tuple[Any, ...], ...]:
        """The stored values: integers in yen or persons, exact rates (``0.3`` for 30 %), months, text."""
        return self.table.rows

    @property
    def formats(self) -> tuple[str | None, ...]:
        """One spreadsheet number format per column (``#,##0``, ``0.0%``), from the column's kind."""
        return tuple(number_format(c, check_lang(self.lang)) for c in self.table.columns)

    @property
    def total_columns(self) -> tuple[int, ...]:
        """Positions of the columns summed in the 合計 line (none: the sheet has no totals line)."""
        if not self.table.totals:
            return ()
        return tuple(j for j, c in enumerate(self.table.columns) if c.total)

    def column(self, name: str) -> int:
        """Position of the column called ``name`` (the library's name, e.g. ``"share"``)."""
        try:
            return self.columns.index(name)
        except ValueError:
            raise ValidationError(f"sheet {self.name!r} has no column {name!r}; it has {list(self.columns)}") from None

    def totals(self) -> tuple[Any, ...] | None:
        """The 合計 line: the label in the first text column, then the exact sum of each totalled
        column [yen, persons]; ``None`` when the sheet has no totals line."""
        row = self.table.total_row()
        if row is None:
            return None
        out = list(row)
        at = next((j for j, c in enumerate(self.table.columns) if not c.numeric), 0)
        out[at] = TOTAL_LABEL[check_lang(self.lang)]
        return tuple(out)


# -- the sheets --------------------------------------------------------------------------------------

_TOPICS: dict[str, tuple[str, str, bool]] = {
    "members": ("参加団体", "Members", True),
    "allocation": ("費用按分", "Cost allocation", True),
    "effect": ("導入効果", "Five-year effect", True),
    "statement": ("費用明細", "Cost statement", True),
    "customization": ("カスタマイズ", "Customization", True),
    "evaluation": ("総合評価", "Evaluation", False),
    "operations": ("月次報告", "Monthly report", False),
    "schedule": ("移行スケジュール", "Migration schedule", True),
    "migration": ("データ移行検証", "Data migration check", False),
    "renewal": ("継続・切替の判断", "Continue or switch", True),
}
"""Topic -> (Japanese name, English name, whether its tables get a 合計 line under the columns they
declare as totals even where the result's own table does not show one)."""

_NOT_ADDITIVE = frozenset({"脱退"})
"""Tables whose money columns repeat one amount per row (summing them means nothing)."""


def _views(result: Any, what: str) -> tuple[DataTable, ...]:
    if not hasattr(result, "views"):
        raise ValidationError(f"{what} must be a result of the library (with views() or tables()), "
                              f"got {type(result).__name__}")
    views: tuple[DataTable, ...] = result.views()
    return views


def member_table(council: Consortium) -> DataTable:
    """The council's member table (参加団体): the council's own declared table (``council.view()``)."""
    return council.view()


def _effect_table(effect: EffectTable, council: Consortium) -> DataTable:
    """The effect table's own declaration, with the council's published cloud fees beside it when
    it has one for every member (公表値, in the table's unit, and the difference in yen)."""
    view = effect.view()
    pub = council.published.cloud_fees if council.published is not None else {}
    if not pub or not all(r.code in pub for r in effect.rows) or len(view.rows) != len(effect.rows):
        return view
    published = "published_cloud_fee_oku" if "cloud_fee_oku" in view.keys else "published_cloud_fee"
    extra = cols(published, "difference")
    rows = [(*row, int(pub[r.code]), r.cloud_fee - int(pub[r.code])) for row, r in zip(view.rows, effect.rows,
                                                                                        strict=True)]
    return attrs.evolve(view, columns=(*view.columns, *extra), rows=rows, totals=True)


def _sheet_name(topic: str, table: DataTable, lang: Lang, alone: bool, used: set[str]) -> str:
    """A sheet name of whole words, unique in the workbook: the topic, or the topic and the table."""
    ja, en, _ = _TOPICS[topic]
    name = ja if lang == "ja" else en
    declared = table.sheet if lang == "ja" else (table.sheet_en or table.sheet)
    part = declared or table.caption(lang) or table.key
    candidates = [name] if alone else []
    candidates += [f"{name} {part}", part, name, f"{name} {table.key}"]
    candidates += [f"{name} {k}" for k in range(2, 1000)]
    for c in candidates:
        if sheet_name_ok(c) and c.lower() not in used:
            used.add(c.lower())
            return c
    raise ValidationError(f"no sheet name left for {part!r}")  # pragma: no cover - 1000 tables of one topic


def _sheets(topic: str, tables: Sequence[DataTable], lang: Lang, used: set[str]) -> list[ReportSheet]:
    ja, en, additive = _TOPICS[topic]
    out = []
    for t in tables:
        t = t.in_lang(lang)  # a report is written in one language
        if additive and not t.totals and t.key not in _NOT_ADDITIVE and t.title not in _NOT_ADDITIVE:
            t = attrs.evolve(t, totals=True)
        name = _sheet_name(topic, t, lang, len(tables) == 1, used)
        caption = t.caption(lang)
        title = f"{ja if lang == 'ja' else en}: {caption}" if caption else (ja if lang == "ja" else en)
        out.append(ReportSheet(name=name, title=title, table=t, lang=lang))
    return out


@attrs.frozen(kw_only=True, slots=True)
class CouncilReport(TableView):
    """The council report: sheets in order, and the charts drawn in the page.

    Parameters
    ----------
    title
        The report's title (the council's name).
    sheets
        One :class:`ReportSheet` per table, topic by topic.
    effect
        The five-year effect table drawn as a chart in the HTML page, if any.
    plan
        The migration plan drawn as a Gantt chart in the HTML page, if any.
    renewal
        The renewal comparison drawn as cumulative costs per option in the HTML page, if any.
    lang
        ``"ja"`` (default) or ``"en"``: the language of captions, headings and chart labels.

    :meth:`views` hands out every sheet's table (with its sheet name and caption), so every
    renderer of the package writes the report as it writes any result.
    """

    title: str
    sheets: tuple[ReportSheet, ...]
    effect: EffectTable | None = None
    plan: MigrationPlan | None = None
    renewal: RenewalComparison | None = None
    lang: str = "ja"

    def sheet(self, name: str) -> ReportSheet:
        """The sheet called ``name``."""
        for s in self.sheets:
            if s.name == name:
                return s
        raise ValidationError(f"no sheet {name!r}; the report has {[s.name for s in self.sheets]}")

    def views(self) -> tuple[DataTable, ...]:
        """Every sheet's table, named and captioned as the report shows it (the 合計 lines are not rows)."""
        out = []
        for s in self.sheets:
            if s.lang == "ja":
                out.append(attrs.evolve(s.table, sheet=s.name, title=s.title))
            else:
                out.append(attrs.evolve(s.table, sheet_en=s.name, title_en=s.title))
        return tuple(out)

    def summary(self, lang: Lang = "ja") -> str:
        """One line per sheet that has a 合計 line."""
        from .._display import shown_text

        lines = []
        for s in self.sheets:
            t = s.totals()
            if t is not None:
                parts = [f"{s.header[j]} {shown_text(t[j], s.table.columns[j], lang)}" for j in s.total_columns]
                lines.append(f"{s.name} {TOTAL_LABEL['ja'] if lang == 'ja' else 'total'}: " + ", ".join(parts))
        return "\n".join(lines)

    def to_excel(self, path: str | os.PathLike[str], *, overwrite: bool = False) -> list[str]:
        """Write the workbook: one sheet per table, caption in row 1, headings in row 2, 合計 last.

        Written by :func:`jichitai_cloud.report.write_workbook`, as every result is: numbers stored
        as numbers (yen ``#,##0``, rates ``0.0%``, 億円 ``#,##0.0``), columns as wide as their
        content, the header frozen, A4 landscape fit to width, the 合計 line's figures numbers
        (never formulas), and no text cell that can be read as a formula.  The write is atomic; an
        existing file is replaced only with ``overwrite=True``.  Needs the excel extra.  Returns
        the sheet names.
        """
        return write_workbook(path, self.views(), lang=check_lang(self.lang), overwrite=overwrite)

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
        lang = check_lang(self.lang)
        body = [f"<h1>{_html.escape(self.title)}</h1>", "<nav><ol>"]
        body += [f'<li><a href="#t{i}">{_html.escape(s.name)}</a></li>' for i, s in enumerate(self.sheets, start=1)]
        body.append("</ol></nav>")
        if charts and (self.effect is not None or self.plan is not None or self.renewal is not None):
            body.append(_charts_html(self.effect, self.plan, lang, self.renewal))
        body.append(tables_html(self.views(), lang, sections=True))
        html = page("\n".join(body), title=self.title, lang=lang, heading=False)
        if path is not None:
            write_atomic(path, html.encode("utf-8"), overwrite=overwrite)
        return html


_CHART_TEXT = {
    "ja": ("グラフは matplotlib が必要です (pip install 'jichitai-cloud[plot]')。表のみ示します。",
           "導入効果: 現行経費とクラウド利用料 (5年試算)", "移行スケジュール", "継続・切替の判断: 選択肢ごとの累積費用"),
    "en": ("The charts need matplotlib (pip install 'jichitai-cloud[plot]'); the tables follow.",
           "Five-year effect: current cost and cloud fee", "Migration schedule",
           "Continue or switch: cumulative cost per option"),
}


def _png(ax: Any) -> str:
    buf = _io.BytesIO()
    ax.figure.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _charts_html(effect: EffectTable | None, plan: MigrationPlan | None, lang: Lang,
                 renewal: RenewalComparison | None = None) -> str:
    missing, effect_caption, plan_caption, renewal_caption = _CHART_TEXT[lang]
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return f'<p class="note">{_html.escape(missing)}</p>'
    from .plots import plot_effect, plot_renewal, plot_schedule

    out = []
    if effect is not None:
        data = _png(plot_effect(effect, lang=lang))
        out.append(f'<figure><img alt="{_html.escape(effect_caption)}" src="data:image/png;base64,{data}">'
                   f"<figcaption>{_html.escape(effect_caption)}</figcaption></figure>")
    if plan is not None:
        data = _png(plot_schedule(plan, lang=lang))
        out.append(f'<figure><img alt="{_html.escape(plan_caption)}" src="data:image/png;base64,{data}">'
                   f"<figcaption>{_html.escape(plan_caption)}</figcaption></figure>")
    if renewal is not None:
        data = _png(plot_renewal(renewal, lang=lang))
        out.append(f'<figure><img alt="{_html.escape(renewal_caption)}" src="data:image/png;base64,{data}">'
                   f"<figcaption>{_html.escape(renewal_caption)}</figcaption></figure>")
    return "\n".join(out)


def council_report(council: Consortium, *, allocation: Allocation | None = None, effect: EffectTable | None = None,
                   statement: Tabular | None = None, customization: Tabular | Sequence[Tabular] | None = None,
                   evaluation: Tabular | None = None, operations: Tabular | None = None,
                   schedule: Tabular | None = None, renewal: RenewalComparison | None = None,
                   title: str | None = None, lang: str = "ja", migration: Tabular | None = None) -> CouncilReport:
    """Lay out a council's results as one report (a sheet per declared table, topic by topic).

    Nothing is computed here: pass the results you already have (computed from the council's own
    files, e.g. with :mod:`jichitai_cloud.io`'s loaders, as the ``jichitai-cloud report`` command
    does); a topic left out has no sheet.  Each result's own declared tables (``views()``) make
    its sheets.

    Parameters
    ----------
    council
        The council (its member table makes the first sheet, 参加団体).
    allocation
        The cost allocation (費用按分), e.g. ``jc.allocate(council, total, rule)``: its main table. [yen]
    effect
        The five-year effect table (導入効果); by default the allocation's
        :meth:`~jichitai_cloud.allocation.Allocation.effect_table`.  Compared with the council's
        published cloud fees when it has them for every member. [yen]
    statement
        A cost statement (費用明細), e.g. ``allocation.statement(council, items)``.
    customization
        Customization results (カスタマイズ) for the council's requests, e.g.
        ``customization.comparison_table(register.apply_to(council))`` (members by name) and
        ``customization.decision_summary(register.apply_to(council))`` with the register of
        ``io.load_register(path, members=council.codes)``; a sequence gives several.
    evaluation
        The evaluation of the council's procurement (総合評価), e.g.
        ``jc.evaluate(io.load_procurement(path))``.
    operations
        The monthly operations report (月次報告, SLA), e.g.
        ``io.load_operations(path).monthly_report(month)``.
    schedule
        The migration plan (移行スケジュール), e.g.
        ``schedule.plan_migration(io.load_schedule(path), starts="planned")``; a
        :class:`~jichitai_cloud.schedule.MigrationPlan` is also drawn as a Gantt chart in the page.
    migration
        The data migration check (データ移行検証), e.g. ``migration.check_migration(...)``: readiness
        per member and system, failures by field and rule (counts only, never residents' values).
    renewal
        Continue or switch (継続・切替の判断), e.g. ``io.load_renewal_options(path).compare(council)``
        (a :class:`~jichitai_cloud.renewal.RenewalComparison`): its options, members and (with
        samples) uncertainty tables, and the cumulative cost per option drawn in the page.
    title
        The report's title (default: the council's name).
    lang
        ``"ja"`` (default) or ``"en"``: sheet names, captions, headings and chart labels.

    Returns
    -------
    CouncilReport
        Write it with :meth:`CouncilReport.to_excel` or :meth:`CouncilReport.to_html`.

    Raises
    ------
    ValidationError
        ``lang`` is neither ``"ja"`` nor ``"en"``, or a value is not a result of the library.
    """
    lang = check_lang(lang)
    used: set[str] = set()
    sheets = _sheets("members", (member_table(council),), lang, used)
    if allocation is not None:
        sheets += _sheets("allocation", _views(allocation, "allocation")[:1], lang, used)
        if effect is None:
            effect = allocation.effect_table()
    if effect is not None:
        sheets += _sheets("effect", (_effect_table(effect, council),), lang, used)
    for topic, value in (("statement", statement), ("customization", customization), ("evaluation", evaluation),
                         ("operations", operations), ("schedule", schedule), ("renewal", renewal),
                         ("migration", migration)):
        if value is None:
            continue
        items = value if isinstance(value, list | tuple) else (value,)
        tables = tuple(t for item in items for t in _views(item, topic))
        sheets += _sheets(topic, tables, lang, used)
    from ..schedule import MigrationPlan

    plan = schedule if isinstance(schedule, MigrationPlan) else None
    from ..renewal import RenewalComparison

    if renewal is not None and not isinstance(renewal, RenewalComparison):
        raise ValidationError(f"renewal must be a RenewalComparison (renewal.compare_renewal), "
                              f"got {type(renewal).__name__}")
    return CouncilReport(title=title or council.name, sheets=tuple(sheets), effect=effect, plan=plan,
                         renewal=renewal, lang=lang)
