"""The domain layer of proposal evaluation: :func:`evaluate` a procurement into an immutable result.

The domain layer validates the proposals against the scheme, turns them into arrays once (judges'
``None`` scores become NaN, the kernels' explicit "absent" marker), calls the kernels, and wraps
the arrays in frozen results that show themselves (``to_text``, ``_repr_html_``,
``to_dataframe``) and export the evaluation sheet the selection committee signs (``to_excel``).
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
from numpy.typing import NDArray

from .. import _display
from .._frozenmap import FrozenMap
from ..errors import ValidationError
from ..model import Component, EvaluationScheme, Procurement, Proposal, Scores
from ._division import round_points
from ._price import BidStatus, floating_threshold, investigation_threshold, lottery, price_points, qualify
from ._robustness import monte_carlo, weight_sensitivity
from ._technical import (
    DEFAULT_GRADE_MULTIPLIERS,
    aggregate_judges,
    criterion_points,
    judge_deviation,
    kendalls_w,
    mandatory_pass,
    outlying_judges,
)

if TYPE_CHECKING:  # pragma: no cover
    import pandas

__all__ = [
    "BID_STATUS_NAMES",
    "EvaluationResult",
    "JudgeReport",
    "ProposalResult",
    "Robustness",
    "evaluate",
    "scores_from_grades",
]

BID_STATUS_NAMES: dict[int, str] = {
    BidStatus.VALID: "valid",
    BidStatus.OVER_CEILING: "over_ceiling",
    BidStatus.UNDER_MINIMUM: "under_minimum",
    BidStatus.UNDER_INVESTIGATION: "under_investigation",
}
_STATUS_JA = {
    "valid": "有効",
    "over_ceiling": "予定価格超過 (失格)",
    "under_minimum": "最低制限価格未満 (失格)",
    "under_investigation": "調査基準価格未満 (要調査)",
}
_NO_CEILING = 2**62
_TIE_RTOL = 1e-9


# ----------------------------------------------------------------------------------------- results


@attrs.frozen(kw_only=True, slots=True)
class ProposalResult:
    """How one proposal fared.

    Parameters
    ----------
    vendor
        The vendor.
    bid
        Its bid. [yen]
    status
        ``"valid"``, ``"over_ceiling"``, ``"under_minimum"`` (both disqualified) or
        ``"under_investigation"`` (valid, flagged for the low-bid investigation).
    mandatory_passed
        Whether it passed every mandatory (必須) item by a majority of judges.
    shortlisted
        Whether it went on past the first round (always true without shortlisting).
    price_points
        Price points (価格点); ``None`` for a disqualified bid or without a price component. [points]
    technical
        Technical points of each technical component it was scored on. [points]
    technical_points
        Their sum (技術点). [points]
    total
        Total points (総合評価点); ``None`` if it is not ranked. [points]
    rank
        Rank among the ranked proposals (1 = best; tied proposals share a rank); ``None`` if it
        is not ranked.
    remarks
        Why it is not ranked, or what to look at.
    """

    vendor: str
    bid: int
    status: str
    mandatory_passed: bool
    shortlisted: bool
    price_points: float | None
    technical: FrozenMap[float]
    technical_points: float
    total: float | None
    rank: int | None
    remarks: tuple[str, ...] = ()

    @property
    def ranked(self) -> bool:
        """Whether the proposal is in the final ranking."""
        return self.rank is not None


@attrs.frozen(kw_only=True, slots=True)
class JudgeReport:
    """Consistency of the judges of one component.

    Parameters
    ----------
    component
        The component.
    judges
        Its judges.
    complete_judges
        Judges who scored every proposal of the component (those Kendall's W uses).
    kendalls_w
        Kendall's coefficient of concordance of their rankings (1 = all rank alike); ``None``
        when fewer than two complete judges or proposals. [1]
    deviation
        Each judge's mean absolute deviation from the other judges, as a share of the scale;
        ``None`` for a judge who shares no scored cell with another. [1]
    flagged
        Judges whose deviation stands far from the rest (modified z-score > 3.5).  They are
        reported, never dropped: the committee decides.
    """

    component: str
    judges: tuple[str, ...]
    complete_judges: int
    kendalls_w: float | None
    deviation: tuple[float | None, ...]
    flagged: tuple[str, ...]


def _fmt_pct(x: float) -> str:
    return f"{100 * x:.1f}%"


@attrs.frozen(kw_only=True, slots=True)
class Robustness:
    """How sure the committee can be of its winner (see :meth:`EvaluationResult.robustness`).

    Parameters
    ----------
    vendors
        The ranked proposals, in the order of the evaluation.
    win_probability
        Probability that each wins when weights and judges vary; adds up to 1. [1]
    rank_probability
        ``[i][r]``: probability that vendor ``i`` is ranked ``r + 1``. [1]
    winner
        The nominal winner (``None`` if a lottery decides it).
    samples, concentration, bootstrap, seed, aggregation
        How the Monte Carlo was run.
    lottery_samples
        Samples in which a tie would have gone to a lottery (counted as shared).
    columns
        The weighted columns: ``"price"`` and ``"component/criterion"``.
    nominal_weights
        Their nominal weights (points each column is worth). [points]
    shifts
        For each rival, the least share of the total weight that must move between columns for
        it to tie the winner (``inf``: no reweighting can). [1]
    closest_rival
        The rival needing the least shift.
    shift_from, shift_to
        For the closest rival: the columns losing weight (most first) and the column gaining it.
    """

    vendors: tuple[str, ...]
    win_probability: tuple[float, ...]
    rank_probability: tuple[tuple[float, ...], ...]
    winner: str | None
    samples: int
    concentration: float | None
    bootstrap: bool
    seed: int | None
    aggregation: str
    lottery_samples: int
    columns: tuple[str, ...]
    nominal_weights: tuple[float, ...]
    shifts: FrozenMap[float]
    closest_rival: str | None
    shift_from: tuple[str, ...]
    shift_to: str | None

    @property
    def weight_shift(self) -> float | None:
        """The least share of the total weight whose move changes the winner. [1]"""
        if self.closest_rival is None:
            return None
        return self.shifts[self.closest_rival]

    def _rows(self) -> tuple[list[str], list[list[Any]]]:
        n = len(self.vendors)
        header = ["vendor", "P(win)"] + [f"P(rank {r + 1})" for r in range(n)] + ["weight shift to tie"]
        rows = []
        for i, v in enumerate(self.vendors):
            shift = self.shifts.get(v)
            rows.append([v, round(self.win_probability[i], 4)] + [round(p, 4) for p in self.rank_probability[i]]
                        + ["" if shift is None else ("never" if math.isinf(shift) else _fmt_pct(shift))])
        return header, rows

    def summary(self) -> str:
        """One paragraph for the minutes."""
        how = (f"{self.samples:,} samples, weights Dirichlet around nominal"
               + (f" (concentration {self.concentration:g})" if self.concentration is not None else " (fixed)")
               + (", judges resampled (bootstrap)" if self.bootstrap and any(c != "price" for c in self.columns)
                  else ""))
        if self.winner is None:
            return f"No single winner (a lottery decides). {how}."
        p = self.win_probability[self.vendors.index(self.winner)]
        text = f"{self.winner} wins in {_fmt_pct(p)} of {how}."
        if self.closest_rival is not None and self.weight_shift is not None and math.isfinite(self.weight_shift):
            text += (f" The smallest change of weights that changes the winner moves {_fmt_pct(self.weight_shift)} "
                     f"of the total weight from {', '.join(self.shift_from[:3])} to {self.shift_to}, "
                     f"making {self.closest_rival} tie.")
        elif self.closest_rival is not None:
            text += " No reweighting of the criteria changes the winner."
        return text

    def to_text(self) -> str:
        """The robustness table and summary as plain text."""
        header, rows = self._rows()
        return _display.text_table(header, rows, title="robustness (頑健性)") + "\n" + self.summary()

    def __repr__(self) -> str:
        return f"Robustness(winner={self.winner!r}, win_probability={dict(zip(self.vendors, self.win_probability, strict=True))})"

    def _repr_html_(self) -> str:
        header, rows = self._rows()
        return _display.html_table(header, rows, caption="robustness (頑健性)") + f"<p>{_html(self.summary())}</p>"

    def to_dataframe(self) -> pandas.DataFrame:
        """One row per vendor: win probability, rank probabilities, weight shift to tie."""
        header, rows = self._rows()
        return _display.dataframe(header, rows, index="vendor")


def _html(text: str) -> str:
    import html

    return html.escape(text)


@attrs.frozen(kw_only=True, slots=True)
class EvaluationResult:
    """The result of :func:`evaluate`: every proposal's points, validity and rank, and the winner.

    Parameters
    ----------
    name
        Name of the procurement.
    scheme
        The scheme applied.
    proposals
        The proposals evaluated (kept for :meth:`robustness`).
    results
        One :class:`ProposalResult` per proposal, in input order.
    winner
        The winning vendor (最優秀業者); ``None`` when a lottery must decide.
    lottery_candidates
        Vendors tied for first place on total and on technical points: the documented rule sends
        them to a lottery, which the library reports but never draws (see :meth:`lottery`).
    investigation
        The investigation threshold used, if any. [yen]
    judges
        Judge consistency per technical component.
    notes
        Remarks on the evaluation as a whole.
    """

    name: str
    scheme: EvaluationScheme
    proposals: tuple[Proposal, ...]
    results: tuple[ProposalResult, ...]
    winner: str | None
    lottery_candidates: tuple[str, ...]
    investigation: int | None
    judges: tuple[JudgeReport, ...]
    notes: tuple[str, ...] = ()

    def result(self, vendor: str) -> ProposalResult:
        """The result of ``vendor``'s proposal."""
        for r in self.results:
            if r.vendor == vendor:
                return r
        raise KeyError(f"no proposal from {vendor!r}; there are {[r.vendor for r in self.results]}")

    def ranking(self) -> tuple[ProposalResult, ...]:
        """Ranked proposals best first, then the unranked ones in input order."""
        ranked = sorted((r for r in self.results if r.rank is not None),
                        key=lambda r: (r.rank, -(r.technical_points), self.results.index(r)))
        return tuple(ranked) + tuple(r for r in self.results if r.rank is None)

    # --------------------------------------------------------------------------- display

    def _component_names(self) -> list[str]:
        return [c.name for c in self.scheme.technical_components]

    def _rows(self, *, display: bool = False) -> tuple[list[str], list[list[Any]]]:
        comps = self._component_names()
        header = ["rank", "vendor", "bid", "status", "price", *comps, "technical", "total", "remarks"]
        rows = []
        for r in self.ranking():
            rows.append([r.rank, r.vendor, r.bid, r.status, r.price_points,
                         *[r.technical.get(c) for c in comps], r.technical_points, r.total, "; ".join(r.remarks)])
        if display:  # points with a fixed number of decimals, right-aligned
            d = 2 if self.scheme.decimals is None else self.scheme.decimals
            cols = range(4, 4 + len(comps) + 3)
            for i in cols:
                texts = ["" if row[i] is None else f"{row[i]:,.{d}f}" for row in rows]
                width = max((len(t) for t in texts), default=0)
                for row, t in zip(rows, texts, strict=True):
                    row[i] = t.rjust(width)
        return header, rows

    def _headline(self) -> str:
        if self.winner is not None:
            return f"winner (最優秀業者): {self.winner}"
        if self.lottery_candidates:
            return ("no single winner: " + ", ".join(self.lottery_candidates)
                    + " tie on total and technical points; a lottery (くじ) decides — see EvaluationResult.lottery")
        return "no winner: no proposal is eligible"

    def to_text(self) -> str:
        """The ranking, the validity of every bid, the winner and the judges' consistency as text."""
        header, rows = self._rows(display=True)
        lines = [_display.text_table(header, rows, title=f"{self.name} — {self.scheme.total_points:g} points"),
                 self._headline()]
        if self.investigation is not None:
            lines.append(f"investigation threshold (調査基準価格): {self.investigation:,} yen")
        for j in self.judges:
            w = "n/a" if j.kendalls_w is None else f"{j.kendalls_w:.3f}"
            flag = f"; outlying judges (reported, not dropped): {', '.join(j.flagged)}" if j.flagged else ""
            lines.append(f"judges of {j.component}: {len(j.judges)}, Kendall's W {w} "
                         f"({j.complete_judges} complete){flag}")
        lines += [f"note: {n}" for n in self.notes]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (f"EvaluationResult(name={self.name!r}, winner={self.winner!r}, "
                f"totals={ {r.vendor: r.total for r in self.results} })")

    def _repr_html_(self) -> str:
        header, rows = self._rows(display=True)
        return (_display.html_table(header, rows, caption=f"{self.name} — {self.scheme.total_points:g} points")
                + f"<p>{_html(self._headline())}</p>")

    def to_dataframe(self) -> pandas.DataFrame:
        """One row per proposal, best first: rank, bid, status, points per component, total."""
        header, rows = self._rows()
        return _display.dataframe(header, rows, index="vendor")

    # --------------------------------------------------------------------------- ties

    def lottery(self, numbers: Mapping[str, int], *, offsets: Mapping[str, int] | None = None,
                order: Sequence[str] | None = None) -> str:
        """Reproduce the electronic lottery (電子くじ) among :attr:`lottery_candidates`.

        Parameters
        ----------
        numbers
            Each tied vendor's lottery number (くじ番号).
        offsets
            Numbers the procurement system added (e.g. milliseconds of the bid's arrival).
        order
            The tied vendors in the order the rules fix (usually arrival order); default: their
            order in the proposals.

        Returns
        -------
        str
            The vendor whose position equals the sum of the lottery numbers modulo their count.
        """
        tied = list(self.lottery_candidates)
        if len(tied) < 2:
            raise ValidationError("there is no tie to draw lots for: "
                                  + (f"{self.winner} wins outright" if self.winner else "no eligible proposal"))
        seq = list(order) if order is not None else tied
        if sorted(seq) != sorted(tied):
            raise ValidationError(f"order must list exactly the tied vendors {tied}, got {seq}")
        missing = [v for v in seq if v not in numbers]
        if missing:
            raise ValidationError(f"numbers lack the lottery number of {missing}")
        off = None if offsets is None else [offsets.get(v, 0) for v in seq]
        return seq[int(lottery([numbers[v] for v in seq], offsets=off))]

    # --------------------------------------------------------------------------- robustness

    def robustness(self, *, samples: int = 10_000, concentration: float | None = 100.0, bootstrap: bool = True,
                   seed: int | None = 0, chunk_size: int = 8192) -> Robustness:
        """How robust the winner is to the weights and to the choice of judges.

        Monte Carlo (:func:`~jichitai_cloud.evaluation.monte_carlo`) over the weights of every
        scored criterion and of price (Dirichlet around the scheme's weights) and over the judges
        of each component (bootstrap), among the ranked proposals; and the smallest change of
        weights that makes a rival tie the winner
        (:func:`~jichitai_cloud.evaluation.weight_sensitivity`).  Points are not rounded here.

        Parameters
        ----------
        samples
            Monte Carlo samples.
        concentration
            Dirichlet concentration (larger = weights closer to nominal); ``None``: fixed weights. [1]
        bootstrap
            Resample the judges of each component.
        seed
            Seed; the same seed gives the same figures.
        chunk_size
            Samples per chunk (memory bound).
        """
        data = _robustness_arrays(self)
        vendors = data.vendors
        if len(vendors) == 0:
            raise ValidationError("no ranked proposal: nothing to assess")
        out = monte_carlo(data.scores, data.nominal, samples=samples, concentration=concentration,
                          fixed=data.fixed, groups=data.groups, bootstrap=bootstrap,
                          aggregation=self.scheme.aggregation, seed=seed, chunk_size=chunk_size)  # type: ignore[arg-type]
        shifts: dict[str, float] = {}
        closest = None
        shift_from: tuple[str, ...] = ()
        shift_to = None
        if self.winner is not None and len(vendors) > 1:
            agg = np.concatenate([data.averaged, data.fixed], axis=1)
            sens = weight_sensitivity(agg, data.nominal, winner=vendors.index(self.winner))
            for i, v in enumerate(vendors):
                if v != self.winner:
                    shifts[v] = float(sens.share[i])
            closest = min(shifts, key=lambda v: shifts[v])
            qi = vendors.index(closest)
            if math.isfinite(shifts[closest]):
                moved = data.nominal - sens.weights[qi]
                srcs = np.argsort(-moved, kind="stable")
                shift_from = tuple(data.columns[k] for k in srcs if moved[k] > 1e-12 * data.nominal.sum())
                shift_to = data.columns[int(sens.gains[qi])]
        return Robustness(
            vendors=vendors, win_probability=tuple(float(p) for p in out.win_probability),
            rank_probability=tuple(tuple(float(p) for p in row) for row in out.rank_probability),
            winner=self.winner, samples=out.samples, concentration=concentration, bootstrap=bootstrap,
            seed=seed, aggregation=self.scheme.aggregation, lottery_samples=out.lottery_samples,
            columns=data.columns, nominal_weights=tuple(float(w) for w in data.nominal),
            shifts=FrozenMap(shifts), closest_rival=closest, shift_from=shift_from, shift_to=shift_to,
        )

    # --------------------------------------------------------------------------- the evaluation sheet

    def sheets(self) -> dict[str, tuple[list[str], list[list[Any]]]]:
        """The evaluation sheet (評価結果表) as tables: ``{sheet name: (header, rows)}``."""
        header, rows = self._rows()
        out: dict[str, tuple[list[str], list[list[Any]]]] = {"評価結果": (header, rows)}
        s = self.scheme
        out["配点"] = (["component", "名称", "kind", "points", "round", "judges", "criteria"],
                     [[c.name, c.name_ja, c.kind.value, c.points, c.round, c.judges,
                       ", ".join(f"{k.name} ({'必須' if k.mandatory else f'max {k.max_score:g}, weight {k.weight:g}'})"
                                 for k in c.criteria)] for c in s.components])
        out["価格"] = (["vendor", "bid", "status", "状態", "price_points"],
                     [[r.vendor, r.bid, r.status, _STATUS_JA[r.status], r.price_points] for r in self.results])
        if s.ceiling is not None or self.investigation is not None or s.minimum is not None:
            out["価格"][1].append(["予定価格 (ceiling)", s.ceiling, "", "", None])
            if s.minimum is not None:
                out["価格"][1].append(["最低制限価格 (minimum)", s.minimum, "", "", None])
            if self.investigation is not None:
                out["価格"][1].append(["調査基準価格 (investigation)", self.investigation, "", "", None])
        for comp, table in _judge_tables(self).items():
            out[f"採点 {comp}"[:31]] = table
        out["審査員"] = (["component", "judges", "complete", "Kendall's W", "flagged (reported, not dropped)"],
                      [[j.component, len(j.judges), j.complete_judges, j.kendalls_w, ", ".join(j.flagged)]
                       for j in self.judges])
        sign = [[self._headline(), ""], ["", ""],
                ["審査委員長 (chair)", "署名 (signature):"], ["審査委員 (member)", "署名 (signature):"],
                ["審査委員 (member)", "署名 (signature):"], ["日付 (date)", ""]]
        out["署名"] = ([self.name, ""], sign)
        return out

    def to_excel(self, path: str | os.PathLike[str]) -> None:
        """Write the evaluation sheet the committee signs to an ``.xlsx`` file (formula-injection safe)."""
        from ..report.workbook import write_xlsx

        write_xlsx(path, {k: (h, r) for k, (h, r) in self.sheets().items()})


# ----------------------------------------------------------------------------------------- inputs


def scores_from_grades(component: str, judges: Sequence[str], criteria: Sequence[str],
                       grades: Sequence[Sequence[str | None]], *, max_scores: Sequence[float],
                       multipliers: Sequence[float] = DEFAULT_GRADE_MULTIPLIERS,
                       letters: str = "ABCDE") -> Scores:
    """Scores from letter grades on a five-level scale (A 特に優れている … E 劣る).

    Parameters
    ----------
    component
        The component scored.
    judges
        Judge identifiers, one per row of ``grades``.
    criteria
        Criterion names, one per column.
    grades
        ``grades[j][c]``: a letter of ``letters`` or ``None`` (absent).
    max_scores
        Maximum score (配点) of each criterion. [points]
    multipliers
        Multiplier of each grade, best first. [1]
    letters
        The grade letters, best first.

    Returns
    -------
    Scores
        ``multiplier × max score`` per grade.
    """
    if len(letters) != len(multipliers):
        raise ValidationError(f"{len(letters)} grade letters but {len(multipliers)} multipliers")
    rows = []
    for j, row in enumerate(grades):
        if len(row) != len(criteria):
            raise ValidationError(f"grades[{j}] has {len(row)} grades but there are {len(criteria)} criteria")
        out: list[float | None] = []
        for c, g in enumerate(row):
            if g is None:
                out.append(None)
                continue
            if not isinstance(g, str) or len(g) != 1 or g.upper() not in letters:
                raise ValidationError(f"grades[{j}][{c}] must be one of {list(letters)} or empty, got {g!r}")
            out.append(float(multipliers[letters.index(g.upper())]) * float(max_scores[c]))
        rows.append(tuple(out))
    return Scores(component=component, judges=tuple(judges), criteria=tuple(criteria), values=tuple(rows))


@attrs.frozen(slots=True)
class _ComponentArrays:
    component: Component
    judges: tuple[str, ...]
    criteria: tuple[str, ...]
    max_scores: NDArray[np.float64]
    weights: NDArray[np.float64]
    mandatory: NDArray[np.bool_]
    values: NDArray[np.float64]  # (J, P, C), NaN = absent
    scored: NDArray[np.bool_]  # (P,) proposals with scores for this component


def _criteria_of(c: Component) -> tuple[tuple[str, ...], list[float], list[float], list[bool]]:
    if c.criteria:
        return (tuple(k.name for k in c.criteria), [k.max_score for k in c.criteria],
                [k.weight for k in c.criteria], [k.mandatory for k in c.criteria])
    return ((c.name,), [c.points], [1.0], [False])


def _component_arrays(c: Component, proposals: Sequence[Proposal]) -> _ComponentArrays:
    names, mx, wt, mand = _criteria_of(c)
    found: list[Scores | None] = []
    for p in proposals:
        hit = [s for s in p.scores if s.component == c.name]
        found.append(hit[0] if hit else None)
    if c.panel:
        judges = list(c.panel)
    else:
        judges = []
        seen: set[str] = set()
        for s in found:
            for j in s.judges if s is not None else ():
                if j not in seen:
                    seen.add(j)
                    judges.append(j)
    jidx = {j: i for i, j in enumerate(judges)}
    values = np.full((len(judges), len(proposals), len(names)), np.nan)
    for pi, (p, s) in enumerate(zip(proposals, found, strict=True)):
        if s is None:
            continue
        crit = tuple(s.criteria)
        if not c.criteria:
            if len(crit) != 1:
                raise ValidationError(f"proposal {p.vendor!r}: component {c.name!r} has no criteria, so its "
                                      f"scores must have one column (points out of {c.points:g}), got {list(crit)}")
            crit = names
        missing = [k for k in names if k not in crit]
        extra = [k for k in crit if k not in names]
        if missing or extra:
            raise ValidationError(f"proposal {p.vendor!r}, component {c.name!r}: scores must have the criteria "
                                  f"{list(names)}; missing {missing}, unknown {extra}")
        unknown = [j for j in s.judges if j not in jidx]
        if unknown:
            raise ValidationError(f"proposal {p.vendor!r}, component {c.name!r}: judges {unknown} are not on the "
                                  f"component's panel {list(judges)}")
        cols = [crit.index(k) for k in names]
        block = np.array([[np.nan if x is None else float(x) for x in row] for row in s.values],
                         dtype=np.float64).reshape(len(s.judges), len(crit))
        values[[jidx[j] for j in s.judges], pi, :] = block[:, cols]
    mxa = np.array(mx, dtype=np.float64)
    over = values > mxa
    if np.any(over):
        j, pi, k = np.argwhere(over)[0]
        raise ValidationError(f"proposal {proposals[pi].vendor!r}, component {c.name!r}, judge {judges[j]!r}: "
                              f"score {values[j, pi, k]:g} on {names[k]!r} exceeds its maximum {mxa[k]:g}")
    return _ComponentArrays(c, tuple(judges), names, mxa, np.array(wt, dtype=np.float64),
                            np.array(mand, dtype=bool), values,
                            np.array([s is not None for s in found], dtype=bool))


def _round(x: NDArray[np.float64], scheme: EvaluationScheme) -> NDArray[np.float64]:
    if scheme.decimals is None:
        return x
    return round_points(np.maximum(x, 0.0), scheme.decimals, mode=scheme.rounding)  # type: ignore[arg-type]


def _technical(arr: _ComponentArrays, which: NDArray[np.bool_], aggregation: str) -> tuple[
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


def _judge_report(arr: _ComponentArrays, which: NDArray[np.bool_]) -> JudgeReport:
    idx = np.flatnonzero(which)
    scored = ~arr.mandatory
    vals = arr.values[:, idx][:, :, scored]
    mx = arr.max_scores[scored]
    present = np.asarray(~np.isnan(vals).all(axis=(1, 2)), dtype=bool)
    judges = tuple(j for j, keep in zip(arr.judges, present.tolist(), strict=True) if keep)
    vals = vals[present]
    if vals.shape[0] == 0 or vals.shape[1] == 0:
        return JudgeReport(component=arr.component.name, judges=judges, complete_judges=0, kendalls_w=None,
                           deviation=(), flagged=())
    share = arr.weights[scored] / arr.weights[scored].sum()
    complete = ~np.isnan(vals).any(axis=(1, 2))
    w = None
    if complete.sum() >= 2 and vals.shape[1] >= 2:
        totals = (vals[complete] / mx * share).sum(axis=-1)
        kw = float(kendalls_w(totals))
        w = None if math.isnan(kw) else kw
    dev = judge_deviation(vals, max_scores=mx)
    flagged: tuple[str, ...] = ()
    if np.isfinite(dev).sum() >= 3:
        flags = outlying_judges(dev)
        flagged = tuple(j for j, f in zip(judges, flags, strict=True) if f)
    return JudgeReport(component=arr.component.name, judges=judges, complete_judges=int(complete.sum()),
                       kendalls_w=w, deviation=tuple(None if math.isnan(d) else float(d) for d in dev),
                       flagged=flagged)


def _ties(values: NDArray[np.float64], scale: float) -> NDArray[np.bool_]:
    """``[p, q]``: whether ``values[p]`` and ``values[q]`` are equal up to float error."""
    tol = _TIE_RTOL * max(scale, 1.0)
    return np.asarray(np.abs(values[:, None] - values[None, :]) <= tol)


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
    if isinstance(proposals, Procurement):
        proc = proposals
        if scheme is not None and scheme != proc.scheme:
            raise ValidationError("give the scheme once: the procurement already has one")
        scheme = proc.scheme
        props = proc.proposals
        title = name or proc.name
    else:
        if scheme is None:
            raise ValidationError("evaluate needs a scheme (or a Procurement)")
        props = tuple(proposals)
        title = name or scheme.name
    if not isinstance(scheme, EvaluationScheme):
        raise ValidationError(f"scheme must be an EvaluationScheme, got {scheme!r:.60}")
    if not props:
        raise ValidationError("evaluate needs at least one proposal")
    for i, p in enumerate(props):
        if not isinstance(p, Proposal):
            raise ValidationError(f"proposals[{i}] must be a Proposal, got {p!r:.60}")
        unknown = [s.component for s in p.scores if s.component not in {c.name for c in scheme.technical_components}]
        if unknown:
            raise ValidationError(f"proposal {p.vendor!r} has scores for {unknown}, which are not technical "
                                  f"components of the scheme {[c.name for c in scheme.technical_components]}")
    vendors = [p.vendor for p in props]
    if len(set(vendors)) != len(vendors):
        raise ValidationError(f"each vendor may submit one proposal; duplicates in {vendors}")
    P = len(props)
    notes: list[str] = []
    bids = np.array([p.bid for p in props], dtype=np.int64)
    if np.any(bids < 1):
        raise ValidationError(f"bids must be >= 1 yen; got {[p.bid for p in props]}")
    ceiling = scheme.ceiling if scheme.ceiling is not None else _NO_CEILING
    if scheme.price_component is not None and scheme.price_method != "lowest_ratio" and scheme.ceiling is None:
        raise ValidationError(f"price_method {scheme.price_method!r} needs the ceiling price (scheme.ceiling) [yen]")

    # 1. bids and the investigation threshold
    inv: int | None = scheme.investigation
    if scheme.investigation_ratio is not None:
        if scheme.ceiling is None:
            raise ValidationError("investigation_ratio needs the ceiling price (ceiling)")
        inv = int(investigation_threshold(scheme.ceiling, ratio=scheme.investigation_ratio))
    elif scheme.floating_factor is not None:
        inv = int(floating_threshold(bids, factor=scheme.floating_factor, ceiling=ceiling))
        if inv == 0:
            inv = None
            notes.append("no valid bid, so no floating investigation threshold")
    status = qualify(bids, ceiling=ceiling, minimum=scheme.minimum, investigation=inv)
    valid_bid = (status == BidStatus.VALID) | (status == BidStatus.UNDER_INVESTIGATION)

    # 2. first-round (and round-0) technical components
    comps = scheme.technical_components
    for c in comps:
        if c.criteria and not c.scored_criteria:
            raise ValidationError(f"component {c.name!r} has only mandatory (pass/fail) criteria, so nothing "
                                  f"earns its {c.points:g} points; add a scored criterion")
        if c.criteria and sum(k.weight for k in c.scored_criteria) <= 0:
            raise ValidationError(f"component {c.name!r}: the weights of its scored criteria are all 0")
    arrays = {c.name: _component_arrays(c, props) for c in comps}
    tech = {c.name: np.zeros(P) for c in comps}
    passed = np.ones(P, dtype=bool)
    everyone = np.ones(P, dtype=bool)
    for c in comps:
        if c.round <= 1:
            a = arrays[c.name]
            lacking = [vendors[i] for i in np.flatnonzero(~a.scored)]
            if lacking:
                raise ValidationError(f"component {c.name!r} (round {c.round}) has no scores from {lacking}")
            pts, ok = _technical(a, everyone, scheme.aggregation)
            tech[c.name] = _round(pts, scheme)
            passed &= ok

    # 3. shortlisting
    shortlisted = np.ones(P, dtype=bool)
    first = [c.name for c in comps if c.round == 1]
    if scheme.shortlist_top is not None or scheme.shortlist_threshold is not None:
        r1 = np.sum([tech[n] for n in first], axis=0)
        contenders = valid_bid & passed
        if scheme.shortlist_top is not None:
            order = np.sort(np.where(contenders, r1, -np.inf))[::-1]
            k = min(scheme.shortlist_top, int(contenders.sum()))
            cutoff = order[k - 1] if k > 0 else np.inf
            tol = _TIE_RTOL * max(float(np.abs(r1).max(initial=0)), 1.0)
            shortlisted = contenders & (r1 >= cutoff - tol)
        else:
            shortlisted = contenders & (r1 >= float(scheme.shortlist_threshold) * (1 - _TIE_RTOL))  # type: ignore[arg-type]

    for c in comps:
        if c.round > 1:
            a = arrays[c.name]
            need = shortlisted & valid_bid & passed
            lacking = [vendors[i] for i in np.flatnonzero(need & ~a.scored)]
            if lacking:
                raise ValidationError(f"component {c.name!r} (round {c.round}) has no scores from {lacking}, "
                                      "who went on to that round")
            extra = [vendors[i] for i in np.flatnonzero(a.scored & ~need)]
            if extra:
                notes.append(f"scores of {extra} for {c.name!r} are ignored: they did not go on to round {c.round}")
            pts, ok = _technical(a, need, scheme.aggregation)
            tech[c.name] = _round(pts, scheme)
            passed &= ok

    # 4. price points
    pc = scheme.price_component
    price: NDArray[np.float64] | None = None
    if pc is not None:
        if scheme.price_method == "piecewise" and inv is None:
            raise ValidationError("price_method 'piecewise' needs an investigation threshold "
                                  "(investigation, investigation_ratio or floating_factor)")
        price = _round(price_points(bids, max_points=pc.points, ceiling=scheme.ceiling,
                                    method=scheme.price_method, valid=valid_bid,  # type: ignore[arg-type]
                                    threshold=inv, below_slope=scheme.below_slope, peak_share=scheme.peak_share,
                                    floor_share=scheme.floor_share), scheme)

    # 5. totals and 6. ranking
    technical = _round(np.sum([tech[c.name] for c in comps], axis=0) if comps else np.zeros(P), scheme)
    total = _round(technical + (price if price is not None else 0.0), scheme)
    ranked = valid_bid & passed & shortlisted
    scale = float(np.abs(total).max(initial=0))
    eq_total = _ties(total, scale)
    eq_tech = _ties(technical, scale)
    better = (total[None, :] > total[:, None]) & ~eq_total  # [p, q]: q beats p on total
    better |= eq_total & (technical[None, :] > technical[:, None]) & ~eq_tech
    better &= ranked[None, :]
    rank = np.where(ranked, better.sum(axis=1) + 1, 0)
    top = ranked & (rank == 1)
    winner = vendors[int(np.flatnonzero(top)[0])] if top.sum() == 1 else None
    lottery_candidates = tuple(vendors[i] for i in np.flatnonzero(top)) if top.sum() > 1 else ()
    if top.sum() > 1:
        notes.append(f"{', '.join(lottery_candidates)} tie for first on total and technical points: "
                     "a lottery decides (the library does not draw it)")

    results = []
    for i, p in enumerate(props):
        st = BID_STATUS_NAMES[int(status[i])]
        remarks = []
        if st in ("over_ceiling", "under_minimum"):
            remarks.append(_STATUS_JA[st])
        if st == "under_investigation":
            remarks.append("調査基準価格未満: low-bid investigation required before award")
        if not passed[i]:
            remarks.append("必須項目不合格: failed a mandatory item (majority of judges)")
        if not shortlisted[i]:
            remarks.append("1次選考で選外: not shortlisted after round 1")
        scored_here = {c.name: float(tech[c.name][i]) for c in comps
                       if c.round <= 1 or (shortlisted[i] and valid_bid[i] and arrays[c.name].scored[i])}
        results.append(ProposalResult(
            vendor=p.vendor, bid=p.bid, status=st, mandatory_passed=bool(passed[i]),
            shortlisted=bool(shortlisted[i]),
            price_points=None if price is None or not valid_bid[i] else float(price[i]),
            technical=FrozenMap(scored_here), technical_points=float(technical[i]),
            total=float(total[i]) if ranked[i] else None, rank=int(rank[i]) if ranked[i] else None,
            remarks=tuple(remarks)))
    judges = tuple(_judge_report(arrays[c.name], arrays[c.name].scored & (
        everyone if c.round <= 1 else (shortlisted & valid_bid))) for c in comps)
    for c in comps:
        a = arrays[c.name]
        if c.judges is not None and len(a.judges) > c.judges:
            notes.append(f"{c.name!r} declares {c.judges} judges but {len(a.judges)} scored")
    return EvaluationResult(name=title, scheme=scheme, proposals=tuple(props), results=tuple(results),
                            winner=winner, lottery_candidates=lottery_candidates, investigation=inv,
                            judges=judges, notes=tuple(notes))


# ----------------------------------------------------------------------------------------- helpers


def _judge_tables(result: EvaluationResult) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """Per component: each judge's points for each scored proposal (the raw sheet behind the means)."""
    out: dict[str, tuple[list[str], list[list[Any]]]] = {}
    props = result.proposals
    for c in result.scheme.technical_components:
        arr = _component_arrays(c, props)
        names, _, _, mand = _criteria_of(c)
        header = ["judge", "vendor", *[f"{n}{' (必須)' if m else ''}" for n, m in zip(names, mand, strict=True)]]
        rows: list[list[Any]] = []
        for pi, p in enumerate(props):
            if not arr.scored[pi]:
                continue
            for ji, j in enumerate(arr.judges):
                vals = arr.values[ji, pi]
                if np.isnan(vals).all():
                    continue
                rows.append([j, p.vendor, *[None if math.isnan(x) else float(x) for x in vals]])
        out[c.name] = (header, rows)
    return out


@attrs.frozen(slots=True)
class _RobustnessArrays:
    vendors: tuple[str, ...]
    scores: NDArray[np.float64]  # (J, P, K) normalised, NaN absent
    averaged: NDArray[np.float64]  # (P, K) aggregated normalised
    fixed: NDArray[np.float64]  # (P, F)
    nominal: NDArray[np.float64]  # (K + F,)
    groups: NDArray[np.int64]  # (J,)
    columns: tuple[str, ...]


def _robustness_arrays(result: EvaluationResult) -> _RobustnessArrays:
    scheme = result.scheme
    idx = np.array([i for i, r in enumerate(result.results) if r.rank is not None], dtype=np.intp)
    vendors = tuple(result.results[i].vendor for i in idx)
    blocks, avg_blocks, groups, nominal, columns = [], [], [], [], []
    J_total = 0
    for g, c in enumerate(scheme.technical_components):
        arr = _component_arrays(c, result.proposals)
        scored = ~arr.mandatory
        x = arr.values[:, idx][:, :, scored] / arr.max_scores[scored]
        keep = ~np.isnan(x).all(axis=(1, 2))
        x = x[keep]
        blocks.append((J_total, x))
        J_total += x.shape[0]
        groups += [g] * x.shape[0]
        avg_blocks.append(aggregate_judges(x, method=scheme.aggregation))  # type: ignore[arg-type]
        w = arr.weights[scored]
        nominal += list(c.points * w / w.sum())
        columns += [f"{c.name}/{n}" for n, s in zip(arr.criteria, scored, strict=True) if s]
    K = len(columns)
    P = idx.size
    scores = np.full((J_total, P, K), np.nan)
    col = 0
    for (j0, x) in blocks:
        scores[j0:j0 + x.shape[0], :, col:col + x.shape[2]] = x
        col += x.shape[2]
    averaged = np.concatenate(avg_blocks, axis=1) if avg_blocks else np.zeros((P, 0))
    pc = scheme.price_component
    if pc is not None:
        pts = np.array([result.results[i].price_points or 0.0 for i in idx])
        fixed = (pts / pc.points)[:, None]
        nominal.append(pc.points)
        columns.append("price")
    else:
        fixed = np.zeros((P, 0))
    return _RobustnessArrays(vendors, scores, averaged, np.clip(fixed, 0.0, 1.0), np.array(nominal),
                             np.array(groups, dtype=np.int64), tuple(columns))

