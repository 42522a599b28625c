"""Pure numpy kernels for the money and scores of service-level monitoring: error budgets, fee
reductions, service credits and the continue-or-switch scores.

Part of :mod:`jichitai_cloud.operations._kernels` (re-exported there, the ``kernels`` namespace).
Money is integer yen (int64); every division that yields yen or minutes floors, and does so exactly
in integer arithmetic (no float ever touches an amount).

References
----------
.. [1] 総務省, 地方公共団体における情報システムの非機能要件の標準: 稼働率, 許容停止時間.
.. [2] 経済産業省 (2008), SaaS向けSLAガイドライン; 総務省 (2010), 地方公共団体における ASP・SaaS
   導入活用ガイドライン: 減額, サービスクレジット.
"""

from __future__ import annotations

from typing import Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..._numeric._checks import finite_reals, nonnegative_integers, nonnegative_reals
from ..._numeric._dask import any_dask, map_batch
from ...errors import ValidationError

__all__ = ["error_budget", "fee_reduction", "service_credit", "weighted_scores"]

_SAFE_DEN: Final = 3_000_000_000  # r * (den - num) < den**2 must fit in int64


def error_budget(
    scheduled: ArrayLike, target_num: ArrayLike, target_den: ArrayLike,
) -> NDArray[np.int64]:
    """Allowed downtime (許容停止時間) = floor(scheduled x (1 - target)), exactly.

    Any of ``scheduled``, ``target_num``, ``target_den`` may be a dask array (the ``scale`` extra):
    the result is then lazy dask arrays, equal to the numpy result, mapped over the blocks of the
    first axis (scenarios or members; the other axes are taken whole).  Errors in a block are raised
    when it is computed.

    Parameters
    ----------
    scheduled
        Scheduled service minutes per window. [minutes]
    target_num, target_den
        Availability target as an exact fraction of 1 (99.5 % = 995 / 1000), broadcast with
        ``scheduled``; ``0 <= num <= den``, ``0 < den < 3e9``. [1]

    Returns
    -------
    numpy.ndarray of int64
        Allowed downtime minutes: availability meets the target iff downtime <= this. [minutes]
    """
    if any_dask(scheduled, target_num, target_den):
        return map_batch(error_budget, {"scheduled": scheduled, "target_num": target_num,
                                        "target_den": target_den},
                         data=("scheduled", "target_num", "target_den"), table=False)
    return _floor_share(nonnegative_integers(scheduled, "scheduled", unit="minutes"), target_num, target_den, "target")


def _floor_share(amount: NDArray[np.int64], num: ArrayLike, den: ArrayLike, what: str) -> NDArray[np.int64]:
    """floor(amount * (den - num) / den) without overflow (den < 3e9)."""
    n = nonnegative_integers(num, f"{what}_num", unit="1")
    d = nonnegative_integers(den, f"{what}_den", unit="1")
    a, n, d = np.broadcast_arrays(amount, n, d)
    if np.any(d <= 0) or np.any(d >= _SAFE_DEN) or np.any(n > d):
        raise ValidationError(f"{what} must be a fraction num/den with 0 <= num <= den and 0 < den < 3e9")
    q, r = np.divmod(a, d)
    rest = d - n
    out: NDArray[np.int64] = (q * rest + (r * rest) // d).astype(np.int64)
    return out


# -- money ---------------------------------------------------------------------------------------
def fee_reduction(fee: ArrayLike, achieved: ArrayLike, possible: ArrayLike) -> NDArray[np.int64]:
    """Fee reduction by achievement level (SLA達成率に応じた減額), floored to the yen.

    ``reduction = floor(fee x (100 - achievement %) / 100)`` with
    ``achievement % = 100 x achieved / possible``, i.e. ``floor(fee x (possible - achieved) / possible)``
    computed exactly in integers.  Nothing is reduced where ``possible == 0`` (nothing evaluated).

    Any of ``fee``, ``achieved``, ``possible`` may be a dask array (the ``scale`` extra): the result
    is then lazy dask arrays, equal to the numpy result, mapped over the blocks of the first axis
    (scenarios or members; the other axes are taken whole).  Errors in a block are raised when it is
    computed.

    Parameters
    ----------
    fee
        Fee the reduction applies to (e.g. the annual fee 年間利用料), int, broadcast. [yen]
    achieved, possible
        Achievement as an exact fraction (from :func:`achievement`), ``0 <= achieved <= possible < 3e9``. [points]

    Returns
    -------
    numpy.ndarray of int64
        Reduction, ``0 <= reduction <= fee``. [yen]

    References
    ----------
    .. [1] 経済産業省 (2008), SaaS向けSLAガイドライン, 4.2 (SLA未達時の利用料減額).
    """
    if any_dask(fee, achieved, possible):
        return map_batch(fee_reduction, {"fee": fee, "achieved": achieved, "possible": possible},
                         data=("fee", "achieved", "possible"), table=False)
    f = nonnegative_integers(fee, "fee", unit="yen")
    a = nonnegative_integers(achieved, "achieved", unit="points")
    p = nonnegative_integers(possible, "possible", unit="points")
    f, a, p = np.broadcast_arrays(f, a, p)
    if np.any(a > p):
        raise ValidationError("achieved points cannot exceed possible points")
    none = p == 0
    return np.where(none, 0, _floor_share(f, np.where(none, 1, a), np.where(none, 1, p), "achievement"))


def service_credit(
    value: ArrayLike, thresholds: ArrayLike, credit_bp: ArrayLike, fee: ArrayLike,
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Service credit (サービスクレジット) by availability band, floored to the yen.

    Band ``j`` holds values in ``[thresholds[j-1], thresholds[j])``; band 0 is below
    ``thresholds[0]``, band ``B`` at or above ``thresholds[-1]``.  The credit is
    ``floor(fee x credit_bp[band] / 10000)``.

    Any of ``value``, ``fee`` may be a dask array (the ``scale`` extra): the result is then lazy
    dask arrays, equal to the numpy result, mapped over the blocks of the first axis (scenarios or
    members; the other axes are taken whole).  Errors in a block are raised when it is computed.

    Parameters
    ----------
    value
        Measured availability, any shape (same unit as ``thresholds``). [% or 1]
    thresholds
        Band boundaries, shape ``(B,)``, strictly increasing. [% or 1]
    credit_bp
        Credit of each band in basis points of the fee (1 % = 100 bp), int ``(B + 1,)``,
        non-increasing (more availability never earns a larger credit), each 0..10000. [bp]
    fee
        Fee the credit is taken from (e.g. the monthly fee), int, broadcast with ``value``. [yen]

    Returns
    -------
    band : numpy.ndarray of int64
        Band of each value (0 .. B).
    credit : numpy.ndarray of int64
        Credit. [yen]

    References
    ----------
    .. [1] 経済産業省 (2008), SaaS向けSLAガイドライン: 稼働率に応じたサービスクレジット.
    """
    if any_dask(value, thresholds, credit_bp, fee):
        return map_batch(service_credit, {"value": value, "thresholds": thresholds, "credit_bp": credit_bp,
                                          "fee": fee},
                         data=("value", "fee"), table=False)
    v = np.asarray(value, dtype=np.float64)
    finite_reals(v, "value")
    th = np.asarray(thresholds, dtype=np.float64)
    finite_reals(th, "thresholds")
    bp = nonnegative_integers(credit_bp, "credit_bp", unit="bp")
    if th.ndim != 1 or bp.shape != (th.size + 1,):
        raise ValidationError(f"credit_bp must have one more entry than thresholds ({th.size + 1}), got {bp.shape}")
    if np.any(np.diff(th) <= 0):
        raise ValidationError("thresholds must be strictly increasing")
    if np.any(np.diff(bp) > 0) or np.any(bp > 10_000):
        raise ValidationError("credit_bp must be 0..10000 and never rise with availability")
    f = nonnegative_integers(fee, "fee", unit="yen")
    band = np.searchsorted(th, v, side="right").astype(np.int64)
    rate = bp[band]
    f, rate = np.broadcast_arrays(f, rate)
    return band, _floor_share(f, 10_000 - rate, np.full(rate.shape, 10_000), "credit")


# -- continue-or-switch --------------------------------------------------------------------------
def weighted_scores(
    values: ArrayLike, worst: ArrayLike, best: ArrayLike, weights: ArrayLike,
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Linear criterion scores and their weighted total (加重評価).

    Each criterion scores ``(value - worst) / (best - worst)``, limited to ``[0, 1]`` (a value at
    or beyond ``best`` scores 1, at or beyond ``worst`` 0); ``best < worst`` expresses "lower is
    better".  The criterion earns ``score x weight`` points.

    Parameters
    ----------
    values
        Measured value of each criterion, shape ``(..., C)`` (leading axes: scenarios). [criterion unit]
    worst, best
        Values scoring 0 and 1, shape ``(C,)``, ``worst != best``. [criterion unit]
    weights
        Points of each criterion, shape ``(C,)``, >= 0. [points]

    Any of ``values`` may be a dask array (the ``scale`` extra): the result is then lazy dask
    arrays, equal to the numpy result, mapped over the blocks of the first axis (scenarios or
    members; the other axes are taken whole).  Errors in a block are raised when it is computed.

    Returns
    -------
    score : numpy.ndarray, shape ``(..., C)`` [1]
    points : numpy.ndarray, shape ``(..., C)`` [points]
    total : numpy.ndarray, shape ``(...)`` [points]

    References
    ----------
    .. [1] 総務省, 地方公共団体における総合評価一般競争入札 (加算方式): 評価項目ごとの得点の加重和.
    """
    if any_dask(values, worst, best, weights):
        return map_batch(weighted_scores, {"values": values, "worst": worst, "best": best, "weights": weights},
                         data=("values",), table=False, min_ndim=2)
    v = np.asarray(values, dtype=np.float64)
    lo = np.asarray(worst, dtype=np.float64)
    hi = np.asarray(best, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    for name, a in (("values", v), ("worst", lo), ("best", hi), ("weights", w)):
        finite_reals(a, name)
    if v.ndim < 1 or not (lo.shape == hi.shape == w.shape == (v.shape[-1],)):
        raise ValidationError(f"worst, best and weights must have shape (C,) for values of shape {v.shape}")
    if np.any(lo == hi):
        raise ValidationError("worst and best must differ for every criterion")
    nonnegative_reals(w, "weights", unit="points")
    score = np.clip((v - lo) / (hi - lo), 0.0, 1.0)
    points = score * w
    return score, points, points.sum(axis=-1)
