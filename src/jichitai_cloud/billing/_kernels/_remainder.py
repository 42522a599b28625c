"""Largest remainder on exact amounts, vectorised over months (rows), in arbitrary-precision integers.

The amounts of a month are exact rationals brought to one denominator per month, so they are held
as integer numerators (numpy object arrays of Python ints: a cost of 10**6 USD at 15 decimal places
times a rate does not fit in int64).  Every step is an elementwise numpy operation over the whole
``(M, A)`` array; there is no Python loop over months or assignees.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Literal, get_args

import numpy as np
from numpy.typing import NDArray

from ...errors import ValidationError

__all__ = ["ROUND_MODES", "RoundMode", "as_fraction_rows", "exact_largest_remainder", "round_exact"]

RoundMode = Literal["half_even", "half_up", "floor", "ceiling", "down"]
ROUND_MODES: tuple[RoundMode, ...] = get_args(RoundMode)


def round_exact(num: NDArray[np.object_], den: NDArray[np.object_], mode: RoundMode = "half_even"
                ) -> NDArray[np.int64]:
    """``num / den`` rounded to an integer, exactly, elementwise.

    Parameters
    ----------
    num, den
        Integer numerators and positive denominators (object arrays of Python ints, or int64). [1]
    mode
        ``"half_even"`` (banker's rounding, default), ``"half_up"`` (halves away from zero),
        ``"floor"``, ``"ceiling"`` or ``"down"`` (towards zero).

    Returns
    -------
    numpy.ndarray of int64. [1]

    Examples
    --------
    >>> o = lambda *x: np.array(x, dtype=object)
    >>> round_exact(o(5, 15, -5, 7), o(10, 10, 10, 10)).tolist()
    [0, 2, 0, 1]
    >>> round_exact(o(5, -5), o(10, 10), "half_up").tolist()
    [1, -1]
    """
    if mode not in ROUND_MODES:
        raise ValidationError(f"rounding must be one of {list(ROUND_MODES)}, got {mode!r}")
    n = np.asarray(num, dtype=object)
    d = np.asarray(den, dtype=object)
    if np.any(d <= 0):
        raise ValidationError("denominators must be positive")
    q = n // d  # floor
    r = n - q * d  # 0 <= r < d
    if mode == "floor":
        out = q
    elif mode == "ceiling":
        out = q + (r > 0)
    elif mode == "down":
        out = q + ((r > 0) & (n < 0))
    else:
        twice = 2 * r
        up = twice > d
        up = up | (twice == d) & (n >= 0) if mode == "half_up" else up | (twice == d) & (q % 2 == 1)
        out = q + up
    return np.asarray(out, dtype=np.int64)


def exact_largest_remainder(totals: NDArray[np.int64], amounts: NDArray[np.object_]) -> NDArray[np.int64]:
    """Apportion each row's integer total over its columns by largest remainder on exact amounts.

    Parameters
    ----------
    totals
        Integer total of each row, shape ``(M,)``. [yen]
    amounts
        Exact amounts as integer numerators over one (per-row) denominator, shape ``(M, A)``; any
        sign.  A row whose amounts add up to zero must have a zero total. [yen × denominator]

    Returns
    -------
    numpy.ndarray of int64, shape ``(M, A)``
        ``quota = total × amount ÷ sum(amounts)`` rounded down, and the yen still missing given one
        each to the largest fractional parts; equal fractional parts to the first column.  Each row
        adds up to its total exactly. [yen]

    Raises
    ------
    ValidationError
        A row with a non-zero total whose amounts add up to zero.

    Examples
    --------
    >>> a = np.array([[1, 1, 1], [2, -1, 5]], dtype=object)
    >>> exact_largest_remainder(np.array([100, 7]), a).tolist()
    [[34, 33, 33], [2, -1, 6]]
    """
    t = np.asarray(totals, dtype=object).reshape(-1, 1)
    a = np.asarray(amounts, dtype=object)
    if a.ndim != 2 or a.shape[0] != t.shape[0]:
        raise ValidationError(f"amounts must have shape (M, A) with M = {t.shape[0]}, got {a.shape}")
    s = a.sum(axis=1, keepdims=True) if a.shape[1] else np.zeros_like(t)
    zero = s == 0
    if np.any(zero & (t != 0)):
        rows = np.flatnonzero((zero & (t != 0)).ravel()).tolist()
        raise ValidationError(f"rows {rows} have a non-zero total but amounts adding up to zero")
    sign = np.where(s < 0, -1, 1).astype(object)
    s_pos = np.where(zero, 1, s * sign)
    num = t * a * sign
    base = num // s_pos
    rem = num - base * s_pos
    missing = (t - base.sum(axis=1, keepdims=True)).astype(np.int64)
    # rank the remainders within each row, largest first, equal ones in column order (stable sort)
    key = np.asarray(-rem, dtype=object)
    order = np.argsort(key, axis=1, kind="stable")
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(a.shape[1])[None, :].repeat(a.shape[0], axis=0), axis=1)
    out: NDArray[np.int64] = np.asarray(base, dtype=np.int64) + (rank < missing).astype(np.int64)
    return out


def as_fraction_rows(values: NDArray[np.object_]) -> tuple[NDArray[np.object_], NDArray[np.object_]]:
    """Exact Fractions ``(M, A)`` -> integer numerators over one denominator per row, and the denominators ``(M,)``."""
    v = np.asarray(values, dtype=object)
    dens = np.frompyfunc(lambda x: Fraction(x).denominator, 1, 1)(v)
    lcm = np.lcm.reduce(dens.astype(object), axis=1) if v.shape[1] else np.ones(v.shape[0], dtype=object)
    nums = np.frompyfunc(lambda x, d: (Fraction(x) * d).numerator, 2, 1)(v, lcm[:, None])
    return np.asarray(nums, dtype=object), np.asarray(lcm, dtype=object)
