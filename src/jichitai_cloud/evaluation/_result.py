"""What :func:`evaluate` returns: every proposal's points, validity and rank, the winner and the sheet.

:class:`EvaluationResult` shows itself through the package's one table protocol
(:class:`~jichitai_cloud._display.TableView`): the ranking and a summary as text, in a notebook and
as a DataFrame, and every table of the evaluation sheet (:meth:`EvaluationResult.tables`) for the
exports of :mod:`jichitai_cloud.report`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

import attrs

from .._display import Table, TableView
from .._frozenmap import FrozenMap
from ..errors import ValidationError
from ..model import EvaluationScheme, Proposal
from ._judges import JudgeReport, judge_tables
from ._kernels.price import BidStatus, lottery
from ._robustness import Robustness, assess

__all__ = ["STATUS_JA", "STATUS_NAMES", "EvaluationResult", "ProposalResult"]

STATUS_NAMES: dict[int, str] = {
    BidStatus.VALID: "valid",
    BidStatus.OVER_CEILING: "over_ceiling",
    BidStatus.UNDER_MINIMUM: "under_minimum",
    BidStatus.UNDER_INVESTIGATION: "under_investigation",
}
"""The name of each :class:`BidStatus` code, as :attr:`ProposalResult.status` gives it."""
STATUS_JA = {
    "valid": "有効",
    "over_ceiling": "予定価格超過 (失格)",
    "under_minimum": "最低制限価格未満 (失格)",
    "under_investigation": "調査基準価格未満 (要調査)",
}


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
class EvaluationResult(TableView):
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

    _INDEX: ClassVar[str | None] = "vendor"

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

    def _ranking_table(self, *, display: bool = False) -> Table:
        comps = self._component_names()
        header = ("rank", "vendor", "bid", "status", "price", *comps, "technical", "total", "remarks")
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

    def table(self) -> Table:
        """The ranking: one row per proposal, best first (rank, bid, status, points per component, total)."""
        return self._ranking_table()

    def _title(self) -> str:
        return f"{self.name} — {self.scheme.total_points:g} points"

    def _headline(self) -> str:
        if self.winner is not None:
            return f"winner (最優秀業者): {self.winner}"
        if self.lottery_candidates:
            return ("no single winner: " + ", ".join(self.lottery_candidates)
                    + " tie on total and technical points; a lottery (くじ) decides — see EvaluationResult.lottery")
        return "no winner: no proposal is eligible"

    def summary(self) -> str:
        """The winner, the investigation threshold, the judges' consistency and the notes, one per line."""
        lines = [self._headline()]
        if self.investigation is not None:
            lines.append(f"investigation threshold (調査基準価格): {self.investigation:,} yen")
        for j in self.judges:
            w = "n/a" if j.kendalls_w is None else f"{j.kendalls_w:.3f}"
            flag = f"; outlying judges (reported, not dropped): {', '.join(j.flagged)}" if j.flagged else ""
            lines.append(f"judges of {j.component}: {len(j.judges)}, Kendall's W {w} "
                         f"({j.complete_judges} complete){flag}")
        lines += [f"note: {n}" for n in self.notes]
        return "\n".join(lines)

    def _named(self) -> list[tuple[str, Table]]:
        # text and notebook show the ranking (points to fixed decimals) and the summary; the other
        # tables of :meth:`tables` (the judges' raw sheets run to hundreds of rows) go to the exports
        return [(self._title(), self._ranking_table(display=True))]

    def __repr__(self) -> str:
        return (f"EvaluationResult(name={self.name!r}, winner={self.winner!r}, "
                f"totals={ {r.vendor: r.total for r in self.results} })")

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
                   seed: int | None = 0, chunk_size: int = 8192, limit: bool = True) -> Robustness:
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
        limit
            Refuse more than ``MAX_SAMPLES`` (1,000,000) samples, with an estimate of memory and time
            in the message; ``False`` draws any number asked for.
        """
        return assess(self, samples=samples, concentration=concentration, bootstrap=bootstrap, seed=seed,
                      chunk_size=chunk_size, limit=limit)

    # --------------------------------------------------------------------------- the evaluation sheet

    def tables(self) -> dict[str, Table]:
        """The evaluation sheet (評価結果表) the committee signs, as named tables.

        評価結果 (the ranking), 配点 (the scheme), 価格 (bids, validity, price points and the
        price limits), 採点 <component> (each judge's scores), 審査員 (judges' consistency) and 署名
        (the winner and signature lines): ``jichitai_cloud.report.to_excel(result, path)`` writes
        them as one workbook.
        """
        out: dict[str, Table] = {"評価結果": self.table()}
        s = self.scheme
        out["配点"] = (("component", "名称", "kind", "points", "round", "judges", "criteria"),
                     [[c.name, c.name_ja, c.kind.value, c.points, c.round, c.judges,
                       ", ".join(f"{k.name} ({'必須' if k.mandatory else f'max {k.max_score:g}, weight {k.weight:g}'})"
                                 for k in c.criteria)] for c in s.components])
        out["価格"] = (("vendor", "bid", "status", "状態", "price_points"),
                     [[r.vendor, r.bid, r.status, STATUS_JA[r.status], r.price_points] for r in self.results])
        if s.ceiling is not None or self.investigation is not None or s.minimum is not None:
            out["価格"][1].append(["予定価格 (ceiling)", s.ceiling, "", "", None])
            if s.minimum is not None:
                out["価格"][1].append(["最低制限価格 (minimum)", s.minimum, "", "", None])
            if self.investigation is not None:
                out["価格"][1].append(["調査基準価格 (investigation)", self.investigation, "", "", None])
        for comp, table in judge_tables(s, self.proposals).items():
            out[f"採点 {comp}"[:31]] = table
        out["審査員"] = (("component", "judges", "complete", "Kendall's W", "flagged (reported, not dropped)"),
                      [[j.component, len(j.judges), j.complete_judges, j.kendalls_w, ", ".join(j.flagged)]
                       for j in self.judges])
        sign = [[self._headline(), ""], ["", ""],
                ["審査委員長 (chair)", "署名 (signature):"], ["審査委員 (member)", "署名 (signature):"],
                ["審査委員 (member)", "署名 (signature):"], ["日付 (date)", ""]]
        out["署名"] = ((self.name, ""), sign)
        return out
