"""Exact fees of an option: the rounded fee of each 12-month block and the member splits.

Every amount here is an integer yen computed with :class:`~fractions.Fraction` (never float): the
fee of year ``y`` is ``round_half_even(monthly_fee × (1 + yearly_change) ** y)`` with
``yearly_change`` read as the decimal written.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import numpy as np
from numpy.typing import NDArray

from .._frozenmap import FrozenMap
from ..allocation import CostItem, statement
from ..errors import InfeasibleAllocation, UnknownMemberError, ValidationError
from ..model import Consortium
from ._options import RenewalOption

__all__ = ["ITEMS", "block_fee_table", "fee_path", "member_split"]

ITEMS = ("利用料", "二重稼働", "再調達", "データ移行等")
"""The parts of a member's cost: fees, double running, the council's one-off, the member's one-off."""


def block_fee_table(option: RenewalOption, codes: Sequence[str], blocks: int) -> NDArray[np.int64]:
    """Fee of each block ``(Y,)`` for a council fee, or ``(Y, N)`` per member in ``codes`` order. [yen/month]"""
    growth = [(1 + option.change) ** y for y in range(blocks)]
    fee = option.monthly_fee
    if isinstance(fee, FrozenMap):
        own = dict(fee.items())  # one pass: a FrozenMap looks keys up one by one
        base = [own[c] for c in codes]
        rows = [_round_all(base, w) for w in growth]
        return np.array(rows, dtype=np.int64).reshape(blocks, len(codes))
    return np.array([round(int(fee) * w) for w in growth], dtype=np.int64)


def _round_all(base: Sequence[int], w: Fraction) -> list[int]:
    """``[round_half_even(f × w) for f in base]`` in integers (the same values as Fraction's ``round``)."""
    p, q = w.numerator, w.denominator
    if q == 1:
        return [f * p for f in base]
    out = []
    for f in base:  # exact integer arithmetic per member (no float); numpy cannot hold these integers
        k, r = divmod(f * p, q)
        out.append(k + 1 if 2 * r > q or (2 * r == q and k % 2) else k)
    return out


def fee_path(table: NDArray[np.int64], months: int) -> NDArray[np.int64]:
    """The council's fee of each month ``0 .. months - 1`` from a block table. [yen/month]"""
    per_block = table if table.ndim == 1 else table.sum(axis=1)
    return np.repeat(per_block, 12)[:months]


def check_members(option: RenewalOption, council: Consortium, where: str) -> None:
    """Per-member fees name every member and no other; one-offs name members only."""
    codes = set(council.codes)
    if isinstance(option.monthly_fee, FrozenMap):
        named = set(option.monthly_fee)
        missing = [c for c in council.codes if c not in named]
        unknown = [c for c in named if c not in codes]
        if unknown:
            raise UnknownMemberError(f"{where} ({option.name!r}): monthly_fee names member(s) {unknown} that the "
                                     f"council {council.name!r} does not have; its members are {list(council.codes)}")
        if missing:
            raise ValidationError(f"{where} ({option.name!r}): monthly_fee per member has no fee for member(s) "
                                  f"{missing}; give every member's fee (0 for none)")
    unknown = [c for c in option.one_off if c not in codes]
    if unknown:
        raise UnknownMemberError(f"{where} ({option.name!r}): one_off names member(s) {unknown} that the council "
                                 f"{council.name!r} does not have; its members are {list(council.codes)}")


def member_split(council: Consortium, option: RenewalOption, incumbent: RenewalOption, table: NDArray[np.int64],
                 counts: NDArray[np.int64]) -> NDArray[np.int64]:
    """Each member's parts ``(N, 4)``: fees, double running, council one-off, own one-off. [yen]

    The fee total and the council's one-off are split once each with the option's rule through
    :func:`jichitai_cloud.allocation.statement` (the allocation pipeline: its months, guarantee and
    rounding); per-member fees are each member's own sum.  Double running (``parallel_months`` ×
    the incumbent's first monthly fee) is split with the option's rule; an option without a rule
    (per-member fees) pays each member's own first fee of the incumbent if the incumbent's fees are
    per member, else the incumbent's fee split with the incumbent's rule.
    """
    codes = council.codes
    n = len(codes)
    out = np.zeros((n, len(ITEMS)), dtype=np.int64)
    items: list[CostItem] = []  # the amounts split with a rule, through the allocation pipeline
    fee = option.monthly_fee
    if isinstance(fee, FrozenMap):  # each member's own fees: nothing to split
        out[:, 0] = (table * counts[:, None]).sum(axis=0)
    else:
        items.append(CostItem(ITEMS[0], total=int((table * counts).sum()), rule=option.rule))
    p = option.parallel_months
    if p:
        inc_fee = incumbent.monthly_fee
        if option.rule is not None:
            items.append(CostItem(ITEMS[1], total=p * incumbent.first_fee_total, rule=option.rule))
        elif isinstance(inc_fee, FrozenMap):
            own = dict(inc_fee.items())
            out[:, 1] = [p * own[c] for c in codes]
        else:
            items.append(CostItem(ITEMS[1], total=p * int(inc_fee), rule=incumbent.rule))
    if option.council_one_off:
        items.append(CostItem(ITEMS[2], total=option.council_one_off, rule=option.rule))
    one = dict(option.one_off.items())
    out[:, 3] = [one.get(c, 0) for c in codes]
    if items:
        try:
            st = statement(council, items)
        except InfeasibleAllocation as exc:
            raise InfeasibleAllocation(f"option {option.name!r}: {exc}") from None
        for it, row in zip(st.items, st.shares, strict=True):
            out[:, ITEMS.index(it.name)] = row
    return out
