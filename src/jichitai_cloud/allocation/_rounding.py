"""Integer apportionment: turn real-valued quotas into integer amounts that add up exactly.

The largest remainder method (Hamilton's method, 最大剰余方式) floors every quota and hands the
units still missing from the total, one each, to the members with the largest fractional
remainders.  A member with a strictly larger remainder is never passed over for one with a smaller
remainder; exact ties are broken by a selectable rule.

Kernels here take and return numpy arrays, broadcast over leading axes, and contain no Python
loop over members or scenarios.

References
----------
Balinski, M. L. and Young, H. P. (2001). *Fair Representation: Meeting the Ideal of One Man,
One Vote*, 2nd ed. Brookings Institution Press. (Hamilton's method, ch. 2.)
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import ValidationError

__all__ = ["TIE_RULES", "TieRule", "apportion", "largest_remainder"]

TieRule = Literal["index", "reverse_index", "larger_quota", "smaller_quota"]
TIE_RULES: tuple[TieRule, ...] = ("index", "reverse_index", "larger_quota", "smaller_quota")


def _order_keys(frac: NDArray[np.float64], quotas: NDArray[np.float64], tie: TieRule) -> NDArray[np.intp]:
    """Member order for receiving leftover units: by remainder (descending), ties by ``tie``."""
    n = frac.shape[-1]
    idx = np.broadcast_to(np.arange(n), frac.shape)
    if tie == "index":
        secondary = idx
    elif tie == "reverse_index":
        secondary = -idx
    elif tie == "larger_quota":
        return np.lexsort((idx, -quotas, -frac), axis=-1)
    elif tie == "smaller_quota":
        return np.lexsort((idx, quotas, -frac), axis=-1)
    else:
        raise ValidationError(f"tie must be one of {TIE_RULES}, got {tie!r}")
    return np.lexsort((secondary, -frac), axis=-1)


def largest_remainder(total: ArrayLike, quotas: ArrayLike, *, tie: TieRule = "index") -> NDArray[np.int64]:
    """Round quotas to integers that add up to ``total``, by largest remainder (Hamilton).

    Parameters
    ----------
    total
        Integer total per row, shape ``(...)``. [units, e.g. yen]
    quotas
        Exact (real) quotas, shape ``(..., N)``, non-negative, each row adding up to its total
        (up to floating-point error). [units]
    tie
        How exact ties in the remainder are broken: ``"index"`` (lower member index first, the
        default), ``"reverse_index"``, ``"larger_quota"`` (the member with the larger quota first,
        then lower index) or ``"smaller_quota"``.

    Returns
    -------
    numpy.ndarray of int64, shape ``(..., N)``
        Each entry is ``floor(quota)`` or ``floor(quota) + 1``; each row adds up to its total.

    Raises
    ------
    ValidationError
        If the quotas cannot be rounded to the total (they add up to more than the total, or to
        less than the total minus N).
    """
    q = np.asarray(quotas, dtype=np.float64)
    t = np.asarray(total, dtype=np.int64)
    floors = np.floor(q)
    base = floors.astype(np.int64)
    deficit = t - base.sum(axis=-1)
    n = q.shape[-1]
    if np.any(deficit < 0) or np.any(deficit > n):
        raise ValidationError(
            "quotas do not add up to their totals: the floored quotas leave between "
            f"{int(deficit.min())} and {int(deficit.max())} units, expected 0..{n}"
        )
    order = _order_keys(q - floors, q, tie)
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.broadcast_to(np.arange(n), order.shape), axis=-1)
    out: NDArray[np.int64] = base + (rank < deficit[..., None]).astype(np.int64)
    return out


def apportion(total: ArrayLike, weights: ArrayLike, *, tie: TieRule = "index") -> NDArray[np.int64]:
    """Split integer totals in proportion to weights, exactly (largest remainder).

    Parameters
    ----------
    total
        Integer amount per row, shape ``(...)``, non-negative. [yen]
    weights
        Non-negative finite weights, shape ``(..., N)``; a row of zeros is allowed only with a
        zero total. [any unit]
    tie
        Tie rule, see :func:`largest_remainder`.

    Returns
    -------
    numpy.ndarray of int64, shape ``(..., N)``
        Shares within one unit of ``total * w / sum(w)`` adding up to ``total`` exactly. [yen]

    Examples
    --------
    >>> apportion(1_000_000, [1, 1, 1]).tolist()
    [333334, 333333, 333333]
    """
    w = np.asarray(weights, dtype=np.float64)
    t = np.asarray(total)
    if not np.issubdtype(t.dtype, np.integer):
        raise ValidationError(f"total must be integer yen, got dtype {t.dtype}")
    t = t.astype(np.int64)
    if not np.all(np.isfinite(w)) or np.any(w < 0):
        raise ValidationError("weights must be finite and >= 0")
    if np.any(t < 0):
        raise ValidationError("total must be >= 0")
    s = w.sum(axis=-1)
    if np.any((s == 0) & (t != 0)):
        raise ValidationError("a row of weights is all zero but its total is not")
    safe = np.where(s == 0, 1.0, s)
    quotas = w * (t / safe)[..., None]
    return largest_remainder(t, quotas, tie=tie)
