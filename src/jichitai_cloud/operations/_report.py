"""The monthly report to the operations subcommittee (運用管理部会定例会).

Every month the subcommittee (members' IT staff and the vendor) reviews last month's work
(当月作業実績: inquiries 問合せ対応, version upgrades レベルアップ, power-outage work 停電対応,
incident handling 障害対応), service-level monitoring (SLM), the schedule (翌月以降の作業予定),
work for changes in law (制度改正対応), open issues (課題・検討事項) and improvement requests
(改善要望).  :class:`MonthlyReport` holds one month of that, immutable, and renders it as
Markdown, HTML or an Excel workbook.

References
----------
.. [1] 富山県情報システム共同利用推進協議会事務局 (2016), 6. 運用: 運用管理部会定例会; 運用過程での
   主な成果物 (毎月) 1-5.
"""

from __future__ import annotations

import datetime as _dt
import enum
import html
import os
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from .. import _validators as v
from .._display import dataframe, format_cell, html_table, text_table
from .._validators import month as _month
from .._validators import to_month as _to_month
from ..calendar import Month
from ..errors import ValidationError
from ._domain import ALL, Compliance, _code, scope_label

if TYPE_CHECKING:  # pragma: no cover
    import pandas

__all__ = [
    "ImprovementRequest",
    "Issue",
    "ItemStatus",
    "LegalChange",
    "MonthlyReport",
    "SLMRow",
    "ScheduledWork",
    "WorkCategory",
    "WorkRecord",
    "monthly_report",
]


class WorkCategory(enum.StrEnum):
    """Kinds of operations work (作業区分)."""

    INQUIRY = "inquiry"
    """問合せ対応: inquiries answered."""
    UPGRADE = "upgrade"
    """レベルアップ: package version upgrades applied."""
    POWER_OUTAGE = "power_outage"
    """停電対応: shutdown and restart around a (building) power outage."""
    INCIDENT = "incident"
    """障害対応: incidents handled."""
    LEGAL_CHANGE = "legal_change"
    """制度改正対応: changes for a revised law or system."""
    MAINTENANCE = "maintenance"
    """定期保守: routine maintenance."""
    OTHER = "other"
    """その他."""

    @property
    def ja(self) -> str:
        """Japanese name."""
        return _WORK_JA[self]

    @classmethod
    def _missing_(cls, value: object) -> WorkCategory | None:
        """Accept the Japanese names (``"問合せ対応"``)."""
        return _WORK_ALIASES.get(value.strip()) if isinstance(value, str) else None


_WORK_JA = {
    WorkCategory.INQUIRY: "問合せ対応",
    WorkCategory.UPGRADE: "レベルアップ",
    WorkCategory.POWER_OUTAGE: "停電対応",
    WorkCategory.INCIDENT: "障害対応",
    WorkCategory.LEGAL_CHANGE: "制度改正対応",
    WorkCategory.MAINTENANCE: "定期保守",
    WorkCategory.OTHER: "その他",
}


class ItemStatus(enum.StrEnum):
    """Status of an issue or improvement request (対応状況)."""

    OPEN = "open"
    """受付 / 未着手: received, not started."""
    IN_PROGRESS = "in_progress"
    """検討中 / 対応中: being examined or worked on."""
    PLANNED = "planned"
    """対応予定: agreed, scheduled."""
    DONE = "done"
    """対応済 / 完了: done."""
    DECLINED = "declined"
    """見送り / 対応不可: not done."""
    WITHDRAWN = "withdrawn"
    """取下げ: withdrawn by the member."""

    @property
    def ja(self) -> str:
        """Japanese name."""
        return _STATUS_JA[self]

    @property
    def closed(self) -> bool:
        """Done, declined or withdrawn."""
        return self in (ItemStatus.DONE, ItemStatus.DECLINED, ItemStatus.WITHDRAWN)

    @classmethod
    def _missing_(cls, value: object) -> ItemStatus | None:
        """Accept the Japanese names (``"検討中"``, ``"対応済"``)."""
        return _STATUS_ALIASES.get(value.strip()) if isinstance(value, str) else None


_STATUS_JA = {
    ItemStatus.OPEN: "受付",
    ItemStatus.IN_PROGRESS: "検討中",
    ItemStatus.PLANNED: "対応予定",
    ItemStatus.DONE: "対応済",
    ItemStatus.DECLINED: "見送り",
    ItemStatus.WITHDRAWN: "取下げ",
}
_STATUS_ALIASES = {**{ja: s for s, ja in _STATUS_JA.items()}, "未着手": ItemStatus.OPEN, "対応中": ItemStatus.IN_PROGRESS,
                   "完了": ItemStatus.DONE, "対応不可": ItemStatus.DECLINED, "取り下げ": ItemStatus.WITHDRAWN}
_WORK_ALIASES = {**{ja: c for c, ja in _WORK_JA.items()}, "問い合わせ対応": WorkCategory.INQUIRY,
                 "保守": WorkCategory.MAINTENANCE}


def _to_status(value: Any) -> ItemStatus:
    result: ItemStatus = v.to_enum(ItemStatus, "status")(value)
    return result


def _to_category(value: Any) -> WorkCategory:
    result: WorkCategory = v.to_enum(WorkCategory, "category")(value)
    return result


def _opt_month(_inst: Any, attribute: Any, value: Any) -> None:
    if value is not None:
        _month(None, attribute, value)


def _to_opt_month(value: Any) -> Any:
    return None if value is None or value == "" else _to_month(value)


def _opt_date(_inst: Any, attribute: Any, value: Any) -> None:
    if value is not None and (not isinstance(value, _dt.date) or isinstance(value, _dt.datetime)):
        raise ValidationError(f"{attribute.name} must be a date such as 2015-11-14, got {value!r}")


def _to_opt_date(value: Any) -> Any:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValidationError(f"cannot read {value!r} as a date: expected e.g. 2015-11-14") from None
    return value


def _codes(_inst: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, tuple) or not all(isinstance(c, str) and c.strip() for c in value):
        raise ValidationError(f"{attribute.name} must be a list of names or codes, got {value!r}")


# -- inputs --------------------------------------------------------------------------------------
@attrs.frozen(kw_only=True, slots=True)
class WorkRecord:
    """A count of work done in a month (当月作業実績), e.g. 42 inquiries answered.

    Parameters
    ----------
    month
        Month the work was done.
    category
        :class:`WorkCategory` (``"inquiry"`` or ``"問合せ対応"`` …).
    count
        Number of items. [items]
    member
        Member concerned, or ``""`` for the whole council.
    system
        Business system, or ``""``.
    note
        Free text.
    """

    month: Month = attrs.field(converter=_to_month, validator=_month)
    category: WorkCategory = attrs.field(converter=_to_category)
    count: int = attrs.field(validator=v.integer(min=0, unit="items"))
    member: str = attrs.field(default=ALL, validator=_code)
    system: str = attrs.field(default=ALL, validator=_code)
    note: str = attrs.field(default="", validator=v.text())


def _status_consistent(self: Any, closed_field: str) -> None:
    closed = getattr(self, closed_field)
    opened = getattr(self, "opened" if hasattr(self, "opened") else "requested")
    if self.status.closed and closed is None:
        raise ValidationError(f"{type(self).__name__} {self.id!r} is {self.status.value!r} but has no {closed_field} month")
    if closed is not None and not self.status.closed:
        raise ValidationError(f"{type(self).__name__} {self.id!r} has {closed_field} {closed.iso()} but status "
                              f"{self.status.value!r} (expected done, declined or withdrawn)")
    if closed is not None and closed < opened:
        raise ValidationError(f"{type(self).__name__} {self.id!r}: {closed_field} {closed.iso()} is before {opened.iso()}")


def _status_at(status: ItemStatus, opened: Month, closed: Month | None, month: Month) -> ItemStatus | None:
    if opened > month:
        return None
    if closed is not None:
        return status if closed <= month else ItemStatus.IN_PROGRESS
    return status


@attrs.frozen(kw_only=True, slots=True)
class Issue:
    """An issue under discussion (課題・検討事項).

    Parameters
    ----------
    id
        Identifier, e.g. ``"K-003"``.
    title
        What it is about.
    opened
        Month it was raised.
    status
        :class:`ItemStatus` now; a closed status needs :attr:`closed`.
    closed
        Month it was settled.
    owner
        Who acts (``"vendor"``, a member code, ``"secretariat"``).
    note
        Free text.
    """

    id: str = attrs.field(validator=v.non_empty_text())
    title: str = attrs.field(validator=v.non_empty_text())
    opened: Month = attrs.field(converter=_to_month, validator=_month)
    status: ItemStatus = attrs.field(default=ItemStatus.OPEN, converter=_to_status)
    closed: Month | None = attrs.field(default=None, converter=_to_opt_month, validator=_opt_month)
    owner: str = attrs.field(default="", validator=v.text())
    note: str = attrs.field(default="", validator=v.text())

    def __attrs_post_init__(self) -> None:
        _status_consistent(self, "closed")

    def status_at(self, month: Month) -> ItemStatus | None:
        """Status at the end of ``month`` (None if not yet raised; in progress if closed later)."""
        return _status_at(self.status, self.opened, self.closed, month)


@attrs.frozen(kw_only=True, slots=True)
class ImprovementRequest:
    """An improvement request (改善要望) from a member to the vendor.

    Parameters
    ----------
    id
        Identifier, e.g. ``"Y-012"``.
    title
        What is asked.
    requested
        Month it was asked.
    member
        Member asking, or ``""`` for all.
    system
        Business system (業務), e.g. ``"住民記録"``.
    status
        :class:`ItemStatus` now; a closed status needs :attr:`resolved`.
    resolved
        Month it was done, declined or withdrawn.
    planned
        Month it is planned for (対応予定月).
    note
        Free text.
    """

    id: str = attrs.field(validator=v.non_empty_text())
    title: str = attrs.field(validator=v.non_empty_text())
    requested: Month = attrs.field(converter=_to_month, validator=_month)
    member: str = attrs.field(default=ALL, validator=_code)
    system: str = attrs.field(default=ALL, validator=_code)
    status: ItemStatus = attrs.field(default=ItemStatus.OPEN, converter=_to_status)
    resolved: Month | None = attrs.field(default=None, converter=_to_opt_month, validator=_opt_month)
    planned: Month | None = attrs.field(default=None, converter=_to_opt_month, validator=_opt_month)
    note: str = attrs.field(default="", validator=v.text())

    def __attrs_post_init__(self) -> None:
        _status_consistent(self, "resolved")

    def status_at(self, month: Month) -> ItemStatus | None:
        """Status at the end of ``month`` (None if not yet asked)."""
        return _status_at(self.status, self.requested, self.resolved, month)


@attrs.frozen(kw_only=True, slots=True)
class ScheduledWork:
    """Planned work (作業予定): a version upgrade, power-outage work, a legal change going live …

    Parameters
    ----------
    month
        Month planned.
    category
        :class:`WorkCategory`.
    title
        What will be done.
    date
        Day, if fixed.
    systems
        Business systems concerned (empty: all).
    members
        Members concerned (empty: all).
    outage
        Whether the service stops (a planned outage 計画停止 to announce).
    note
        Free text.
    """

    month: Month = attrs.field(converter=_to_month, validator=_month)
    category: WorkCategory = attrs.field(converter=_to_category)
    title: str = attrs.field(validator=v.non_empty_text())
    date: _dt.date | None = attrs.field(default=None, converter=_to_opt_date, validator=_opt_date)
    systems: tuple[str, ...] = attrs.field(default=(), converter=v.to_tuple, validator=_codes)
    members: tuple[str, ...] = attrs.field(default=(), converter=v.to_tuple, validator=_codes)
    outage: bool = attrs.field(default=False, validator=attrs.validators.instance_of(bool))
    note: str = attrs.field(default="", validator=v.text())

    def __attrs_post_init__(self) -> None:
        if self.date is not None and Month.from_date(self.date) != self.month:
            raise ValidationError(f"scheduled work {self.title!r}: date {self.date} is not in month {self.month.iso()}")


@attrs.frozen(kw_only=True, slots=True)
class LegalChange:
    """Work for a change in law or national system (制度改正対応).

    Parameters
    ----------
    id
        Identifier.
    title
        The change, e.g. ``"個人番号の利用開始"``.
    effective
        Month the change takes effect (施行).
    systems
        Business systems concerned.
    status
        :class:`ItemStatus`; a closed status needs :attr:`completed`.
    completed
        Month the work was finished.
    note
        Free text.
    """

    id: str = attrs.field(validator=v.non_empty_text())
    title: str = attrs.field(validator=v.non_empty_text())
    effective: Month = attrs.field(converter=_to_month, validator=_month)
    systems: tuple[str, ...] = attrs.field(default=(), converter=v.to_tuple, validator=_codes)
    status: ItemStatus = attrs.field(default=ItemStatus.PLANNED, converter=_to_status)
    completed: Month | None = attrs.field(default=None, converter=_to_opt_month, validator=_opt_month)
    note: str = attrs.field(default="", validator=v.text())

    def __attrs_post_init__(self) -> None:
        if self.status.closed and self.completed is None:
            raise ValidationError(f"legal change {self.id!r} is {self.status.value!r} but has no completed month")
        if self.completed is not None and not self.status.closed:
            raise ValidationError(f"legal change {self.id!r} has completed {self.completed.iso()} but status "
                                  f"{self.status.value!r}")

    def status_at(self, month: Month) -> ItemStatus:
        """Status at the end of ``month``."""
        if self.completed is not None:
            return self.status if self.completed <= month else ItemStatus.IN_PROGRESS
        return self.status


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
class MonthlyReport:
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
        """SLM lines measured this month."""
        return sum(1 for r in self.slm if r.met is not None)

    @property
    def items_met(self) -> int:
        """SLM lines meeting their target this month."""
        return sum(1 for r in self.slm if r.met)

    # -- tables ---------------------------------------------------------------------------------
    def tables(self) -> dict[str, tuple[list[str], list[list[Any]]]]:
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
                 "判定 result", "傾向 trend", "評価期間 window", "期間値 window value", "期間判定 window result",
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

    def _summary_lines(self) -> list[str]:
        open_req = sum(1 for _, s in self.improvement_requests if not s.closed)
        return [
            f"SLM: {self.items_met} / {self.items_measured} 達成 (lines meeting their target this month)",
            f"改善要望: {len(self.improvement_requests)} 件, うち未完了 {open_req} 件",
        ]

    # -- renderings -----------------------------------------------------------------------------
    def to_markdown(self) -> str:
        """The report as Markdown (GitHub tables); every cell is escaped."""
        parts = [f"# {_md_cell(self.title)}", ""]
        parts += [f"- {_md_cell(s)}" for s in self._summary_lines()]
        if self.notes:
            parts += ["", f"> {_md_cell(self.notes)}"]
        for title, (header, rows) in self.tables().items():
            parts += ["", f"## {title}", "", _md_table(header, rows)]
        return "\n".join(parts) + "\n"

    def to_html(self) -> str:
        """The report as an HTML fragment; every cell is escaped."""
        parts = [f"<h2>{html.escape(self.title)}</h2>", "<ul>"]
        parts += [f"<li>{html.escape(s)}</li>" for s in self._summary_lines()]
        parts.append("</ul>")
        if self.notes:
            parts.append(f"<p><em>{html.escape(self.notes)}</em></p>")
        for title, (header, rows) in self.tables().items():
            parts.append(f"<h3>{html.escape(title)}</h3>")
            parts.append(html_table(header, rows) if rows else "<p>(なし / none)</p>")
        return "\n".join(parts)

    def _repr_html_(self) -> str:
        return self.to_html()

    def to_text(self) -> str:
        """The report as plain text tables (for a terminal)."""
        parts = [self.title, *self._summary_lines()]
        if self.notes:
            parts.append(self.notes)
        for title, (header, rows) in self.tables().items():
            parts += ["", text_table(header, rows, title=title) if rows else f"{title}\n(なし / none)"]
        return "\n".join(parts)

    def to_excel(self, path: str | os.PathLike[str]) -> None:
        """Write the report as an Excel workbook, one sheet per section (formula-injection safe).

        Parameters
        ----------
        path
            The ``.xlsx`` file to write (needs openpyxl: ``pip install 'jichitai-cloud[excel]'``).
        """
        from ..report.workbook import write_xlsx

        sheets: dict[str, tuple[Sequence[str], Sequence[Sequence[Any]]]] = {
            "概要": (["項目", "内容"], [["報告月", self.month.iso()], ["協議会", self.council],
                                      *[["", s] for s in self._summary_lines()], ["備考", self.notes]]),
        }
        for title, (header, rows) in self.tables().items():
            name = title.split(" (")[0].lstrip("0123456789 ")[:31]
            sheets[name] = (header, rows)
        write_xlsx(path, sheets)

    def to_dataframe(self) -> pandas.DataFrame:
        """The SLM table as a DataFrame."""
        return dataframe(["metric", "name", "scope", "unit", "target", "value", "met", "trend", "window",
                          "window_value", "window_met", "streak"],
                         [[r.metric, r.name, r.scope, r.unit, r.target, r.value, r.met, r.trend, r.window,
                           r.window_value, r.window_met, r.streak] for r in self.slm])

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
