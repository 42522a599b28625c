"""The decision record summarised: outcomes by status, subcommittee and member, and the questions.

References
----------
富山県情報システム共同利用推進協議会事務局 (2016), カスタマイズ抑制の手法 and カスタマイズ抑制の結果
(31 requested: 17 implemented, 3 made standard, 11 withdrawn).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import attrs

from .._display import Table, TableView, text_table
from ..model import Assessment, Consortium, CustomizationRequest, Finding, RequestStatus
from ._comparison import ComparisonTable, comparison_table
from ._domain import Source, _table, register_of

__all__ = ["DecisionSummary", "decision_summary"]

_STATUSES = tuple(RequestStatus)


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
        return ["status", "状態", "requests", "cost"], rows

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
            rows.append([name or "(none)", len(idx), *[c[st] for st in _STATUSES[1:]], c[RequestStatus.REQUESTED],
                         sum(self.comparison.costs[i] for i in idx)])
        header = ["subcommittee", "requests", *[st.value for st in _STATUSES[1:]], "pending", "cost"]
        return header, rows

    def by_member(self) -> tuple[list[str], list[list[Any]]]:
        """``(header, rows)``: per member, requests it asked for, by outcome, what it adopted and pays."""
        rows: list[list[Any]] = []
        for j, code in enumerate(self.members):
            asked = [r for r in self.requests if code in r.requesters]
            c = Counter(r.status for r in asked)
            adopted = sum(code in r.adopters and r.status is RequestStatus.IMPLEMENTED for r in self.requests)
            rows.append([code, len(asked), *[c[st] for st in _STATUSES[1:]], adopted, self.comparison.member_totals[j]])
        header = ["member", "requested", *[st.value for st in _STATUSES[1:]], "adopted", "pays"]
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

    _INDEX = "id"

    def table(self) -> Table:
        """One row per request: the answers (:meth:`assessments`), subcommittee, requesters, adopters, cost."""
        header, rows = self.assessments()
        extra = [[r.subcommittee, ";".join(r.requesters), ";".join(r.adopters), c]
                 for r, c in zip(self.requests, self.comparison.costs, strict=True)]
        return _table([*header, "subcommittee", "requesters", "adopters", "cost"],
                      [[*a, *b] for a, b in zip(rows, extra, strict=True)])

    def tables(self) -> dict[str, Table]:
        """``状態別``, ``部会別``, ``団体別`` (by status, subcommittee, member) and ``検討項目`` (the answers).

        No total rows: the totals are :attr:`requests` (their number) and the comparison's
        ``grand_total``, shown by :meth:`to_text`."""
        return {"状態別": _table(*self.by_status(totals=False)), "部会別": _table(*self.by_subcommittee()),
                "団体別": _table(*self.by_member()), "検討項目": _table(*self.assessments())}

    def _headline(self) -> str:
        counts = self.outcome_counts()
        return (f"customization requests (カスタマイズ要望): {counts['requested']} requested, "
                f"{counts['implemented']} implemented, {counts['made_standard']} made standard, "
                f"{counts['withdrawn']} withdrawn"
                + (f", {counts['not_implemented']} not implemented" if counts["not_implemented"] else "")
                + (f", {counts['pending']} pending" if counts["pending"] else ""))

    def summary(self) -> str:
        """The outcome counts and the warnings, one per line."""
        return "\n".join([self._headline(), *(f"warning: {f}" for f in self.findings)])

    def to_text(self) -> str:
        """Every summary as fixed-width text."""
        parts = [self._headline(), "", text_table(*self.by_status(), title="by status (状態別)"), "",
                 text_table(*self.by_subcommittee(), title="by subcommittee (部会別)"), "",
                 text_table(*self.by_member(), title="by member (団体別)")]
        if self.findings:
            parts += ["", "warnings:"] + [f"  - {f}" for f in self.findings]
        return "\n".join(parts)

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
    table = comparison_table(reg)
    findings: list[Finding] = []
    if isinstance(source, Consortium):
        findings += [f for f in source.findings() if f.where == "customization_requests"]
    summary = DecisionSummary(members=reg.members, requests=reg.requests, comparison=table)
    for rid in summary.contradictions():
        r = reg.request(rid)
        sug = r.assessment.suggestion()
        assert sug is not None
        findings.append(Finding(
            f"customization_requests[{rid}]",
            f"recorded as {r.status.value!r} but its answers point to {sug.value!r} "
            f"({'; '.join(r.assessment.reasons())})",
        ))
    return attrs.evolve(summary, findings=tuple(findings))
