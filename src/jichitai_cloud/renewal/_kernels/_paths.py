"""Fees, totals and present values of renewal options over 12-month blocks, with no month axis.

The fee of month ``m`` (0 from the start) is ``round_half_even(fee × factor × (1 + rate) ** (m // 12))``:
constant within each 12-month block ``y = m // 12``.  So a horizon of ``H`` months is ``H // 12``
full blocks and a remainder; the sum of the fees is ``Σ_y count_y × fee_y`` and their present value
``Σ_y fee_y × D_y`` with ``D_y = Σ_{m in block y} (1 + d) ** (-m / 12)``, a geometric sum.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..._numeric import _dask as dk
from ...errors import ValidationError

__all__ = ["block_fees", "block_weights", "option_values"]

_CELLS = 1 << 22
"""Samples × members handled at once by :func:`block_fees` (32 MB of float64 per temporary)."""


def block_weights(horizon_months: int, discount_rate: float) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """Months and discount sums of the 12-month blocks of a horizon.

    Parameters
    ----------
    horizon_months
        Months of the horizon, ``H >= 1``. [months]
    discount_rate
        Yearly discount rate ``d > -1``; month ``m`` is discounted by ``(1 + d) ** (m / 12)``. [1/year]

    Returns
    -------
    counts : numpy.ndarray of int64, shape ``(Y,)``
        Months in each block (12, the last ``H mod 12`` if not zero), ``Y = ceil(H / 12)``. [months]
    discounts : numpy.ndarray of float64, shape ``(Y,)``
        ``D_y = Σ_{m = 12y}^{12y + count_y - 1} (1 + d) ** (-m / 12)`` (a geometric sum). [1]

    Examples
    --------
    >>> c, d = block_weights(30, 0.0)
    >>> c.tolist(), d.tolist()
    ([12, 12, 6], [12.0, 12.0, 6.0])
    """
    if isinstance(horizon_months, bool) or not isinstance(horizon_months, int | np.integer) or horizon_months < 1:
        raise ValidationError(f"horizon_months must be an integer >= 1 [months], got {horizon_months!r}")
    d = float(discount_rate)
    if not np.isfinite(d) or d <= -1.0:
        raise ValidationError(f"discount_rate must be a finite number > -1 [1/year], got {discount_rate!r}")
    h = int(horizon_months)
    y = np.arange(-(-h // 12), dtype=np.int64)
    counts = np.minimum(12, h - 12 * y)
    if d == 0.0:
        return counts, counts.astype(np.float64)
    v = (1.0 + d) ** (-1.0 / 12.0)  # one month's discount factor
    first = v ** (12.0 * y)  # (1 + d) ** (-y): the discount of the block's first month
    return counts, first * (1.0 - v ** counts) / (1.0 - v)


def _fees_numpy(fees: NDArray[np.float64], factor: NDArray[np.float64], rate: NDArray[np.float64],
                blocks: int) -> NDArray[np.float64]:
    s, n = factor.shape[0], fees.shape[-1]
    out = np.empty((s, blocks), dtype=np.float64)
    step = max(1, _CELLS // max(n, 1))
    years = np.arange(blocks, dtype=np.float64)
    for a in range(0, s, step):  # chunks of samples: bounded memory, not a loop over samples
        b = min(s, a + step)
        growth = factor[a:b, None] * (1.0 + rate[a:b, None]) ** years  # (s, Y)
        for y in range(blocks):  # a loop over the (few) yearly blocks; samples and members are arrays
            out[a:b, y] = np.rint(growth[:, y, None] * fees[None, :]).sum(axis=1)
    return out


def block_fees(fees: Any, factor: Any, rate: Any, blocks: int) -> Any:
    """The fee of each 12-month block, summed over members, for each sample.

    Parameters
    ----------
    fees
        The monthly fee of the first block: one council fee ``(1,)`` or one fee per member
        ``(N,)``. [yen/month]
    factor
        A factor on the fees per sample, shape ``(S,)`` (1 for the fees as given). [1]
    rate
        The yearly change per sample, shape ``(S,)`` (``0.02`` for +2 % a year). [1/year]
    blocks
        Number of 12-month blocks ``Y``.

    Returns
    -------
    numpy.ndarray of float64, shape ``(S, Y)``
        ``Σ_i round_half_even(fees_i × factor_s × (1 + rate_s) ** y)``: whole yen in float64 (exact
        below 2**53 yen).  A dask array when ``factor`` or ``rate`` is one (chunked like it along the
        sample axis; memory then bounded per chunk). [yen/month]

    Examples
    --------
    >>> block_fees(np.array([100.0, 250.0]), np.array([1.0, 2.0]), np.array([0.1, 0.0]), 2).tolist()
    [[350.0, 385.0], [700.0, 700.0]]
    """
    if dk.any_dask(factor, rate):
        return dk.map_leading(_block_fees_np, {"factor": factor, "rate": rate}, {"factor": "()", "rate": "()"},
                              {"fees": fees, "blocks": blocks}, tails=[(int(blocks),)], dtypes=[np.float64])[0]
    return _block_fees_np(fees=fees, factor=factor, rate=rate, blocks=blocks)


def _block_fees_np(*, fees: Any, factor: Any, rate: Any, blocks: int) -> NDArray[np.float64]:
    f = np.asarray(fees, dtype=np.float64).reshape(-1)
    if not np.isfinite(f).all() or (f < 0).any():
        raise ValidationError(f"fees must be finite yen >= 0, got {f[~(np.isfinite(f) & (f >= 0))][:3].tolist()}")
    k = np.asarray(factor, dtype=np.float64)
    r = np.asarray(rate, dtype=np.float64)
    if k.ndim != 1 or r.shape != k.shape:
        raise ValidationError(f"factor and rate must have one value per sample (S,), got shapes {k.shape} "
                              f"and {r.shape}")
    if not (np.isfinite(k).all() and (k >= 0).all()):
        raise ValidationError("factor must be finite and >= 0 in every sample")
    if not (np.isfinite(r).all() and (r > -1).all()):
        raise ValidationError("rate must be finite and > -1 in every sample")
    if isinstance(blocks, bool) or not isinstance(blocks, int | np.integer) or blocks < 1:
        raise ValidationError(f"blocks must be an integer >= 1, got {blocks!r}")
    return _fees_numpy(f, k, r, int(blocks))


def option_values(fees: NDArray[np.float64], upfront: NDArray[np.float64], counts: NDArray[np.int64],
                  discounts: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Totals and present values of options from their block fees and their month-0 costs.

    Parameters
    ----------
    fees
        Fee of each block, shape ``(..., O, Y)``. [yen/month]
    upfront
        One-off costs and double running, all at month 0, shape ``(..., O)``. [yen]
    counts, discounts
        From :func:`block_weights`. [months], [1]

    Returns
    -------
    totals, present_values : numpy.ndarray of float64, shape ``(..., O)``
        ``Σ_y count_y fee_y + upfront`` and ``Σ_y D_y fee_y + upfront``. [yen]

    Examples
    --------
    >>> c, d = block_weights(24, 0.0)
    >>> t, pv = option_values(np.array([[10.0, 20.0]]), np.array([5.0]), c, d)
    >>> t.tolist(), pv.tolist()
    ([365.0], [365.0])
    """
    f = np.ascontiguousarray(fees, dtype=np.float64)
    up = np.asarray(upfront, dtype=np.float64)
    total = (f * np.asarray(counts, dtype=np.float64)).sum(axis=-1) + up
    pv = (f * np.asarray(discounts, dtype=np.float64)).sum(axis=-1) + up
    return total, pv
