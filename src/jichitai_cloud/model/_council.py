"""The council itself: its members (市町村), subcommittees (部会) and the council (協議会)."""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Literal, get_args

import attrs

from .. import _validators as v
from .._display import Lang, TableView, cols
from .._frozenmap import FrozenMap
from ..calendar import Month
from ..errors import UnknownMemberError, ValidationError
from ._customization import CustomizationRequest, RequestStatus
from ._evaluation import EvaluationScheme
from ._operations import SLAMetric

__all__ = [
    "FEE_PERIODS",
    "Consortium",
    "FeePeriod",
    "Finding",
    "Meeting",
    "Municipality",
    "PublishedFigures",
    "Subcommittee",
    "check_digit",
]

FeePeriod = Literal["council", "member"]
FEE_PERIODS: tuple[FeePeriod, ...] = get_args(FeePeriod)

_ANON = re.compile(r"^[A-Za-z][A-Za-z0-9_\-]{0,15}$")


def check_digit(code5: str) -> int:
    """Check digit of a 5-digit local government code (JIS X 0402).

    The digits are weighted 6, 5, 4, 3, 2; the check digit is the last digit of 11 minus the
    weighted sum modulo 11.

    Parameters
    ----------
    code5
        Five digits: prefecture (2) and municipality (3), e.g. ``"16201"`` (Toyama City).

    Returns
    -------
    int
        The check digit, e.g. ``9`` for ``"16201"`` (全国地方公共団体コード ``162019``).

    References
    ----------
    総務省, 全国地方公共団体コード (JIS X 0402 に検査数字を付加したもの).
    """
    if len(code5) != 5 or not code5.isascii() or not code5.isdigit():
        raise ValidationError(f"code must be 5 digits to compute a check digit, got {code5!r}")
    s = sum(int(d) * w for d, w in zip(code5, (6, 5, 4, 3, 2), strict=True))
    return (11 - s % 11) % 10


def _validate_code(_inst: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, str):
        raise ValidationError(f"{attribute.name} must be text, got {value!r}")
    if value.isascii() and value.isdigit():
        if len(value) == 5:
            raise ValidationError(
                f"{attribute.name} {value!r} has 5 digits: the local government code has 6, the last a "
                f"check digit (did you mean {value}{check_digit(value)!s}?)"
            )
        if len(value) != 6:
            raise ValidationError(
                f"{attribute.name} must be a 6-digit local government code or a short id such as 'A', "
                f"got {value!r}"
            )
        expected = check_digit(value[:5])
        if int(value[5]) != expected:
            raise ValidationError(
                f"{attribute.name} {value!r} has check digit {value[5]}, expected {expected} "
                f"({value[:5]}{expected})"
            )
        return
    if not _ANON.match(value):
        raise ValidationError(
            f"{attribute.name} must be a 6-digit local government code (e.g. '162019') or a short id "
            f"of up to 16 letters, digits, '-' or '_' starting with a letter (e.g. 'A'), got {value!r}"
        )


def _drivers(_inst: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, FrozenMap):
        raise ValidationError(f"{attribute.name} must be a table of name = number, got {value!r}")
    for k, x in value.items():
        if not k.strip():
            raise ValidationError(f"{attribute.name} has an empty driver name")
        if isinstance(x, bool) or not isinstance(x, int | float) or not x >= 0 or x == float("inf"):
            raise ValidationError(
                f"{attribute.name}.{k} must be a finite number >= 0, got {x!r}"
            )


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _to_map(value: Any) -> Any:
    """A mapping to a FrozenMap, numpy integer values as Python ints (see :func:`_validators.to_int`)."""
    fm = value if isinstance(value, FrozenMap) else FrozenMap(value)
    if not any(v.to_int(x) is not x for x in fm.values()):
        return fm
    return FrozenMap({k: v.to_int(x) for k, x in fm.items()})


@attrs.frozen(kw_only=True, slots=True)
class Municipality:
    """A member of the council (参加市町村).

    Parameters
    ----------
    code
        全国地方公共団体コード: 6 digits whose last is a check digit (``"162019"``), or a short
        anonymised id (``"A"``) as in the source document.
    name
        Name, e.g. ``"富山市"`` or ``"A市"``.
    population
        Population (人口), a whole number from 0 to 130,000,000
        (:data:`~jichitai_cloud._validators.POPULATION_MAX`). [persons]
    current_cost
        Current cost (現行経費) of running its own systems over the council's evaluation period,
        before tax; a whole number below 10**15 (:data:`~jichitai_cloud._validators.YEN_LIMIT`). [yen]
    penalty
        Cancellation penalty (違約金) for leaving its current contract early; below 10**15. [yen]
    current_system_end
        Month the current system is expected to end (現行稼働満了想定), usually the contract expiry.
    cloud_start
        First month on the shared cloud (クラウド開始).
    drivers
        Further named cost drivers the council agrees on, e.g. ``{"staff_users": 120}``. [any unit]
    """

    code: str = attrs.field(converter=_strip, validator=_validate_code)
    name: str = attrs.field(converter=_strip, validator=v.non_empty_text())
    population: int = attrs.field(converter=v.to_int, validator=v.population())
    current_cost: int = attrs.field(converter=v.to_int, validator=v.integer(min=0, unit="yen"))
    penalty: int = attrs.field(converter=v.to_int, default=0, validator=v.integer(min=0, unit="yen"))
    current_system_end: Month | None = attrs.field(default=None, converter=v.to_month, validator=v.optional_month)
    cloud_start: Month | None = attrs.field(default=None, converter=v.to_month, validator=v.optional_month)
    drivers: FrozenMap[float] = attrs.field(factory=FrozenMap, converter=_to_map, validator=_drivers)

    @property
    def is_anonymised(self) -> bool:
        """True when :attr:`code` is a short id rather than a local government code."""
        return not self.code.isdigit()

    def driver(self, name: str) -> float:
        """Value of a cost driver: ``"equal"`` is 1, ``"population"`` the population, else :attr:`drivers`.

        Raises
        ------
        KeyError
            If the member has no driver of that name.
        """
        if name == "equal":
            return 1.0
        if name == "population":
            return float(self.population)
        try:
            return float(self.drivers[name])
        except KeyError:
            raise UnknownMemberError(
                f"member {self.code!r} has no cost driver {name!r}; it has "
                f"{['equal', 'population', *self.drivers]}"
            ) from None


@attrs.frozen(kw_only=True, slots=True)
class Meeting:
    """One meeting of a subcommittee (部会).

    Parameters
    ----------
    date
        Day it was held.
    attendees
        Codes of the members present (empty: not recorded).
    note
        Free text (agenda, decisions).
    """

    date: _dt.date = attrs.field()
    attendees: tuple[str, ...] = attrs.field(default=(), converter=v.to_tuple, validator=v.member_codes())
    note: str = attrs.field(default="", validator=v.text())

    @date.validator
    def _v_date(self, attribute: Any, value: Any) -> None:
        if not isinstance(value, _dt.date) or isinstance(value, _dt.datetime):
            raise ValidationError(f"{attribute.name} must be a date such as 2014-05-20, got {value!r}")


@attrs.frozen(kw_only=True, slots=True)
class Subcommittee:
    """A subcommittee (部会): one business area's fit & gap analysis (フィット&ギャップ).

    Parameters
    ----------
    name_ja
        Japanese name without 部会, e.g. ``"住基情報"``.
    name_en
        English name, e.g. ``"resident records"``.
    areas
        Business areas (業務) it covers.
    members
        Codes of the members taking part (empty: all members of the council).
    meetings
        Dated meeting records.
    meeting_count
        Number of meetings held, where only a count is known; if :attr:`meetings` is also given the
        two must agree. [meetings]
    """

    name_ja: str = attrs.field(validator=v.non_empty_text())
    name_en: str = attrs.field(default="", validator=v.text())
    areas: tuple[str, ...] = attrs.field(default=(), converter=v.to_tuple)
    members: tuple[str, ...] = attrs.field(default=(), converter=v.to_tuple, validator=v.member_codes())
    meetings: tuple[Meeting, ...] = attrs.field(default=(), converter=v.to_tuple)
    meeting_count: int | None = attrs.field(converter=v.to_int, default=None, validator=v.integer(min=0, optional=True,
                                                                              unit="meetings"))

    def __attrs_post_init__(self) -> None:
        if self.meeting_count is not None and self.meetings and self.meeting_count != len(self.meetings):
            raise ValidationError(
                f"meeting_count is {self.meeting_count} but {len(self.meetings)} meetings are recorded "
                f"for subcommittee {self.name_ja!r}"
            )

    @property
    def meetings_held(self) -> int:
        """Meetings held: the dated records if any, else :attr:`meeting_count` (0 if neither). [meetings]"""
        return len(self.meetings) if self.meetings else (self.meeting_count or 0)


@attrs.frozen(kw_only=True, slots=True)
class PublishedFigures:
    """Figures a source document publishes, kept to compare computed results against.

    Parameters
    ----------
    source
        Citation of the document.
    cloud_fees
        Published cloud fee (クラウド利用料) per member code over the evaluation period. [yen]
    reduction_rates
        Published reduction rate (削減率) per member code, as a fraction (0.38 for 38 %). [1]
    total_current_cost, total_cloud_fee
        Published totals. [yen]
    total_reduction_rate
        Published total reduction rate, as a fraction. [1]
    declared_meetings
        Subcommittee meetings the text declares (延べ). [meetings]
    council_meetings
        Meetings of the council itself. [meetings]
    systems_in_scope
        Number of business systems the document says are in scope. [systems]
    customization_outcomes
        Counts of customization requests by outcome (``requested``, ``implemented``,
        ``made_standard``, ``withdrawn``). [requests]
    notes
        What is illustrative or reconstructed.
    """

    source: str = attrs.field(default="", validator=v.text())
    cloud_fees: FrozenMap[int] = attrs.field(factory=FrozenMap, converter=_to_map)
    reduction_rates: FrozenMap[float] = attrs.field(factory=FrozenMap, converter=_to_map)
    total_current_cost: int | None = attrs.field(converter=v.to_int, default=None, validator=v.integer(min=0, optional=True,
                                                                                   unit="yen"))
    total_cloud_fee: int | None = attrs.field(converter=v.to_int, default=None, validator=v.integer(min=0, optional=True,
                                                                                unit="yen"))
    total_reduction_rate: float | None = attrs.field(default=None, validator=v.real(max=1.0, optional=True))
    declared_meetings: int | None = attrs.field(converter=v.to_int, default=None, validator=v.integer(min=0, optional=True))
    council_meetings: int | None = attrs.field(converter=v.to_int, default=None, validator=v.integer(min=0, optional=True))
    systems_in_scope: int | None = attrs.field(converter=v.to_int, default=None, validator=v.integer(min=0, optional=True))
    customization_outcomes: FrozenMap[int] = attrs.field(factory=FrozenMap, converter=_to_map)
    notes: str = attrs.field(default="", validator=v.text())

    @cloud_fees.validator
    def _v_fees(self, attribute: Any, value: FrozenMap[int]) -> None:
        for k, x in value.items():
            v.check_yen(x, f"{attribute.name}.{k}")

    @customization_outcomes.validator
    def _v_outcomes(self, attribute: Any, value: FrozenMap[int]) -> None:
        for k, x in value.items():
            if isinstance(x, bool) or not isinstance(x, int) or x < 0:
                raise ValidationError(f"{attribute.name}.{k} must be an integer >= 0, got {x!r}")


@attrs.frozen(slots=True)
class Finding:
    """Something in valid input worth a secretariat's attention (a warning, not an error).

    Parameters
    ----------
    where
        Location, e.g. ``"subcommittees"``.
    message
        What disagrees with what, in Japanese (what a council reads).
    message_en
        The same in English (``""``: none given, :meth:`text` falls back to ``message``).
    """

    where: str
    message: str
    message_en: str = ""

    def text(self, lang: Lang = "ja") -> str:
        """The message in ``lang``: Japanese, or English with ``lang="en"``."""
        return (self.message_en or self.message) if lang == "en" else self.message

    def line(self, lang: Lang = "ja") -> str:
        """``where: message`` in ``lang`` (the Japanese line is also ``str(finding)``)."""
        return f"{self.where}: {self.text(lang)}"

    def __str__(self) -> str:
        return self.line("ja")


def _members(_inst: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, tuple) or not value:
        raise ValidationError(f"{attribute.name} must list at least one member, got {value!r}")
    v.unique(key=lambda m: m.code, what="code")(None, attribute, value)


def _member_tuple(value: Any) -> Any:
    """Converter: the members as a tuple, from a list, tuple or any other iterable (a generator too).

    Text and mappings are left as they are, for the validator to refuse by name."""
    if isinstance(value, list | tuple):
        return tuple(value)
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        return value
    return tuple(value)


def _source_rows(value: Mapping[str, tuple[str, str | None, int]] | None,
                 ) -> FrozenMap[tuple[str, str | None, int]] | None:
    """Converter: where each member was read, as a frozen ``{code: (file, sheet, row)}`` (or None)."""
    return None if value is None else FrozenMap(value)


@attrs.frozen(kw_only=True, slots=True)
class Consortium(TableView):
    """A council of municipalities sharing one cloud (協議会).

    Parameters
    ----------
    name
        Name of the council.
    members
        The member municipalities (参加市町村); codes must be unique.
    period_start
        First month of the evaluation period (the 5年試算 of the source document starts in
        April 2015).
    period_months
        Length of the evaluation period. [months]
    fee_period
        Whose months the fee covers (the horizon of the 5年試算):

        * ``"council"`` (default): one period of :attr:`period_months` months from
          :attr:`period_start`; a member pays from its cloud start to the period's end (a member
          starting three months late pays three months fewer).
        * ``"member"``: each member's own :attr:`period_months` months from its own cloud start
          (from :attr:`period_start` if it has none), as the source document's effect table
          (every member's own five years).  Month *k* of every member's period is split
          together, so with no one leaving the fee is split as if all members were on the cloud
          for the whole period; :attr:`period_start` is then the reference month of the council
          (the first cloud start).
    systems
        Business systems (基幹系業務システム) in scope.
    subcommittees
        The subcommittees (部会) doing fit & gap.
    customization_requests
        Customization requests (カスタマイズ要望).
    evaluation
        The proposal evaluation scheme (総合評価) used to procure the vendor.
    sla_metrics
        Service level agreement metrics (SLA項目).
    published
        Figures a source document publishes, for comparison.
    source_rows
        Where each member was read from: ``{code: (file, sheet, row)}`` (``sheet`` None for CSV,
        ``row`` the file's or sheet's row, the heading being row 1), set by
        :func:`~jichitai_cloud.io.load_council` for a member list so that :meth:`findings` name
        the row a secretariat edits.  Not part of the council: ignored by ``==`` and never written
        to a council file.

    Notes
    -----
    Every code that subcommittees and requests refer to must be a member's.  Use
    :meth:`with_member` and :meth:`without_member` for changed councils (the object is immutable).
    """

    name: str = attrs.field(validator=v.non_empty_text())
    members: tuple[Municipality, ...] = attrs.field(converter=_member_tuple, validator=_members)
    period_start: Month = attrs.field(converter=v.to_month, validator=v.month)
    period_months: int = attrs.field(converter=v.to_int, default=60, validator=v.integer(min=1, max=1200, unit="months"))
    fee_period: FeePeriod = attrs.field(default="council", validator=v.one_of(FEE_PERIODS))
    systems: tuple[str, ...] = attrs.field(default=(), converter=v.to_tuple, validator=v.texts())
    subcommittees: tuple[Subcommittee, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.unique(key=lambda s: s.name_ja, what="name_ja")
    )
    customization_requests: tuple[CustomizationRequest, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.unique(key=lambda r: r.id, what="id")
    )
    evaluation: EvaluationScheme | None = attrs.field(default=None)
    sla_metrics: tuple[SLAMetric, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.unique(key=lambda m: m.id, what="id")
    )
    published: PublishedFigures | None = attrs.field(default=None)
    source_rows: FrozenMap[tuple[str, str | None, int]] | None = attrs.field(
        default=None, converter=_source_rows, eq=False, repr=False, metadata={"transient": True},
    )

    def _member_where(self, i: int, m: Municipality, field: str) -> tuple[str, str, str]:
        """Where a finding about member ``i`` points and the prefixes of its message (Japanese, English).

        ``members.csv row 5 (code 162116 射水市)`` when the member list's row is known, else
        ``members[4].current_cost`` with the member (``射水市 (162116): ``; English: the code) opening
        the message.
        """
        src = None if self.source_rows is None else self.source_rows.get(m.code)
        if src is None:
            return f"members[{i}].{field}", f"{m.name} ({m.code}): ", f"{m.code}: "
        file, sheet, row = src
        at = f"{file} [sheet '{sheet}']" if sheet else file
        return f"{at} row {row} (code {m.code} {m.name})", "", ""

    def __attrs_post_init__(self) -> None:
        known = set(self.codes)
        bad: list[str] = []

        def check(where: str, codes: tuple[str, ...]) -> None:
            unknown = [c for c in codes if c not in known]
            if unknown:
                bad.append(f"{where} refers to unknown member{'s' if len(unknown) > 1 else ''} "
                           f"{', '.join(map(repr, unknown))}")

        for i, s in enumerate(self.subcommittees):
            check(f"subcommittees[{i}].members", s.members)
            for j, m in enumerate(s.meetings):
                check(f"subcommittees[{i}].meetings[{j}].attendees", m.attendees)
        names = {s.name_ja for s in self.subcommittees} | {s.name_en for s in self.subcommittees}
        for i, r in enumerate(self.customization_requests):
            check(f"customization_requests[{i}].requesters", r.requesters)
            check(f"customization_requests[{i}].adopters", r.adopters)
            if self.subcommittees and r.subcommittee and r.subcommittee not in names:
                bad.append(f"customization_requests[{i}].subcommittee {r.subcommittee!r} is not a "
                           "subcommittee of the council")
            if r.quote.max_count() is not None and r.quote.max_count() > len(self.members):  # type: ignore[operator]
                bad.append(f"customization_requests[{i}].quote quotes {r.quote.max_count()} adopters but the "
                           f"council has {len(self.members)} members")
        if self.published is not None:
            check("published.cloud_fees", tuple(self.published.cloud_fees))
            check("published.reduction_rates", tuple(self.published.reduction_rates))
        if bad:
            raise UnknownMemberError("; ".join(bad))

    # -- lookup ---------------------------------------------------------------------------------
    @property
    def codes(self) -> tuple[str, ...]:
        """Member codes in member order."""
        return tuple(m.code for m in self.members)

    @property
    def period_end(self) -> Month:
        """Last month of the evaluation period."""
        return self.period_start + (self.period_months - 1)

    def __iter__(self) -> Iterator[Municipality]:
        return iter(self.members)

    def __len__(self) -> int:
        return len(self.members)

    def __contains__(self, code: object) -> bool:
        return code in self.codes

    def member(self, code: str) -> Municipality:
        """The member with ``code``.

        Raises
        ------
        UnknownMemberError
            If no member has that code (the message lists the codes there are).
        """
        for m in self.members:
            if m.code == code:
                return m
        raise UnknownMemberError(f"no member with code {code!r}; members are {list(self.codes)}")

    def index(self, code: str) -> int:
        """Position of member ``code`` in :attr:`members` (the row of every per-member array)."""
        self.member(code)
        return self.codes.index(code)

    def subcommittee(self, name: str) -> Subcommittee:
        """The subcommittee called ``name`` (Japanese or English name)."""
        for s in self.subcommittees:
            if name in (s.name_ja, s.name_en):
                return s
        raise KeyError(f"no subcommittee {name!r}; there are {[s.name_ja for s in self.subcommittees]}")

    # -- changed councils -----------------------------------------------------------------------
    def with_member(self, member: Municipality) -> Consortium:
        """A new council with ``member`` added at the end (its code must be new)."""
        return attrs.evolve(self, members=(*self.members, member))

    def without_member(self, code: str) -> Consortium:
        """A new council without member ``code``; its references in subcommittees and requests go too."""
        self.member(code)
        members = tuple(m for m in self.members if m.code != code)
        subs = tuple(
            attrs.evolve(
                s,
                members=tuple(c for c in s.members if c != code),
                meetings=tuple(
                    attrs.evolve(mt, attendees=tuple(c for c in mt.attendees if c != code)) for mt in s.meetings
                ),
            )
            for s in self.subcommittees
        )
        reqs = tuple(
            attrs.evolve(
                r,
                requesters=tuple(c for c in r.requesters if c != code),
                adopters=tuple(c for c in r.adopters if c != code),
            )
            for r in self.customization_requests
        )
        pub = self.published
        if pub is not None:
            pub = attrs.evolve(
                pub,
                cloud_fees={k: x for k, x in pub.cloud_fees.items() if k != code},
                reduction_rates={k: x for k, x in pub.reduction_rates.items() if k != code},
            )
        return attrs.evolve(self, members=members, subcommittees=subs, customization_requests=reqs,
                            published=pub)

    # -- display --------------------------------------------------------------------------------
    _COLUMNS = cols("code", "name", "population", "current_cost", "penalty", "current_system_end", "cloud_start")
    _KEY = "members"
    _SHEET = ("参加市町村", "Members")
    _INDEX = "code"
    _TOTALS = True

    def _rows(self) -> list[list[Any]]:
        return [[m.code, m.name, m.population, m.current_cost, m.penalty, m.current_system_end, m.cloud_start]
                for m in self.members]

    def _title(self, lang: Lang = "ja") -> str:
        if lang == "en":
            return (f"{self.name}: {len(self.members)} members, evaluation period {self.period_months} months "
                    f"from {self.period_start.iso()}")
        return (f"{self.name}: 参加市町村 ({len(self.members)}団体、評価期間 {self.period_start.era_short()}から"
                f"{self.period_months}か月)")

    # -- checks ---------------------------------------------------------------------------------
    def findings(self) -> tuple[Finding, ...]:
        """Warnings about valid but self-contradicting input (see :class:`Finding`).

        Reported: a declared meeting total that the subcommittees' counts do not add up to (the
        source document declares 194 while its list adds up to 192); a member paying nothing (current
        cost 0, so a minimum-reduction cap of 0 yen) or no population share (population 0); a member
        whose cloud start lies outside the evaluation period (e.g. after it ends); a current system
        that ends after the cloud start (double investment, 二重投資, for the months in between).
        """
        out: list[Finding] = []
        pub = self.published
        if pub is not None and pub.declared_meetings is not None and self.subcommittees:
            listed = sum(s.meetings_held for s in self.subcommittees)
            if listed != pub.declared_meetings:
                out.append(Finding(
                    "subcommittees",
                    f"部会の開催回数の合計は {listed} 回ですが、公表値は {pub.declared_meetings} 回です"
                    f" (差 {pub.declared_meetings - listed:+d} 回)。",
                    f"the subcommittees' meetings add up to {listed} but the published total is "
                    f"{pub.declared_meetings} (difference {pub.declared_meetings - listed:+d})",
                ))
        for i, m in enumerate(self.members):
            if m.current_cost == 0:
                where, who, who_en = self._member_where(i, m, "current_cost")
                out.append(Finding(
                    where,
                    f"{who}現行経費が 0 円のため、最低削減保障により負担額の上限が 0 円となります: "
                    "この団体は負担せず、その分を他の団体が負担します。",
                    f"{who_en}current cost is 0 yen, so a guaranteed minimum reduction caps its share at 0: "
                    "it pays nothing and the others carry its part",
                ))
            if m.population == 0:
                where, who, who_en = self._member_where(i, m, "population")
                out.append(Finding(where, f"{who}人口が 0 人のため、人口割の負担はありません。",
                                   f"{who_en}population is 0, so it pays no population share (人口割)"))
            if m.cloud_start is not None and not self.period_start <= m.cloud_start <= self.period_end:
                where, who, who_en = self._member_where(i, m, "cloud_start")
                out.append(Finding(
                    where,
                    f"{who}クラウド開始 {m.cloud_start.era_short()} が評価期間 ({self.period_start.era_short()}"
                    f"〜{self.period_end.era_short()}) の外にあります。",
                    f"{who_en}cloud start {m.cloud_start.iso()} is outside the evaluation period "
                    f"{self.period_start.iso()}..{self.period_end.iso()}",
                ))
            if (m.cloud_start is not None and m.current_system_end is not None
                    and m.current_system_end >= m.cloud_start):
                overlap = m.current_system_end - m.cloud_start + 1
                where, who, who_en = self._member_where(i, m, "current_system_end")
                out.append(Finding(
                    where,
                    f"{who}現行システムが {m.current_system_end.era_short()} まで稼働し、クラウド開始 "
                    f"{m.cloud_start.era_short()} から {overlap}か月重複します (二重投資)。",
                    f"{who_en}current system runs until {m.current_system_end.iso()}, {overlap} month(s) "
                    f"after the cloud start {m.cloud_start.iso()} (double investment, 二重投資)",
                ))
        if pub is not None and pub.customization_outcomes and self.customization_requests:
            from collections import Counter

            counts = Counter(r.status.value for r in self.customization_requests)
            for status, n in pub.customization_outcomes.items():
                have = len(self.customization_requests) if status == "requested" else counts.get(status, 0)
                if have != n:
                    label = {s.value: s.ja for s in RequestStatus}.get(status, status)
                    out.append(Finding(
                        "customization_requests",
                        f"「{label}」の要望は {have} 件ですが、公表値は {n} 件です。",
                        f"{have} request(s) are {status!r} but the published count is {n}",
                    ))
        return tuple(out)
