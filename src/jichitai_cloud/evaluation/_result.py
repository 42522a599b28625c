"""What :func:`evaluate` returns: every proposal's points, validity and rank, the winner and the sheet.

:class:`EvaluationResult` shows itself through the package's one table protocol
(:class:`~jichitai_cloud._display.TableView`): the ranking and a summary as text, in a notebook and
as a DataFrame, and every table of the evaluation sheet (:meth:`EvaluationResult.tables`) for the
exports of :mod:`jichitai_cloud.report`.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from .._display import (
    Column,
    DataTable,
    Lang,
    TableView,
    check_lang,
    col,
    render_html,
    render_markdown,
    render_text,
)
from .._frozenmap import FrozenMap
from ..errors import ValidationError
from ..model import Criterion, EvaluationScheme, Proposal
from ._judges import JudgeReport, judge_tables
from ._kernels.price import BidStatus, lottery
from ._robustness import Robustness, assess, robustness_cost

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
"""The Japanese label of each status."""

STATUS_EN = {
    "valid": "valid",
    "over_ceiling": "over the ceiling price (disqualified)",
    "under_minimum": "under the minimum price (disqualified)",
    "under_investigation": "under the investigation threshold (to be investigated)",
}
"""The English label of each status."""
_REMARKS = Column("remarks", "備考", "Remarks", "text", lang="ja")
_REMARKS_EN = Column("remarks_en", "備考 (英語)", "Remarks", "text", lang="en")

_KIND_JA = {"price": "価格", "technical": "技術"}
_STATUS = Column("status", "状態", "Status", "text")


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
        Why it is not ranked, or what to look at (Japanese).
    remarks_en
        The same in English.
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
    remarks_en: tuple[str, ...] = ()

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
        Remarks on the evaluation as a whole (Japanese).
    notes_en
        The same in English.
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
    notes_en: tuple[str, ...] = ()

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

    @property
    def _places(self) -> int:
        return 2 if self.scheme.decimals is None else self.scheme.decimals

    def _point_column(self, key: str, ja: str, en: str, *, bilingual: bool = True) -> Column:
        return Column(key, ja, en, "points", decimals=self._places, bilingual=bilingual)

    def _ranking(self) -> DataTable:
        comps = self.scheme.technical_components
        columns = (col("rank"), col("vendor"), col("bid"), _STATUS,
                   self._point_column("price", "価格点", "Price points"),
                   *[self._point_column(c.name, c.name_ja or c.name, c.name, bilingual=bool(c.name_ja))
                     for c in comps],
                   self._point_column("technical", "技術点", "Technical points"),
                   self._point_column("total", "総合評価点", "Total points"), _REMARKS, _REMARKS_EN)
        rows = [[r.rank, r.vendor, r.bid, STATUS_JA[r.status], r.price_points,
                 *[r.technical.get(c.name) for c in comps], r.technical_points, r.total, "、".join(r.remarks),
                 "; ".join(r.remarks_en or r.remarks)]
                for r in self.ranking()]
        sums: list[tuple[str, tuple[str, ...]]] = []
        if self.scheme.price_component is not None:
            sums.append(("total", ("price", "technical")))
        else:
            sums.append(("total", ("technical",)))
        if comps:
            sums.append(("technical", tuple(c.name for c in comps)))
        points = f"{self.scheme.total_points:,g}"
        return DataTable(
            key="ranking", title="評価結果", title_en="Evaluation result", columns=columns, rows=rows,
            sheet="評価結果", sheet_en="Evaluation result", index="vendor", sums=sums,
            notes=(f"{self.name} ({points} 点満点)",), notes_en=(f"{self.name} (out of {points} points)",))

    def _allotment(self) -> DataTable:
        s = self.scheme
        whole = all(float(c.points).is_integer() for c in s.components)
        columns = (col("component"), Column("name_ja", "名称", "Name (Japanese)", "text", bilingual=False),
                   col("kind"), Column("points", "配点", "Points", "points", decimals=0 if whole else self._places),
                   Column("round", "選考段階", "Round", "count"), col("judges"), col("criteria"))

        def criterion(k: Criterion) -> str:
            label = f"{k.name_ja} ({k.name})" if k.name_ja else k.name
            if k.mandatory:
                return f"{label} 必須"
            return f"{label} 満点 {k.max_score:g}・重み {k.weight:g}"

        rows = [[c.name, c.name_ja, _KIND_JA.get(c.kind.value, c.kind.value), float(c.points),
                 c.round, c.judges, "、".join(criterion(k) for k in c.criteria)] for c in s.components]
        return DataTable(key="scheme", title="配点", title_en="Points allotted", columns=columns, rows=rows,
                         sheet="配点", sheet_en="Points allotted", totals=False,
                         notes=(f"配点合計 {s.total_points:,g} 点。選考段階 0 は価格点 (審査員によらない)。",),
                         notes_en=(f"Points in all: {s.total_points:,g}. Round 0 is the price (no judges).",))

    def _prices(self) -> DataTable:
        s = self.scheme
        columns = (col("vendor"), col("bid"), Column("status", "状態コード", "Status code", "code", lang="en"),
                   Column("status_ja", "状態", "Status", "text", bilingual=False),
                   self._point_column("price_points", "価格点", "Price points"))
        rows: list[list[Any]] = [[r.vendor, r.bid, r.status, STATUS_JA[r.status], r.price_points]
                                 for r in self.results]
        for label, value in (("予定価格 (ceiling)", s.ceiling), ("最低制限価格 (minimum)", s.minimum),
                             ("調査基準価格 (investigation)", self.investigation)):
            if value is not None:
                rows.append([label, value, None, None, None])
        return DataTable(key="prices", title="価格", title_en="Bids and price points", columns=columns, rows=rows,
                         sheet="価格", sheet_en="Bids")

    def _judges(self) -> DataTable:
        columns = (col("component"), col("judges"),
                   Column("complete_judges", "全提案を採点した審査員数", "Judges who scored every proposal", "count"),
                   Column("kendalls_w", "一致係数 (Kendall's W)", "Kendall's W", "ratio", decimals=3, bilingual=False),
                   Column("flagged", "外れ値の審査員", "Outlying judges", "text"))
        rows = [[j.component, len(j.judges), j.complete_judges, j.kendalls_w, "、".join(j.flagged)]
                for j in self.judges]
        return DataTable(key="judges", title="審査員", title_en="Judges' consistency", columns=columns, rows=rows,
                         sheet="審査員", sheet_en="Judges",
                         notes=("一致係数は 1 に近いほど審査員の順位付けがそろっていることを示します。"
                                "外れ値の審査員は報告のみで、採点から除外していません。",),
                         notes_en=("Kendall's W near 1 means the judges rank the proposals alike. Outlying judges "
                                   "are reported, not dropped.",))

    def _signatures(self) -> DataTable:
        columns = (Column("item", "項目", "Item", "text"), Column("entry", "記入", "Entry", "text"))
        rows = [["調達件名 (procurement)", self.name], ["結果 (result)", self._headline("ja")],
                ["審査委員長 (chair)", "署名 (signature):"], ["審査委員 (member)", "署名 (signature):"],
                ["審査委員 (member)", "署名 (signature):"], ["日付 (date)", ""]]
        return DataTable(key="signatures", title="署名", title_en="Signatures", columns=columns, rows=rows,
                         sheet="署名", sheet_en="Signatures")

    def views(self) -> tuple[DataTable, ...]:
        """The evaluation sheet (評価結果表) the committee signs, as declared tables.

        評価結果 (the ranking; shown points add up to the shown totals), 配点 (the scheme), 価格
        (bids, validity, price points and the price limits), 採点 <component> (each judge's
        scores), 審査員 (judges' consistency) and 署名 (the result and signature lines):
        ``jichitai_cloud.report.to_excel(result, path)`` writes them as one workbook.  The text and
        notebook renderings leave out the judges' raw sheets (hundreds of rows) and the signatures.
        """
        return (self._ranking(), self._allotment(), self._prices(),
                *judge_tables(self.scheme, self.proposals), self._judges(), self._signatures())

    def _shown(self) -> tuple[DataTable, ...]:
        return self._ranking(), self._allotment(), self._prices(), self._judges()

    def to_text(self, lang: Lang = "ja") -> str:
        """The ranking, the scheme, the bids and the judges' consistency as text, then the summary
        (the judges' raw sheets go to the exports)."""
        lang = check_lang(lang)
        return "\n\n".join(render_text(t, lang) for t in self._shown()) + f"\n{self.summary(lang)}"

    def to_markdown(self, lang: Lang = "ja") -> str:
        """As :meth:`to_text`, in Markdown."""
        lang = check_lang(lang)
        parts = [render_markdown(t, lang) for t in self._shown()]
        parts.append("\n".join(f"- {x}" for x in self.summary(lang).splitlines()))
        return "\n\n".join(parts) + "\n"

    def html_fragment(self, lang: Lang = "ja") -> str:
        """As :meth:`to_text`, as an HTML fragment (what a notebook shows)."""
        lang = check_lang(lang)
        parts = [render_html(t, lang) for t in self._shown()]
        parts.append('<ul class="summary">' + "".join(f"<li>{html.escape(x)}</li>"
                                                       for x in self.summary(lang).splitlines()) + "</ul>")
        return "\n".join(parts)

    def _headline(self, lang: Lang = "ja") -> str:
        if self.winner is not None:
            return f"最優秀業者: {self.winner}" if lang == "ja" else f"winner: {self.winner}"
        if self.lottery_candidates:
            if lang == "ja":
                return ("単独の最優秀業者なし: " + "、".join(self.lottery_candidates)
                        + " が総合評価点・技術点とも同点のため、くじ (電子くじ) で決定します"
                        " (EvaluationResult.lottery)")
            return ("no single winner: " + ", ".join(self.lottery_candidates)
                    + " tie on total and technical points; a lottery decides (EvaluationResult.lottery)")
        return "最優秀業者なし: 有効な提案がありません" if lang == "ja" else "no winner: no proposal is eligible"

    def summary(self, lang: Lang = "ja") -> str:
        """The winner, the investigation threshold, the judges' consistency and the notes, one per
        line, in Japanese (``lang="en"``: English)."""
        ja = check_lang(lang) == "ja"
        lines = [self._headline(lang)]
        if self.investigation is not None:
            lines.append(f"調査基準価格: {self.investigation:,} 円" if ja
                         else f"investigation threshold: {self.investigation:,} yen")
        names = {c.name: c.name_ja or c.name for c in self.scheme.components}
        for j in self.judges:
            w = ("算出不可" if ja else "n/a") if j.kendalls_w is None else f"{j.kendalls_w:.3f}"
            if ja:
                flag = f"、外れ値の審査員 (除外せず報告): {'、'.join(j.flagged)}" if j.flagged else ""
                lines.append(f"{names.get(j.component, j.component)} の審査員 {len(j.judges)} 人 "
                             f"(全提案を採点 {j.complete_judges} 人)、一致係数 (Kendall's W) {w}{flag}")
            else:
                flag = f"; outlying judges (reported, not dropped): {', '.join(j.flagged)}" if j.flagged else ""
                lines.append(f"judges of {j.component}: {len(j.judges)}, Kendall's W {w} "
                             f"({j.complete_judges} complete){flag}")
        lines += [f"注記: {n}" for n in self.notes] if ja else [f"note: {n}" for n in self.notes_en or self.notes]
        return "\n".join(lines)

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

    def robustness_cost(self, samples: int, chunk_size: int = 8192) -> tuple[float, float]:
        """Estimated peak memory [bytes] and time on a laptop [s] of ``robustness(samples=samples)``.

        Parameters
        ----------
        samples
            Monte Carlo samples. [samples]
        chunk_size
            Samples evaluated together. [samples]
        """
        return robustness_cost(self, samples, chunk_size)

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
