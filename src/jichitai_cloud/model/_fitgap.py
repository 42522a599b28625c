"""Fit & gap analysis (フィット&ギャップ) in the subcommittees (部会): meeting records and items.

The source document's nineteen subcommittees met 194 times (延べ194回) to hold the package against
each member's business: where it fits, members adopt the package's way of working; where it does
not (a gap), the gap is resolved by operating differently, by a customization (カスタマイズ), by
the vendor making it standard (標準機能として実装), or the request is withdrawn (要望を取下げ).

These records refer to subcommittees by name (``住基情報``), so that they can be kept apart from the
council file (:class:`~jichitai_cloud.Consortium` holds the subcommittees themselves).
"""

from __future__ import annotations

import datetime as _dt
import enum
from typing import Any

import attrs

from .. import _validators as v
from ..errors import ValidationError

__all__ = ["FitGapItem", "MeetingRecord", "Resolution"]


class Resolution(enum.StrEnum):
    """How a gap between the package and a member's business was resolved."""

    OPERATE_DIFFERENTLY = "operate_differently"
    """The member changes its operations to the package (運用で対応)."""
    CUSTOMIZE = "customize"
    """A customization at the adopters' cost (カスタマイズ)."""
    MAKE_STANDARD = "make_standard"
    """The vendor folds it into the package (標準仕様として対応 / 標準機能として実装)."""
    WITHDRAW = "withdraw"
    """The request is withdrawn (要望を取下げ)."""

    @property
    def ja(self) -> str:
        """The Japanese label."""
        return _RESOLUTION_JA[self]


_RESOLUTION_JA = {
    Resolution.OPERATE_DIFFERENTLY: "運用で対応",
    Resolution.CUSTOMIZE: "カスタマイズ",
    Resolution.MAKE_STANDARD: "標準機能として実装",
    Resolution.WITHDRAW: "要望を取下げ",
}

_RESOLUTION_ALIASES = {
    "運用": Resolution.OPERATE_DIFFERENTLY,
    "運用で対応": Resolution.OPERATE_DIFFERENTLY,
    "運用対応": Resolution.OPERATE_DIFFERENTLY,
    "カスタマイズ": Resolution.CUSTOMIZE,
    "標準": Resolution.MAKE_STANDARD,
    "標準仕様": Resolution.MAKE_STANDARD,
    "標準機能として実装": Resolution.MAKE_STANDARD,
    "標準仕様として対応": Resolution.MAKE_STANDARD,
    "取下げ": Resolution.WITHDRAW,
    "取り下げ": Resolution.WITHDRAW,
    "要望を取下げ": Resolution.WITHDRAW,
}


_RESOLUTION = v.to_enum(Resolution, "resolution")


def _to_resolution(value: Any) -> Resolution | None:
    """Converter: ``None`` (open), a resolution, its value, or a Japanese word of the aliases."""
    if value is None:
        return None
    if isinstance(value, str) and value.strip() in _RESOLUTION_ALIASES:
        return _RESOLUTION_ALIASES[value.strip()]
    return _RESOLUTION(value)


@attrs.frozen(kw_only=True, slots=True)
class MeetingRecord:
    """One meeting of a subcommittee, or a number of meetings kept only as a count.

    Parameters
    ----------
    subcommittee
        Name of the subcommittee (部会), e.g. ``"健康管理"``.
    date
        Day it was held; ``None`` when only a count is kept.
    count
        Number of meetings the record stands for: 1 for a dated meeting, any number for an undated
        count (``date`` absent). [meetings]
    attendees
        Codes of the members present (empty: attendance not recorded).
    note
        Agenda or decisions.
    """

    subcommittee: str = attrs.field(validator=v.non_empty_text())
    date: _dt.date | None = attrs.field(default=None)
    count: int = attrs.field(converter=v.to_int, default=1, validator=v.integer(min=0, unit="meetings"))
    attendees: tuple[str, ...] = attrs.field(default=(), converter=v.to_tuple, validator=v.member_codes())
    note: str = attrs.field(default="", validator=v.text())

    @date.validator
    def _v_date(self, attribute: Any, value: Any) -> None:
        if value is not None and (not isinstance(value, _dt.date) or isinstance(value, _dt.datetime)):
            raise ValidationError(f"{attribute.name} must be a date such as 2014-05-20, got {value!r}")

    def __attrs_post_init__(self) -> None:
        if self.date is not None and self.count != 1:
            raise ValidationError(
                f"a dated meeting record stands for one meeting, got date {self.date} with count {self.count}"
            )
        if self.attendees and self.count != 1:
            raise ValidationError(
                f"attendance can be recorded for one meeting at a time, got count {self.count} with attendees"
            )


@attrs.frozen(kw_only=True, slots=True)
class FitGapItem:
    """One item of a subcommittee's fit & gap analysis.

    Parameters
    ----------
    id
        Item number, unique in the record.
    subcommittee
        Name of the subcommittee (部会) that examined it.
    title
        The business function examined.
    fit
        ``True`` when the package fits as it is (フィット); ``False`` for a gap (ギャップ).
    resolution
        How a gap was resolved (``None``: still open); must be absent for a fit.
    members
        Codes of the members concerned (empty: all).
    request
        Id of the customization request (カスタマイズ要望) the gap led to, if any.
    note
        Free text.
    """

    id: str = attrs.field(validator=v.non_empty_text())
    subcommittee: str = attrs.field(validator=v.non_empty_text())
    title: str = attrs.field(validator=v.non_empty_text())
    fit: bool = attrs.field(default=False)
    resolution: Resolution | None = attrs.field(default=None, converter=_to_resolution)
    members: tuple[str, ...] = attrs.field(default=(), converter=v.to_tuple, validator=v.member_codes())
    request: str = attrs.field(default="", validator=v.text())
    note: str = attrs.field(default="", validator=v.text())

    @fit.validator
    def _v_fit(self, attribute: Any, value: Any) -> None:
        if not isinstance(value, bool):
            raise ValidationError(f"{attribute.name} must be true (fits) or false (a gap), got {value!r}")

    @resolution.validator
    def _v_resolution(self, attribute: Any, value: Any) -> None:
        if value is not None and not isinstance(value, Resolution):
            raise ValidationError(f"{attribute.name} must be a Resolution, got {value!r}")

    def __attrs_post_init__(self) -> None:
        if self.fit and self.resolution is not None:
            raise ValidationError(
                f"fit & gap item {self.id!r} fits the package but has resolution {self.resolution.value!r}; "
                "only gaps are resolved"
            )
        if self.fit and self.request:
            raise ValidationError(f"fit & gap item {self.id!r} fits the package but refers to request "
                                  f"{self.request!r}")

    @property
    def is_open(self) -> bool:
        """A gap without a resolution yet."""
        return not self.fit and self.resolution is None
