"""Proposal evaluation (総合評価): :func:`evaluate` a procurement into an :class:`EvaluationResult`.

:func:`evaluate` is a short composition of named steps, one per step of the documented procedure:
the inputs are turned into arrays once (:mod:`._inputs`), every step calls the kernels, and the
arrays are wrapped in a frozen result at the end.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from .._frozenmap import FrozenMap
from ..errors import ValidationError
from ..model import Component, EvaluationScheme, Procurement, Proposal
from ._inputs import ComponentArrays, component_arrays, proposals_of
from ._judges import judge_report
from ._kernels.division import round_points
from ._kernels.price import BidStatus, floating_threshold, investigation_threshold, price_points, qualify
from ._kernels.ranking import rank, shortlist
from ._kernels.technical import aggregate_judges, criterion_points, mandatory_pass
from ._result import STATUS_EN as _STATUS_EN
from ._result import STATUS_JA, STATUS_NAMES, EvaluationResult, ProposalResult

__all__ = ["evaluate"]

_NO_CEILING = 2**62
"""The ceiling of a scheme without one: no bid exceeds it. [yen]"""


def evaluate(proposals: Sequence[Proposal] | Procurement, scheme: EvaluationScheme | None = None, *,
             name: str | None = None) -> EvaluationResult:
    """Evaluate proposals by a comprehensive evaluation scheme (総合評価方式).

    1. Bids are qualified (:func:`~jichitai_cloud.evaluation.qualify`): over the ceiling or under
       the minimum price disqualifies; under the investigation threshold is flagged.
    2. First-round technical components (round 1) are scored for every proposal: judges'
       scores aggregated (``scheme.aggregation``), criteria weighted, scaled to the component's
       points; mandatory items decided by a majority of judges.
    3. Shortlisting (``shortlist_top`` / ``shortlist_threshold``) on first-round technical points
       among proposals with a valid bid that passed their mandatory items; later rounds are
       scored for the shortlist only.
    4. Price points (:func:`~jichitai_cloud.evaluation.price_points`) for every valid bid.
    5. Each component's points rounded as ``scheme.decimals`` / ``scheme.rounding`` say; total =
       price + technical.
    6. Ranking by total; a tie goes to the higher technical points; a tie that remains shares the
       rank, and a tie for first leaves the winner to a lottery, which is reported
       (:attr:`EvaluationResult.lottery_candidates`), not drawn.

    Parameters
    ----------
    proposals
        The proposals, or a :class:`~jichitai_cloud.Procurement` holding scheme and proposals.
    scheme
        The scheme (taken from the procurement if one is given).
    name
        Name shown on the result (default: the procurement's or the scheme's name).

    Returns
    -------
    EvaluationResult

    Raises
    ------
    ValidationError
        If the proposals do not fit the scheme (unknown components, criteria or judges, missing
        scores, scores over their maximum, a cell no judge scored …).

    References
    ----------
    .. [1] 地方自治法施行令 第167条の10の2 (総合評価一般競争入札).
    .. [2] 総務省, 「地方公共団体における総合評価一般競争入札の活用について」.
    """
    scheme, props, title = proposals_of(proposals, scheme, name)
    vendors = [p.vendor for p in props]
    notes: list[tuple[str, str]] = []  # (Japanese, English)
    bids = np.array([p.bid for p in props], dtype=np.int64)
    # 1. bids and the investigation threshold
    inv = _investigation_threshold(scheme, bids, notes)
    status = qualify(bids, ceiling=_ceiling(scheme), minimum=scheme.minimum, investigation=inv)
    valid_bid = (status == BidStatus.VALID) | (status == BidStatus.UNDER_INVESTIGATION)
    # 2. first-round technical points, 3. shortlisting, then the later rounds for the shortlist
    comps = scheme.technical_components
    arrays = {c.name: component_arrays(c, props) for c in comps}
    tech = {c.name: np.zeros(len(props)) for c in comps}
    passed = _score_round(scheme, arrays, tech, [c for c in comps if c.round <= 1], vendors, None, notes)
    shortlisted = _shortlist(scheme, tech, eligible=valid_bid & passed)
    passed &= _score_round(scheme, arrays, tech, [c for c in comps if c.round > 1], vendors,
                           shortlisted & valid_bid & passed, notes)
    # 4. price points, 5. totals
    price = _price_points(scheme, bids, valid_bid, inv)
    technical = _round(np.sum([tech[c.name] for c in comps], axis=0) if comps else np.zeros(len(props)), scheme)
    total = _round(technical + (price if price is not None else 0.0), scheme)
    # 6. ranking: ties to the technical points, then shared (a tie for first goes to a lottery)
    ranked = valid_bid & passed & shortlisted
    ranks, tied = rank(total, technical, eligible=ranked)
    winner, lottery_candidates = _winner(vendors, ranks, tied, notes)
    results = tuple(_proposal_result(p, i, scheme, arrays, tech, status=status, valid_bid=valid_bid,
                                     passed=passed, shortlisted=shortlisted, price=price, technical=technical,
                                     total=total, ranks=ranks) for i, p in enumerate(props))
    judges = tuple(judge_report(arrays[c.name], arrays[c.name].scored & (
        np.ones(len(props), dtype=bool) if c.round <= 1 else (shortlisted & valid_bid))) for c in comps)
    notes += [(f"{c.name_ja or c.name} の審査員は {c.judges} 人と定められていますが、"
               f"{len(arrays[c.name].judges)} 人が採点しています。",
               f"{c.name!r} declares {c.judges} judges but {len(arrays[c.name].judges)} scored") for c in comps
              if c.judges is not None and len(arrays[c.name].judges) > c.judges]
    return EvaluationResult(name=title, scheme=scheme, proposals=props, results=results, winner=winner,
                            lottery_candidates=lottery_candidates, investigation=inv, judges=judges,
                            notes=tuple(ja for ja, _ in notes), notes_en=tuple(en for _, en in notes))


# ----------------------------------------------------------------------------------------- the steps


def _ceiling(scheme: EvaluationScheme) -> int:
    return scheme.ceiling if scheme.ceiling is not None else _NO_CEILING


def _investigation_threshold(scheme: EvaluationScheme, bids: NDArray[np.int64],
                             notes: list[tuple[str, str]]) -> int | None:
    """The low-bid investigation threshold in the form the scheme states, if any. [yen]"""
    if scheme.investigation_ratio is not None:
        if scheme.ceiling is None:
            raise ValidationError("investigation_ratio needs the ceiling price (ceiling)")
        return int(investigation_threshold(scheme.ceiling, ratio=scheme.investigation_ratio))
    if scheme.floating_factor is not None:
        inv = int(floating_threshold(bids, factor=scheme.floating_factor, ceiling=_ceiling(scheme)))
        if inv == 0:
            notes.append(("有効な入札がないため、変動型の調査基準価格はありません。",
                          "no valid bid, so no floating investigation threshold"))
            return None
        return inv
    return scheme.investigation


def _score_round(scheme: EvaluationScheme, arrays: dict[str, ComponentArrays], tech: dict[str, NDArray[np.float64]],
                 comps: Sequence[Component], vendors: Sequence[str], going_on: NDArray[np.bool_] | None,
                 notes: list[tuple[str, str]]) -> NDArray[np.bool_]:
    """Score ``comps`` into ``tech`` (rounded points per proposal); which proposals passed their mandatory items.

    ``going_on`` is ``None`` for round 0 and 1 (every proposal is scored); for later rounds, the
    proposals that went on to them (the others' scores are ignored, with a note).
    """
    passed = np.ones(len(vendors), dtype=bool)
    for c in comps:
        a = arrays[c.name]
        need = np.ones(len(vendors), dtype=bool) if going_on is None else going_on & passed
        lacking = [vendors[i] for i in np.flatnonzero(need & ~a.scored).tolist()]
        if lacking:
            raise ValidationError(f"component {c.name!r} (round {c.round}) has no scores from {lacking}"
                                  + ("" if going_on is None else ", who went on to that round"))
        extra = [vendors[i] for i in np.flatnonzero(a.scored & ~need).tolist()]
        if extra:
            notes.append((f"{'、'.join(extra)} の {c.name_ja or c.name} の採点は用いていません: 選考段階 {c.round} に"
                          "進んでいないためです。",
                          f"scores of {extra} for {c.name!r} are ignored: they did not go on to round {c.round}"))
        pts, ok = _component_points(a, need, scheme.aggregation)
        tech[c.name] = _round(pts, scheme)
        passed &= ok
    return passed


def _shortlist(scheme: EvaluationScheme, tech: dict[str, NDArray[np.float64]], *,
               eligible: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """Who goes on past round 1 (everyone, without shortlisting), by the first-round technical points."""
    if scheme.shortlist_top is None and scheme.shortlist_threshold is None:
        return np.ones(eligible.shape, dtype=bool)
    first = [tech[c.name] for c in scheme.technical_components if c.round == 1]
    r1 = np.sum(first, axis=0) if first else np.zeros(eligible.shape)
    return shortlist(r1, eligible=eligible, top=scheme.shortlist_top, threshold=scheme.shortlist_threshold)


def _price_points(scheme: EvaluationScheme, bids: NDArray[np.int64], valid_bid: NDArray[np.bool_],
                  inv: int | None) -> NDArray[np.float64] | None:
    """Rounded price points of every valid bid (0 for the others); ``None`` without a price component. [points]"""
    pc = scheme.price_component
    if pc is None:
        return None
    if scheme.price_method == "piecewise" and inv is None:
        raise ValidationError("price_method 'piecewise' needs an investigation threshold "
                              "(investigation, investigation_ratio or floating_factor)")
    return _round(price_points(bids, max_points=pc.points, ceiling=scheme.ceiling,
                               method=scheme.price_method, valid=valid_bid,  # type: ignore[arg-type]
                               threshold=inv, below_slope=scheme.below_slope, peak_share=scheme.peak_share,
                               floor_share=scheme.floor_share), scheme)


def _winner(vendors: Sequence[str], ranks: NDArray[np.int64], tied: NDArray[np.int64],
            notes: list[tuple[str, str]]) -> tuple[str | None, tuple[str, ...]]:
    """The winner, or the vendors tied for first whom a lottery must separate."""
    top = np.flatnonzero(ranks == 1)
    if top.size and tied[top[0]] == 1:
        return vendors[int(top[0])], ()
    candidates = tuple(vendors[i] for i in top.tolist())
    if candidates:
        notes.append((f"{'、'.join(candidates)} は総合評価点・技術点とも同点で1位です: くじで決めます"
                      " (このライブラリはくじを引きません)。",
                      f"{', '.join(candidates)} tie for first on total and technical points: "
                      "a lottery decides (the library does not draw it)"))
    return None, candidates


def _proposal_result(p: Proposal, i: int, scheme: EvaluationScheme, arrays: dict[str, ComponentArrays],
                     tech: dict[str, NDArray[np.float64]], *, status: NDArray[np.int8], valid_bid: NDArray[np.bool_],
                     passed: NDArray[np.bool_], shortlisted: NDArray[np.bool_], price: NDArray[np.float64] | None,
                     technical: NDArray[np.float64], total: NDArray[np.float64],
                     ranks: NDArray[np.int64]) -> ProposalResult:
    """Proposal ``i``'s line of the result, with the remarks that say why it is not ranked."""
    st = STATUS_NAMES[int(status[i])]
    remarks: list[tuple[str, str]] = []  # (Japanese, English)
    if st in ("over_ceiling", "under_minimum"):
        remarks.append((STATUS_JA[st], _STATUS_EN[st]))
    if st == "under_investigation":
        remarks.append(("調査基準価格未満: 落札者の決定の前に低入札価格調査が必要です",
                        "low-bid investigation required before award"))
    if not passed[i]:
        remarks.append(("必須項目不合格 (審査員の過半数による)", "failed a mandatory item (majority of judges)"))
    if not shortlisted[i]:
        remarks.append(("1次選考で選外", "not shortlisted after round 1"))
    scored_here = {c.name: float(tech[c.name][i]) for c in scheme.technical_components
                   if c.round <= 1 or (shortlisted[i] and valid_bid[i] and arrays[c.name].scored[i])}
    ranked = bool(ranks[i])
    return ProposalResult(
        vendor=p.vendor, bid=p.bid, status=st, mandatory_passed=bool(passed[i]), shortlisted=bool(shortlisted[i]),
        price_points=None if price is None or not valid_bid[i] else float(price[i]),
        technical=FrozenMap(scored_here), technical_points=float(technical[i]),
        total=float(total[i]) if ranked else None, rank=int(ranks[i]) if ranked else None,
        remarks=tuple(ja for ja, _ in remarks), remarks_en=tuple(en for _, en in remarks))


def _round(x: NDArray[np.float64], scheme: EvaluationScheme) -> NDArray[np.float64]:
    if scheme.decimals is None:
        return x
    return round_points(np.maximum(x, 0.0), scheme.decimals, mode=scheme.rounding)  # type: ignore[arg-type]


def _component_points(arr: ComponentArrays, which: NDArray[np.bool_], aggregation: str) -> tuple[
        NDArray[np.float64], NDArray[np.bool_]]:
    """Points (P,) and mandatory pass (P,) for the proposals in ``which`` (others: 0 / True)."""
    P = which.size
    pts = np.zeros(P)
    ok = np.ones(P, dtype=bool)
    idx = np.flatnonzero(which)
    if idx.size == 0:
        return pts, ok
    vals = arr.values[:, idx, :]
    scored = ~arr.mandatory
    if scored.any():
        sub = vals[:, :, scored]
        agg = aggregate_judges(sub, method=aggregation)  # type: ignore[arg-type]
        cp = criterion_points(agg, max_scores=arr.max_scores[scored], weights=arr.weights[scored],
                              points=arr.component.points)
        pts[idx] = cp.sum(axis=-1)
    if arr.mandatory.any():
        ok[idx] = mandatory_pass(vals[:, :, arr.mandatory])
    return pts, ok
