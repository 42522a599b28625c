"""The division method (除算方式) and decimal-exact rounding of points.

Published evaluation values are computed in decimal and truncated (切り捨て) or rounded half up
(四捨五入) at a stated decimal; in binary floating point ``0.29 * 100`` is ``28.999999999999996``
and a naive ``floor`` gives the wrong digit.  These kernels read their inputs as the decimals they
stand for and do the division and the rounding in exact integer arithmetic.
"""

from __future__ import annotations

from typing import Any, Literal, get_args

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..._numeric._checks import as_fraction, decimal_numerators, nonnegative_reals, whole_number, yen_array
from ...errors import ValidationError

__all__ = ["ROUNDING_MODES", "RoundingMode", "division_qualify", "division_reference", "division_values",
           "round_points"]

RoundingMode = Literal["truncate", "half_up", "ceil"]
ROUNDING_MODES: tuple[RoundingMode, ...] = get_args(RoundingMode)


def _quantize(num: NDArray[Any], den: NDArray[Any] | int, decimals: int, mode: RoundingMode) -> NDArray[np.float64]:
    """``num/den`` (non-negative Python-int object arrays) rounded to ``decimals`` decimals, as floats."""
    scale = 10**decimals
    top = num * scale
    if mode == "truncate":
        q = top // den
    elif mode == "half_up":
        q = (2 * top + den) // (2 * den)
    else:  # ceil
        q = -((-top) // den)
    q = np.asarray(q, dtype=object)
    # the nearest float to the decimal q / 10**decimals
    return np.asarray(q, dtype=np.float64) / float(scale) if decimals else np.asarray(q, dtype=np.float64)


def round_points(values: ArrayLike, decimals: int, *, mode: RoundingMode = "half_up") -> NDArray[np.float64]:
    """Round points at a decimal the way tender documents state it, exactly.

    Each value is read as the decimal it stands for (up to 9 decimals; values with more, such as
    means of judges' scores, are first rounded to 9 decimals), then truncated (``"truncate"``,
    切り捨て), rounded half up (``"half_up"``, 四捨五入) or rounded up (``"ceil"``, 切り上げ) at
    ``decimals`` decimals in exact integer arithmetic.  So ``0.3`` truncated to 1 decimal stays
    ``0.3`` and ``2.675`` rounded half up to 2 decimals is ``2.68``.

    Parameters
    ----------
    values
        Points, any shape, finite and >= 0. [points]
    decimals
        Decimals to keep (「小数点以下第4位止め」 is 4; 「小数点第2位を四捨五入」 is 1). [decimals]
    mode
        One of :data:`ROUNDING_MODES`.

    Returns
    -------
    numpy.ndarray of float64
        The rounded points (the float nearest to each rounded decimal). [points]
    """
    if mode not in ROUNDING_MODES:
        raise ValidationError(f"mode must be one of {ROUNDING_MODES}, got {mode!r}")
    d = whole_number(decimals, "decimals", low=0, high=12, unit="decimals")
    x = nonnegative_reals(values, "values", unit="points")
    n, k = decimal_numerators(x)
    return _quantize(n, 10**k, d, mode).reshape(x.shape)


def division_values(points: ArrayLike, bids: ArrayLike, *, scale: Any = 1.0,
                    truncate_decimals: int | None = None) -> NDArray[np.float64]:
    r"""Evaluation values of the division method (除算方式): technical points per yen.

    :math:`v = (\text{標準点} + \text{加算点}) / b \times s`, where ``points`` holds the sum of the
    base points (標準点, given to every proposal that meets the requirements, typically 100) and
    the added technical points (加算点, and 施工体制評価点 where used), :math:`b` the bid and
    :math:`s` the display ``scale``.  The highest value wins among valid bids (see
    :func:`division_qualify`).  Published results multiply by :math:`10^8` and truncate to four
    decimals (``scale=100_000_000, truncate_decimals=4``).  The truncation is exact: points are
    read as the decimals they stand for and the division is done in integers.

    Parameters
    ----------
    points
        Base plus added technical points, shape ``(..., P)``. [points]
    bids
        Bid amounts, shape ``(..., P)``, integers >= 1. [yen]
    scale
        Display scale, e.g. ``100_000_000``. [1]
    truncate_decimals
        Truncate (never round) the scaled value to this many decimals; ``None`` keeps the
        unrounded float value. [decimals]

    Returns
    -------
    numpy.ndarray of float64, shape ``(..., P)``
        Evaluation values (評価値). [points/yen × scale]

    References
    ----------
    .. [1] 国土交通省, 「公共工事における総合評価方式活用ガイドライン」 (除算方式: 評価値 = 技術評価点 /
       入札価格, 技術評価点 = 標準点 + 加算点; 基準評価値 = 標準点 / 予定価格).
    .. [2] 総合評価の方法 (標準点、施工体制評価点及び加算点の合計を入札価格で除して得た数値),
       https://lawinsider.com/ja/clause/総合評価の方法
    """
    p = nonnegative_reals(points, "points", unit="points")
    b = yen_array(bids, "bids", minimum=1)
    try:
        p, b = np.broadcast_arrays(p, b)
    except ValueError:
        raise ValidationError(f"points {p.shape} and bids {b.shape} do not broadcast") from None
    s = as_fraction(scale, "scale")
    if s <= 0:
        raise ValidationError(f"scale must be > 0 [1], got {scale!r}")
    if truncate_decimals is None:
        return p * float(s) / b.astype(np.float64)
    d = whole_number(truncate_decimals, "truncate_decimals", low=0, high=12, unit="decimals")
    n, k = decimal_numerators(p)
    num = n * s.numerator
    den = b.astype(object) * (10**k * s.denominator)
    return _quantize(num, den, d, "truncate").reshape(p.shape)


def division_reference(base: ArrayLike, ceiling: ArrayLike, *, scale: Any = 1.0,
                       truncate_decimals: int | None = None) -> NDArray[np.float64]:
    r"""The reference value (基準評価値) of the division method: base points over the ceiling price.

    :math:`v_0 = \text{標準点} / L \times s`, scaled and truncated like :func:`division_values`.

    Parameters
    ----------
    base
        Base points (標準点), shape ``(...)``. [points]
    ceiling
        Ceiling price (予定価格), shape ``(...)``. [yen]
    scale
        Display scale. [1]
    truncate_decimals
        Truncate to this many decimals. [decimals]

    Returns
    -------
    numpy.ndarray of float64, shape ``(...)``
        The reference value. [points/yen × scale]
    """
    return division_values(base, ceiling, scale=scale, truncate_decimals=truncate_decimals)


def division_qualify(points: ArrayLike, bids: ArrayLike, *, base: ArrayLike,
                     ceiling: ArrayLike) -> NDArray[np.bool_]:
    r"""Which bids are valid under the division method.

    A bid is valid when it is at or under the ceiling and its evaluation value is at or above the
    reference value: :math:`b \le L` and :math:`(\text{標準点}+\text{加算点})/b \ge \text{標準点}/L`.
    The comparison is exact (cross-multiplied in integers), independent of any display scaling.

    Parameters
    ----------
    points
        Base plus added technical points, shape ``(..., P)``. [points]
    bids
        Bid amounts, shape ``(..., P)``. [yen]
    base
        Base points (標準点), shape ``(...)``. [points]
    ceiling
        Ceiling price, shape ``(...)``. [yen]

    Returns
    -------
    numpy.ndarray of bool, shape ``(..., P)``

    References
    ----------
    .. [1] 国土交通省, 「公共工事における総合評価方式活用ガイドライン」.
    """
    p = nonnegative_reals(points, "points", unit="points")
    b = yen_array(bids, "bids", minimum=1)
    base_a = nonnegative_reals(base, "base", unit="points")
    L = yen_array(ceiling, "ceiling", minimum=1)
    try:
        base_b = np.broadcast_to(base_a[..., None] if base_a.ndim else base_a, np.broadcast_shapes(p.shape, b.shape))
        L_b = np.broadcast_to(L[..., None] if L.ndim else L, base_b.shape)
        p, b = np.broadcast_arrays(p, b)
    except ValueError:
        raise ValidationError(
            f"shapes do not broadcast: points {p.shape}, bids {b.shape}, base {base_a.shape}, ceiling {L.shape}"
        ) from None
    both = np.concatenate([p.ravel(), np.asarray(base_b, dtype=np.float64).ravel()])
    n, _ = decimal_numerators(both)
    n_p = n[: p.size].reshape(p.shape)
    n_b = n[p.size:].reshape(p.shape)
    value_ok = n_p * L_b.astype(object) >= n_b * b.astype(object)
    return np.asarray(value_ok, dtype=bool) & (b <= L_b)
