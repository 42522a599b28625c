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
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from .. import _validators as v
from .._display import (
    Column,
    DataTable,
    Lang,
    TableView,
    check_lang,
    cols,
    render_frame,
    render_html,
    render_markdown,
    render_text,
    unit_cells,
)
from .._frozenmap import FrozenMap
from .._validators import month as _month
from .._validators import to_month as _to_month
from ..calendar import Month
from ..errors import UnknownMemberError, ValidationError
from ..model import (
    ImprovementRequest,
    Issue,
    ItemStatus,
    LegalChange,
    ScheduledWork,
    ServiceCalendar,
    WorkCategory,
    WorkRecord,
)
from ._compliance import Compliance
from ._scopes import check_names, member_label, scope_label, to_names, unnamed

if TYPE_CHECKING:  # pragma: no cover
    import pandas

__all__ = ["MonthlyReport", "SLMRow", "monthly_report"]


# -- the report ----------------------------------------------------------------------------------
@attrs.frozen(kw_only=True, slots=True)
class SLMRow:
    """One line of the service-level monitoring table (SLM).

    Parameters
    ----------
    metric, name, scope, unit
        The item, its name, the scope label of codes (``"A"``, ``"A/住基"``, ``"全体"``), its unit as
        written in the SLA item (``"minutes"``; the report shows it in its language, ``分``).
    member, system
        The scope's member code and system (``""``: the whole council, all systems); the report shows
        the member's name when it has :attr:`MonthlyReport.member_names`.
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
    member: str
    system: str
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
_TREND_EN = {"improving": "improving ↑", "worsening": "worsening ↓", "steady": "steady →", "": ""}
_OWNER_JA = {"secretariat": "事務局", "vendor": "受託事業者", "council": "協議会"}
"""Who acts on an issue (:attr:`Issue.owner <jichitai_cloud.model.Issue.owner>`), as written in English →
as a Japanese report shows it (matched ignoring case); a member code shows the member's name."""


def _owner_label(owner: str, names: Mapping[str, str], lang: Lang = "ja") -> str:
    """Who acts on an issue as a reader of ``lang`` sees it: a member code's name from ``names``
    (``"A"`` → ``"射水市"``, in either language); in Japanese ``"secretariat"`` → ``"事務局"``,
    ``"vendor"`` → ``"受託事業者"``, ``"council"`` → ``"協議会"``; anything else as written."""
    key = owner.strip()
    if key in names:
        return names[key]
    if lang == "ja":
        return _OWNER_JA.get(key.casefold(), owner)
    return owner


def _trend(value: float | None, prev: float | None, higher: bool) -> str:
    if value is None or prev is None:
        return ""
    diff = value - prev
    if abs(diff) <= 1e-9 * max(1.0, abs(prev)):
        return "steady"
    return "improving" if (diff > 0) == higher else "worsening"


def _mark(met: bool | None, lang: Lang = "ja") -> str | None:
    if met is None:
        return None
    if lang == "en":
        return "○ met" if met else "× missed"
    return "○ 達成" if met else "× 未達"


def _pair(key: str, ja: str, en: str) -> tuple[Column, Column]:
    """Two text columns of one item: ``key`` shown in English, ``key_ja`` in Japanese (each table
    for people shows the one in its language; the data keeps both)."""
    return _C(key, ja, en, "text", lang="en"), _C(f"{key}_ja", ja, en, "text", lang="ja")


def _places(values: Sequence[float | None]) -> int:
    """The fewest decimals (0-3) that show every value as stored."""
    for d in range(4):
        if all(x is None or abs(round(x, d) - x) <= 1e-9 * max(1.0, abs(x)) for x in values):
            return d
    return 3


def _rounded(value: Any, places: int) -> Any:
    """``value`` with every float rounded to ``places`` decimals (JSON without float noise)."""
    if isinstance(value, float):
        return round(value, places)
    if isinstance(value, dict):
        return {k: _rounded(x, places) for k, x in value.items()}
    if isinstance(value, list | tuple):
        return [_rounded(x, places) for x in value]
    return value


_C = Column
_NO_ROWS = {"ja": "(該当なし)", "en": "(none)"}
# key: (heading in the report, English heading, sheet title, English title)
_SECTIONS = {
    "work": ("1 当月作業実績", "1 Work done this month", "当月作業実績", "Work done"),
    "slm": ("2 サービスレベルモニタリング状況", "2 Service-level monitoring (SLM)", "サービスレベルモニタリング状況",
            "Service levels"),
    "schedule": ("3 翌月以降の作業予定", "3 Work scheduled", "翌月以降の作業予定", "Work scheduled"),
    "legal": ("制度改正対応", "Legal changes", "制度改正対応", "Legal changes"),
    "issues": ("4 課題・検討事項", "4 Issues", "課題・検討事項", "Issues"),
    "requests": ("5 改善要望一覧", "5 Improvement requests", "改善要望一覧", "Improvement requests"),
}
_SLM_DATA = (
    _C("metric", "項目コード", "Metric", "code"), _C("name", "項目", "Item", "text"),
    _C("scope", "対象コード", "Scope code", "code"), _C("scope_name", "対象", "Scope", "text"),
    *cols("unit", "unit_ja"),
    _C("target", "目標", "Target", "number"), _C("value", "当月値", "Value", "number"),
    _C("met", "当月値判定", "Met this month", "flag"), _C("trend", "傾向", "Trend", "code"),
    _C("window", "評価期間", "Window", "text"), _C("window_value", "期間値", "Window value", "number"),
    _C("window_met", "期間判定", "Window met", "flag"), _C("streak", "連続未達", "Missed in a row", "count"),
)


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
    member_names
        ``{member code: name}`` (``{"A": "射水市"}``): the tables a council reads show the members by
        name (SLM 対象, 対象団体, 担当, 改善要望の団体); the data (:meth:`to_dict`, :meth:`to_dataframe`)
        keeps the codes beside them.  Empty: the codes are shown.  When given, every member code the
        report shows must have a name (:class:`~jichitai_cloud.errors.UnknownMemberError` otherwise).
    calendar_warning
        ``(Japanese, English)`` line when the service calendar counts a public holiday of the month as
        service time (it closes weekends but lists no holidays), else empty; shown in the summary.
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
    calendar_warning: tuple[str, str] = attrs.field(default=("", ""), converter=v.to_tuple)
    member_names: FrozenMap[str] = attrs.field(factory=FrozenMap, converter=to_names, validator=check_names)

    def __attrs_post_init__(self) -> None:
        if not self.member_names:
            return
        refs = [(r.member, f"SLM {r.name}") for r in self.slm]
        refs += [(r.member, f"improvement request {r.id}") for r, _ in self.improvement_requests]
        refs += [(c, f"scheduled work {w.title!r}") for w in self.schedule for c in w.members]
        missing = unnamed(refs, self.member_names)
        if missing:
            listed = "; ".join(f"{c!r} ({', '.join(dict.fromkeys(w))})" for c, w in missing.items())
            raise UnknownMemberError(f"member_names has no name for the member code(s) {listed}; names are given "
                                     f"for {list(self.member_names)}")

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
    def _section_tables(self) -> dict[str, DataTable]:
        """Every section as a declared table, in report order."""
        n_prev = max((len(r.previous) for r in self.slm), default=0)
        values = [x for r in self.slm for x in (r.target, *r.previous, r.value, r.window_value)]
        d = _places(values)
        prev = tuple(_C(f"previous_{n_prev - i}", f"{(self.month - (n_prev - i)).era_short()}",
                        f"{(self.month - (n_prev - i)).iso()}", "number", decimals=d, bilingual=False)
                     for i in range(n_prev))
        slm_columns = (_C("name", "項目", "Item", "text"), *_pair("scope", "対象", "Scope"),
                       *cols("unit", "unit_ja"),
                       _C("target", "目標", "Target", "number", decimals=d),
                       *prev, _C("value", f"当月 {self.month.era_short()}", f"This month {self.month.iso()}", "number",
                                 decimals=d, bilingual=False),
                       *_pair("met", "当月値判定", "Month result"), *_pair("trend", "傾向", "Trend"),
                       _C("window", "評価期間", "Window", "text"),
                       _C("window_value", "期間値", "Window value", "number", decimals=d),
                       *_pair("window_met", "期間判定", "Window result"),
                       _C("streak", "連続未達", "Missed in a row", "count"))
        names = self.member_names
        slm_rows = [[r.name, scope_label((r.member, r.system), names, "en"), scope_label((r.member, r.system), names),
                     *unit_cells(r.unit), r.target, *([None] * (n_prev - len(r.previous))), *r.previous, r.value,
                     _mark(r.met, "en"), _mark(r.met), _TREND_EN[r.trend] or None, _TREND_JA[r.trend] or None,
                     r.window, r.window_value, _mark(r.window_met, "en"), _mark(r.window_met), r.streak]
                    for r in self.slm]
        status = _pair("status", "状況", "Status")
        note = _C("note", "備考", "Note", "text")
        ident = _C("id", "番号", "ID", "code")
        spec: dict[str, tuple[tuple[Column, ...], list[list[Any]], bool]] = {
            "work": ((*_pair("category", "区分", "Category"), _C("count", "件数", "Count", "count", total=True),
                      _C("previous", f"前月 {(self.month - 1).era_short()}", f"Previous month {(self.month - 1).iso()}",
                         "count", total=True, bilingual=False)),
                     [[c.en, c.ja, n, p] for c, n, p in self.work], True),
            "slm": (slm_columns, slm_rows, False),
            "schedule": ((_C("month", "月", "Month", "month"), _C("date", "日", "Date", "date"),
                          *_pair("category", "区分", "Category"), _C("work", "作業", "Work", "text"),
                          *_pair("systems", "対象業務", "Systems"), *_pair("members", "対象団体", "Members"),
                          _C("outage", "計画停止", "Planned outage", "flag"), note),
                         [[w.month, w.date, w.category.en, w.category.ja, w.title,
                           ", ".join(w.systems) or "All systems", "・".join(w.systems) or "全業務",
                           ", ".join(member_label(c, names, "en") for c in w.members) or "All members",
                           "・".join(member_label(c, names) for c in w.members) or "全団体", w.outage, w.note]
                          for w in self.schedule], False),
            "legal": ((ident, _C("change", "制度改正", "Change", "text"), _C("effective", "施行", "Effective", "month"),
                       _C("systems", "対象業務", "Systems", "text"), *status, note),
                      [[c.id, c.title, c.effective, "・".join(c.systems), s.en, s.ja, c.note]
                       for c, s in self.legal_changes], False),
            "issues": ((ident, _C("issue", "課題", "Issue", "text"), _C("opened", "提起", "Opened", "month"),
                        *_pair("owner", "担当", "Owner"), *status, note),
                       [[i.id, i.title, i.opened, _owner_label(i.owner, names, "en"), _owner_label(i.owner, names, "ja"),
                         s.en, s.ja, i.note] for i, s in self.issues], False),
            "requests": ((ident, _C("request", "要望", "Request", "text"), *_pair("member", "団体", "Member"),
                          _C("system", "業務", "System", "text"), _C("requested", "受付", "Requested", "month"),
                          *status, _C("planned", "対応予定", "Planned", "month"), note),
                         [[r.id, r.title, member_label(r.member, names, "en"), member_label(r.member, names), r.system,
                           r.requested, s.en, s.ja, r.planned, r.note] for r, s in self.improvement_requests], False),
        }
        out = {}
        for key, (columns, rows, totals) in spec.items():
            _, _, title, title_en = _SECTIONS[key]
            out[key] = DataTable(key=key, title=title, title_en=title_en, columns=columns, rows=rows, sheet=title,
                                 sheet_en=title_en, totals=totals)
        return out

    def views(self) -> tuple[DataTable, ...]:
        """The report's sheets: an overview (概要), then one per section (当月作業実績, …), in report order
        (what :func:`jichitai_cloud.report.to_excel` writes)."""
        overview = [["Month", "報告月", self.month.iso(), self.month.era_short() + f" ({self.month.iso()})"],
                    ["Council", "協議会", self.council, self.council],
                    *[["", "", en, ja] for en, ja in zip(self._summary_lines("en"), self._summary_lines("ja"),
                                                         strict=True)],
                    ["Notes", "備考", self.notes, self.notes]]
        head = DataTable(key="overview", title="概要", title_en="Overview",
                         columns=(*_pair("item", "項目", "Item"), *_pair("content", "内容", "Content")),
                         rows=overview, sheet="概要", sheet_en="Overview")
        return (head, *self._section_tables().values())

    def to_dataframe(self, table: str | None = None) -> pandas.DataFrame:
        """A DataFrame: the SLM lines as data (one row per item and scope; flags ``bool``; the scope's
        codes and its name, the unit as written and in Japanese), or a sheet by key or title."""
        if table is None:
            rows = [[r.metric, r.name, r.scope, scope_label((r.member, r.system), self.member_names),
                     *unit_cells(r.unit), r.target, r.value, r.met, r.trend, r.window, r.window_value,
                     r.window_met, r.streak] for r in self.slm]
            return render_frame(DataTable(key="slm_data", title="SLM", title_en="SLM", columns=_SLM_DATA, rows=rows))
        return render_frame(self.view(table))

    def summary(self, lang: Lang = "ja") -> str:
        """SLM lines met and improvement requests open, one line each, in Japanese (``lang="en"``: English)."""
        return "\n".join(self._summary_lines(check_lang(lang)))

    def _summary_lines(self, lang: Lang = "ja") -> list[str]:
        open_req = sum(1 for _, s in self.improvement_requests if not s.closed)
        warn = [self.calendar_warning[0 if lang == "ja" else 1]] if self.calendar_warning[0] else []
        if lang == "ja":
            return [f"SLM: {self.items_met} / {self.items_measured} 達成 (期間判定: 当月時点の評価期間で目標を満たす項目)",
                    f"改善要望: {len(self.improvement_requests)} 件、うち未完了 {open_req} 件", *warn]
        return [f"SLM: {self.items_met} / {self.items_measured} met (lines meeting their target over their window "
                "as of this month)",
                f"Improvement requests: {len(self.improvement_requests)}, {open_req} still open", *warn]

    def _title_in(self, lang: Lang) -> str:
        if lang == "ja":
            return self.title
        return f"Monthly report to the operations subcommittee, {self.month.iso()}" + (
            f" ({self.council})" if self.council else "")

    # -- renderings (of the declared tables, under the report's section headings) ----------------
    def to_markdown(self, lang: Lang = "ja") -> str:
        """The report as Markdown (GitHub tables); every cell is escaped."""
        lang = check_lang(lang)

        def esc(text: str) -> str:
            return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").replace("\r", " ")

        parts = [f"# {esc(self._title_in(lang))}", ""]
        parts += [f"- {esc(x)}" for x in self._summary_lines(lang)]
        if self.notes:
            parts += ["", f"> {esc(self.notes)}"]
        for key, t in self._section_tables().items():
            parts += ["", f"## {_SECTIONS[key][0 if lang == 'ja' else 1]}", "",
                      render_markdown(t, lang, title=False) if t.rows else _NO_ROWS[lang]]
        return "\n".join(parts) + "\n"

    def to_html(self, lang: Lang = "ja") -> str:
        """The report as an HTML fragment; every cell is escaped."""
        lang = check_lang(lang)
        parts = [f"<h2>{html.escape(self._title_in(lang))}</h2>", '<ul class="summary">']
        parts += [f"<li>{html.escape(x)}</li>" for x in self._summary_lines(lang)]
        parts.append("</ul>")
        if self.notes:
            parts.append(f"<p><em>{html.escape(self.notes)}</em></p>")
        for key, t in self._section_tables().items():
            parts.append(f"<h3>{html.escape(_SECTIONS[key][0 if lang == 'ja' else 1])}</h3>")
            parts.append(render_html(t, lang, caption=False) if t.rows else f"<p>{_NO_ROWS[lang]}</p>")
        return "\n".join(parts)

    def to_text(self, lang: Lang = "ja") -> str:
        """The report as plain text tables (for a terminal)."""
        lang = check_lang(lang)
        parts = [self._title_in(lang), *self._summary_lines(lang)]
        if self.notes:
            parts.append(self.notes)
        for key, t in self._section_tables().items():
            heading = _SECTIONS[key][0 if lang == "ja" else 1]
            parts += ["", heading, render_text(t, lang, title=False) if t.rows else _NO_ROWS[lang]]
        return "\n".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """Plain data (for JSON)."""
        return {
            "council": self.council, "month": self.month.iso(), "notes": self.notes,
            "member_names": dict(self.member_names),
            "calendar_warning": self.calendar_warning[0],
            "work": [{"category": c.value, "count": n, "previous": p} for c, n, p in self.work],
            "slm": [_rounded(attrs.asdict(r), _places([x for q in self.slm
                                                       for x in (q.target, *q.previous, q.value, q.window_value)]))
                    for r in self.slm],
            "schedule": [{"month": w.month.iso(), "date": w.date.isoformat() if w.date else None,
                          "category": w.category.value, "title": w.title, "systems": list(w.systems),
                          "members": list(w.members), "outage": w.outage} for w in self.schedule],
            "legal_changes": [{"id": c.id, "title": c.title, "effective": c.effective.iso(), "status": s.value}
                              for c, s in self.legal_changes],
            "issues": [{"id": i.id, "title": i.title, "owner": i.owner, "status": s.value} for i, s in self.issues],
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
            metric=m.id, name=m.name, scope=scope_label(compliance.scopes[n]), member=compliance.scopes[n][0],
            system=compliance.scopes[n][1], unit=m.unit, target=m.target,
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
    calendar: ServiceCalendar | None = None,
    member_names: Mapping[str, str] | None = None,
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
    calendar
        The service calendar: if it closes weekends but lists no holidays and counts a public holiday
        of the month as service time, the summary says so (and which holiday).
    member_names
        ``{member code: name}`` (e.g. ``{m.code: m.name for m in council.members}``): the tables show
        the members by name; ``None`` (default): by code.

    Returns
    -------
    MonthlyReport

    Raises
    ------
    UnknownMemberError
        ``member_names`` are given but a member code the report shows has none (the message names
        the code and where it appears).
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
    warn = ("", "")
    if calendar is not None:
        first, days = m.first_day(), (m + 1).first_day().toordinal() - m.first_day().toordinal()
        warn = (calendar.holiday_warning(first, days, "ja"), calendar.holiday_warning(first, days, "en"))
    return MonthlyReport(council=council, month=m, work=work_rows, slm=tuple(_slm_rows(compliance, m, history)),
                         issues=iss, improvement_requests=reqs, schedule=sched, legal_changes=legal, notes=notes,
                         calendar_warning=warn, member_names=member_names)
