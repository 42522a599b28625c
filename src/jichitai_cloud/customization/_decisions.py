"""The decision record summarised: outcomes by status, subcommittee and member, and the questions.

References
----------
富山県情報システム共同利用推進協議会事務局 (2016), カスタマイズ抑制の手法 and カスタマイズ抑制の結果
(31 requested: 17 implemented, 3 made standard, 11 withdrawn).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import attrs

from .._display import Column, DataTable, Lang, TableView, check_lang, col, cols, render_frame
from ..model import Assessment, Consortium, CustomizationRequest, Finding, RequestStatus
from ._comparison import ComparisonTable, comparison_table
from ._domain import Source, member_names, register_of

if TYPE_CHECKING:  # pragma: no cover
    import pandas

__all__ = ["DecisionSummary", "decision_summary"]

_STATUSES = tuple(RequestStatus)
_OUTCOMES = cols("implemented", "made_standard", "withdrawn", "not_implemented", "pending")
_STATUS_CODE = Column("status", "状態コード", "Status code", "code", lang="en")  # Japanese shows the label
_STATUS_JA = Column("status_ja", "状態", "Status", "text", bilingual=False)
_LABELS = {st.value: st.ja for st in RequestStatus}


@attrs.frozen(kw_only=True, slots=True)
class DecisionSummary(TableView):
    """The decision record summarised: outcomes by status, subcommittee and member, and the questions.

    Build it with :func:`decision_summary`.  Its tables (:meth:`tables`): ``状態別`` (by status),
    ``部会別`` (by subcommittee), ``団体別`` (by member) and ``検討項目`` (the answers); its main
    table (:meth:`table`, :meth:`to_dataframe`) has one row per request.

    Parameters
    ----------
    members
        Member codes.
    requests
        The requests.
    comparison
        Their comparison table (adopters' shares).
    findings
        Warnings: published outcome counts the requests disagree with, requests whose answers point
        to another outcome than the recorded one.
    """

    members: tuple[str, ...]
    requests: tuple[CustomizationRequest, ...]
    comparison: ComparisonTable
    findings: tuple[Finding, ...] = ()

    def outcome_counts(self) -> dict[str, int]:
        """``requested`` (all requests) and the number per outcome, as the document counts them.

        The keys are ``requested``, ``implemented``, ``made_standard``, ``withdrawn``,
        ``not_implemented`` and ``pending`` (status still ``requested``). [requests]
        """
        c = Counter(r.status for r in self.requests)
        return {
            "requested": len(self.requests),
            "implemented": c[RequestStatus.IMPLEMENTED],
            "made_standard": c[RequestStatus.MADE_STANDARD],
            "withdrawn": c[RequestStatus.WITHDRAWN],
            "not_implemented": c[RequestStatus.NOT_IMPLEMENTED],
            "pending": c[RequestStatus.REQUESTED],
        }

    def by_status(self, *, totals: bool = True) -> tuple[list[str], list[list[Any]]]:
        """``(header, rows)``: per status, the number of requests and their cost. [requests], [yen]

        Requests still at status ``requested`` are shown as ``pending``; with ``totals`` the last
        row is the total (as the text shows it; :meth:`tables` leaves it out).
        """
        rows: list[list[Any]] = []
        for st in _STATUSES:
            idx = [i for i, r in enumerate(self.requests) if r.status is st]
            pending = st is RequestStatus.REQUESTED
            rows.append(["pending" if pending else st.value, "未決定" if pending else st.ja, len(idx),
                         sum(self.comparison.costs[i] for i in idx)])
        if totals:
            rows.append(["total", "合計", len(self.requests), self.comparison.grand_total])
        return ["status", "status_ja", "requests", "cost"], rows

    def by_subcommittee(self) -> tuple[list[str], list[list[Any]]]:
        """``(header, rows)``: per subcommittee (in first-seen order), requests per outcome and cost."""
        names: list[str] = []
        for r in self.requests:
            if r.subcommittee not in names:
                names.append(r.subcommittee)
        rows: list[list[Any]] = []
        for name in names:
            idx = [i for i, r in enumerate(self.requests) if r.subcommittee == name]
            c = Counter(self.requests[i].status for i in idx)
            rows.append([name or "(部会なし)", len(idx), *[c[st] for st in _STATUSES[1:]], c[RequestStatus.REQUESTED],
                         sum(self.comparison.costs[i] for i in idx)])
        header = ["subcommittee", "requests", *[st.value for st in _STATUSES[1:]], "pending", "cost"]
        return header, rows

    def by_member(self) -> tuple[list[str], list[list[Any]]]:
        """``(header, rows)``: per member (name, code), requests it asked for, by outcome, what it
        adopted and pays. [requests], [yen]"""
        rows: list[list[Any]] = []
        names = self.comparison.member_names
        for j, code in enumerate(self.members):
            asked = [r for r in self.requests if code in r.requesters]
            c = Counter(r.status for r in asked)
            adopted = sum(code in r.adopters and r.status is RequestStatus.IMPLEMENTED for r in self.requests)
            rows.append([names[j], code, len(asked), *[c[st] for st in _STATUSES[1:]], adopted,
                         self.comparison.member_totals[j]])
        header = ["name", "code", "requested", *[st.value for st in _STATUSES[1:]], "adopted", "pays"]
        return header, rows

    def assessments(self) -> tuple[list[str], list[list[Any]]]:
        """``(header, rows)``: each request's answers to the document's questions and what they suggest."""
        qs = [f for f, _, _ in Assessment.QUESTIONS]
        rows: list[list[Any]] = []
        for r in self.requests:
            a = r.assessment
            sug = a.suggestion()
            rows.append([r.id, r.title, r.status.value, *[getattr(a, f) for f in qs],
                         sug.value if sug else None,
                         None if sug is None else sug is r.status])
        return ["id", "title", "status", *qs, "suggested", "agrees"], rows

    def contradictions(self) -> tuple[str, ...]:
        """Ids of decided requests whose answers point to a different outcome than the recorded one."""
        return tuple(r.id for r in self.requests
                     if r.status is not RequestStatus.REQUESTED
                     and r.assessment.suggestion() is not None and r.assessment.suggestion() is not r.status)

    def table(self) -> tuple[tuple[str, ...], list[list[Any]]]:
        """One row per request (the ``検討項目`` table): the answers (:meth:`assessments`),
        subcommittee, requesters, adopters, cost."""
        t = self.view("requests")
        return t.keys, [list(r) for r in t.rows]

    def views(self) -> tuple[DataTable, ...]:
        """``状態別``, ``部会別``, ``団体別`` (by status, subcommittee, member; a 合計 line in the
        renderings, none in the rows) and ``検討項目`` (one row per request: the answers, requesters,
        adopters and cost)."""
        _, answers = self.assessments()
        extra = [[r.subcommittee, ";".join(r.requesters), ";".join(r.adopters), c]
                 for r, c in zip(self.requests, self.comparison.costs, strict=True)]
        questions = tuple(Column(f, ja, en, "flag") for f, ja, en in Assessment.QUESTIONS)
        # the stored statuses (codes) are shown in English; Japanese shows the document's labels
        request_columns = (col("id"), col("title"), attrs.evolve(_STATUS_CODE, en="Status"),
                           attrs.evolve(_STATUS_JA, bilingual=True, en="Status (Japanese)", lang="ja"), *questions,
                           Column("suggested", "回答が示す結論 (コード)", "Suggested outcome", "code", lang="en"),
                           Column("suggested_ja", "回答が示す結論", "Suggested outcome (Japanese)", "text", lang="ja"),
                           Column("agrees", "記録と一致", "Agrees with the record", "flag"),
                           col("subcommittee"), Column("requesters", "要望団体", "Requesters", "text"),
                           Column("adopters", "採用団体", "Adopters", "text"), col("cost"))
        return (
            DataTable(key="by_status", title="状態別", title_en="By status",
                      columns=(_STATUS_CODE, _STATUS_JA, col("requests"), col("cost")),
                      rows=self.by_status(totals=False)[1], sheet="状態別", sheet_en="By status", totals=True),
            DataTable(key="by_subcommittee", title="部会別", title_en="By subcommittee",
                      columns=(col("subcommittee"), col("requests"), *_OUTCOMES, col("cost")),
                      rows=self.by_subcommittee()[1], sheet="部会別", sheet_en="By subcommittee", totals=True),
            DataTable(key="by_member", title="団体別", title_en="By member",
                      columns=(*cols("name", "code", "requested"), *_OUTCOMES[:4], col("adopted"), col("pays")),
                      rows=self.by_member()[1], sheet="団体別", sheet_en="By member", index="code", totals=True),
            DataTable(key="requests", title="検討項目", title_en="Questions answered",
                      columns=request_columns, rows=[[*a[:3], _LABELS.get(a[2], a[2]), *a[3:-2], a[-2], _LABELS.get(a[-2] or "", a[-2]),
                                                 a[-1], *b] for a, b in zip(answers, extra, strict=True)],
                      sheet="検討項目", sheet_en="Questions answered", index="id", totals=True,
                      notes=("要望団体・採用団体は団体コードで示しています。",),
                      notes_en=("Requesters and adopters are given by member code.",)),
        )

    def to_dataframe(self, table: str | None = None) -> pandas.DataFrame:
        """A table as a pandas DataFrame: one row per request (``検討項目``, indexed by ``id``) by
        default, or ``table`` by key or title."""
        # differs from TableView.to_dataframe on purpose: the data of a decision summary is its requests;
        # the count tables shown first are summaries of them
        return render_frame(self.view(table or "requests"))

    def _headline(self, lang: Lang = "ja") -> str:
        c = self.outcome_counts()
        if lang == "ja":
            parts = [f"カスタマイズ実施 {c['implemented']} 件", f"標準仕様として対応 {c['made_standard']} 件",
                     f"取下げ {c['withdrawn']} 件"]
            parts += [f"実施しない {c['not_implemented']} 件"] if c["not_implemented"] else []
            parts += [f"未決定 {c['pending']} 件"] if c["pending"] else []
            return f"カスタマイズ要望 {c['requested']} 件: " + "、".join(parts)
        return (f"customization requests: {c['requested']} requested, "
                f"{c['implemented']} implemented, {c['made_standard']} made standard, "
                f"{c['withdrawn']} withdrawn"
                + (f", {c['not_implemented']} not implemented" if c["not_implemented"] else "")
                + (f", {c['pending']} pending" if c["pending"] else ""))

    def summary(self, lang: Lang = "ja") -> str:
        """The outcome counts and the warnings, one per line, in Japanese (``lang="en"``: English)."""
        word = "注意" if check_lang(lang) == "ja" else "warning"
        return "\n".join([self._headline(lang), *(f"{word}: {f.line(lang)}" for f in self.findings)])

    def __repr__(self) -> str:
        c = self.outcome_counts()
        return (f"DecisionSummary(requested={c['requested']}, implemented={c['implemented']}, "
                f"made_standard={c['made_standard']}, withdrawn={c['withdrawn']}, "
                f"findings={len(self.findings)})")


def decision_summary(source: Source, *, members: Sequence[str] | None = None) -> DecisionSummary:
    """Summarise the decision record: outcomes by status, subcommittee and member; the questions.

    Parameters
    ----------
    source
        A council (its published outcome counts, if any, are compared through
        :meth:`~jichitai_cloud.Consortium.findings`), a register, or a sequence of requests.
    members
        Member codes (default: the council's or register's).

    Returns
    -------
    DecisionSummary

    References
    ----------
    富山県情報システム共同利用推進協議会事務局 (2016), カスタマイズ抑制の結果 (31 requested: 17
    implemented, 3 made standard, 11 withdrawn).
    """
    reg = register_of(source, members)
    table = attrs.evolve(comparison_table(reg), names=member_names(source, reg.members))
    findings: list[Finding] = []
    if isinstance(source, Consortium):
        findings += [f for f in source.findings() if f.where == "customization_requests"]
    summary = DecisionSummary(members=reg.members, requests=reg.requests, comparison=table)
    for rid in summary.contradictions():
        r = reg.request(rid)
        sug = r.assessment.suggestion()
        assert sug is not None
        reasons = "、".join(r.assessment.reasons())
        findings.append(Finding(
            f"customization_requests[{rid}]",
            f"記録上の状態は「{r.status.ja}」ですが、回答からは「{sug.ja}」となります ({reasons})。",
            f"recorded as {r.status.value!r} but its answers point to {sug.value!r} "
            f"({'; '.join(r.assessment.reasons())})",
        ))
    return attrs.evolve(summary, findings=tuple(findings))
