"""The monthly report to the operations subcommittee (運用管理部会定例会).

Every month the subcommittee (members' IT staff and the vendor) reviews last month's work
(当月作業実績: inquiries 問合せ対応, version upgrades レベルアップ, power-outage work 停電対応,
incident handling 障害対応), service-level monitoring (SLM), the schedule (翌月以降の作業予定),
work for changes in law (制度改正対応), open issues (課題・検討事項) and improvement requests
(改善要望).  :class:`MonthlyReport` holds one month of that, immutable, and renders it as
Markdown, HTML or text; its sheets (:meth:`MonthlyReport.tables`) go to Excel through
:func:`jichitai_cloud.report.to_excel`.

References
----------
.. [1] 富山県情報システム共同利用推進協議会事務局 (2016), 6. 運用: 運用管理部会定例会; 運用過程での
   主な成果物 (毎月) 1-5.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import Any

import attrs
import numpy as np

from .. import _validators as v
from .._display import Table, TableView, format_cell, html_table, text_table
from .._validators import month as _month
from .._validators import to_month as _to_month
from ..calendar import Month
from ..errors import ValidationError
from ..model import (
    ImprovementRequest,
    Issue,
    ItemStatus,
    LegalChange,
    ScheduledWork,
    WorkCategory,
    WorkRecord,
)
from ._compliance import Compliance
from ._scopes import scope_label

__all__ = ["MonthlyReport", "SLMRow", "monthly_report"]


# -- the report ----------------------------------------------------------------------------------
@attrs.frozen(kw_only=True, slots=True)
class SLMRow:
    """One line of the service-level monitoring table (SLM).

    Parameters
    ----------
    metric, name, scope, unit
        The item, its name, the scope label (``"A"``, ``"全体"``), its unit.
    target
        Target. [unit]
    higher_is_better
        Direction.
    value
        This month's value, or None if not measured. [unit]
    met
        This month's value meets the target (None: not measured).
    previous
        Values of the previous months, oldest first (None: not measured). [unit]
    trend
        ``"improving"``, ``"worsening"``, ``"steady"`` against the previous month, or ``""``.
    window
        Label of the window containing the month (``"FY2015 3Q"``).
    window_value, window_met
        The window's value so far and its judgement (same as the month's for monthly items).
    streak
        Consecutive missed windows ending at this one. [windows]
    """

    metric: str
    name: str
    scope: str
    unit: str
    target: float
    higher_is_better: bool
    value: float | None
    met: bool | None
    previous: tuple[float | None, ...]
    trend: str
    window: str
    window_value: float | None
    window_met: bool | None
    streak: int


_TREND_JA = {"improving": "改善 ↑", "worsening": "悪化 ↓", "steady": "横ばい →", "": ""}


def _trend(value: float | None, prev: float | None, higher: bool) -> str:
    if value is None or prev is None:
        return ""
    diff = value - prev
    if abs(diff) <= 1e-9 * max(1.0, abs(prev)):
        return "steady"
    return "improving" if (diff > 0) == higher else "worsening"


def _mark(met: bool | None) -> str:
    return "" if met is None else ("○ 達成" if met else "× 未達")


def _md_cell(x: Any) -> str:
    text = format_cell(x) if not isinstance(x, str) else x
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").replace("\r", " ")


def _md_table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    if not rows:
        return "(なし / none)"
    out = ["| " + " | ".join(_md_cell(h) for h in header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(_md_cell(x) for x in r) + " |" for r in rows]
    return "\n".join(out)


@attrs.frozen(kw_only=True, slots=True)
class MonthlyReport(TableView):
    """One month's report to the operations subcommittee (運用管理部会 月次報告).

    Build it with :func:`monthly_report` (or :meth:`OperationsData.monthly_report
    <jichitai_cloud.operations.OperationsData.monthly_report>`).

    Parameters
    ----------
    council
        Name of the council.
    month
        The month reported.
    work
        Work done by category: ``(category, count this month, count the month before)``. [items]
    slm
        The SLM table.
    issues
        Issues open at the end of the month or settled in it, with their status then.
    improvement_requests
        Improvement requests asked so far, with their status at the end of the month.
    schedule
        Work planned for the following month(s).
    legal_changes
        Legal-change work not finished before the month, with its status then.
    notes
        Remarks (e.g. that the data is illustrative).
    """

    council: str = attrs.field(validator=v.text())
    month: Month = attrs.field(validator=_month)
    work: tuple[tuple[WorkCategory, int, int], ...] = attrs.field(converter=v.to_tuple)
    slm: tuple[SLMRow, ...] = attrs.field(converter=v.to_tuple)
    issues: tuple[tuple[Issue, ItemStatus], ...] = attrs.field(default=(), converter=v.to_tuple)
    improvement_requests: tuple[tuple[ImprovementRequest, ItemStatus], ...] = attrs.field(
        default=(), converter=v.to_tuple)
    schedule: tuple[ScheduledWork, ...] = attrs.field(default=(), converter=v.to_tuple)
    legal_changes: tuple[tuple[LegalChange, ItemStatus], ...] = attrs.field(default=(), converter=v.to_tuple)
    notes: str = attrs.field(default="", validator=v.text())

    # -- summary --------------------------------------------------------------------------------
    @property
    def title(self) -> str:
        """``"運用管理部会 月次報告 平成27年10月 (2015-10)"``."""
        return f"運用管理部会 月次報告 {self.month.wareki()} ({self.month.iso()}) — {self.council}"

    @property
    def items_measured(self) -> int:
        """SLM lines judged this month: those whose window (the month, the fiscal quarter or year so far)
        holds a measurement.

        The headline counts what the SLM table's 期間判定 (window result) column shows, since that is
        how each item is judged; a yearly item's single month compared with the yearly target
        (the 当月値判定 column) is a pointer, not the item's judgement.
        """
        return sum(1 for r in self.slm if r.window_met is not None)

    @property
    def items_met(self) -> int:
        """SLM lines whose window, as of this month, meets the target (○ in the 期間判定 column)."""
        return sum(1 for r in self.slm if r.window_met)

    # -- tables ---------------------------------------------------------------------------------
    def _sections(self) -> dict[str, tuple[list[str], list[list[Any]]]]:
        """Every section as ``{title: (header, rows)}``, in report order."""
        prev_label = (self.month - 1).iso()
        n_prev = max((len(r.previous) for r in self.slm), default=0)
        prev_heads = [(self.month - (n_prev - i)).iso() for i in range(n_prev)]
        slm_rows = [[r.name, r.scope, r.unit, r.target, *r.previous, r.value, _mark(r.met), _TREND_JA[r.trend],
                     r.window, r.window_value, _mark(r.window_met), r.streak] for r in self.slm]
        return {
            "1 当月作業実績 (work done)": (
                ["区分 category", "件数 count", f"前月 {prev_label}"],
                [[f"{c.ja} ({c.value})", n, p] for c, n, p in self.work]),
            "2 サービスレベルモニタリング状況 (SLM)": (
                ["項目 item", "対象 scope", "単位 unit", "目標 target", *prev_heads, f"当月 {self.month.iso()}",
                 "当月値判定 month result", "傾向 trend", "評価期間 window", "期間値 window value", "期間判定 window result",
                 "連続未達 streak"],
                slm_rows),
            "3 翌月以降の作業予定 (schedule)": (
                ["月 month", "日 date", "区分 category", "作業 work", "対象業務 systems", "対象団体 members",
                 "計画停止 outage", "備考 note"],
                [[w.month.iso(), w.date.isoformat() if w.date else "", w.category.ja, w.title,
                  "・".join(w.systems) or "全業務", "・".join(w.members) or "全団体", "あり" if w.outage else "",
                  w.note] for w in self.schedule]),
            "制度改正対応 (legal changes)": (
                ["ID", "制度改正 change", "施行 effective", "対象業務 systems", "状況 status", "備考 note"],
                [[c.id, c.title, c.effective.iso(), "・".join(c.systems), s.ja, c.note]
                 for c, s in self.legal_changes]),
            "4 課題・検討事項 (issues)": (
                ["ID", "課題 issue", "提起 opened", "担当 owner", "状況 status", "備考 note"],
                [[i.id, i.title, i.opened.iso(), i.owner, s.ja, i.note] for i, s in self.issues]),
            "5 改善要望一覧 (improvement requests)": (
                ["ID", "要望 request", "団体 member", "業務 system", "受付 requested", "状況 status",
                 "対応予定 planned", "備考 note"],
                [[r.id, r.title, r.member or "全体", r.system, r.requested.iso(), s.ja,
                  r.planned.iso() if r.planned else "", r.note] for r, s in self.improvement_requests]),
        }

    def tables(self) -> dict[str, Table]:
        """The report's sheets: an overview (概要), then one per section (当月作業実績, …), in report order.

        The sheets :func:`jichitai_cloud.report.to_excel` writes (formula-injection safe).
        """
        overview = [["報告月", self.month.iso()], ["協議会", self.council],
                    *[["", s] for s in self._summary_lines()], ["備考", self.notes]]
        out: dict[str, Table] = {"概要": (("項目", "内容"), overview)}
        for title, (header, rows) in self._sections().items():
            out[title.split(" (")[0].lstrip("0123456789 ")[:31]] = (tuple(header), rows)
        return out

    def summary(self) -> str:
        """SLM lines met and improvement requests open, one line each."""
        return "\n".join(self._summary_lines())

    def _summary_lines(self) -> list[str]:
        open_req = sum(1 for _, s in self.improvement_requests if not s.closed)
        return [
            f"SLM: {self.items_met} / {self.items_measured} 達成 (期間判定: lines meeting their target over "
            "their window as of this month)",
            f"改善要望: {len(self.improvement_requests)} 件, うち未完了 {open_req} 件",
        ]

    # -- renderings -----------------------------------------------------------------------------
    def to_markdown(self) -> str:
        """The report as Markdown (GitHub tables); every cell is escaped."""
        parts = [f"# {_md_cell(self.title)}", ""]
        parts += [f"- {_md_cell(s)}" for s in self._summary_lines()]
        if self.notes:
            parts += ["", f"> {_md_cell(self.notes)}"]
        for title, (header, rows) in self._sections().items():
            parts += ["", f"## {title}", "", _md_table(header, rows)]
        return "\n".join(parts) + "\n"

    def to_html(self) -> str:
        """The report as an HTML fragment; every cell is escaped."""
        parts = [f"<h2>{html.escape(self.title)}</h2>", "<ul>"]
        parts += [f"<li>{html.escape(s)}</li>" for s in self._summary_lines()]
        parts.append("</ul>")
        if self.notes:
            parts.append(f"<p><em>{html.escape(self.notes)}</em></p>")
        for title, (header, rows) in self._sections().items():
            parts.append(f"<h3>{html.escape(title)}</h3>")
            parts.append(html_table(header, rows) if rows else "<p>(なし / none)</p>")
        return "\n".join(parts)

    def to_text(self) -> str:
        """The report as plain text tables (for a terminal)."""
        parts = [self.title, *self._summary_lines()]
        if self.notes:
            parts.append(self.notes)
        for title, (header, rows) in self._sections().items():
            parts += ["", text_table(header, rows, title=title) if rows else f"{title}\n(なし / none)"]
        return "\n".join(parts)

    _HEADER = ("metric", "name", "scope", "unit", "target", "value", "met", "trend", "window", "window_value",
               "window_met", "streak")

    def _rows(self) -> list[list[Any]]:
        """The SLM table, one row per item and scope (the rows of :meth:`to_dataframe`)."""
        return [[r.metric, r.name, r.scope, r.unit, r.target, r.value, r.met, r.trend, r.window, r.window_value,
                 r.window_met, r.streak] for r in self.slm]

    def to_dict(self) -> dict[str, Any]:
        """Plain data (for JSON)."""
        return {
            "council": self.council, "month": self.month.iso(), "notes": self.notes,
            "work": [{"category": c.value, "count": n, "previous": p} for c, n, p in self.work],
            "slm": [attrs.asdict(r) for r in self.slm],
            "schedule": [{"month": w.month.iso(), "date": w.date.isoformat() if w.date else None,
                          "category": w.category.value, "title": w.title, "systems": list(w.systems),
                          "members": list(w.members), "outage": w.outage} for w in self.schedule],
            "legal_changes": [{"id": c.id, "title": c.title, "effective": c.effective.iso(), "status": s.value}
                              for c, s in self.legal_changes],
            "issues": [{"id": i.id, "title": i.title, "status": s.value} for i, s in self.issues],
            "improvement_requests": [{"id": r.id, "title": r.title, "member": r.member, "status": s.value}
                                     for r, s in self.improvement_requests],
        }

    def __repr__(self) -> str:
        return (f"MonthlyReport({self.month.iso()}, {sum(n for _, n, _ in self.work)} work items, "
                f"SLM {self.items_met}/{self.items_measured} met, {len(self.issues)} issues, "
                f"{len(self.improvement_requests)} improvement requests, {len(self.schedule)} scheduled)")


def _slm_rows(compliance: Compliance, month: Month, history: int) -> list[SLMRow]:
    t = month - compliance.start
    n_months = compliance.monthly_values.shape[1]
    if not 0 <= t < n_months:
        raise ValidationError(f"month {month.iso()} is outside the observations "
                              f"({compliance.start.iso()} .. {(compliance.start + n_months - 1).iso()})")
    lo = max(0, t - history)
    obs = compliance.monthly_observed
    shown = obs[:, lo: t + 1, :].any(axis=1)  # (K, N) measured this month or recently
    rows: list[SLMRow] = []
    for k, n in zip(*np.nonzero(shown), strict=True):  # one line per shown item and scope
        m = compliance.metrics[k]
        vals = compliance.monthly_values[k, :, n]

        def val(i: int, _vals: Any = vals, _k: int = int(k), _n: int = int(n)) -> float | None:
            return float(_vals[i]) if i >= 0 and obs[_k, i, _n] else None

        prev = tuple(val(i) for i in range(t - history, t))
        w = compliance.window_of_month(int(k), t)
        w_ev = bool(compliance.evaluated[k, w, n])
        rows.append(SLMRow(
            metric=m.id, name=m.name, scope=scope_label(compliance.scopes[n]), unit=m.unit, target=m.target,
            higher_is_better=m.higher_is_better, value=val(t),
            met=bool(compliance.monthly_met[k, t, n]) if obs[k, t, n] else None,
            previous=prev, trend=_trend(val(t), val(t - 1), m.higher_is_better),
            window=compliance.window_label(int(k), w),
            window_value=float(compliance.window_values[k, w, n]) if w_ev else None,
            window_met=bool(compliance.met[k, w, n]) if w_ev else None,
            streak=int(compliance.streak[k, w, n]),
        ))
    return rows


def monthly_report(
    month: Month | str,
    compliance: Compliance,
    *,
    council: str = "",
    work: Iterable[WorkRecord] = (),
    issues: Iterable[Issue] = (),
    improvement_requests: Iterable[ImprovementRequest] = (),
    schedule: Iterable[ScheduledWork] = (),
    legal_changes: Iterable[LegalChange] = (),
    history: int = 3,
    ahead: int = 1,
    notes: str = "",
) -> MonthlyReport:
    """Assemble the monthly report for ``month``.

    Parameters
    ----------
    month
        The month reported (``"H27.10"``).
    compliance
        SLA compliance (from :func:`evaluate_sla`) covering the month.
    council
        Name of the council.
    work
        Work records (any months; the month's and the previous month's are counted).
    issues, improvement_requests, legal_changes
        Every issue, request and legal change (their status at the end of the month is shown).
    schedule
        Planned work (the ``ahead`` months after the month are shown).
    history
        Previous months shown in the SLM table. [months]
    ahead
        Months of schedule shown. [months]
    notes
        Remarks.

    Returns
    -------
    MonthlyReport
    """
    m = _to_month(month)
    if isinstance(history, bool) or not isinstance(history, int) or history < 0:
        raise ValidationError(f"history must be an integer >= 0 [months], got {history!r}")
    if isinstance(ahead, bool) or not isinstance(ahead, int) or ahead < 1:
        raise ValidationError(f"ahead must be an integer >= 1 [months], got {ahead!r}")
    recs = tuple(work)
    counts = {c: [0, 0] for c in WorkCategory}
    for r in recs:  # a month's work records: a handful of lines
        if r.month == m:
            counts[r.category][0] += r.count
        elif r.month == m - 1:
            counts[r.category][1] += r.count
    main = (WorkCategory.INQUIRY, WorkCategory.UPGRADE, WorkCategory.POWER_OUTAGE, WorkCategory.INCIDENT)
    work_rows = tuple((c, counts[c][0], counts[c][1]) for c in WorkCategory if c in main or any(counts[c]))
    iss = tuple((i, s) for i in issues if (s := i.status_at(m)) is not None
                and (not s.closed or i.closed == m))
    reqs = tuple((r, s) for r in improvement_requests if (s := r.status_at(m)) is not None)
    sched = tuple(sorted((w for w in schedule if m < w.month <= m + ahead),
                         key=lambda w: (w.month, w.date or w.month.first_day(), w.title)))
    legal = tuple((c, s) for c in legal_changes
                  if (s := c.status_at(m)) is not None and (not s.closed or c.completed == m))
    return MonthlyReport(council=council, month=m, work=work_rows, slm=tuple(_slm_rows(compliance, m, history)),
                         issues=iss, improvement_requests=reqs, schedule=sched, legal_changes=legal, notes=notes)
