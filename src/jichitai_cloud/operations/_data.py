"""A council's operations records in one object, and reading them from TOML and CSV files.

An :class:`OperationsData` holds what the secretariat keeps for the monthly review: the SLA items,
the service-hour calendar, monthly observations, the outage log, work records, issues,
improvement requests, the schedule, legal-change work, fees and the penalty rules.  It is read
from one TOML (or JSON) file of definitions plus CSV tables (observations, outages, work), through
:mod:`jichitai_cloud.io` (encoding detection: UTF-8 with or without BOM, or CP932; every problem
reported with file, row and column).

CSV tables (columns; Japanese headings in brackets are accepted too)
--------------------------------------------------------------------
observations
    ``metric`` (項目), ``month`` (年月), ``value`` (実績値), optional ``member`` (団体),
    ``system`` (業務), ``weight`` (重み), ``note`` (備考).
outages
    ``start`` (開始), ``end`` (終了), optional ``planned`` (計画停止), ``cause`` (原因: vendor 受託者 /
    member 団体 / external 外部), ``member``, ``system``, ``notified`` (通知), ``description`` (内容).
    Times without an offset are Japan time.
work
    ``month``, ``category`` (区分: 問合せ対応, レベルアップ, 停電対応, 障害対応 …), ``count`` (件数),
    optional ``member``, ``system``, ``note``.
"""

from __future__ import annotations

import os
import tomllib
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from .. import _validators as v
from .._frozenmap import FrozenMap
from .._validators import month as _month
from .._validators import to_month as _to_month
from ..calendar import Month
from ..errors import InputError, JichitaiCloudError, Problem, ValidationError
from ..model import Consortium, MetricKind, SLAMetric
from ._continuity import ContinuityAssessment, ContinuityCriterion, assess_continuity, incumbent_measures
from ._domain import (
    ALL,
    Availability,
    Compliance,
    Observation,
    ObservationTable,
    Outage,
    _code,
    availability_from_outages,
    evaluate_sla,
    incident_observations,
)
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
from ._report import (
    ImprovementRequest,
    Issue,
    LegalChange,
    MonthlyReport,
    ScheduledWork,
    WorkRecord,
    monthly_report,
)
from ._time import ServiceCalendar

__all__ = ["OperationsData", "load_example", "load_operations", "read_observations", "read_outages", "read_work"]

_EXAMPLES = {"toyama": "toyama_operations.toml"}

PathLike = str | os.PathLike[str]

OBSERVATION_ALIASES: Mapping[str, str] = {
    "項目": "metric", "SLA項目": "metric", "年月": "month", "月": "month", "実績値": "value", "値": "value",
    "団体": "member", "団体コード": "member", "業務": "system", "重み": "weight", "備考": "note",
}
OUTAGE_ALIASES: Mapping[str, str] = {
    "開始": "start", "停止開始": "start", "終了": "end", "復旧": "end", "計画停止": "planned", "原因": "cause",
    "団体": "member", "団体コード": "member", "業務": "system", "通知": "notified", "障害通知": "notified",
    "内容": "description", "概要": "description",
}
WORK_ALIASES: Mapping[str, str] = {
    "年月": "month", "月": "month", "区分": "category", "作業区分": "category", "件数": "count",
    "団体": "member", "団体コード": "member", "業務": "system", "備考": "note",
}


def _fees(value: Any) -> Any:
    return value if isinstance(value, FrozenMap) else FrozenMap(value)


def _fee_map(_inst: Any, attribute: Any, value: Any) -> None:
    for k, x in value.items():
        if isinstance(x, bool) or not isinstance(x, int) or x < 0:
            raise ValidationError(f"{attribute.name}.{k or '(全体)'} must be an integer >= 0 [yen], got {x!r}")


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
    for c in value:
        _code(None, attribute, c)
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
    """

    council: str = attrs.field(validator=v.text())
    start: Month = attrs.field(converter=_to_month, validator=_month)
    months: int = attrs.field(validator=v.integer(min=1, max=1200, unit="months"))
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
        if ALL not in members:
            bad = sorted({o.member for o in self.observations if o.member != ALL} - members)
            if bad:
                raise ValidationError(f"observations refer to members {bad} not in members {list(self.members)}")

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

    def monthly_report(self, month: Month | str, *, history: int = 3, ahead: int = 1) -> MonthlyReport:
        """The report to the operations subcommittee for ``month`` (運用管理部会 月次報告)."""
        return monthly_report(month, self.compliance(as_of=month), council=self.council, work=self.work, issues=self.issues,
                              improvement_requests=self.improvement_requests, schedule=self.schedule,
                              legal_changes=self.legal_changes, history=history, ahead=ahead, notes=self.notes)

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


# -- CSV readers ---------------------------------------------------------------------------------
def read_observations(path: PathLike | None = None, *, text: str | None = None, encoding: str = "auto",
                      source: str | None = None) -> tuple[Observation, ...]:
    """Read monthly observations from CSV (see the module docs for the columns).

    Raises
    ------
    InputError
        Naming the file, row and column of every problem.
    """
    from .. import io

    table = io.read_csv(path, text=text, encoding=encoding, source=source)
    return io.records_to_objects(table, Observation, aliases=OBSERVATION_ALIASES)


def read_work(path: PathLike | None = None, *, text: str | None = None, encoding: str = "auto",
              source: str | None = None) -> tuple[WorkRecord, ...]:
    """Read work records (当月作業実績) from CSV.

    Raises
    ------
    InputError
        Naming the file, row and column of every problem.
    """
    from .. import io

    table = io.read_csv(path, text=text, encoding=encoding, source=source)
    return io.records_to_objects(table, WorkRecord, aliases=WORK_ALIASES)


def read_outages(path: PathLike | None = None, *, text: str | None = None, encoding: str = "auto",
                 source: str | None = None) -> tuple[Outage, ...]:
    """Read the outage log from CSV; times without an offset are Japan time.

    Raises
    ------
    InputError
        Naming the file, row and column of every problem (including an end before its start).
    """
    from .. import io

    table = io.read_csv(path, text=text, encoding=encoding, source=source)
    return io.records_to_objects(table, Outage, aliases=OUTAGE_ALIASES)


def _kind_of_csv(header: Sequence[str]) -> str | None:
    cols = set(header)
    obs = {OBSERVATION_ALIASES.get(h, h) for h in cols}
    out = {OUTAGE_ALIASES.get(h, h) for h in cols}
    work = {WORK_ALIASES.get(h, h) for h in cols}
    if {"start", "end"} <= out:
        return "outages"
    if {"metric", "month", "value"} <= obs:
        return "observations"
    if {"month", "category", "count"} <= work:
        return "work"
    return None


def load_operations(*paths: PathLike, encoding: str = "auto") -> OperationsData:
    """Read operations records: one TOML/JSON file of definitions plus CSV tables.

    The TOML file holds the :class:`OperationsData` fields (``council``, ``start``, ``months``,
    ``[[metrics]]``, ``[calendar]``, ``[[issues]]`` …) and may list its CSV tables in
    ``files = [...]`` (paths relative to it).  CSV files are told apart by their columns
    (observations, outages or work records; see the module docs).

    Parameters
    ----------
    paths
        The files.
    encoding
        ``"auto"`` (UTF-8 with or without BOM, else CP932) or a codec name.

    Returns
    -------
    OperationsData

    Raises
    ------
    InputError
        Naming the file (and row, column or field path) of every problem.
    """
    from .. import io

    defs = [Path(p) for p in paths if Path(p).suffix.lower() in (".toml", ".json")]
    csvs = [Path(p) for p in paths if Path(p).suffix.lower() == ".csv"]
    other = [os.fspath(p) for p in paths if Path(p).suffix.lower() not in (".toml", ".json", ".csv")]
    if other:
        raise InputError([Problem("", f"unknown file type for {other}: expected .toml, .json or .csv")])
    if len(defs) != 1:
        raise InputError([Problem("", f"give exactly one .toml or .json file of definitions, got {len(defs)}: "
                                      f"{[os.fspath(d) for d in defs]}")])
    path = defs[0]
    source = os.fspath(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError([Problem("", f"cannot read file: {exc.strerror}")], source=source) from exc
    text = io.decode(raw, encoding=encoding, source=source)
    try:
        if path.suffix.lower() == ".toml":
            data: Any = tomllib.loads(text)
        else:
            import json

            data = json.loads(text)
    except (tomllib.TOMLDecodeError, ValueError) as exc:
        raise InputError([Problem("", f"not valid {path.suffix[1:].upper()}: {exc}")], source=source) from exc
    if not isinstance(data, dict):
        raise InputError([Problem("", "expected a table of definitions")], source=source)
    listed = data.pop("files", [])
    if not isinstance(listed, list) or not all(isinstance(f, str) for f in listed):
        raise InputError([Problem("files", f"must be a list of file names, got {listed!r}")], source=source)
    csvs = [path.parent / f for f in listed] + csvs
    base: OperationsData = io.structure(data, OperationsData, source=source)
    extra: dict[str, list[Any]] = {"observations": [], "outages": [], "work": []}
    problems: list[Problem] = []
    for csv_path in csvs:
        table = io.read_csv(csv_path, encoding=encoding)
        kind = _kind_of_csv(table.header)
        if kind is None:
            problems.append(Problem(os.fspath(csv_path), f"cannot tell what the table holds from its columns "
                                    f"{list(table.header)}: expected observations (metric, month, value), outages "
                                    "(start, end) or work records (month, category, count)"))
            continue
        reader = {"observations": read_observations, "outages": read_outages, "work": read_work}[kind]
        extra[kind] += reader(csv_path, encoding=encoding)
    if problems:
        raise InputError(problems)
    try:
        return attrs.evolve(base, observations=base.observations + tuple(extra["observations"]),
                            outages=base.outages + tuple(extra["outages"]), work=base.work + tuple(extra["work"]))
    except JichitaiCloudError as exc:
        raise InputError([Problem("", str(exc))], source=source) from exc


def load_example(name: str = "toyama") -> OperationsData:
    """Bundled operations records: ``"toyama"`` is a year (FY2015) of illustrative data for the Toyama council.

    The files (``examples/data/toyama_operations*.toml/.csv``) are read through the same code as a
    user's files (:func:`load_operations`).
    """
    from ..examples import data_path

    try:
        filename = _EXAMPLES[name]
    except KeyError:
        raise JichitaiCloudError(f"no bundled operations example {name!r}; there are {sorted(_EXAMPLES)}") from None
    return load_operations(data_path(filename))
