"""Price points (価格点), bid qualification and the low-bid investigation threshold (低入札価格調査基準価格).

Kernels over arrays of bids of shape ``(..., P)`` in integer yen: the last axis holds the ``P``
proposals of one procurement, leading axes are scenarios.  Ceilings, thresholds and point maxima
have shape ``(...)`` (or are scalars) and broadcast against the leading axes.

The formulas, where each is used, and their sources are given in each function's docstring and in
``docs/evaluation.md``.
"""

from __future__ import annotations

import enum
from fractions import Fraction
from typing import Any, Literal, get_args

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..._numeric._checks import floor_mul_fraction, nonnegative_reals, ratio, whole_number, yen_array
from ...errors import ValidationError

__all__ = [
    "PRICE_METHODS",
    "BidStatus",
    "PriceMethod",
    "floating_threshold",
    "investigation_threshold",
    "lottery",
    "price_points",
    "qualify",
]

PriceMethod = Literal["ceiling_ratio", "lowest_ratio", "piecewise", "v_shape", "floor"]
PRICE_METHODS: tuple[PriceMethod, ...] = get_args(PriceMethod)


class BidStatus(enum.IntEnum):
    """What :func:`qualify` says of a bid (the integer codes of its result)."""

    VALID = 0
    """At or under the ceiling, at or above the minimum price and the investigation threshold."""
    OVER_CEILING = 1
    """Over the ceiling price (予定価格超過): disqualified."""
    UNDER_MINIMUM = 2
    """Under the minimum price (最低制限価格未満): disqualified."""
    UNDER_INVESTIGATION = 3
    """Under the low-bid investigation threshold (調査基準価格未満): valid but flagged for investigation."""


def _leading(value: ArrayLike | None, name: str, lead: tuple[int, ...], *, yen: bool) -> NDArray[Any]:
    if value is None:
        raise ValidationError(f"{name} is required for this method")
    arr = yen_array(value, name, minimum=1) if yen else nonnegative_reals(value, name, unit="points")
    try:
        return np.broadcast_to(arr, lead)[..., None]
    except ValueError:
        raise ValidationError(
            f"{name} of shape {arr.shape} does not broadcast against the bids' leading shape {lead}"
        ) from None


def qualify(bids: ArrayLike, *, ceiling: ArrayLike, minimum: ArrayLike | None = None,
            investigation: ArrayLike | None = None) -> NDArray[np.int8]:
    """Say for each bid whether it is valid, disqualified or flagged.

    Parameters
    ----------
    bids
        Bid amounts, shape ``(..., P)``. [yen]
    ceiling
        Ceiling price (予定価格), shape ``(...)``; a bid above it is disqualified. [yen]
    minimum
        Minimum price (最低制限価格), shape ``(...)``; a bid below it is disqualified. [yen]
    investigation
        Low-bid investigation threshold (低入札価格調査基準価格), shape ``(...)``; a bid below it
        stays valid but is flagged for investigation. [yen]

    Returns
    -------
    numpy.ndarray of int8, shape ``(..., P)``
        :class:`BidStatus` codes.  Over the ceiling takes precedence over under the minimum,
        which takes precedence over under the investigation threshold.  A bid *equal* to the
        ceiling, minimum or threshold is valid (only exceeding the ceiling or falling short of
        the others counts).

    References
    ----------
    地方自治法施行令 第167条の10 (最低制限価格, 低入札価格調査) and 第167条の10の2 (総合評価).
    """
    b = yen_array(bids, "bids", minimum=1)
    if b.ndim == 0:
        raise ValidationError("bids must have a last axis of proposals, got a scalar")
    lead = b.shape[:-1]
    status = np.zeros(b.shape, dtype=np.int8)
    if investigation is not None:
        t = _leading(investigation, "investigation", lead, yen=True)
        status[b < t] = BidStatus.UNDER_INVESTIGATION
    if minimum is not None:
        m = _leading(minimum, "minimum", lead, yen=True)
        status[b < m] = BidStatus.UNDER_MINIMUM
    c = _leading(ceiling, "ceiling", lead, yen=True)
    status[b > c] = BidStatus.OVER_CEILING
    return status


def price_points(bids: ArrayLike, *, max_points: ArrayLike, ceiling: ArrayLike | None = None,
                 method: PriceMethod = "ceiling_ratio", valid: ArrayLike | None = None,
                 threshold: ArrayLike | None = None, below_slope: float = 0.5,
                 peak_share: float = 0.8, floor_share: float = 0.75) -> NDArray[np.float64]:
    r"""Price points (価格点) of bids by one of the formulas Japanese public buyers publish.

    With :math:`b` the bid, :math:`L` the ceiling price (予定価格), :math:`M` the price points
    allotted (``max_points``):

    ``"ceiling_ratio"`` — the standard of the additive method (加算方式):
        :math:`M (1 - b / L)`.  Used by the national government's and most prefectures'
        comprehensive-evaluation tenders (総合評価落札方式, 加算方式); a bid at the ceiling
        scores 0.
    ``"lowest_ratio"`` — relative to the lowest valid bid:
        :math:`M \, b_{min} / b`.  Common in proposal competitions (公募型プロポーザル), where the
        lowest valid proposal gets full marks.  ``ceiling`` is optional here.
    ``"piecewise"`` — around the investigation threshold :math:`T` (``threshold``):
        :math:`M (1 - b/L)` for :math:`b \ge T`, and
        :math:`M \{(1 - T/L) + s (T - b)/L\}` below it, with :math:`s` = ``below_slope``
        (0.5 in the published form): below the threshold each yen less earns only half the
        points, which blunts dumping.  Used in construction and consulting tenders of local
        governments.
    ``"v_shape"`` — peaking at a share :math:`r` of the ceiling (``peak_share``):
        :math:`M (1 - |b/L - r|)`.  Points rise as the bid falls to :math:`rL` and fall again
        below it (ダンピング防止); with :math:`r = 0.8` a bid at the ceiling scores
        :math:`0.8 M`.  Published as 「予定価格の80%を下回る見積価格については、逆に安価となるほど
        点が低くなる」 (価格評価点 = (予定価格−見積価格)/予定価格×100+80 above 80 %,
        120−(予定価格−見積価格)/予定価格×100 below).
    ``"floor"`` — bids under a share :math:`f` of the ceiling (``floor_share``) are scored as
        if they were :math:`fL`: :math:`M (1 - \max(b, fL)/L)`.  Published as 「入札価格が予定価格の
        75%を下回っている場合には、一律、予定価格の75%の入札価格であったとして価格点を算出」.

    Parameters
    ----------
    bids
        Bid amounts, shape ``(..., P)``, integers >= 1. [yen]
    max_points
        Points allotted to price, scalar or shape ``(...)``. [points]
    ceiling
        Ceiling price (予定価格), scalar or shape ``(...)``; required except for
        ``"lowest_ratio"``. [yen]
    method
        One of :data:`PRICE_METHODS`.
    valid
        Which bids are valid, shape ``(..., P)``.  Default: bids at or under the ceiling (all
        bids if no ceiling is given).  Invalid bids score 0 and are not the "lowest valid bid";
        use :func:`qualify` to tell them apart from bids that score 0 on merit.
    threshold
        Investigation threshold for ``"piecewise"``, scalar or shape ``(...)``. [yen]
    below_slope
        Slope below the threshold relative to the slope above it (``"piecewise"``). [1]
    peak_share
        Share of the ceiling at which ``"v_shape"`` peaks. [1]
    floor_share
        Share of the ceiling under which ``"floor"`` stops rewarding lower bids. [1]

    Returns
    -------
    numpy.ndarray of float64, shape ``(..., P)``
        Price points, unrounded (round them with :func:`round_points` as the tender documents
        say). [points]

    Raises
    ------
    ValidationError
        If a bid is not a whole number of yen >= 1, a parameter is missing or out of range, or
        shapes do not broadcast.

    References
    ----------
    .. [1] 国土交通省, 「工事に関する入札に係る総合評価落札方式の性能等の評価方法について」
       (加算方式: 価格評価点 = 価格評価点の満点 × (1 − 入札価格/予定価格)).
    .. [2] Price-evaluation rules of local tenders, e.g. 「評価点の算出式」 (低入札価格調査基準額を
       下回る場合 (1 − 調査基準額/予定価格) + 0.5 × (調査基準額 − 入札価格)/予定価格),
       https://expydoc.com/doc/9675465/
    .. [3] 価格評価 sample clauses (80 % V shape; 75 % floor; lowest-price ratio),
       https://lawinsider.com/ja/clause/価格評価
    .. [4] 西日本高速道路株式会社, 「調査等業務における総合評価落札方式の見直しについて」,
       平成25年1月9日 (価格評価点が契約制限価格の75%でピークとなりそれ以下では低減).
    """
    if method not in PRICE_METHODS:
        raise ValidationError(f"method must be one of {PRICE_METHODS}, got {method!r}")
    b = yen_array(bids, "bids", minimum=1)
    if b.ndim == 0:
        raise ValidationError("bids must have a last axis of proposals, got a scalar")
    lead = b.shape[:-1]
    m = _leading(max_points, "max_points", lead, yen=False)
    L = None if ceiling is None else _leading(ceiling, "ceiling", lead, yen=True)
    if valid is None:
        ok = np.ones(b.shape, dtype=bool) if L is None else (b <= L)
    else:
        ok = np.asarray(valid)
        if ok.dtype != np.bool_:
            raise ValidationError(f"valid must be a boolean mask, got an array of {ok.dtype}")
        try:
            ok = np.broadcast_to(ok, b.shape)
        except ValueError:
            raise ValidationError(f"valid of shape {ok.shape} does not match bids of shape {b.shape}") from None
    bf = b.astype(np.float64)
    if method == "lowest_ratio":
        lowest = np.where(ok, b, np.iinfo(np.int64).max).min(axis=-1, keepdims=True).astype(np.float64)
        pts = m * lowest / bf
    else:
        if L is None:
            raise ValidationError(f"ceiling is required for method {method!r}")
        Lf = L.astype(np.float64)
        if method == "ceiling_ratio":
            pts = m * (1.0 - bf / Lf)
        elif method == "piecewise":
            T = _leading(threshold, "threshold", lead, yen=True).astype(np.float64)
            s = float(ratio(below_slope, "below_slope", high=None))
            above = m * (1.0 - bf / Lf)
            below = m * ((1.0 - T / Lf) + s * (T - bf) / Lf)
            pts = np.where(bf >= T, above, below)
        elif method == "v_shape":
            r = float(ratio(peak_share, "peak_share", low_exclusive=True))
            pts = m * (1.0 - np.abs(bf / Lf - r))
        else:  # floor
            f = float(ratio(floor_share, "floor_share"))
            pts = m * (1.0 - np.maximum(bf / Lf, f))
    return np.where(ok, pts, 0.0)


def investigation_threshold(ceiling: ArrayLike, *, ratio: Any = None, costs: ArrayLike | None = None,
                            coefficients: ArrayLike | None = None, bounds: tuple[Any, Any] | None = None,
                            unit: int = 1) -> NDArray[np.int64]:
    r"""The low-bid investigation threshold (低入札価格調査基準価格) in one of its fixed-ratio forms.

    Ratio form (``ratio`` given): :math:`\lfloor L \cdot r \rfloor` — e.g. 予定価格 × 10分の6 for
    the national government's goods and services contracts (予算決算及び会計令 第85条 の基準).

    Cost-component form (``costs`` and ``coefficients`` given): each cost element of the ceiling
    estimate times its coefficient, each product truncated to the yen, summed, then clamped into
    ``bounds`` × ceiling — the 中央公共工事契約制度運用連絡協議会モデル (公契連モデル) for public
    works: 直接工事費 × 0.97 + 共通仮設費 × 0.90 + 現場管理費 × 0.90 + 一般管理費等 × 0.68, within
    75 %–92 % of the ceiling (令和4年 revision).

    Either way the result is finally truncated to a multiple of ``unit`` yen (many buyers
    truncate to 1,000 or 10,000 yen).  All arithmetic is exact integer arithmetic: ratios are
    read as the decimals they are written as.

    Parameters
    ----------
    ceiling
        Ceiling price (予定価格), shape ``(...)``. [yen]
    ratio
        Fixed ratio of the ceiling (ratio form), e.g. ``0.6`` or ``"6/10"``. [1]
    costs
        Cost elements of the ceiling estimate, shape ``(..., K)`` (component form). [yen]
    coefficients
        One coefficient per cost element, shape ``(K,)`` (component form). [1]
    bounds
        ``(low, high)`` shares of the ceiling the component-form result is clamped into, e.g.
        ``(0.75, 0.92)``. [1]
    unit
        Truncate the result to a multiple of this many yen. [yen]

    Returns
    -------
    numpy.ndarray of int64, shape ``(...)``
        The threshold. [yen]

    References
    ----------
    .. [1] 中央公共工事契約制度運用連絡協議会, 「工事請負契約に係る低入札価格調査基準 中央公共工事契約制度
       運用連絡協議会モデル」 (令和4年4月改正); as published by municipalities, e.g.
       http://61.205.69.38/keiyakukensa/shise/nyusatsu/kensetsukoji/teinyuu.html
    .. [2] 予算決算及び会計令 第85条; 地方自治法施行令 第167条の10.
    """
    L = yen_array(ceiling, "ceiling", minimum=1)
    unit = whole_number(unit, "unit", unit="yen")
    if ratio is not None:
        if costs is not None or coefficients is not None:
            raise ValidationError("give either ratio or costs and coefficients, not both")
        t = floor_mul_fraction(L, _ratio_arg(ratio, "ratio"))
    else:
        if costs is None or coefficients is None:
            raise ValidationError("give ratio, or costs and coefficients")
        c = yen_array(costs, "costs", minimum=0)
        coef = np.asarray(coefficients)
        if coef.ndim != 1 or c.ndim == 0 or c.shape[-1] != coef.shape[0]:
            raise ValidationError(
                f"coefficients must have one entry per cost element: costs {c.shape}, coefficients {coef.shape}"
            )
        fracs = [_ratio_arg(x, f"coefficients[{i}]", high=None) for i, x in enumerate(coef.tolist())]
        den = 1
        for f in fracs:
            den = den * f.denominator // np.gcd(den, f.denominator)
        nums = np.array([f.numerator * (den // f.denominator) for f in fracs], dtype=object)
        terms = (c.astype(object) * nums) // den  # each element truncated to the yen
        t = np.asarray(terms.sum(axis=-1), dtype=np.int64)
        try:
            t = np.broadcast_to(t, np.broadcast_shapes(t.shape, L.shape)).copy()
        except ValueError:
            raise ValidationError(f"costs {c.shape} do not broadcast against ceiling {L.shape}") from None
        if bounds is not None:
            lo = floor_mul_fraction(L, _ratio_arg(bounds[0], "bounds[0]"))
            hi = floor_mul_fraction(L, _ratio_arg(bounds[1], "bounds[1]"))
            if np.any(lo > hi):
                raise ValidationError(f"bounds must be (low, high) with low <= high, got {bounds!r}")
            t = np.clip(t, lo, hi)
    return np.asarray((t // unit) * unit, dtype=np.int64)


def _ratio_arg(value: Any, name: str, high: float | None = 1.0) -> Fraction:
    return ratio(value, name, high=high)


def floating_threshold(bids: ArrayLike, *, factor: Any, ceiling: ArrayLike | None = None,
                       valid: ArrayLike | None = None, count_share: Any = None,
                       full_average_below: int = 0, unit: int = 1) -> NDArray[np.int64]:
    r"""The floating (変動型) threshold: the average of the valid bids times a factor.

    :math:`T = \lfloor \lfloor \bar b \rfloor \times k \rfloor`, truncated to ``unit`` yen, where
    :math:`\bar b` is the average of the valid bids (at or under the ceiling) and :math:`k` the
    ``factor`` (e.g. 0.9 for works, 0.8 for services).  With ``count_share`` :math:`s` only the
    lowest :math:`\lceil n s \rceil` valid bids are averaged, bids tied with the last of them
    included (the 算定数 rule); with fewer than ``full_average_below`` valid bids all are
    averaged.  Used by municipalities as a floating minimum price (変動型最低制限価格) or
    investigation threshold.

    Parameters
    ----------
    bids
        Bid amounts, shape ``(..., P)``. [yen]
    factor
        Multiplier of the average, e.g. ``0.9``. [1]
    ceiling
        Ceiling price, shape ``(...)``; bids above it are not averaged. [yen]
    valid
        Mask of bids to average, shape ``(..., P)``, combined with the ceiling test.
    count_share
        Share of the valid bids (lowest first) to average, e.g. ``0.6``. [1]
    full_average_below
        Average every valid bid when there are fewer than this many. [bids]
    unit
        Truncate the result to a multiple of this many yen. [yen]

    Returns
    -------
    numpy.ndarray of int64, shape ``(...)``
        The threshold; 0 where no bid is valid (nothing to compare against). [yen]

    References
    ----------
    .. [1] 「変動型最低制限価格の算出例」 (算定数 = 入札者数 × 6/10 切上げ, 同額は算入; 平均額 × 9/10,
       1円未満切捨て), https://paperzz.com/doc/6673494/
    """
    b = yen_array(bids, "bids", minimum=1)
    if b.ndim == 0:
        raise ValidationError("bids must have a last axis of proposals, got a scalar")
    k = ratio(factor, "factor", high=None)
    unit = whole_number(unit, "unit", unit="yen")
    ok = np.ones(b.shape, dtype=bool) if valid is None else np.broadcast_to(np.asarray(valid, dtype=bool), b.shape)
    if ceiling is not None:
        ok = ok & (b <= _leading(ceiling, "ceiling", b.shape[:-1], yen=True))
    n = ok.sum(axis=-1)
    if count_share is not None:
        s = ratio(count_share, "count_share", low_exclusive=True)
        count = -((-n * s.numerator) // s.denominator)  # ceil(n * s), exact
        if full_average_below:
            count = np.where(n < full_average_below, n, count)
        big = np.iinfo(np.int64).max
        srt = np.sort(np.where(ok, b, big), axis=-1)
        cut_idx = np.clip(count - 1, 0, b.shape[-1] - 1)[..., None]
        cutoff = np.take_along_axis(srt, cut_idx, axis=-1)
        ok = ok & (b <= cutoff)
        n = ok.sum(axis=-1)
    total = np.where(ok, b, 0).sum(axis=-1)
    avg = np.where(n > 0, total // np.maximum(n, 1), 0)
    t = floor_mul_fraction(np.asarray(avg, dtype=np.int64), k)
    return np.asarray((t // unit) * unit, dtype=np.int64)


def lottery(numbers: ArrayLike, *, offsets: ArrayLike | None = None, modulus: int = 1000) -> NDArray[np.int64]:
    r"""The electronic lottery (電子くじ) among tied bidders: sum of their numbers modulo their count.

    Tied bidders are numbered 0, 1, 2, … in the order the procurement's rules fix (usually the
    order their bids arrived).  Each bidder's lottery number is its chosen number (入力くじ番号)
    plus an offset the system adds (a random number or the milliseconds of the bid's arrival),
    keeping the last three digits; the winner is the bidder whose position equals the sum of the
    lottery numbers modulo the number of tied bidders, and the next position (cyclically) is the
    second candidate.  The library never draws lots itself: it reproduces this published
    procedure so the secretariat can check it.

    Parameters
    ----------
    numbers
        Chosen numbers of the tied bidders in their fixed order, shape ``(..., n)``, integers >= 0.
    offsets
        Numbers the system added, same shape (default none).
    modulus
        Lottery numbers keep their value modulo this (1000: the last three digits).

    Returns
    -------
    numpy.ndarray of int64, shape ``(...)``
        Position (0-based) of the winner among the tied bidders.

    Examples
    --------
    The example published by 芦屋市 (four tied bidders, lottery numbers 755, 242, 482, 176):

    >>> int(lottery([755, 242, 482, 176]))
    3

    References
    ----------
    .. [1] 徳島県, 「電子くじの仕様」, https://e-denshinyusatsu.pref.tokushima.lg.jp/e-nyusatsu/kuji
    .. [2] 芦屋市, 電子くじ, https://www.nyusatsu.e-hyogo.jp/www/ashiya/contents/1012010000391/index.html
    """
    nums = yen_array(numbers, "numbers", minimum=0)
    if nums.ndim == 0 or nums.shape[-1] < 1:
        raise ValidationError("numbers must have a last axis of at least one tied bidder")
    modulus = whole_number(modulus, "modulus")
    if offsets is not None:
        off = yen_array(offsets, "offsets", minimum=0)
        try:
            nums = (nums + off) % modulus
        except ValueError:
            raise ValidationError(f"offsets {off.shape} do not match numbers {nums.shape}") from None
    return np.asarray(nums.sum(axis=-1) % nums.shape[-1], dtype=np.int64)

