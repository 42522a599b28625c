"""The migration plan (移行計画): each member's cloud start, the cost of its timing, and the checks.

:func:`plan_migration` turns a :class:`~jichitai_cloud.model.MigrationSchedule` into arrays once,
prices every candidate month with :func:`~jichitai_cloud.schedule.timing_costs`, and either
chooses the months (:func:`~jichitai_cloud.schedule.best_starts`: the council's cheapest plan within
the vendor's cutover capacity) or prices the months it is given (the document's planned starts).

References
----------
富山県情報システム共同利用推進協議会事務局 (2016), 次期システム更新予定; 基幹系(住民記録等)システム移行
スケジュール; 5. 導入・移行 (4) テスト、研修 (運用テスト、操作研修は、できるだけ業務の繁忙期を避けて実施);
7. 導入効果 (現行システムの解約により発生する違約金を考慮).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from .._display import Column, DataTable, Lang, TableView, col, cols
from ..calendar import Month
from ..errors import UnknownMemberError, ValidationError
from ..model import Consortium, Finding, MigrationSchedule, MigrationTerms
from ._kernels import best_starts, cutover_groups, timing_parts

__all__ = ["MigrationPlan", "plan_migration", "quarter_of"]

_BASIS_JA = {"optimised": "最適化", "planned": "予定どおり", "given": "指定"}
_PLAN_COLUMNS = (
    *cols("code", "name", "current_system_end"),
    Column("earliest", "移行可能期間 (開始)", "Window opens", "month"),
    Column("latest", "移行可能期間 (終了)", "Window closes", "month"),
    Column("migration_start", "移行開始", "Migration starts", "month"),
    col("cloud_start"),
    Column("own_best", "単独最適の開始", "Own cheapest start", "month"),
    Column("current", "現行経費", "Current system", "yen", total=True),
    Column("extension", "延長経費", "Extension", "yen", total=True),
    col("penalty"),
    Column("cloud", "クラウド利用料", "Cloud fee", "yen", total=True),
    Column("cost", "費用計", "Total cost", "yen", total=True),
    Column("double_months", "並行稼働月数", "Months of parallel running", "months"),
)
_MILESTONE_COLUMNS = (Column("row", "区分", "Row", "text"), Column("milestone", "項目", "Milestone", "text"),
                      Column("first", "開始月", "First month", "month"), Column("last", "終了月", "Last month", "month"))
_CHECK_COLUMNS = (Column("where", "対象", "Where", "text"),
                  Column("finding", "確認事項", "Finding", "text", lang="ja"),
                  Column("finding_en", "確認事項 (英語)", "Finding", "text", lang="en"))


def quarter_of(month: Month) -> str:
    """The fiscal quarter of ``month`` in the document's notation, ``"H27年度 2Q"``."""
    first = Month(month.fiscal_year, 4)
    era = first.era
    return f"{era.letter}{first.year - era.first_day.year + 1}年度 {month.fiscal_quarter}Q"


@attrs.frozen(kw_only=True, slots=True)
class MigrationPlan(TableView):
    """A council's migration plan: per member the contract end, window, cloud start and the cost of its timing.

    Parameters
    ----------
    schedule
        The input records.
    starts
        Cloud start (first month on the cloud) per member, in schedule order.
    basis
        How the starts were chosen: ``"optimised"``, ``"planned"`` (the schedule's planned starts) or
        ``"given"``.
    current, extension, penalty, cloud
        The parts of each member's cost over the horizon. [yen]
    double_months
        Months both systems run (並行稼働, 二重投資) within the horizon. [months]
    own_starts, own_costs
        Each member's own cheapest start within its window and outside blackout months, ignoring
        capacity, and its cost. [yen]
    capacity, per, blackout
        The cutover limit the plan was made (or is checked) under. [members]
    """

    schedule: MigrationSchedule
    starts: tuple[Month, ...]
    basis: str
    current: tuple[int, ...]
    extension: tuple[int, ...]
    penalty: tuple[int, ...]
    cloud: tuple[int, ...]
    double_months: tuple[int, ...]
    own_starts: tuple[Month, ...]
    own_costs: tuple[int, ...]
    capacity: int | None
    per: str
    blackout: tuple[Month, ...]

    _COLUMNS = _PLAN_COLUMNS
    _KEY = "plan"
    _SHEET = ("移行計画", "Migration plan")
    _INDEX = "code"
    _TOTALS = True

    # -- values -------------------------------------------------------------------------------------
    @property
    def codes(self) -> tuple[str, ...]:
        """Member codes in order."""
        return self.schedule.codes

    @property
    def costs(self) -> tuple[int, ...]:
        """Each member's cost over the horizon: current + extension + penalty + cloud. [yen]"""
        return tuple(a + b + c + d for a, b, c, d in
                     zip(self.current, self.extension, self.penalty, self.cloud, strict=True))

    @property
    def total(self) -> int:
        """The council's total cost over the horizon. [yen]"""
        return sum(self.costs)

    @property
    def own_total(self) -> int:
        """What the members' own cheapest choices would cost together, ignoring capacity. [yen]"""
        return sum(self.own_costs)

    def start(self, code: str) -> Month:
        """Cloud start of member ``code``."""
        return self.starts[self._index(code)]

    def _index(self, code: str) -> int:
        try:
            return self.codes.index(code)
        except ValueError:
            raise UnknownMemberError(f"no member {code!r} in the plan; members are {list(self.codes)}") from None

    def migration_starts(self) -> tuple[Month, ...]:
        """First month of migration work (移行) per member: the planned lead before the start."""
        out = []
        for m, s in zip(self.schedule.members, self.starts, strict=True):
            lead = (m.planned_start - m.migration_start
                    if m.planned_start is not None and m.migration_start is not None
                    else self.schedule.migration_months)
            out.append(s - lead)
        return tuple(out)

    def system_ends(self) -> tuple[Month, ...]:
        """Last month each member's current system runs: the month before the start plus parallel months."""
        return tuple(s - 1 + m.parallel for m, s in zip(self.schedule.members, self.starts, strict=True))

    # -- the council ---------------------------------------------------------------------------------
    def apply(self, council: Consortium) -> Consortium:
        """The council with the plan's cloud starts, current-system ends and penalties.

        Each planned member gets ``cloud_start`` = its start, ``current_system_end`` = the last month
        its current system runs, and ``penalty`` = its penalty under the plan, so that
        :func:`jichitai_cloud.allocate` splits the fee over the months each member is actually on
        the cloud.  Members of the council the plan does not list are left as they are.

        Raises
        ------
        UnknownMemberError
            If the plan lists a member the council does not have.
        """
        unknown = [c for c in self.codes if c not in council.codes]
        if unknown:
            raise UnknownMemberError(f"the plan lists member(s) {unknown} that the council "
                                     f"{council.name!r} does not have; its members are {list(council.codes)}")
        by_code = dict(zip(self.codes, zip(self.starts, self.system_ends(), self.penalty, strict=True), strict=True))
        members = []
        for m in council.members:
            if m.code in by_code:
                start, end, pen = by_code[m.code]
                m = attrs.evolve(m, cloud_start=start, current_system_end=end, penalty=pen)
            members.append(m)
        return attrs.evolve(council, members=tuple(members))

    # -- checks ------------------------------------------------------------------------------------
    def findings(self) -> tuple[Finding, ...]:
        """Every check at once: window, gap with no system, blackout, capacity, busy seasons.

        * a start outside the member's migration window (before ``earliest`` or after ``latest``);
        * a gap with no system: a current system that may not be extended ending before the month
          before the cloud start;
        * a cutover in a blackout month;
        * more cutovers in one month (or fiscal quarter) than the capacity;
        * test and training months (``test_months`` before the start) in the busy season (繁忙期);
        * a start outside the horizon.
        """
        sch = self.schedule
        out: list[Finding] = []
        black = set(self.blackout)
        busy = set(sch.busy_months)
        for m, s in zip(sch.members, self.starts, strict=True):
            where = f"{m.name} ({m.code})" if m.name and m.name != m.code else m.code
            if m.latest is not None and s > m.latest:
                out.append(Finding(where, f"クラウド開始 {s.era_short()} が移行可能期間の終了 "
                                          f"({m.latest.era_short()}) より後です。",
                                   f"cloud start {s.era_short()} is after its migration window ends "
                                   f"({m.latest.era_short()})"))
            if m.earliest is not None and s < m.earliest:
                out.append(Finding(where, f"クラウド開始 {s.era_short()} が移行可能期間の開始 "
                                          f"({m.earliest.era_short()}) より前です。",
                                   f"cloud start {s.era_short()} is before its migration window opens "
                                   f"({m.earliest.era_short()})"))
            if not m.can_extend and s > m.current_system_end + 1:
                gap = s - m.current_system_end - 1
                out.append(Finding(where, f"システムのない期間が {gap}か月あります: 現行契約は "
                                          f"{m.current_system_end.era_short()} に終了し、クラウド開始は "
                                          f"{s.era_short()} で、現行システムは延長できません。",
                                   f"{gap} month(s) with no system: the current contract ends "
                                   f"{m.current_system_end.era_short()}, the cloud starts {s.era_short()} "
                                   "and the current system may not be extended"))
            if s in black:
                out.append(Finding(where, f"切替を行わない月 {s.era_short()} に切替が予定されています。",
                                   f"cutover in blackout month {s.era_short()}"))
            if not sch.horizon_start <= s <= sch.horizon_end:
                out.append(Finding(where, f"クラウド開始 {s.era_short()} が計画期間 ({sch.horizon_start.era_short()}"
                                          f"〜{sch.horizon_end.era_short()}) の外にあります。",
                                   f"cloud start {s.era_short()} is outside the horizon "
                                   f"{sch.horizon_start.era_short()}..{sch.horizon_end.era_short()}"))
            tests = [s - k for k in range(sch.test_months, 0, -1)]
            hit = [t for t in tests if t.month in busy]
            if hit:
                months_ja = "・".join(f"{b}月" for b in sorted(busy))
                out.append(Finding(where, f"テスト・研修の月 ({'、'.join(t.era_short() for t in hit)}) が繁忙期 "
                                          f"({months_ja}) に当たります。",
                                   f"test/training months {', '.join(t.era_short() for t in hit)} fall in "
                                   f"the busy season (繁忙期: months {sorted(busy)})"))
        if self.capacity is not None:
            groups = cutover_groups([s.index for s in self.starts], self.per)
            counts = Counter(int(g) for g in groups)
            for g, n in sorted(counts.items()):
                if n > self.capacity:
                    first = Month.from_index(g)
                    label = first.era_short() if self.per == "month" else quarter_of(first)
                    who = [c for c, gg in zip(self.codes, groups, strict=True) if gg == g]
                    per_ja = "か月" if self.per == "month" else "四半期"
                    out.append(Finding("capacity", f"{label} の切替は {n}団体 ({'、'.join(who)}) で、上限 "
                                                   f"(1{per_ja}あたり {self.capacity}団体) を超えています。",
                                       f"{n} cutovers in {label} ({', '.join(who)}), more than the "
                                       f"capacity of {self.capacity} a {self.per}"))
        return tuple(out)

    # -- display -----------------------------------------------------------------------------------
    def _rows(self) -> list[list[Any]]:
        migration = self.migration_starts()
        return [[m.code, m.name, m.current_system_end, m.earliest, m.latest, migration[i], self.starts[i],
                 self.own_starts[i], self.current[i], self.extension[i], self.penalty[i], self.cloud[i],
                 self.costs[i], self.double_months[i]]
                for i, m in enumerate(self.schedule.members)]

    def _title(self, lang: Lang = "ja") -> str:
        if lang == "en":
            return f"{self.schedule.name}: migration plan ({self.basis})"
        return f"{self.schedule.name}: 移行計画 ({_BASIS_JA.get(self.basis, self.basis)})"

    def views(self) -> tuple[DataTable, ...]:
        """The plan (per member, with a 合計 line), the milestones (if any) and the checks (if any finding)."""
        out = list(TableView.views(self))
        name = self.schedule.name
        if self.schedule.milestones:
            out.append(DataTable(
                key="milestones", title=f"{name}: マイルストーン", title_en=f"{name}: milestones",
                columns=_MILESTONE_COLUMNS, sheet="マイルストーン", sheet_en="Milestones",
                rows=[[ms.row, ms.name, ms.first, ms.end] for ms in self.schedule.milestones]))
        findings = self.findings()
        if findings:
            out.append(DataTable(
                key="checks", title=f"{name}: 確認事項", title_en=f"{name}: checks", columns=_CHECK_COLUMNS,
                rows=[[f.where, f.message, f.text("en")] for f in findings], sheet="確認事項", sheet_en="Checks"))
        return tuple(out)

    def summary(self, lang: Lang = "ja") -> str:
        """Total cost, the premium over the members' own cheapest choices, and the number of findings."""
        sch = self.schedule
        extra = self.total - self.own_total
        if lang == "en":
            cap = "no capacity limit" if self.capacity is None else f"capacity {self.capacity} a {self.per}"
            lines = [f"horizon {sch.horizon_start.iso()}..{sch.horizon_end.iso()}; {cap}; "
                     f"total {self.total:,} yen; own cheapest choices {self.own_total:,} yen (+{extra:,})"]
            if sch.notes:
                lines.append(f"note: {sch.notes}")
            return "\n".join(lines)
        per = "月" if self.per == "month" else "四半期"
        cap = "切替団体数の上限なし" if self.capacity is None else f"切替は1{per}あたり{self.capacity}団体まで"
        lines = [f"計画期間 {sch.horizon_start.era_short()}〜{sch.horizon_end.era_short()}、{cap}、"
                 f"費用計 {self.total:,}円 (各団体が単独で最も安い時期を選んだ場合 {self.own_total:,}円、"
                 f"差額 +{extra:,}円)"]
        if sch.notes:
            lines.append(f"備考: {sch.notes}")
        return "\n".join(lines)

    def quarter_grid(self, first: Month | str | None = None, last: Month | str | None = None) -> Any:
        """The document's quarter table (現行 / 移行 / クラウド by fiscal quarter); see :class:`QuarterGrid`."""
        from ._grid import quarter_grid

        return quarter_grid(self, first=first, last=last)

    def __str__(self) -> str:
        return self.to_text()


def _arrays(members: Sequence[MigrationTerms]) -> dict[str, NDArray[np.int64]]:
    return {
        "contract_end": np.array([m.current_system_end.index for m in members], dtype=np.int64),
        "current_monthly": np.array([m.current_monthly for m in members], dtype=np.int64),
        "cloud_monthly": np.array([m.cloud_monthly for m in members], dtype=np.int64),
        "penalty_monthly": np.array([m.penalty_monthly for m in members], dtype=np.int64),
        "extension_monthly": np.array([m.current_monthly if m.extension_monthly is None else m.extension_monthly
                                       for m in members], dtype=np.int64),
        "parallel": np.array([m.parallel for m in members], dtype=np.int64),
    }


def _to_month(value: Any, where: str) -> Month:
    if isinstance(value, Month):
        return value
    if isinstance(value, str):
        return Month.parse(value)
    raise ValidationError(f"{where} must be a month such as 'H27.04', got {value!r}")


def plan_migration(schedule: MigrationSchedule, *, starts: str | Mapping[str, Month | str] | None = None,
                   capacity: int | None = None, per: str | None = None,
                   blackout: Sequence[Month | str] | None = None) -> MigrationPlan:
    """Plan the council's migration: the cloud start of each member and the cost of its timing.

    Parameters
    ----------
    schedule
        Each member's contract, costs and window; the horizon, capacity, blackout months, busy seasons.
    starts
        ``None`` (default): choose the months minimising the council's total cost within the capacity
        (:func:`~jichitai_cloud.schedule.best_starts`); ``"planned"``: the schedule's planned starts;
        or a mapping member code → month (members not named keep their planned start).
    capacity
        Cutovers per month or quarter, overriding the schedule's. [members]
    per
        ``"month"`` or ``"quarter"``, overriding the schedule's.
    blackout
        Months in which no member may cut over, overriding the schedule's (``["H28.03", "H28.04"]``).

    Returns
    -------
    MigrationPlan
        Starts, the parts of each member's cost, the members' own cheapest choices, and the checks
        (:meth:`MigrationPlan.findings`).

    Raises
    ------
    InfeasibleAllocation
        If no plan meets the capacity, windows and blackout months (the message says why).
    ValidationError, UnknownMemberError
        A bad month, a start for a member the schedule does not have, a member without a planned start.

    Examples
    --------
    >>> from jichitai_cloud import examples
    >>> plan = plan_migration(examples.toyama_schedule(), capacity=2)
    >>> plan.total >= plan.own_total
    True
    """
    cap = schedule.capacity if capacity is None else capacity
    per_ = schedule.per if per is None else per
    if per_ not in ("month", "quarter"):
        raise ValidationError(f"per must be 'month' or 'quarter', got {per_!r}")
    black = (schedule.blackout if blackout is None
             else tuple(_to_month(b, f"blackout[{i}]") for i, b in enumerate(blackout)))
    members = schedule.members
    arr = _arrays(members)
    h0, h1 = schedule.horizon_start.index, schedule.horizon_end.index
    cand = np.arange(h0, h1 + 1, dtype=np.int64)
    parts = timing_parts(arr["contract_end"], arr["current_monthly"], arr["cloud_monthly"], arr["penalty_monthly"],
                         cand, horizon=(h0, h1), parallel=arr["parallel"],
                         extension_monthly=arr["extension_monthly"])
    costs = parts.total
    lo = np.array([h0 if m.earliest is None else m.earliest.index for m in members])[:, None]
    hi = np.array([h1 if m.latest is None else m.latest.index for m in members])[:, None]
    no_gap = np.array([m.can_extend for m in members])[:, None] | (cand[None, :] <= arr["contract_end"][:, None] + 1)
    allowed = (cand[None, :] >= lo) & (cand[None, :] <= hi) & no_gap
    black_idx = np.array([b.index for b in black], dtype=np.int64)
    own_idx = best_starts(costs, cand, capacity=len(members), blackout=black_idx, allowed=allowed)
    rows = np.arange(len(members))
    if starts is None:
        idx = (own_idx if cap is None else
               best_starts(costs, cand, capacity=int(cap), per=per_, blackout=black_idx, allowed=allowed))
        chosen = cand[idx]
        basis = "optimised"
    else:
        chosen = _given(schedule, starts)
        basis = "planned" if isinstance(starts, str) else "given"
    own = [Month.from_index(int(x)) for x in cand[own_idx]]
    if starts is None:
        got = parts
        pick = (rows, idx)
        cols = [np.asarray(p[pick]) for p in got]
    else:  # price the given months: members as a batch axis, one candidate each
        got = timing_parts(arr["contract_end"][:, None], arr["current_monthly"][:, None],
                           arr["cloud_monthly"][:, None], arr["penalty_monthly"][:, None], chosen[:, None],
                           horizon=(h0, h1), parallel=arr["parallel"][:, None],
                           extension_monthly=arr["extension_monthly"][:, None])
        cols = [np.asarray(p[:, 0, 0]) for p in got]
    return MigrationPlan(
        schedule=schedule, starts=tuple(Month.from_index(int(x)) for x in chosen), basis=basis,
        current=tuple(int(x) for x in cols[0]), extension=tuple(int(x) for x in cols[1]),
        penalty=tuple(int(x) for x in cols[2]), cloud=tuple(int(x) for x in cols[3]),
        double_months=tuple(int(x) for x in cols[4]), own_starts=tuple(own),
        own_costs=tuple(int(x) for x in costs[rows, own_idx]), capacity=None if cap is None else int(cap),
        per=per_, blackout=black)


def _given(schedule: MigrationSchedule, starts: str | Mapping[str, Month | str]) -> NDArray[np.int64]:
    if isinstance(starts, str):
        if starts != "planned":
            raise ValidationError(f"starts must be None, 'planned' or a mapping code -> month, got {starts!r}")
        given: Mapping[str, Month | str] = {}
    elif isinstance(starts, Mapping):
        given = starts
    else:
        raise ValidationError(f"starts must be None, 'planned' or a mapping code -> month, got {starts!r}")
    unknown = [c for c in given if c not in schedule.codes]
    if unknown:
        raise UnknownMemberError(f"starts names member(s) {unknown} not in the schedule; members are "
                                 f"{list(schedule.codes)}")
    out = []
    missing = []
    for m in schedule.members:
        if m.code in given:
            out.append(_to_month(given[m.code], f"starts[{m.code!r}]").index)
        elif m.planned_start is not None:
            out.append(m.planned_start.index)
        else:
            missing.append(m.code)
    if missing:
        raise ValidationError(f"member(s) {missing} have no planned_start; give their starts")
    return np.array(out, dtype=np.int64)
