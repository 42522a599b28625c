"""Penalties and credits for missed service levels, in integer yen.

Three contract forms are supported, all computed exactly in integers (a float never touches an
amount of money, and every division floors to the yen):

* fee reduction by achievement level (SLA達成率に応じた減額):
  ``reduction = floor(annual fee x (100 - achievement %) / 100)``;
* penalty points (ペナルティポイント) per missed item, accumulating, heavier on repeated misses
  and expiring after a number of months;
* service credits (サービスクレジット) by availability band.

References
----------
.. [1] 経済産業省 (2008), SaaS向けSLAガイドライン, 4.2: SLA 未達時の利用料減額・サービスクレジット.
.. [2] 総務省 (2010), 地方公共団体における ASP・SaaS 導入活用ガイドライン: SLA 未達時の措置.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
from numpy.typing import NDArray

from .. import _validators as v
from .._display import Column, Lang, TableView, col
from .._numeric import as_fraction, readonly
from ..calendar import Month
from ..errors import ValidationError
from . import _kernels as kern
from ._availability import Availability
from ._compliance import Compliance
from ._scopes import scope_label

if TYPE_CHECKING:  # pragma: no cover
    pass

_SCOPE = Column("scope", "対象", "Scope", "text")


def _period(period: str, lang: Lang) -> str:
    """``"FY2015"`` as ``"2015年度"`` in Japanese; ``"all"`` as ``"全期間"``."""
    if lang != "ja":
        return period
    if period == "all":
        return "全期間"
    if period.startswith("FY") and period[2:].isdigit():
        return f"{period[2:]}年度"
    return period


__all__ = [
    "CreditBand",
    "FeeReduction",
    "FeeReductionRule",
    "PenaltyPointRule",
    "PenaltyPoints",
    "ServiceCreditScheme",
    "ServiceCredits",
    "fee_reduction",
    "penalty_points",
    "reduce_fee",
    "service_credits",
]


def _percent(_inst: Any, attribute: Any, value: Any) -> None:
    v.real(min=0, max=100, unit="%", optional=True)(None, attribute, value)


def _fee_of(fees: Mapping[str, int], scope: tuple[str, str]) -> int | None:
    member, system = scope
    for key in (f"{member}/{system}" if system else None, member):
        if key is not None and key in fees:
            return int(fees[key])
    return None


def _fee_array(fees: Mapping[str, int], scopes: tuple[tuple[str, str], ...], what: str) -> NDArray[np.int64]:
    got = [_fee_of(fees, s) for s in scopes]
    missing = [scope_label(s) for s, f in zip(scopes, got, strict=True) if f is None]
    if missing:
        raise ValidationError(f"{what} has no fee for {missing}; it has {sorted(fees) or 'none'} "
                              "(member code, or '' for the whole council)")
    return np.array(got, dtype=np.int64)


def reduce_fee(fee: int, achievement_percent: float | str) -> int:
    """Fee reduction ``floor(fee x (100 - achievement %) / 100)`` for an achievement written in percent.

    The percentage is read as the decimal written (98.7 is exactly 987/10), so the result is
    exact: ``reduce_fee(12_000_000, 98.7) == 156_000``.

    Parameters
    ----------
    fee
        The fee, e.g. the annual fee (年間利用料). [yen]
    achievement_percent
        SLA achievement, 0..100. [%]

    Returns
    -------
    int
        The reduction, floored to the yen. [yen]

    References
    ----------
    .. [1] 経済産業省 (2008), SaaS向けSLAガイドライン: 利用料 x (100 - 達成率) / 100.
    """
    if isinstance(fee, bool) or not isinstance(fee, int) or fee < 0:
        raise ValidationError(f"fee must be an integer >= 0 [yen], got {fee!r}")
    a = as_fraction(achievement_percent, "achievement_percent") / 100
    if not 0 <= a <= 1:
        raise ValidationError(f"achievement_percent must be 0..100 [%], got {achievement_percent!r}")
    return int(kern.fee_reduction(fee, a.numerator, a.denominator))


# -- fee reduction by achievement ----------------------------------------------------------------
@attrs.frozen(kw_only=True, slots=True)
class FeeReductionRule:
    """Fee reduction by achievement level (SLA達成率に応じた減額).

    ``reduction = floor(fee x (100 - achievement %) / 100)``, floored to the yen, optionally
    limited to ``cap_percent`` of the fee, and nothing below ``threshold_percent``'s shortfall:
    if the achievement is at least ``threshold_percent`` there is no reduction.

    Parameters
    ----------
    cap_percent
        Largest reduction as a share of the fee (e.g. 10), or None for no cap. [%]
    threshold_percent
        Achievement at or above which nothing is reduced (default 100: any miss reduces). [%]
    """

    cap_percent: float | None = attrs.field(default=None, validator=_percent)
    threshold_percent: float = attrs.field(default=100.0, validator=v.real(min=0, max=100, unit="%"))


@attrs.frozen(kw_only=True, slots=True, eq=False, repr=False)
class FeeReduction(TableView):
    """Fee reductions per scope for one period.

    Attributes
    ----------
    period
        What was counted (``"FY2015"``).
    scopes
        ``(member, system)`` of each entry.
    fee, reduction
        Fee and its reduction, int ``(N,)``. [yen]
    achieved, possible
        Achievement points. [points]
    """

    period: str
    scopes: tuple[tuple[str, str], ...]
    fee: NDArray[np.int64] = attrs.field(converter=readonly)
    reduction: NDArray[np.int64] = attrs.field(converter=readonly)
    achieved: NDArray[np.int64] = attrs.field(converter=readonly)
    possible: NDArray[np.int64] = attrs.field(converter=readonly)

    @property
    def total(self) -> int:
        """Total reduction. [yen]"""
        return int(self.reduction.sum())

    def _rows(self) -> list[list[Any]]:
        return [[scope_label(s), int(self.fee[i]),
                 Fraction(int(self.achieved[i]), int(self.possible[i])) if self.possible[i] else Fraction(1),
                 int(self.reduction[i]), int(self.fee[i] - self.reduction[i])] for i, s in enumerate(self.scopes)]

    _COLUMNS = (_SCOPE, col("fee"), Column("achievement", "SLA達成率", "SLA achievement", "percent"),
                Column("reduction", "減額", "Reduction", "yen", total=True),
                Column("fee_after", "減額後の利用料", "Fee after reduction", "yen", total=True))
    _KEY = "fee_reduction"
    _SHEET = ("減額", "Fee reduction")
    _TOTALS = True

    def __repr__(self) -> str:
        return f"FeeReduction({self.period}: total {self.total:,} yen over {len(self.scopes)} scopes)"

    def _title(self, lang: Lang = "ja") -> str:
        return f"利用料の減額 ({_period(self.period, lang)})" if lang == "ja" else f"Fee reduction, {self.period}"


def fee_reduction(
    compliance: Compliance,
    fees: Mapping[str, int],
    *,
    fiscal_year: int | None = None,
    rule: FeeReductionRule | None = None,
) -> FeeReduction:
    """Fee reduction of each charged scope from its weighted SLA achievement (SLA達成率に応じた減額).

    ``reduction = floor(fee x (100 - achievement %) / 100)``, exactly in integers, where the
    achievement of a scope is its met points over its evaluated points (see
    :meth:`Compliance.achievement`).  Only the scopes that ``fees`` names are charged; a fee for a
    scope the compliance does not have is an error.

    Parameters
    ----------
    compliance
        Result of :func:`evaluate_sla`.
    fees
        Fee of each charged scope (member code, ``"member/system"``, or ``""`` for the whole
        council), e.g. the annual fee (年間利用料) of each member. [yen]
    fiscal_year
        Count only windows of this fiscal year (年度).
    rule
        Cap and threshold (default: no cap, threshold 100 %).

    Returns
    -------
    FeeReduction

    References
    ----------
    .. [1] 経済産業省 (2008), SaaS向けSLAガイドライン: 利用料 x (100 - 達成率) / 100.
    """
    rule = rule or FeeReductionRule()
    labels = {(f"{m}/{s}" if s else m): i for i, (m, s) in enumerate(compliance.scopes)}
    unknown = sorted(k for k in fees if k not in labels)
    if unknown:
        raise ValidationError(f"fees name scopes {unknown} that the compliance does not have "
                              f"({sorted(labels)})")
    idx = np.array([labels[k] for k in fees], dtype=np.int64)
    scopes = tuple(compliance.scopes[i] for i in idx)
    fee = np.array([int(x) for x in fees.values()], dtype=np.int64)
    for k, x in fees.items():
        if isinstance(x, bool) or not isinstance(x, int) or x < 0:
            raise ValidationError(f"fees.{k or '(全体)'} must be an integer >= 0 [yen], got {x!r}")
    ach = compliance.achievement(fiscal_year=fiscal_year)
    achieved, possible = ach.achieved[idx], ach.possible[idx]
    red = kern.fee_reduction(fee, achieved, possible)
    thr = as_fraction(rule.threshold_percent, "threshold_percent") / 100
    # no reduction when achieved / possible >= threshold (exact: achieved * den >= num * possible)
    above = achieved * thr.denominator >= thr.numerator * possible
    red = np.where(above, 0, red)
    if rule.cap_percent is not None:
        cap = as_fraction(rule.cap_percent, "cap_percent") / 100
        cap_yen = kern.fee_reduction(fee, cap.denominator - cap.numerator, cap.denominator)
        red = np.minimum(red, cap_yen)
    return FeeReduction(period=ach.period, scopes=scopes, fee=fee, reduction=red, achieved=achieved,
                        possible=possible)


# -- penalty points ------------------------------------------------------------------------------
@attrs.frozen(kw_only=True, slots=True)
class PenaltyPointRule:
    """Penalty points (ペナルティポイント) per missed SLA item.

    A miss of an item earns its :attr:`~jichitai_cloud.SLAMetric.penalty_points`; the ``s``-th
    consecutive miss of the same item and scope earns ``points x multiplier ** (min(s, cap) - 1)``.
    Points stay on the balance for ``expiry_months`` months (the month earned included).  Each
    point earned costs ``yen_per_point``; a balance of ``threshold`` or more flags the scope (e.g.
    for a written improvement plan 改善計画書, or a contract review).

    A window's miss is booked in the last month of the window (a quarterly item missed in
    October–December earns its points in December).

    Parameters
    ----------
    multiplier
        Factor per repeated miss (1: no escalation). [1]
    cap
        Consecutive misses after which points stop growing. [misses]
    expiry_months
        Months points stay on the balance. [months]
    yen_per_point
        Money per point earned (0: points only). [yen]
    threshold
        Balance that flags a scope, or None. [points]
    """

    multiplier: int = attrs.field(converter=v.to_int, default=2, validator=v.integer(min=1))
    cap: int = attrs.field(converter=v.to_int, default=3, validator=v.integer(min=1))
    expiry_months: int = attrs.field(converter=v.to_int, default=12, validator=v.integer(min=1, unit="months"))
    yen_per_point: int = attrs.field(converter=v.to_int, default=0, validator=v.integer(min=0, unit="yen"))
    threshold: int | None = attrs.field(converter=v.to_int, default=None, validator=v.integer(min=1, optional=True, unit="points"))


@attrs.frozen(kw_only=True, slots=True, eq=False, repr=False)
class PenaltyPoints(TableView):
    """Penalty points earned and on balance, per month and scope.

    Attributes
    ----------
    rule
        The rule applied.
    start
        First month.
    metrics
        Metric ids (rows of :attr:`earned`).
    scopes
        ``(member, system)`` of each column.
    earned
        Points earned by item, month and scope, int ``(K, T, N)``. [points]
    balance
        Unexpired points per month and scope, int ``(T, N)``. [points]
    """

    rule: PenaltyPointRule
    start: Month
    metrics: tuple[str, ...]
    scopes: tuple[tuple[str, str], ...]
    earned: NDArray[np.int64] = attrs.field(converter=readonly)
    balance: NDArray[np.int64] = attrs.field(converter=readonly)

    @property
    def yen(self) -> NDArray[np.int64]:
        """Money for the points earned each month, ``(T, N)``. [yen]"""
        return self.earned.sum(axis=0) * np.int64(self.rule.yen_per_point)  # type: ignore[no-any-return]

    @property
    def flagged(self) -> NDArray[np.bool_]:
        """Months and scopes whose balance reached the threshold, ``(T, N)``."""
        if self.rule.threshold is None:
            return np.zeros(self.balance.shape, bool)
        return self.balance >= self.rule.threshold

    def _rows(self) -> list[list[Any]]:
        per_month = self.earned.sum(axis=0)
        yen = self.yen
        flagged = self.flagged
        return [[self.start + t, scope_label(s), int(per_month[t, j]), int(self.balance[t, j]),
                 int(yen[t, j]), bool(flagged[t, j])]
                for t in range(self.balance.shape[0]) for j, s in enumerate(self.scopes)]

    _COLUMNS = (col("month"), _SCOPE, Column("earned", "当月ポイント", "Points earned", "points", decimals=0),
                Column("balance", "累積ポイント", "Point balance", "points", decimals=0),
                Column("penalty", "ペナルティ額", "Penalty", "yen", total=True),
                Column("flagged", "基準到達", "Threshold reached", "flag"))
    _KEY = "penalty_points"
    _SHEET = ("ペナルティポイント", "Penalty points")
    _TOTALS = True

    def __repr__(self) -> str:
        return (f"PenaltyPoints({int(self.earned.sum())} points earned, highest balance "
                f"{int(self.balance.max()) if self.balance.size else 0}, {int(self.yen.sum()):,} yen)")

    def _title(self, lang: Lang = "ja") -> str:
        return "ペナルティポイント" if lang == "ja" else "Penalty points"


def penalty_points(compliance: Compliance, rule: PenaltyPointRule | None = None) -> PenaltyPoints:
    """Penalty points per month and scope from the missed windows of each SLA item.

    Parameters
    ----------
    compliance
        Result of :func:`evaluate_sla`.
    rule
        The points rule (default: :class:`PenaltyPointRule`).

    Returns
    -------
    PenaltyPoints
    """
    rule = rule or PenaltyPointRule()
    k, t, n = compliance.monthly_values.shape
    exists = compliance.window_exists
    lengths = np.array([m.window.months for m in compliance.metrics], dtype=np.int64)[:, None]
    last = np.minimum(compliance.window_first + lengths - 1, t - 1)  # (K, W) month the miss is booked in
    kk, ww = np.nonzero(exists)
    missed_m = np.zeros((k, t, n), bool)
    ev_m = np.zeros((k, t, n), bool)
    missed_m[kk, last[kk, ww], :] = compliance.missed[kk, ww, :]
    ev_m[kk, last[kk, ww], :] = compliance.evaluated[kk, ww, :]
    base = np.array([m.penalty_points for m in compliance.metrics], dtype=np.int64)
    earned, balance = kern.penalty_points(missed_m, ev_m, base, multiplier=rule.multiplier, cap=rule.cap,
                                          expiry=rule.expiry_months)
    return PenaltyPoints(rule=rule, start=compliance.start, metrics=tuple(m.id for m in compliance.metrics),
                         scopes=compliance.scopes, earned=earned, balance=balance)


# -- service credits -----------------------------------------------------------------------------
@attrs.frozen(kw_only=True, slots=True)
class CreditBand:
    """One availability band of a service-credit table.

    Parameters
    ----------
    min_availability
        Lowest availability of the band (the band holds values from here up to the next band). [%]
    credit_percent
        Credit as a share of the fee, in steps of 0.01 %. [%]
    """

    min_availability: float = attrs.field(validator=v.real(min=0, max=100, unit="%"))
    credit_percent: float = attrs.field(validator=v.real(min=0, max=100, unit="%"))

    @property
    def credit_bp(self) -> int:
        """Credit in basis points (1 % = 100 bp). [bp]"""
        bp = as_fraction(self.credit_percent, "credit_percent") * 100
        if bp.denominator != 1:
            raise ValidationError(f"credit_percent must be a multiple of 0.01 %, got {self.credit_percent!r}")
        return int(bp)


def _bands(_inst: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, tuple) or not value or not all(isinstance(b, CreditBand) for b in value):
        raise ValidationError(f"{attribute.name} must list at least one CreditBand, got {value!r}")
    mins = [b.min_availability for b in value]
    if len(set(mins)) != len(mins):
        raise ValidationError(f"{attribute.name}: min_availability values must be distinct, got {mins}")
    if min(mins) != 0:
        raise ValidationError(f"{attribute.name}: the lowest band must start at 0 % so that every value has a band, "
                              f"got lowest {min(mins)}")
    ordered = sorted(value, key=lambda b: b.min_availability)
    credits = [b.credit_bp for b in ordered]
    if any(b > a for a, b in itertools.pairwise(credits)):
        raise ValidationError(f"{attribute.name}: a higher availability band must never earn a larger credit")


@attrs.frozen(kw_only=True, slots=True)
class ServiceCreditScheme:
    """Service credits by availability band (サービスクレジット).

    Parameters
    ----------
    bands
        The bands; the lowest must start at 0 %, and credits must not rise with availability.
        E.g. ``>= 99.5 %: 0 %``, ``99.0-99.5 %: 5 %``, ``95.0-99.0 %: 10 %``, ``< 95 %: 25 %``.
    """

    bands: tuple[CreditBand, ...] = attrs.field(converter=v.to_tuple, validator=_bands)

    def kernel_arrays(self) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
        """Thresholds (ascending, without the 0 % band) and credits in basis points per band."""
        ordered = sorted(self.bands, key=lambda b: b.min_availability)
        th = np.array([b.min_availability for b in ordered[1:]], dtype=np.float64)
        bp = np.array([b.credit_bp for b in ordered], dtype=np.int64)
        return th, bp

    def credit(self, availability_percent: float, fee: int) -> int:
        """Credit for one month. [yen]"""
        th, bp = self.kernel_arrays()
        return int(kern.service_credit(availability_percent, th, bp, fee)[1])


@attrs.frozen(kw_only=True, slots=True, eq=False, repr=False)
class ServiceCredits(TableView):
    """Service credits per month and scope.

    Attributes
    ----------
    start
        First month.
    scopes
        ``(member, system)`` of each column.
    availability
        Availability, float ``(T, N)``. [%]
    band
        Band index (0 = lowest band), int ``(T, N)``.
    fee, credit
        Monthly fee and credit, int ``(T, N)``. [yen]
    """

    start: Month
    scopes: tuple[tuple[str, str], ...]
    availability: NDArray[np.float64] = attrs.field(converter=readonly)
    band: NDArray[np.int64] = attrs.field(converter=readonly)
    fee: NDArray[np.int64] = attrs.field(converter=readonly)
    credit: NDArray[np.int64] = attrs.field(converter=readonly)

    @property
    def total(self) -> int:
        """Total credit. [yen]"""
        return int(self.credit.sum())

    def _rows(self) -> list[list[Any]]:
        return [[self.start + t, scope_label(s), float(self.availability[t, j]) / 100, int(self.band[t, j]),
                 int(self.fee[t, j]), int(self.credit[t, j])]
                for t in range(self.credit.shape[0]) for j, s in enumerate(self.scopes)]

    _COLUMNS = (col("month"), _SCOPE, Column("availability", "稼働率", "Availability", "percent", decimals=3),
                Column("band", "区分", "Band", "count"), Column("monthly_fee", "月額利用料", "Monthly fee", "yen"),
                Column("credit", "サービスクレジット", "Service credit", "yen", total=True))
    _KEY = "service_credits"
    _SHEET = ("サービスクレジット", "Service credits")
    _TOTALS = True

    def __repr__(self) -> str:
        return f"ServiceCredits(total {self.total:,} yen over {self.credit.shape[0]} months x {len(self.scopes)} scopes)"

    def _title(self, lang: Lang = "ja") -> str:
        return "サービスクレジット" if lang == "ja" else "Service credits"


def service_credits(availability: Availability, scheme: ServiceCreditScheme,
                    monthly_fees: Mapping[str, int]) -> ServiceCredits:
    """Service credit of each month and scope from its availability band.

    Months with no scheduled service (no measurement) earn no credit.

    Parameters
    ----------
    availability
        Result of :func:`availability_from_outages`.
    scheme
        The bands.
    monthly_fees
        Monthly fee of each scope (member code, ``"member/system"``, or ``""``). [yen]

    Returns
    -------
    ServiceCredits
    """
    fee = np.broadcast_to(_fee_array(monthly_fees, availability.scopes, "monthly_fees"), availability.scheduled.shape)
    th, bp = scheme.kernel_arrays()
    pct = availability.percent
    band, credit = kern.service_credit(pct, th, bp, fee)
    credit = np.where(availability.defined, credit, 0)
    return ServiceCredits(start=availability.start, scopes=availability.scopes, availability=pct, band=band,
                          fee=fee, credit=credit)

