"""Allocating a council's cloud fee: :func:`allocate` and its immutable result :class:`Allocation`.

The domain layer turns the council into arrays once (drivers per month segment, caps from the
guarantee), calls :func:`~jichitai_cloud.allocation.split_costs`, and wraps the integer shares in
frozen results that explain themselves.

Semantics
---------
1. **Months.**  See :mod:`jichitai_cloud.allocation._time`: each month's fee is split among the
   members on the cloud that month; the whole period is one exact split, rounded once.
2. **Rule.**  Each month, driver ``d`` receives ``ratio_d / sum(ratios)`` of the fee and splits it
   in proportion to the present members' values of driver ``d`` (均等割: one each; 人口割: population).
3. **Guarantee (最低保障).**  With ``min_reduction = r`` no member's fee share exceeds
   ``floor((1 - r) * current_cost)`` (or, if the guarantee counts the penalty, fee share + penalty
   stays within it).  What a capped member cannot take goes to the others in proportion to their
   shares under the rule, repeated until nothing binds.
4. **Penalties (違約金).**  ``"member"``: a member's net cost is its fee share plus its own penalty.
   ``"pooled"``: the penalties are added up and the pool is split by the same rule (months and all).
   If the guarantee counts pooled penalties, the fee and the pool are split together under the caps
   and each member's net cost is divided into fee and penalty in proportion.
5. **Rounding.**  Integer yen (or the rule's unit), adding up to the total exactly.

References
----------
富山県情報システム共同利用推進協議会事務局 (2016), 7. 導入効果 (the rule, the guarantee, the penalties and
the five-year effect table) and 8. まとめ (途中離脱や新規参加への対応; 最低保障額を採用).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
from numpy.typing import NDArray

from .._display import dataframe, html_table, text_table
from .._numeric._apportion import apportion
from ..calendar import Month
from ..errors import InfeasibleAllocation, UnknownMemberError, ValidationError
from ..model import Consortium, Municipality
from ._kernels import split_costs
from ._rule import AllocationRule
from ._time import Presence, Segment, presence, segment_drivers, segment_fees

if TYPE_CHECKING:  # pragma: no cover
    import pandas

__all__ = [
    "Allocation",
    "EffectRow",
    "EffectTable",
    "MemberAllocation",
    "MembershipChange",
    "allocate",
    "membership_change",
    "reduction_percent",
]


# --------------------------------------------------------------------------------------------------
# small helpers
# --------------------------------------------------------------------------------------------------
def reduction_percent(current: int, cost: int) -> int | None:
    """Reduction rate (削減率) in whole percent, rounded half up, from integer amounts.

    ``100 * (1 - cost / current)`` computed exactly and rounded half up (37.5 % -> 38 %, as the
    document's member B: 1 - 2.5 / 4.0).  None when ``current`` is 0.

    Parameters
    ----------
    current
        Current cost (現行経費). [yen]
    cost
        Cost on the cloud (クラウド利用料). [yen]

    Examples
    --------
    >>> [reduction_percent(c, f) for c, f in [(92, 57), (40, 25), (25, 18), (24, 17), (24, 14), (11, 8)]]
    [38, 38, 28, 29, 42, 27]
    >>> reduction_percent(216, 139)
    36

    References
    ----------
    富山県情報システム共同利用推進協議会事務局 (2016), 7. 導入効果: 削減率 = 1 - クラウド利用料 / 現行経費.
    """
    if current == 0:
        return None
    return math.floor(Fraction(100 * (current - cost), current) + Fraction(1, 2))


def _oku(yen: int) -> str:
    """Yen as 億円 with one decimal, rounded half up (920,000,000 -> '9.2')."""
    return str((Decimal(yen) / Decimal(100_000_000)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _yen(x: int) -> str:
    return f"{x:,} yen"


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.1f} %"


def _readonly(a: NDArray[Any]) -> NDArray[Any]:
    a = np.array(a)
    a.flags.writeable = False
    return a


# --------------------------------------------------------------------------------------------------
# results
# --------------------------------------------------------------------------------------------------
@attrs.frozen(kw_only=True, slots=True)
class MemberAllocation:
    """One member's line of an :class:`Allocation`.

    Parameters
    ----------
    code, name
        The member.
    first_month, last_month
        Its months on the cloud within the evaluation period (None if none).
    months_on_cloud
        Number of those months. [months]
    current_cost
        Current cost over the evaluation period (現行経費). [yen]
    rule_share
        Its share of the fee under the rule alone, before the guarantee. [yen]
    cap
        The guaranteed maximum for its fee share (None without a guarantee). [yen]
    cap_bound
        Whether the cap binds (the member is held at its cap and the excess goes to others).
    share
        Its share of the cloud fee (クラウド利用料の負担額). [yen]
    penalty
        The cancellation penalty it bears (its own, or its share of the pool). [yen]
    net_cost
        ``share + penalty``: what it pays. [yen]
    """

    code: str
    name: str
    first_month: Month | None
    last_month: Month | None
    months_on_cloud: int
    current_cost: int
    rule_share: int
    cap: int | None
    cap_bound: bool
    share: int
    penalty: int
    net_cost: int

    @property
    def reduction(self) -> int:
        """Current cost minus net cost. [yen]"""
        return self.current_cost - self.net_cost

    @property
    def reduction_rate(self) -> float | None:
        """``1 - net_cost / current_cost`` (削減率); None if the current cost is 0. [1]"""
        return None if self.current_cost == 0 else 1 - self.net_cost / self.current_cost

    @property
    def redistributed(self) -> int:
        """``share - rule_share``: what the guarantee moved to (+) or from (-) this member. [yen]"""
        return self.share - self.rule_share


_COLUMNS = ("code", "name", "months", "current_cost", "rule_share", "cap", "cap_bound", "share", "penalty",
            "net_cost", "reduction", "reduction_rate")


@attrs.frozen(kw_only=True, slots=True)
class EffectRow:
    """One line of the five-year effect table (5年試算): current cost against cost on the cloud.

    Parameters
    ----------
    code, name
        The member (or ``"合計"`` for the total line).
    current_cost
        Current cost (現行経費). [yen]
    cloud_fee
        Cost on the cloud (クラウド利用料), penalties included where the rule adds them. [yen]
    """

    code: str
    name: str
    current_cost: int
    cloud_fee: int

    @property
    def reduction_rate(self) -> float | None:
        """``1 - cloud_fee / current_cost``. [1]"""
        return None if self.current_cost == 0 else 1 - self.cloud_fee / self.current_cost

    @property
    def reduction_percent(self) -> int | None:
        """Reduction rate in whole percent, rounded half up (the document's 削減率). [%]"""
        return reduction_percent(self.current_cost, self.cloud_fee)


def _rows(value: Any) -> tuple[EffectRow, ...]:
    return tuple(value)


_EFFECT_TITLE = "5年試算 (five-year estimate)"
_EFFECT_HEADER = ("市町村名", "現行経費 (5年試算)", "クラウド利用料", "削減率 [%]")


@attrs.frozen(kw_only=True, slots=True)
class EffectTable:
    """The five-year effect table of the source document (導入効果: 5年試算 現行経費 / クラウド利用料 / 削減率).

    Parameters
    ----------
    rows
        One line per member.
    title
        Caption.

    References
    ----------
    富山県情報システム共同利用推進協議会事務局 (2016), 7. 導入効果 (1 情報関連経費の削減), the table
    市町村名 / 5年試算 現行経費 / クラウド利用料 / 削減率.

    Examples
    --------
    >>> t = EffectTable.from_figures("ABCDEF", [920, 400, 250, 240, 240, 110],
    ...                              [570, 250, 180, 170, 140, 80], scale=1_000_000)
    >>> [r.reduction_percent for r in t.rows], t.total.reduction_percent
    ([38, 38, 28, 29, 42, 27], 36)
    """

    rows: tuple[EffectRow, ...] = attrs.field(converter=_rows)
    title: str = _EFFECT_TITLE

    @classmethod
    def from_figures(cls, codes: Sequence[str], current_costs: Sequence[int], cloud_fees: Sequence[int], *,
                     names: Sequence[str] | None = None, scale: int = 1, title: str | None = None) -> EffectTable:
        """A table from figures, e.g. the published ones.

        Parameters
        ----------
        codes
            Member codes.
        current_costs, cloud_fees
            Per member, in units of ``scale`` yen (integers). [scale yen]
        names
            Member names (default: the codes).
        scale
            Yen per unit of the figures, e.g. 10,000,000 for figures in 0.1 億円. [yen]
        title
            Caption.
        """
        codes = list(codes)
        if not (len(codes) == len(current_costs) == len(cloud_fees)):
            raise ValidationError("codes, current_costs and cloud_fees must have the same length")
        for v in (*current_costs, *cloud_fees):
            if isinstance(v, bool) or not isinstance(v, int | np.integer) or v < 0:
                raise ValidationError(f"figures must be integers >= 0 [{scale:,} yen], got {v!r}")
        nm = list(names) if names is not None else codes
        rows = tuple(EffectRow(code=c, name=n, current_cost=int(a) * scale, cloud_fee=int(b) * scale)
                     for c, n, a, b in zip(codes, nm, current_costs, cloud_fees, strict=True))
        return cls(rows=rows, title=title or _EFFECT_TITLE)

    @classmethod
    def from_published(cls, council: Consortium) -> EffectTable:
        """The council's published table (current costs of its members, published cloud fees)."""
        pub = council.published
        if pub is None or not pub.cloud_fees:
            raise ValidationError(f"council {council.name!r} has no published cloud fees")
        rows = tuple(EffectRow(code=m.code, name=m.name, current_cost=m.current_cost,
                               cloud_fee=int(pub.cloud_fees[m.code]))
                     for m in council.members if m.code in pub.cloud_fees)
        return cls(rows=rows, title=f"{council.name}: published 5年試算")

    @property
    def total(self) -> EffectRow:
        """The total line (合計)."""
        return EffectRow(code="合計", name="total", current_cost=sum(r.current_cost for r in self.rows),
                         cloud_fee=sum(r.cloud_fee for r in self.rows))

    def table(self, *, unit: str = "yen") -> tuple[list[str], list[list[Any]]]:
        """Header and rows, amounts in ``"yen"`` or ``"oku"`` (億円, one decimal as the document)."""
        if unit not in ("yen", "oku"):
            raise ValidationError(f"unit must be 'yen' or 'oku', got {unit!r}")
        suffix = " [億円]" if unit == "oku" else " [yen]"
        header = [_EFFECT_HEADER[0], _EFFECT_HEADER[1] + suffix, _EFFECT_HEADER[2] + suffix, _EFFECT_HEADER[3]]

        def fmt(x: int) -> Any:
            return _oku(x) if unit == "oku" else x

        rows = [[r.code, fmt(r.current_cost), fmt(r.cloud_fee), r.reduction_percent] for r in (*self.rows, self.total)]
        return header, rows

    def to_text(self, *, unit: str = "oku") -> str:
        """The table as text; by default in 億円 like the document."""
        header, rows = self.table(unit=unit)
        return text_table(header, rows, title=self.title)

    def to_dataframe(self, *, unit: str = "yen") -> pandas.DataFrame:
        """The table as a pandas DataFrame (pandas imported here)."""
        header, rows = self.table(unit=unit)
        return dataframe(header, rows, index=header[0])

    def _repr_html_(self) -> str:
        header, rows = self.table(unit="oku")
        return html_table(header, rows, caption=self.title)

    def __str__(self) -> str:
        return self.to_text()


@attrs.frozen(kw_only=True, slots=True)
class Allocation:
    """The result of :func:`allocate`: each member's share of the cloud fee, and why.

    Parameters
    ----------
    council
        Name of the council.
    total_fee
        The cloud fee split among the members over the evaluation period. [yen]
    monthly_fees
        The fee of each month, if the council gave a schedule (else None: spread evenly). [yen]
    rule
        The rule applied.
    period_start, period_months
        The evaluation period. [months]
    members
        One :class:`MemberAllocation` per member, in council order.
    segments
        The months grouped by who is on the cloud (each month's fee is split among those members).
    pooled_penalty
        The penalties pooled and split by the rule (0 when members bear their own). [yen]
    explanations
        Plain-language notes on every binding constraint and on the months and penalties.
    """

    council: str
    total_fee: int
    monthly_fees: tuple[int, ...] | None
    rule: AllocationRule
    period_start: Month
    period_months: int
    members: tuple[MemberAllocation, ...]
    segments: tuple[Segment, ...]
    pooled_penalty: int
    explanations: tuple[str, ...]

    # -- access -----------------------------------------------------------------------------------
    @property
    def codes(self) -> tuple[str, ...]:
        """Member codes in council order."""
        return tuple(m.code for m in self.members)

    @property
    def shares(self) -> tuple[int, ...]:
        """Fee share per member. [yen]"""
        return tuple(m.share for m in self.members)

    @property
    def net_costs(self) -> tuple[int, ...]:
        """Net cost (share + penalty) per member. [yen]"""
        return tuple(m.net_cost for m in self.members)

    @property
    def bound(self) -> tuple[str, ...]:
        """Codes of the members held at their caps."""
        return tuple(m.code for m in self.members if m.cap_bound)

    def member(self, code: str) -> MemberAllocation:
        """The line of member ``code``."""
        for m in self.members:
            if m.code == code:
                return m
        raise UnknownMemberError(f"no member with code {code!r}; members are {list(self.codes)}")

    def __getitem__(self, code: str) -> MemberAllocation:
        return self.member(code)

    @property
    def total_current_cost(self) -> int:
        """Sum of the members' current costs. [yen]"""
        return sum(m.current_cost for m in self.members)

    @property
    def total_net_cost(self) -> int:
        """Sum of the net costs: the fee plus every penalty. [yen]"""
        return sum(m.net_cost for m in self.members)

    @property
    def total_reduction_rate(self) -> float | None:
        """``1 - total net cost / total current cost``. [1]"""
        cur = self.total_current_cost
        return None if cur == 0 else 1 - self.total_net_cost / cur

    def effect_table(self) -> EffectTable:
        """The five-year effect table (current cost, cost on the cloud incl. penalties, reduction rate)."""
        rows = tuple(EffectRow(code=m.code, name=m.name, current_cost=m.current_cost, cloud_fee=m.net_cost)
                     for m in self.members)
        return EffectTable(rows=rows, title=f"{self.council}: {self.period_months}-month estimate under "
                                            f"{self.rule.ratio_text()}")

    # -- display ----------------------------------------------------------------------------------
    def table(self) -> tuple[list[str], list[list[Any]]]:
        """Header and rows (one per member, then the total)."""
        rows: list[list[Any]] = [
            [m.code, m.name, m.months_on_cloud, m.current_cost, m.rule_share, m.cap, m.cap_bound, m.share,
             m.penalty, m.net_cost, m.reduction, m.reduction_rate]
            for m in self.members
        ]
        rows.append(["合計", "total", None, self.total_current_cost, sum(m.rule_share for m in self.members),
                     None, None, sum(self.shares), sum(m.penalty for m in self.members), self.total_net_cost,
                     self.total_current_cost - self.total_net_cost, self.total_reduction_rate])
        return list(_COLUMNS), rows

    def to_dict(self) -> dict[str, Any]:
        """Plain data (for JSON): the rule, the totals, the members, the explanations."""
        return {
            "council": self.council,
            "total_fee": self.total_fee,
            "rule": self.rule.describe(),
            "period": {"start": self.period_start.iso(), "months": self.period_months},
            "members": [
                {"code": m.code, "name": m.name, "first_month": None if m.first_month is None else m.first_month.iso(),
                 "last_month": None if m.last_month is None else m.last_month.iso(),
                 "months_on_cloud": m.months_on_cloud, "current_cost": m.current_cost, "rule_share": m.rule_share,
                 "cap": m.cap, "cap_bound": m.cap_bound, "share": m.share, "penalty": m.penalty,
                 "net_cost": m.net_cost, "reduction": m.reduction, "reduction_rate": m.reduction_rate,
                 "reduction_percent": reduction_percent(m.current_cost, m.net_cost)}
                for m in self.members
            ],
            "total_current_cost": self.total_current_cost,
            "total_net_cost": self.total_net_cost,
            "total_reduction_rate": self.total_reduction_rate,
            "pooled_penalty": self.pooled_penalty,
            "segments": [{"first": s.first.iso(), "last": s.last.iso(), "members": list(s.members), "fee": s.fee}
                         for s in self.segments],
            "explanations": list(self.explanations),
        }

    def to_dataframe(self) -> pandas.DataFrame:
        """One row per member (and the total), indexed by code (pandas imported here)."""
        header, rows = self.table()
        return dataframe(header, rows, index="code")

    def to_text(self) -> str:
        """The allocation, the effect table and the explanations as plain text."""
        _, rows = self.table()
        shown = [[r[0], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], _pct(r[11])] for r in rows]
        parts = [
            f"{self.council}: cost allocation (費用按分) of {self.total_fee:,} yen over {self.period_months} months "
            f"from {self.period_start.era_short()} ({self.period_start.iso()})",
            f"rule: {self.rule.describe()}",
            "",
            text_table(["code", "months", "current_cost", "rule_share", "cap", "bound", "share", "penalty",
                        "net_cost", "reduction"], shown),
            "",
            self.effect_table().to_text(),
        ]
        if self.explanations:
            parts += ["", "why:"] + [f"  - {e}" for e in self.explanations]
        return "\n".join(parts)

    def __str__(self) -> str:
        return self.to_text()

    def __repr__(self) -> str:
        body = ", ".join(f"{m.code}={m.share:,}{'*' if m.cap_bound else ''}" for m in self.members)
        return f"Allocation({self.council!r}, total_fee={self.total_fee:,}, {body})"

    def _repr_html_(self) -> str:
        header, rows = self.table()
        caption = f"{self.council}: {self.rule.describe()} — total fee {self.total_fee:,} yen"
        notes = "".join(f"<li>{_escape(e)}</li>" for e in self.explanations)
        return html_table(header, rows, caption=caption) + (f"\n<ul>{notes}</ul>" if notes else "")


def _escape(text: str) -> str:
    import html

    return html.escape(text)


@attrs.frozen(kw_only=True, slots=True)
class MembershipChange:
    """An allocation before and after members leave or join mid-period (途中離脱・新規参加).

    Parameters
    ----------
    before, after
        The two allocations.
    leaving
        Member code -> first month it is no longer on the cloud.
    joining
        Codes of the members that join (with their cloud start).
    """

    before: Allocation
    after: Allocation
    leaving: tuple[tuple[str, Month], ...]
    joining: tuple[str, ...]

    def table(self) -> tuple[list[str], list[list[Any]]]:
        """Per member (of either council): months, share and net cost before and after, change."""
        header = ["code", "months_before", "months_after", "share_before", "share_after", "net_before",
                  "net_after", "change", "bound_before", "bound_after"]
        codes = list(self.before.codes) + [c for c in self.after.codes if c not in self.before.codes]
        rows: list[list[Any]] = []
        for c in codes:
            b = self.before.member(c) if c in self.before.codes else None
            a = self.after.member(c) if c in self.after.codes else None
            nb = b.net_cost if b else 0
            na = a.net_cost if a else 0
            rows.append([c, b.months_on_cloud if b else 0, a.months_on_cloud if a else 0, b.share if b else 0,
                         a.share if a else 0, nb, na, na - nb, b.cap_bound if b else None,
                         a.cap_bound if a else None])
        return header, rows

    def to_dataframe(self) -> pandas.DataFrame:
        """Before/after table (pandas imported here)."""
        header, rows = self.table()
        return dataframe(header, rows, index="code")

    def to_text(self) -> str:
        """Before/after table and the notes of the new allocation."""
        header, rows = self.table()
        moves = [f"{c} leaves after {(m - 1).iso()}" for c, m in self.leaving] + [f"{c} joins" for c in self.joining]
        parts = [f"{self.after.council}: {'; '.join(moves) or 'no change'}", "", text_table(header, rows)]
        if self.after.explanations:
            parts += ["", "after:"] + [f"  - {e}" for e in self.after.explanations]
        return "\n".join(parts)

    def __str__(self) -> str:
        return self.to_text()

    def _repr_html_(self) -> str:
        header, rows = self.table()
        return html_table(header, rows, caption=f"{self.after.council}: before and after")


# --------------------------------------------------------------------------------------------------
# turning a council into arrays
# --------------------------------------------------------------------------------------------------
def driver_matrix(members: Sequence[Municipality], names: Sequence[str]) -> NDArray[np.float64]:
    """``(N, D)`` driver values of the members for the rule's driver names.

    Raises
    ------
    UnknownMemberError
        If a member lacks a named driver (the message lists the drivers it has).
    """
    return np.array([[m.driver(d) for d in names] for m in members], dtype=np.float64).reshape(len(members),
                                                                                              len(names))


def _total(total_fee: int | Sequence[int]) -> tuple[int, tuple[int, ...] | None]:
    if isinstance(total_fee, bool):
        raise ValidationError(f"total_fee must be integer yen, got {total_fee!r}")
    if isinstance(total_fee, int | np.integer):
        if total_fee < 0:
            raise ValidationError(f"total_fee must be >= 0 [yen], got {total_fee!r}")
        return int(total_fee), None
    if isinstance(total_fee, str) or not isinstance(total_fee, Sequence | np.ndarray):
        raise ValidationError(f"total_fee must be integer yen or a list of monthly fees [yen], got {total_fee!r}")
    fees = []
    for i, x in enumerate(total_fee):
        if isinstance(x, bool) or not isinstance(x, int | np.integer) or x < 0:
            raise ValidationError(f"monthly fee {i + 1} must be integer yen >= 0, got {x!r}")
        fees.append(int(x))
    return sum(fees), tuple(fees)


def _caps(rule: AllocationRule, members: Sequence[Municipality], months: Sequence[int], period: int,
          penalties: Sequence[int], counts_own_penalty: bool) -> list[int] | None:
    """The cap on each member's fee share under the guarantee (None without a guarantee)."""
    if rule.min_reduction is None:
        return None
    caps = []
    for m, mo, pen in zip(members, months, penalties, strict=True):
        cap = rule.cap(m.current_cost, mo, period)
        assert cap is not None
        if counts_own_penalty:
            if pen > cap:
                raise InfeasibleAllocation(
                    f"member {m.code!r}: its penalty {pen:,} yen alone exceeds its guaranteed maximum {cap:,} yen "
                    f"({_pct(float(rule.cap_factor() or 0))} of its current cost {m.current_cost:,} yen) by "
                    f"{pen - cap:,} yen; the guarantee counting the penalty cannot be met"
                )
            cap -= pen
        caps.append(cap)
    return caps


def _check_segments(council: Consortium, rule: AllocationRule, pres: Presence, fees: Sequence[int],
                    x: NDArray[np.float64]) -> None:
    """Name the driver and months when a driver with a weight is zero for everyone present."""
    mat, segs = pres.matrix()
    for g, (a, c) in enumerate(segs):
        if fees[g] <= 0:
            continue
        for d, (name, weight) in enumerate(rule.ratios.items()):
            if weight > 0 and not (x[mat[:, g], d] > 0).any():
                raise ValidationError(
                    f"driver {name!r} (weight {weight:g}) is 0 for every member on the cloud in "
                    f"{(pres.period_start + a).iso()}..{(pres.period_start + (c - 1)).iso()} "
                    f"({', '.join(c2 for i, c2 in enumerate(pres.codes) if mat[i, g]) or 'nobody'}): "
                    "there is nobody to split that part of the fee by"
                )


def _lead_index(council: Consortium, rule: AllocationRule) -> int | None:
    if rule.lead is None:
        return None
    if rule.rounding != "floor_then_lead":
        raise ValidationError("rule.lead is used only with rounding 'floor_then_lead'")
    return council.index(rule.lead)


def allocate(
    consortium: Consortium,
    total_fee: int | Sequence[int],
    rule: AllocationRule | None = None,
    *,
    leaving: Mapping[str, Month | str] | None = None,
) -> Allocation:
    """Split a council's cloud fee among its members (費用按分).

    Parameters
    ----------
    consortium
        The council: members with population, current cost (現行経費), penalty (違約金), cloud start,
        extra drivers; the evaluation period.
    total_fee
        The cloud fee over the evaluation period, integer yen, spread evenly over the months in which
        at least one member is on the cloud; or the fee of each month of the period (a list of
        ``period_months`` integers), e.g. a lower fee while only some members are on. [yen]
    rule
        The rule (default: 均等割:人口割 = 3:7, no guarantee).
    leaving
        Member code -> first month it is no longer on the cloud (it leaves after the month before);
        its remaining months are split among the members present. [month]

    Returns
    -------
    Allocation
        Shares adding up to ``total_fee`` exactly, with caps, penalties, net costs, reduction rates,
        the effect table and explanations.

    Raises
    ------
    InfeasibleAllocation
        If the guarantee cannot be met (the caps add up to less than the fee; the message says by
        how much and which members).
    ValidationError
        Bad fee or schedule, a driver the rule needs that is zero for everyone present in some months.
    UnknownMemberError
        A driver name, lead or leaving code that the council does not have.

    References
    ----------
    富山県情報システム共同利用推進協議会事務局 (2016), 7. 導入効果: 均等割:人口割 = 3:7, 最低3割削減を保障,
    違約金を考慮; 基幹系システム移行スケジュール (staggered cloud starts).

    Examples
    --------
    >>> from jichitai_cloud import examples, AllocationRule
    >>> a = allocate(examples.toyama(), 1_390_000_000, AllocationRule(ratios="3:7", min_reduction=0.3))
    >>> sum(a.shares)
    1390000000
    """
    rule = AllocationRule() if rule is None else rule
    if not isinstance(rule, AllocationRule):
        raise ValidationError(f"rule must be an AllocationRule, got {rule!r}")
    if not isinstance(consortium, Consortium):
        raise ValidationError(f"consortium must be a Consortium, got {consortium!r}")
    total, monthly = _total(total_fee)
    council = consortium
    members = council.members
    n = len(members)
    pres = presence(council, leaving)
    segments, fees = segment_fees(pres, monthly)
    x = driver_matrix(members, rule.drivers)
    _check_segments(council, rule, pres, fees, x)
    lead = _lead_index(council, rule)
    xs, ratios, _cols = segment_drivers(pres, x, rule.weights, fees)
    months = pres.months
    penalties = [m.penalty for m in members]
    pool = sum(penalties) if rule.penalty_sharing == "pooled" else 0
    kw: dict[str, Any] = {"rounding": rule.rounding, "unit": rule.unit, "tie": rule.tie, "lead": lead}

    def split(amount: int, caps: Sequence[int] | None = None) -> tuple[list[int], list[bool]]:
        try:
            res = split_costs(amount, xs, ratios, caps=caps, return_binding=True, **kw)
        except InfeasibleAllocation as exc:
            raise _explain_infeasible(exc, council, rule, caps, amount) from None
        return [int(v) for v in res.shares], [bool(b == 1) for b in res.binding]

    rule_shares, _ = split(total)
    own = rule.penalty_sharing == "member"
    caps = _caps(rule, members, months, council.period_months, penalties,
                 counts_own_penalty=own and rule.guarantee_includes_penalty)
    if caps is None:
        shares, bound = rule_shares, [False] * n
    elif rule.penalty_sharing == "pooled" and rule.guarantee_includes_penalty and pool:
        net, bound = split(total + pool, caps)
        pen_part = [int(v) for v in apportion(pool, np.array(net, dtype=np.float64), tie="index")]
        shares = [a - b for a, b in zip(net, pen_part, strict=True)]
    else:
        shares, bound = split(total, caps)
    if rule.penalty_sharing == "member":
        pen = penalties
    elif caps is not None and rule.guarantee_includes_penalty and pool:
        pen = pen_part
    else:
        pen = split(pool)[0] if pool else [0] * n
    out = tuple(
        MemberAllocation(
            code=m.code, name=m.name, first_month=pres.first_month(i), last_month=pres.last_month(i),
            months_on_cloud=months[i], current_cost=m.current_cost, rule_share=rule_shares[i],
            cap=None if caps is None else caps[i], cap_bound=bound[i], share=shares[i], penalty=pen[i],
            net_cost=shares[i] + pen[i],
        )
        for i, m in enumerate(members)
    )
    notes = _explanations(council, rule, out, segments, pres, total, pool)
    return Allocation(council=council.name, total_fee=total, monthly_fees=monthly, rule=rule,
                      period_start=council.period_start, period_months=council.period_months, members=out,
                      segments=tuple(segments), pooled_penalty=pool, explanations=tuple(notes))


def _explain_infeasible(exc: InfeasibleAllocation, council: Consortium, rule: AllocationRule,
                        caps: Sequence[int] | None, amount: int) -> InfeasibleAllocation:
    if caps is None:
        return exc
    detail = ", ".join(f"{m.code} {c:,}" for m, c in zip(council.members, caps, strict=True))
    short = amount - sum(caps)
    msg = (f"the guaranteed minimum reduction of {_pct(rule.min_reduction)} cannot be met: the members' caps "
           f"({detail} yen) add up to {sum(caps):,} yen"
           + (f", {short:,} yen less than the {amount:,} yen to split" if short > 0 else f" ({exc})"))
    return InfeasibleAllocation(msg)


def _explanations(council: Consortium, rule: AllocationRule, out: Sequence[MemberAllocation],
                  segments: Sequence[Segment], pres: Presence, total: int, pool: int) -> list[str]:
    notes: list[str] = []
    factor = rule.cap_factor()
    bound = [m for m in out if m.cap_bound]
    for m in bound:
        base = (f"{_pct(float(factor or 0))} of its current cost {m.current_cost:,} yen"
                if rule.guarantee_basis == "period" else
                f"{_pct(float(factor or 0))} of its current cost pro rata to {m.months_on_cloud} of "
                f"{council.period_months} months")
        pen = f" (its penalty {m.penalty:,} yen counted)" if rule.guarantee_includes_penalty and m.penalty else ""
        head = (f"{m.code} ({m.name}) is held at its cap {m.cap:,} yen = {base}{pen}: the guaranteed minimum "
                f"reduction of {_pct(rule.min_reduction)} binds.  ")
        if m.rule_share > m.share:
            notes.append(head + f"Under the rule alone it would pay {m.rule_share:,} yen; the "
                         f"{m.rule_share - m.share:,} yen above its cap went to the members below their caps in "
                         "proportion to their shares under the rule.")
        else:
            notes.append(head + f"Under the rule alone it would pay {m.rule_share:,} yen, within its cap, but its "
                         f"part of what other capped members cannot take would have lifted it above the cap; it "
                         f"takes {m.share - m.rule_share:,} yen of that and the rest goes to the members still "
                         "below their caps.")
    if bound:
        takers = [f"{m.code} {m.redistributed:+,}" for m in out if not m.cap_bound and m.redistributed]
        if takers:
            notes.append("Redistributed to: " + ", ".join(takers) + " yen.")
    if rule.min_reduction is not None and not bound:
        notes.append(f"The guaranteed minimum reduction of {_pct(rule.min_reduction)} does not bind: every member's "
                     "share under the rule is within its cap.")
    if len(segments) > 1 or any(mo != council.period_months for mo in pres.months):
        for m in out:
            if m.months_on_cloud != council.period_months:
                span = ("never on the cloud in the period" if m.first_month is None else
                        f"on the cloud {m.months_on_cloud} of {council.period_months} months "
                        f"({m.first_month.iso()}..{m.last_month.iso() if m.last_month else ''})")
                notes.append(f"{m.code} is {span}; it pays only for those months.")
        live = [s for s in segments if s.fee > 0]
        parts = [f"{s.first.iso()}..{s.last.iso()}: {', '.join(s.members)}" for s in live]
        notes.append("Each month's fee is split among the members on the cloud that month: " + "; ".join(parts) + ".")
    if rule.penalty_sharing == "member" and any(m.penalty for m in out):
        pens = ", ".join(f"{m.code} {m.penalty:,}" for m in out if m.penalty)
        notes.append(f"Cancellation penalties (違約金) are borne by each member: {pens} yen"
                     + (", and counted by the guarantee." if rule.guarantee_includes_penalty and rule.min_reduction
                        is not None else ", on top of the guaranteed maximum." if rule.min_reduction is not None
                        else "."))
    if pool:
        notes.append(f"Cancellation penalties of {pool:,} yen are pooled and split by the rule"
                     + (" together with the fee under the caps." if rule.guarantee_includes_penalty
                        and rule.min_reduction is not None else "."))
    unit = "1 yen" if rule.unit == 1 else f"{rule.unit:,} yen"
    how = ("largest remainder" if rule.rounding == "largest_remainder" else
           f"rounding down, the remainder to {rule.lead or 'the largest member below its cap'}")
    notes.append(f"Shares are whole multiples of {unit} ({how}; exact ties: {rule.tie}) and add up to "
                 f"{total:,} yen exactly"
                 + (f" (the {total % rule.unit:,} yen below one unit go to one member)." if total % rule.unit else "."))
    for m in out:
        if m.reduction_rate is not None and rule.min_reduction is not None and \
                m.reduction_rate < rule.min_reduction - 1e-12:
            notes.append(f"{m.code}'s reduction is {_pct(m.reduction_rate)}, below {_pct(rule.min_reduction)}, because "
                         f"its penalty {m.penalty:,} yen comes on top of its fee share (the guarantee caps the fee "
                         "share alone).")
    return notes


def membership_change(
    consortium: Consortium,
    total_fee: int | Sequence[int],
    rule: AllocationRule | None = None,
    *,
    leaving: Mapping[str, Month | str] | None = None,
    joining: Sequence[Municipality] = (),
    total_fee_after: int | Sequence[int] | None = None,
) -> MembershipChange:
    """The allocation before and after members leave or join mid-period (途中離脱・新規参加).

    Parameters
    ----------
    consortium
        The council as planned.
    total_fee
        The fee over the period (or monthly fees), see :func:`allocate`. [yen]
    rule
        The rule.
    leaving
        Member code -> first month it is no longer on the cloud. [month]
    joining
        New members, each with its ``cloud_start`` (the month it joins).
    total_fee_after
        The fee after the change, if the vendor's fee changes (default: the same). [yen]

    Returns
    -------
    MembershipChange
        Both allocations; the remaining months of a leaver are split among the members present, and
        a joiner takes part in the months from its start.

    References
    ----------
    富山県情報システム共同利用推進協議会事務局 (2016), 8. まとめ: 途中離脱や新規参加への対応.
    """
    before = allocate(consortium, total_fee, rule)
    council = consortium
    for m in joining:
        if not isinstance(m, Municipality):
            raise ValidationError(f"joining must hold Municipality objects, got {m!r}")
        if m.cloud_start is None:
            raise ValidationError(f"joining member {m.code!r} needs a cloud_start (the month it joins)")
        council = council.with_member(m)
    after = allocate(council, total_fee if total_fee_after is None else total_fee_after, rule, leaving=leaving)
    lv = tuple((c, Month.parse(mo) if isinstance(mo, str) else mo) for c, mo in (leaving or {}).items())
    return MembershipChange(before=before, after=after, leaving=lv, joining=tuple(m.code for m in joining))
