"""Break-even points of a switch: the one-off cost, the monthly fee and the horizon at which it pays.

For a non-incumbent option ``k`` against the incumbent, over the comparison's horizon ``H`` and in
totals (integer yen, undiscounted; with ``discount_rate = 0`` these are also present values):

* **one-off** — the one-off costs of ``k`` (council's and members', not double running) at which
  ``k`` costs exactly what continuing costs: ``one_off_k - (total_k - total_incumbent)``.  Below it
  switching is cheaper.  Negative: no one-off cost makes switching cheaper.
* **fee** — for an option with a council fee, the largest first-year monthly fee ``F*`` (integer
  yen) at which ``k`` costs no more than continuing, its later years following the same yearly
  change and rounding: ``total_k(F*) <= total_incumbent < total_k(F* + 1)``.  ``fee_change`` is
  ``F* - monthly_fee``.  None when even a fee of 0 does not make ``k`` cheaper, or the fee is per member.
* **horizon** — the first horizon ``h`` (1 to 1,200 months, same start) at which ``k`` costs no more
  than continuing over ``h`` months (one-offs and double running in the first month): when switching
  has paid for itself.  None when it never does within 1,200 months.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs
import numpy as np
from numpy.typing import NDArray

from ._exact import block_fee_table, fee_path
from ._options import RenewalOption

__all__ = ["MAX_HORIZON", "BreakEven", "break_even"]

MAX_HORIZON = 1200
"""Longest horizon searched for the break-even horizon. [months]"""


@attrs.frozen(kw_only=True, slots=True)
class BreakEven:
    """Where the decision between an option and continuing flips (see the module docs).

    Parameters
    ----------
    one_off
        The option's one-off costs at which it costs exactly what continuing costs. [yen]
    fee
        The largest first-year monthly fee at which it costs no more than continuing (None: see
        the module docs). [yen/month]
    fee_change
        ``fee - monthly_fee`` (None with ``fee``). [yen/month]
    horizon
        The first horizon at which it costs no more than continuing (None: never within 1,200
        months). [months]
    """

    one_off: int
    fee: int | None
    fee_change: int | None
    horizon: int | None


def _fee_total(option: RenewalOption, fee: int, counts: NDArray[np.int64]) -> int:
    alt = attrs.evolve(option, monthly_fee=fee)
    return int((block_fee_table(alt, (), counts.size) * counts).sum())


def break_even(option: RenewalOption, incumbent: RenewalOption, table: NDArray[np.int64],
               inc_table: NDArray[np.int64], total: int, inc_total: int, horizon: int) -> BreakEven:
    """The break-even points of ``option`` against ``incumbent`` (see the module docs).

    ``table``/``inc_table`` are their block fee tables over the horizon, ``total``/``inc_total``
    their totals over the horizon [yen], ``horizon`` its months.
    """
    one_off = option.one_off_total - (total - inc_total)
    blocks = table.shape[0]
    counts = np.minimum(12, horizon - 12 * np.arange(blocks, dtype=np.int64))
    fee = change = None
    if not option.per_member:
        own_fees = int(((table if table.ndim == 1 else table.sum(axis=1)) * counts).sum())
        rest = total - own_fees  # double running and one-offs: they do not depend on the fee
        if rest + _fee_total(option, 0, counts) <= inc_total:
            lo, hi = 0, max(1, int(option.first_fee_total))
            while rest + _fee_total(option, hi, counts) <= inc_total:  # grow until too dear
                lo, hi = hi, hi * 2
            while hi - lo > 1:  # total is non-decreasing in the fee: bisect on integers
                mid = (lo + hi) // 2
                if rest + _fee_total(option, mid, counts) <= inc_total:
                    lo = mid
                else:
                    hi = mid
            fee, change = lo, lo - option.first_fee_total
    long_blocks = -(-MAX_HORIZON // 12)
    codes = tuple(option.monthly_fee) if isinstance(option.monthly_fee, Mapping) else ()
    inc_codes = tuple(incumbent.monthly_fee) if isinstance(incumbent.monthly_fee, Mapping) else ()
    path = fee_path(block_fee_table(option, codes, long_blocks), MAX_HORIZON)
    inc_path = fee_path(block_fee_table(incumbent, inc_codes, long_blocks), MAX_HORIZON)
    own_fees = int(fee_path(table, horizon).sum())
    inc_fees = int(fee_path(inc_table, horizon).sum())
    gap = np.cumsum(path - inc_path) + ((total - own_fees) - (inc_total - inc_fees))
    hit = np.flatnonzero(gap <= 0)
    return BreakEven(one_off=int(one_off), fee=fee, fee_change=change,
                     horizon=int(hit[0]) + 1 if hit.size else None)
