"""Service level agreement metrics (SLA項目).

An :class:`SLAMetric` says what the vendor promises (a target in a unit), which way is better,
over which calendar window it is judged (a month, a fiscal quarter 四半期 or a fiscal year 年度,
always aligned to calendar months in Japan time) and how much it weighs.  The computations that
use it live in :mod:`jichitai_cloud.operations`.

References
----------
.. [1] 総務省 (2010), 地方公共団体における ASP・SaaS 導入活用ガイドライン, SLA 項目例
   (可用性: 稼働率; 信頼性: 障害通知時間, 復旧時間; 性能: 応答時間; データ管理: バックアップ).
.. [2] 総務省, 地方公共団体における情報システムの非機能要件の標準: 稼働率 99.5 %.
"""

from __future__ import annotations

import enum
from typing import Any

import attrs

from .. import _validators as v
from ..calendar import Month
from ..errors import ValidationError

__all__ = ["PERCENT_MAX", "PERCENT_MIN", "Aggregation", "Direction", "MetricKind", "SLAMetric", "Window"]

PERCENT_MIN = 0
"""Lowest value of a percentage (an item measured in ``%``: availability, backup and answer rates). [%]"""
PERCENT_MAX = 100
"""Highest value of a percentage. [%]"""


class Direction(enum.StrEnum):
    """Which way is better for a metric."""

    HIGHER = "higher"
    """Higher is better (availability 稼働率)."""
    LOWER = "lower"
    """Lower is better (recovery time)."""


class Window(enum.StrEnum):
    """The calendar window a metric is measured over (Japan time; quarters and years are fiscal).

    Windows are aligned to calendar months in Japan time (JST, UTC+9): a fiscal quarter is
    April–June (1Q), July–September, October–December or January–March (4Q); a fiscal year
    (年度) runs from April to March.
    """

    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    YEARLY = "yearly"

    @property
    def months(self) -> int:
        """Length of the window. [months]"""
        return {"monthly": 1, "quarterly": 3, "yearly": 12}[self.value]

    def first_month(self, month: Month) -> Month:
        """The first month of the window containing ``month`` (e.g. H27.10 for H27.11 quarterly)."""
        if self is Window.MONTHLY:
            return month
        if self is Window.QUARTERLY:
            return month - (month.month - 4) % 3
        return month - (month.month - 4) % 12

    def last_month(self, month: Month) -> Month:
        """The last month of the window containing ``month``."""
        return self.first_month(month) + (self.months - 1)

    def ordinal(self, month: Month) -> int:
        """A number that is the same for every month of one window and rises by 1 per window."""
        return (self.first_month(month).index - 3) // self.months

    def label(self, month: Month) -> str:
        """Label of the window containing ``month``: ``"2015-10"``, ``"FY2015 3Q"``, ``"FY2015"``."""
        if self is Window.MONTHLY:
            return month.iso()
        if self is Window.QUARTERLY:
            return f"FY{month.fiscal_year} {month.fiscal_quarter}Q"
        return f"FY{month.fiscal_year}"


class MetricKind(enum.StrEnum):
    """What a metric measures; decides its default aggregation over a window."""

    AVAILABILITY = "availability"
    """稼働率: share of scheduled service time the service was up. [%]"""
    INCIDENT_NOTIFICATION = "incident_notification"
    """障害通知時間: time from an incident's start to the vendor's notice. [minutes]"""
    RECOVERY_TIME = "recovery_time"
    """復旧時間: time from an incident's start to recovery. [minutes or hours]"""
    RESPONSE_TIME = "response_time"
    """オンライン応答時間: a percentile (e.g. 95th) of response times. [seconds]"""
    INQUIRY_RESPONSE = "inquiry_response"
    """問合せ回答時間: time to answer an inquiry, or share answered in time. [hours or %]"""
    BACKUP_COMPLETION = "backup_completion"
    """バックアップ取得率: share of scheduled backups completed. [%]"""
    OTHER = "other"
    """Any other item the council agrees on."""


class Aggregation(enum.StrEnum):
    """How the monthly values of a window are combined into the window's value."""

    MEAN = "mean"
    """Mean of the observed months."""
    WEIGHTED_MEAN = "weighted_mean"
    """Mean weighted by each observation's weight (availability: by scheduled service minutes)."""
    MIN = "min"
    """Worst month for a higher-is-better metric."""
    MAX = "max"
    """Worst month for a lower-is-better metric (e.g. the longest recovery)."""
    SUM = "sum"
    """Total (e.g. the number of incidents in a quarter)."""


_DEFAULT_AGGREGATION = {
    MetricKind.AVAILABILITY: Aggregation.WEIGHTED_MEAN,
    MetricKind.INCIDENT_NOTIFICATION: Aggregation.MAX,
    MetricKind.RECOVERY_TIME: Aggregation.MAX,
    MetricKind.RESPONSE_TIME: Aggregation.MAX,
    MetricKind.INQUIRY_RESPONSE: Aggregation.MEAN,
    MetricKind.BACKUP_COMPLETION: Aggregation.MEAN,
    MetricKind.OTHER: Aggregation.MEAN,
}


def _default_aggregation(self: Any) -> Aggregation:
    return _DEFAULT_AGGREGATION[self.kind]


def _percentile(_inst: Any, attribute: Any, value: Any) -> None:
    if value is None:
        return
    v.real(min=0, max=100, unit="%")(None, attribute, value)


# named converters (mypy's attrs plugin reads a converter's type only from a named function)
def _to_direction(value: Any) -> Direction:
    return v.to_enum(Direction, "direction")(value)


def _to_window(value: Any) -> Window:
    return v.to_enum(Window, "window")(value)


def _to_kind(value: Any) -> MetricKind:
    return v.to_enum(MetricKind, "kind")(value)


def _to_aggregation(value: Any) -> Aggregation:
    return v.to_enum(Aggregation, "aggregation")(value)


@attrs.frozen(kw_only=True, slots=True)
class SLAMetric:
    """One service level agreement item (SLA項目) monitored monthly (SLM).

    Parameters
    ----------
    id
        Short identifier, e.g. ``"availability"``.
    name
        Name, e.g. ``"稼働率"``.
    unit
        Unit of measurement, e.g. ``"%"``, ``"minutes"``, ``"hours"``, ``"count"``.
    target
        Target value, in :attr:`unit` (99.5 for the national non-functional standard's 99.5 %).
    direction
        ``"higher"`` or ``"lower"`` is better.
    window
        Measurement window: ``"monthly"``, ``"quarterly"`` (fiscal quarter) or ``"yearly"`` (fiscal year).
    weight
        Weight or points of the item in an overall achievement score (SLA達成率). [points]
    description
        How it is measured.
    kind
        What it measures (:class:`MetricKind`): ``"availability"``, ``"incident_notification"``,
        ``"recovery_time"``, ``"response_time"``, ``"inquiry_response"``, ``"backup_completion"``
        or ``"other"`` (default).
    aggregation
        How the months of a window combine (:class:`Aggregation`); default by kind: weighted mean
        for availability, the worst month (max) for notification, recovery and response times, the
        mean otherwise.
    percentile
        For response times: the percentile the target applies to (e.g. 95 for the 95th). [%]
    penalty_points
        Penalty points (ペナルティポイント) a first miss of the item earns. [points]

    Notes
    -----
    The target is met when the value is ``>= target`` (higher is better) or ``<= target``
    (lower is better): a value equal to the target meets it.
    """

    id: str = attrs.field(validator=v.non_empty_text())
    name: str = attrs.field(validator=v.non_empty_text())
    unit: str = attrs.field(validator=v.non_empty_text())
    target: float = attrs.field(validator=v.real())
    direction: Direction = attrs.field(default=Direction.HIGHER, converter=_to_direction)
    window: Window = attrs.field(default=Window.MONTHLY, converter=_to_window)
    weight: float = attrs.field(default=1.0, validator=v.real(min=0, unit="points"))
    description: str = attrs.field(default="", validator=v.text())
    kind: MetricKind = attrs.field(default=MetricKind.OTHER, converter=_to_kind)
    aggregation: Aggregation = attrs.field(
        default=attrs.Factory(_default_aggregation, takes_self=True), converter=_to_aggregation
    )
    percentile: float | None = attrs.field(default=None, validator=_percentile)
    penalty_points: int = attrs.field(converter=v.to_int, default=1, validator=v.integer(min=0, unit="points"))

    def __attrs_post_init__(self) -> None:
        if self.unit.strip() == "%" and not PERCENT_MIN <= self.target <= PERCENT_MAX:
            raise ValidationError(f"target of metric {self.id!r} must be within {PERCENT_MIN}..{PERCENT_MAX} [%], "
                                  f"got {self.target!r}")
        if self.kind is not MetricKind.OTHER and self.target < 0:
            raise ValidationError(f"target of {self.kind.value} metric {self.id!r} must be >= 0 [{self.unit}], "
                                  f"got {self.target!r}")
        if self.percentile is not None and self.kind is not MetricKind.RESPONSE_TIME:
            raise ValidationError(
                f"percentile is for response_time metrics; metric {self.id!r} is {self.kind.value!r}"
            )

    @property
    def higher_is_better(self) -> bool:
        """True when a higher value is better."""
        return self.direction is Direction.HIGHER

    def meets(self, value: float) -> bool:
        """Whether ``value`` (in :attr:`unit`) meets the target."""
        return value >= self.target if self.direction is Direction.HIGHER else value <= self.target
