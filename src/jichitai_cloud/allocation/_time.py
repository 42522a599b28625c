"""Months on the cloud: who is present in which month, and the segments of equal presence.

Semantics (used by :func:`~jichitai_cloud.allocate`)
---------------------------------------------------
* The evaluation period has ``P`` months from ``period_start``.  Member ``i`` is on the cloud from
  its ``cloud_start`` (or the period's start if it has none) up to the month before it leaves (or
  the period's end), clipped to the period.
* With the council's ``fee_period = "member"`` every member has its own ``P`` months from its own
  cloud start (the source document's 5年試算: each member's own five years).  Months are then
  counted from each member's own start: month ``k`` of every member is split together, a member
  leaving in calendar month ``L`` is on the cloud for its months ``0 .. L - cloud_start - 1``, and
  :attr:`Presence.offsets` holds each member's start counted from ``period_start`` (all zero in
  the council's period).
* The fee is a fee per month: a total fee is spread evenly over the months in which at least one
  member is on the cloud (a month nobody is on costs nothing), or the council gives the fee of
  every month.
* Each month's fee is split among the members on the cloud that month by the rule.  Months with
  the same members present form a *segment*; the whole period is then one exact split whose driver
  columns are the rule's drivers restricted to each segment's members, weighted by the segment's
  fee (see :func:`segment_drivers`), so a member's share is the sum over the months it is on the
  cloud, rounded once.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..calendar import Month
from ..errors import UnknownMemberError, ValidationError
from ..model import Consortium

__all__ = ["Presence", "Segment", "presence", "segment_drivers"]


@attrs.frozen(kw_only=True, slots=True)
class Segment:
    """Consecutive months with the same members on the cloud.

    Parameters
    ----------
    first, last
        First and last month of the segment (with ``fee_period = "member"``: as counted from the
        period's start, i.e. the months of a member starting in ``period_start``).
    members
        Codes of the members on the cloud in these months.
    fee
        The fee of these months: a weight in months (a total fee spread evenly) or yen (a monthly
        schedule). [months or yen]
    """

    first: Month
    last: Month
    members: tuple[str, ...]
    fee: int

    @property
    def months(self) -> int:
        """Length of the segment. [months]"""
        return self.last - self.first + 1


@attrs.frozen(kw_only=True, slots=True)
class Presence:
    """When each member is on the cloud within the evaluation period.

    Parameters
    ----------
    start, end
        Per member (council order), the first month index on the cloud and one past the last,
        counted from the period's start, or from the member's own start with
        ``fee_period = "member"`` (``0 <= start <= end <= P``). [months]
    period_start
        First month of the period.
    period_months
        Length of the period. [months]
    codes
        Member codes in council order.
    offsets
        Per member, the month its own period starts, counted from ``period_start`` (all zero
        unless ``fee_period = "member"``; empty means all zero). [months]
    """

    start: tuple[int, ...]
    end: tuple[int, ...]
    period_start: Month
    period_months: int
    codes: tuple[str, ...]
    offsets: tuple[int, ...] = ()

    def offset(self, i: int) -> int:
        """Start of member ``i``'s own period, counted from ``period_start``. [months]"""
        return self.offsets[i] if self.offsets else 0

    @property
    def per_member(self) -> bool:
        """Whether months are counted from each member's own start (``fee_period = "member"``)."""
        return any(self.offsets)

    @property
    def months(self) -> tuple[int, ...]:
        """Months on the cloud per member. [months]"""
        return tuple(max(0, e - s) for s, e in zip(self.start, self.end, strict=True))

    def first_month(self, i: int) -> Month | None:
        """First month member ``i`` is on the cloud within the period, or None."""
        return self.period_start + (self.offset(i) + self.start[i]) if self.end[i] > self.start[i] else None

    def last_month(self, i: int) -> Month | None:
        """Last month member ``i`` is on the cloud within the period, or None."""
        return self.period_start + (self.offset(i) + self.end[i] - 1) if self.end[i] > self.start[i] else None

    def boundaries(self) -> list[int]:
        """Month indices where the set of members present changes (with 0 and P)."""
        return sorted({0, self.period_months, *self.start, *self.end})

    def matrix(self) -> tuple[NDArray[np.bool_], list[tuple[int, int]]]:
        """Presence per member and segment ``(N, G)``, and the segments as ``(first, stop)`` indices."""
        b = self.boundaries()
        segs = [(a, c) for a, c in itertools.pairwise(b) if c > a]
        s = np.array(self.start)[:, None]
        e = np.array(self.end)[:, None]
        firsts = np.array([a for a, _ in segs])[None, :]
        return (s <= firsts) & (firsts < e), segs


def presence(council: Consortium, leaving: Mapping[str, Month | str] | None = None) -> Presence:
    """Months on the cloud of each member of ``council``.

    Parameters
    ----------
    council
        The council; each member's ``cloud_start`` (None: from the period's start).
    leaving
        Member code -> the first month it is no longer on the cloud (it leaves after the month
        before).  Months given as :class:`~jichitai_cloud.Month` or text (``"H30.04"``).

    Notes
    -----
    The council's ``fee_period`` decides whose months these are: ``"council"`` counts every
    member's months from ``period_start``; ``"member"`` from each member's own cloud start, for
    ``period_months`` months each.

    Raises
    ------
    UnknownMemberError
        If ``leaving`` names a code that is not a member.
    ValidationError
        If a member leaves before it starts.
    """
    p0 = council.period_start
    n_months = council.period_months
    own = council.fee_period == "member"
    leave = {}
    for code, month in (leaving or {}).items():
        council.member(code)  # raises UnknownMemberError naming the members there are
        m = Month.parse(month) if isinstance(month, str) else month
        if not isinstance(m, Month):
            raise ValidationError(f"leaving[{code!r}] must be a month such as 'H30.04', got {month!r}")
        leave[code] = m
    start: list[int] = []
    end: list[int] = []
    offsets: list[int] = []
    for mem in council.members:
        # own period: months counted from the member's own start; else from the council's period start
        origin = (p0 if mem.cloud_start is None else mem.cloud_start) if own else p0
        s = 0 if own or mem.cloud_start is None else min(max(mem.cloud_start - p0, 0), n_months)
        e = n_months
        if mem.code in leave:
            lm = leave[mem.code]
            if mem.cloud_start is not None and lm < mem.cloud_start:
                raise ValidationError(
                    f"member {mem.code!r} leaves in {lm.iso()} before its cloud start {mem.cloud_start.iso()}"
                )
            e = min(max(lm - origin, 0), n_months)
        start.append(s)
        end.append(max(e, s))
        offsets.append(origin - p0)
    return Presence(start=tuple(start), end=tuple(end), period_start=p0, period_months=n_months,
                    codes=council.codes, offsets=tuple(offsets) if any(offsets) else ())


def segment_fees(pres: Presence, monthly_fees: Sequence[int] | None) -> tuple[list[Segment], list[int]]:
    """The segments of equal presence and the fee weight of each.

    With ``monthly_fees`` None the fee is spread evenly over the months with anyone on the cloud, so
    a segment's weight is its number of months (0 if nobody is present).  Otherwise a segment's
    weight is the sum of its months' fees [yen].

    Raises
    ------
    ValidationError
        If the schedule has the wrong length, a negative fee, or a fee in a month nobody is on.
    """
    mat, segs = pres.matrix()
    if monthly_fees is not None and len(monthly_fees) != pres.period_months:
        raise ValidationError(
            f"the monthly fee schedule has {len(monthly_fees)} months but the evaluation period has "
            f"{pres.period_months}"
        )
    out: list[Segment] = []
    fees: list[int] = []
    for g, (a, c) in enumerate(segs):
        members = tuple(code for i, code in enumerate(pres.codes) if mat[i, g])
        if monthly_fees is None:
            fee = (c - a) if members else 0
        else:
            fee = sum(int(x) for x in monthly_fees[a:c])
            if any(x < 0 for x in monthly_fees[a:c]):
                raise ValidationError(f"monthly fees must be >= 0 [yen]; months {a + 1}..{c} have a negative fee")
            if fee and not members:
                raise ValidationError(
                    f"the fee schedule charges {fee:,} yen for {(pres.period_start + a).iso()}.."
                    f"{(pres.period_start + (c - 1)).iso()}, when no member is on the cloud"
                )
        out.append(Segment(first=pres.period_start + a, last=pres.period_start + (c - 1), members=members, fee=fee))
        fees.append(fee)
    return out, fees


def segment_drivers(
    pres: Presence,
    drivers: NDArray[np.float64],
    weights: ArrayLike,
    fees: Sequence[int],
) -> tuple[NDArray[np.float64], NDArray[np.float64], list[tuple[int, int]]]:
    """Driver columns and ratios for one split over the whole period.

    Parameters
    ----------
    pres
        Who is present when.
    drivers
        Driver values, shape ``(..., N, D)`` (a leading scenario axis broadcasts). [driver units]
    weights
        The rule's ratio per driver, shape ``(D,)`` or ``(..., D)``. [1]
    fees
        Fee weight per segment (see :func:`segment_fees`). [months or yen]

    Returns
    -------
    x
        ``(..., N, G' * D)``: driver ``d`` of the members present in segment ``g`` (zero for the
        others), for the ``G'`` segments with a fee.
    ratios
        ``(..., G' * D)``: ``fee_g * weight_d``.
    columns
        ``(g, d)`` of each column.
    """
    mat, _ = pres.matrix()
    live = [g for g, f in enumerate(fees) if f > 0]
    if not live:
        raise ValidationError("no month of the evaluation period has a fee and a member on the cloud")
    pm = mat[:, live].astype(np.float64)  # (N, G')
    x = drivers[..., :, None, :] * pm[:, :, None]  # (..., N, G', D)
    x = x.reshape(*x.shape[:-2], len(live) * drivers.shape[-1])
    w = np.asarray(weights, dtype=np.float64)
    f = np.array([fees[g] for g in live], dtype=np.float64)
    ratios = (f[:, None] * w[..., None, :]).reshape(*w.shape[:-1], len(live) * w.shape[-1])
    columns = [(g, d) for g in live for d in range(drivers.shape[-1])]
    return x, ratios, columns


def check_members(council: Consortium, codes: Sequence[str]) -> None:
    """Raise :class:`UnknownMemberError` if a code is not a member."""
    for c in codes:
        if c not in council:
            raise UnknownMemberError(f"no member with code {c!r}; members are {list(council.codes)}")
