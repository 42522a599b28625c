"""A council's operations records in one object: what the monthly review works from.

An :class:`OperationsData` holds what the secretariat keeps for the monthly review: the SLA items,
the service-hour calendar, monthly observations, the outage log, work records, issues,
improvement requests, the schedule, legal-change work, fees and the penalty rules; its methods
derive availability, compliance, the monthly report, penalties and the continue-or-switch
assessment.  Read one from a TOML (or JSON) file of definitions plus CSV tables with
:func:`jichitai_cloud.io.load_operations`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from .. import _validators as v
from .._frozenmap import FrozenMap
from .._validators import month as _month
from .._validators import to_month as _to_month
from ..calendar import Month
from ..errors import UnknownMemberError, ValidationError
from ..model import (
    Consortium,
    ImprovementRequest,
    Issue,
    LegalChange,
    MetricKind,
    Observation,
    Outage,
    ScheduledWork,
    ServiceCalendar,
    SLAMetric,
    WorkRecord,
)
from ._availability import Availability, availability_from_outages
from ._compliance import Compliance, evaluate_sla
from ._continuity import ContinuityAssessment, ContinuityCriterion, assess_continuity, incumbent_measures
from ._monthly import MonthlyReport, monthly_report
from ._observations import ObservationTable, incident_observations
from ._penalties import (
    FeeReduction,
    FeeReductionRule,
    PenaltyPointRule,
    PenaltyPoints,
    ServiceCredits,
    ServiceCreditScheme,
    fee_reduction,
    penalty_points,
    service_credits,
)
from ._scopes import ALL, check_names, to_names, unnamed

__all__ = ["OperationsData"]

_SHOWN = 10


def _fees(value: Any) -> Any:
    if isinstance(value, FrozenMap) and not any(v.to_int(x) is not x for x in value.values()):
        return value
    return FrozenMap({k: v.to_int(x) for k, x in dict(value).items()})


def _fee_map(_inst: Any, attribute: Any, value: Any) -> None:
    for k, x in value.items():
        v.check_yen(x, f"{attribute.name}.{k or '(全体)'}")


def _month_map(value: Any) -> Any:
    fm = value if isinstance(value, FrozenMap) else FrozenMap(value)
    return FrozenMap([(k, _to_month(x)) for k, x in fm.items()])


def _month_map_ok(_inst: Any, attribute: Any, value: Any) -> None:
    for k, x in value.items():
        if not isinstance(x, Month):
            raise ValidationError(f"{attribute.name}.{k} must be a month such as 'H27.07', got {x!r}")


def _members(_inst: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, tuple) or not value:
        raise ValidationError(f"{attribute.name} must list at least one member code ('' = the whole council)")
    for i, c in enumerate(value):
        if not isinstance(c, str):
            raise ValidationError(f"{attribute.name}[{i}] must be a member code ('' = the whole council), got {c!r}")
        if c != ALL:
            v.check_member_code(c, f"{attribute.name}[{i}]")
    v.unique(what="code")(None, attribute, value)


@attrs.frozen(kw_only=True, slots=True)
class OperationsData:
    """A council's operations records for service-level monitoring and the monthly review.

    Parameters
    ----------
    council
        Name of the council.
    start
        First month monitored (``"H27.04"``).
    months
        Months monitored. [months]
    members
        Member codes monitored (scopes of availability and incidents); ``""`` = the whole council.
    service_start
        First month each member is on the service (クラウド開始), for members that join after
        :attr:`start`: availability and incident items are not derived for it before then.
    systems
        Business systems monitored separately (empty: the service as a whole).
    metrics
        The SLA items (SLA項目).
    calendar
        Service hours (サービス提供時間) for availability, with the council's holiday list.
    observations
        Monthly measurements (SLM実績) not derived from the outage log.
    outages
        The outage log (障害・停止記録); availability and incident items are computed from it
        unless observations of them are given.
    work
        Work records (当月作業実績).
    issues
        Issues (課題・検討事項).
    improvement_requests
        Improvement requests (改善要望).
    schedule
        Planned work (作業予定).
    legal_changes
        Legal-change work (制度改正対応).
    annual_fees
        Annual fee per member code (or ``""``) for fee reductions. [yen]
    monthly_fees
        Monthly fee per member code (or ``""``) for service credits. [yen]
    fee_rule, penalty_rule, credit_scheme
        The contract's penalty forms (None: not in the contract).
    continuity
        Criteria for the continue-or-switch decision.
    continuity_threshold
        Points needed to continue. [points]
    notes
        Remarks (e.g. that figures are illustrative).
    member_names
        ``{member code: name}`` (``[member_names]`` in the TOML file: ``A = "射水市"``): the monthly
        report shows the members by name.  Empty (default): by code.  When given, every member code
        the records use (:attr:`members`, improvement requests, scheduled work) must have a name; names
        of further members (the council's whole list) are allowed.
    """

    council: str = attrs.field(validator=v.text())
    start: Month = attrs.field(converter=_to_month, validator=_month)
    months: int = attrs.field(converter=v.to_int, validator=v.integer(min=1, max=1200, unit="months"))
    members: tuple[str, ...] = attrs.field(default=(ALL,), converter=v.to_tuple, validator=_members)
    service_start: FrozenMap[Month] = attrs.field(factory=FrozenMap, converter=_month_map, validator=_month_map_ok)
    systems: tuple[str, ...] = attrs.field(default=(), converter=v.to_tuple)
    metrics: tuple[SLAMetric, ...] = attrs.field(default=(), converter=v.to_tuple,
                                                 validator=v.unique(key=lambda m: m.id, what="id"))
    calendar: ServiceCalendar = attrs.field(factory=ServiceCalendar)
    observations: tuple[Observation, ...] = attrs.field(default=(), converter=v.to_tuple)
    outages: tuple[Outage, ...] = attrs.field(default=(), converter=v.to_tuple)
    work: tuple[WorkRecord, ...] = attrs.field(default=(), converter=v.to_tuple)
    issues: tuple[Issue, ...] = attrs.field(default=(), converter=v.to_tuple,
                                            validator=v.unique(key=lambda i: i.id, what="id"))
    improvement_requests: tuple[ImprovementRequest, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.unique(key=lambda r: r.id, what="id"))
    schedule: tuple[ScheduledWork, ...] = attrs.field(default=(), converter=v.to_tuple)
    legal_changes: tuple[LegalChange, ...] = attrs.field(default=(), converter=v.to_tuple,
                                                         validator=v.unique(key=lambda c: c.id, what="id"))
    annual_fees: FrozenMap[int] = attrs.field(factory=FrozenMap, converter=_fees, validator=_fee_map)
    monthly_fees: FrozenMap[int] = attrs.field(factory=FrozenMap, converter=_fees, validator=_fee_map)
    fee_rule: FeeReductionRule | None = attrs.field(default=None)
    penalty_rule: PenaltyPointRule | None = attrs.field(default=None)
    credit_scheme: ServiceCreditScheme | None = attrs.field(default=None)
    continuity: tuple[ContinuityCriterion, ...] = attrs.field(default=(), converter=v.to_tuple)
    continuity_threshold: float | None = attrs.field(default=None, validator=v.real(optional=True, unit="points"))
    notes: str = attrs.field(default="", validator=v.text())
    member_names: FrozenMap[str] = attrs.field(factory=FrozenMap, converter=to_names, validator=check_names)

    def __attrs_post_init__(self) -> None:
        known = {m.id for m in self.metrics}
        unknown = sorted({o.metric for o in self.observations} - known)
        if unknown:
            raise ValidationError(f"observations refer to SLA items {unknown} that are not defined; "
                                  f"defined: {sorted(known)}")
        keys = [(o.metric, o.month, o.member, o.system) for o in self.observations]
        if len(set(keys)) != len(keys):
            counts = Counter(keys)
            dup = sorted(f"{k[0]} {k[1].iso()} {k[2] or '全体'}{'/' + k[3] if k[3] else ''}"
                         for k, n in counts.items() if n > 1)
            raise ValidationError(f"duplicate observations (one per item, month, member and system): {dup[:10]}")
        outside = sorted({o.month.iso() for o in self.observations if not self.start <= o.month <= self.end})
        if outside:
            raise ValidationError(f"observations for months {outside[:6]} lie outside the monitored months "
                                  f"{self.start.iso()}..{self.end.iso()} (extend start/months)")
        members = set(self.members)
        stray = sorted(set(self.service_start) - members)
        if stray:
            raise ValidationError(f"service_start names members {stray} not in members {list(self.members)}")
        bad_records = self.record_problems(members=self.members, systems=self.systems, metrics=self.metrics,
                                           observations=self.observations, outages=self.outages, work=self.work)
        if bad_records:
            shown = [f"{field}[{i}]: {message}" for field, i, message in bad_records[:_SHOWN]]
            more = len(bad_records) - len(shown)
            raise ValidationError(f"{len(bad_records)} record(s) refer to unknown members, systems or items or hold "
                                  "impossible values: " + "; ".join(shown) + (f"; and {more} more" if more else ""))
        if self.member_names:
            unnamed = self.unnamed_members(self.member_names)
            if unnamed:
                raise UnknownMemberError("member_names has no name for " + self._listed(unnamed)
                                         + f"; names are given for {list(self.member_names)}")

    def unnamed_members(self, names: Mapping[str, str]) -> dict[str, list[str]]:
        """The member codes these records use that ``names`` does not name, each with where it is used
        (``{"G": ["improvement_requests[3] (Y-004)"]}``): :attr:`members`, improvement requests and
        scheduled work (observations, outages and work records name only :attr:`members`)."""
        refs = [(c, f"members[{i}]") for i, c in enumerate(self.members)]
        refs += [(r.member, f"improvement_requests[{i}] ({r.id})") for i, r in enumerate(self.improvement_requests)]
        refs += [(c, f"schedule[{i}].members") for i, w in enumerate(self.schedule) for c in w.members]
        return unnamed(refs, names)

    @staticmethod
    def _listed(unnamed: Mapping[str, Sequence[str]]) -> str:
        return "; ".join(f"member code {c!r} ({', '.join(w[:3])}{', …' if len(w) > 3 else ''})"
                         for c, w in unnamed.items())

    @staticmethod
    def record_problems(*, members: Sequence[str], systems: Sequence[str], metrics: Sequence[SLAMetric],
                        observations: Sequence[Observation], outages: Sequence[Outage],
                        work: Sequence[WorkRecord] = (),
                        ) -> list[tuple[str, int, str]]:
        """Every observation, outage and work record that names an unknown member, system or SLA item,
        or holds an impossible value, as ``(field, index, message)`` (``("outages", 3, "member 'X' is
        not …")``, ``("work", 0, …)``).

        A member must be ``""`` (the whole council) or one of ``members``; a system ``""`` or one of
        ``systems`` when systems are listed; an observation's value must be within 0–100 for an item
        measured in ``%`` and non-negative for the items of a known kind (availability, times,
        rates).  The file readers use it to name the file and row of each problem.
        """
        known_members = set(members)
        known_systems = set(systems)
        by_id = {m.id: m for m in metrics}
        out: list[tuple[str, int, str]] = []

        def scope(field: str, i: int, member: str, system: str) -> None:
            if member != ALL and member not in known_members:
                out.append((field, i, f"member {member!r} is not one of the members monitored {list(members)}"))
            if system != ALL and known_systems and system not in known_systems:
                out.append((field, i, f"system {system!r} is not one of the systems monitored {list(systems)}"))

        for i, o in enumerate(observations):
            scope("observations", i, o.member, o.system)
            m = by_id.get(o.metric)
            if m is None:
                out.append(("observations", i, f"SLA item {o.metric!r} is not defined; defined: {sorted(by_id)}"))
            elif m.unit.strip() == "%" and not 0 <= o.value <= 100:
                out.append(("observations", i, f"{o.metric} {o.month.iso()}: value {o.value!r} must be within "
                                               "0..100 [%]"))
            elif m.kind is not MetricKind.OTHER and o.value < 0:
                out.append(("observations", i, f"{o.metric} {o.month.iso()}: value {o.value!r} must be >= 0 "
                                               f"[{m.unit}] for a {m.kind.value} item"))
        for i, g in enumerate(outages):
            scope("outages", i, g.member, g.system)
        for i, w in enumerate(work):
            scope("work", i, w.member, w.system)
        return out

    # -- derived tables -------------------------------------------------------------------------
    @property
    def end(self) -> Month:
        """Last month monitored."""
        return self.start + (self.months - 1)

    def _scopes(self) -> tuple[tuple[str, str], ...]:
        systems = self.systems or (ALL,)
        return tuple((m, s) for m in self.members for s in systems)

    def availability(self) -> Availability:
        """Availability (稼働率) per month and member from the outage log and the service calendar."""
        return availability_from_outages(self.outages, self.calendar, self.start, self.months,
                                         members=self.members, systems=self.systems or None,
                                         service_start=self.service_start)

    def observation_table(self, as_of: Month | str | None = None) -> ObservationTable:
        """Every observation: the given ones, plus availability and incident items computed from the outage log
        for the items of those kinds that have no given observation.

        Parameters
        ----------
        as_of
            If given, only observations of months up to and including this one are kept, so that a
            report for that month never uses later data (a yearly window then holds its value to date).
        """
        given = {o.metric for o in self.observations}
        derived: list[Observation] = []
        avail_items = [m for m in self.metrics if m.kind is MetricKind.AVAILABILITY and m.id not in given]
        if avail_items:
            av = self.availability()
            for m in avail_items:
                derived += av.observations(m)
        notif = [m for m in self.metrics if m.kind is MetricKind.INCIDENT_NOTIFICATION and m.id not in given]
        recov = [m for m in self.metrics if m.kind is MetricKind.RECOVERY_TIME and m.id not in given]
        for n_m, r_m in zip(notif + [None] * max(0, len(recov) - len(notif)),
                            recov + [None] * max(0, len(notif) - len(recov)), strict=True):
            derived += incident_observations(self.outages, self.start, self.months, notification=n_m,
                                             recovery=r_m, members=self.members)
        scopes = set(self._scopes()) | {o.scope for o in self.observations}
        derived = [o for o in derived if o.member not in self.service_start or o.month >= self.service_start[o.member]]
        chosen = (*self.observations, *derived)
        if as_of is not None:
            last = Month.parse(as_of) if isinstance(as_of, str) else as_of
            chosen = tuple(o for o in chosen if o.month <= last)
        return ObservationTable.from_observations(
            chosen, metrics=[m.id for m in self.metrics], start=self.start, months=self.months,
            scopes=sorted(scopes))

    def compliance(self, as_of: Month | str | None = None) -> Compliance:
        """SLA compliance over the monitored months (one vectorised evaluation); ``as_of`` limits it to the
        months up to and including that one (see :meth:`observation_table`)."""
        return evaluate_sla(self.metrics, self.observation_table(as_of))

    def monthly_report(self, month: Month | str, *, history: int = 3, ahead: int = 1,
                       council: Consortium | None = None) -> MonthlyReport:
        """The report to the operations subcommittee for ``month`` (運用管理部会 月次報告).

        Parameters
        ----------
        month
            The month reported (``"H27.10"``).
        history
            Previous months shown in the SLM table. [months]
        ahead
            Months of schedule shown. [months]
        council
            The council: its members' names (:attr:`Consortium.members
            <jichitai_cloud.Consortium.members>`, ``code`` → ``name``) are shown instead of the codes
            (in place of :attr:`member_names`).  ``None`` (default): :attr:`member_names`, else the codes.

        Returns
        -------
        MonthlyReport

        Raises
        ------
        UnknownMemberError
            ``council`` has no member with a code these records use (the message names the code and
            where it is used).
        """
        names: Mapping[str, str] = self.member_names
        if council is not None:
            names = {m.code: m.name for m in council.members}
            unnamed = self.unnamed_members(names)
            if unnamed:
                raise UnknownMemberError(f"the council {council.name!r} has no " + self._listed(unnamed)
                                         + f"; its members are {list(council.codes)}")
        return monthly_report(month, self.compliance(as_of=month), council=self.council, work=self.work, issues=self.issues,
                              improvement_requests=self.improvement_requests, schedule=self.schedule,
                              legal_changes=self.legal_changes, history=history, ahead=ahead, notes=self.notes,
                              calendar=self.calendar, member_names=names)

    def fee_reductions(self, fiscal_year: int) -> FeeReduction:
        """Fee reduction by achievement for a fiscal year (needs :attr:`annual_fees`)."""
        return fee_reduction(self.compliance(), self.annual_fees, fiscal_year=fiscal_year, rule=self.fee_rule)

    def penalty_points(self) -> PenaltyPoints:
        """Penalty points per month and member."""
        return penalty_points(self.compliance(), self.penalty_rule)

    def service_credits(self) -> ServiceCredits:
        """Service credits by availability band (needs :attr:`credit_scheme` and :attr:`monthly_fees`)."""
        if self.credit_scheme is None:
            raise ValidationError("no credit_scheme: the contract has no service credits")
        return service_credits(self.availability(), self.credit_scheme, self.monthly_fees)

    def continuity_assessment(self, measures: Mapping[str, float] | None = None, *,
                              council: Consortium | None = None) -> ContinuityAssessment:
        """Score the incumbent on :attr:`continuity` (サービス継続・切替の判断).

        Parameters
        ----------
        measures
            Measured values overriding or adding to :func:`incumbent_measures` of these records.
        council
            The council, for the cost measure (its published cloud fees against current costs).
        """
        if not self.continuity or self.continuity_threshold is None:
            raise ValidationError("no continuity criteria or threshold defined")
        got = incumbent_measures(compliance=self.compliance(), improvement_requests=self.improvement_requests,
                                 outages=self.outages, council=council)
        got.update(measures or {})
        return assess_continuity(self.continuity, got, threshold=self.continuity_threshold)

    def __repr__(self) -> str:
        return (f"OperationsData({self.council!r}, {self.start.iso()}..{self.end.iso()}, {len(self.members)} members, "
                f"{len(self.metrics)} SLA items, {len(self.observations)} observations, {len(self.outages)} outages)")
