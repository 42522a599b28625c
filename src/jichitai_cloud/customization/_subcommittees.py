"""Subcommittee (部会) summaries: meetings held, attendance by member, fit & gap items.

Meetings come from the council's :class:`~jichitai_cloud.Subcommittee` (a meeting count or dated
:class:`~jichitai_cloud.Meeting` records) and from a register's
:class:`~jichitai_cloud.model.MeetingRecord` entries, which name their subcommittee; fit & gap items from
the register's :class:`~jichitai_cloud.model.FitGapItem` entries.  The warning that a declared total
disagrees with the subcommittees' counts (the source document's 194 against the 192 its list adds
up to) is :meth:`~jichitai_cloud.Consortium.findings`'s; this module adds the warnings about the
register's records.

References
----------
富山県情報システム共同利用推進協議会事務局 (2016), 5. 導入・移行, 1 会議 (2) 19部会によるフィット&
ギャップ(延べ194回).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs

from .._display import Column, DataTable, Lang, TableView, check_lang, col, member_column
from ..model import Consortium, CustomizationRegister, Finding, Resolution
from ._domain import member_names

__all__ = ["SubcommitteeRow", "SubcommitteeSummary", "subcommittee_summary"]

_RESOLUTIONS = tuple(Resolution)
_RESOLUTION_EN = {"operate_differently": "Operate differently", "customize": "Customized",
                  "make_standard": "Made standard", "withdraw": "Withdrawn"}
_NAME_JA = Column("name_ja", "部会", "Subcommittee", "name")
_COLUMNS = (
    _NAME_JA, Column("name_en", "英語名", "Name in English", "text", lang="en"),
    Column("meetings", "開催回数", "Meetings", "count", total=True),
    Column("source", "回数の出典", "Source of the count", "code"),
    Column("fits", "適合", "Fits", "count", total=True), Column("gaps", "ギャップ", "Gaps", "count", total=True),
    *[Column(res.value, f"ギャップ対応: {res.ja}", f"Gaps: {_RESOLUTION_EN.get(res.value, res.value)}", "count",
             total=True, bilingual=False) for res in _RESOLUTIONS],
    Column("open", "未解決", "Open", "count", total=True), col("requests"),
)


@attrs.frozen(kw_only=True, slots=True)
class SubcommitteeRow:
    """One subcommittee's figures.

    Parameters
    ----------
    name_ja, name_en
        Names.
    meetings
        Meetings held. [meetings]
    source
        Where :attr:`meetings` comes from: ``"count"`` (the council's meeting count), ``"dated"``
        (the council's dated meetings), ``"records"`` (the register's records) or ``"none"``.
    recorded_attendance
        Meetings whose attendance is recorded. [meetings]
    attendance
        Meetings attended per member, in the summary's member order (over the meetings whose
        attendance is recorded). [meetings]
    fits, gaps
        Fit & gap items that fit, and that are gaps. [items]
    resolutions
        Gaps per resolution, in the order of :class:`~jichitai_cloud.model.Resolution`. [items]
    open_gaps
        Gaps not yet resolved. [items]
    requests
        Customization requests of the subcommittee. [requests]
    """

    name_ja: str
    name_en: str = ""
    meetings: int = 0
    source: str = "none"
    recorded_attendance: int = 0
    attendance: tuple[int, ...] = ()
    fits: int = 0
    gaps: int = 0
    resolutions: tuple[int, ...] = (0,) * len(_RESOLUTIONS)
    open_gaps: int = 0
    requests: int = 0


@attrs.frozen(kw_only=True, slots=True)
class SubcommitteeSummary(TableView):
    """Per-subcommittee and council-wide figures of the fit & gap work.

    Build it with :func:`subcommittee_summary`.  Its tables (:meth:`tables`): ``部会`` (one row per
    subcommittee) and, when attendance is recorded, ``出席`` (meetings attended per member); no
    total rows (the text adds the ``計`` rows).

    Parameters
    ----------
    members
        Member codes (the attendance columns).
    rows
        One :class:`SubcommitteeRow` per subcommittee.
    findings
        Warnings: the council's (a declared meeting total its subcommittees do not add up to) and the
        register's (records that disagree with a subcommittee's count, records for a subcommittee
        the council does not have).
    declared_meetings
        The published total of meetings, if the council has one. [meetings]
    names
        Member names, in :attr:`members` order (the attendance headings; default: the codes).
    """

    members: tuple[str, ...]
    rows: tuple[SubcommitteeRow, ...]
    findings: tuple[Finding, ...] = ()
    declared_meetings: int | None = None
    names: tuple[str, ...] = ()

    @property
    def member_names(self) -> tuple[str, ...]:
        """The members' names (the codes where none is known)."""
        return self.names or self.members

    @property
    def total_meetings(self) -> int:
        """Meetings held by all subcommittees (延べ). [meetings]"""
        return sum(r.meetings for r in self.rows)

    @property
    def total_fits(self) -> int:
        """Fit & gap items that fit, council-wide. [items]"""
        return sum(r.fits for r in self.rows)

    @property
    def total_gaps(self) -> int:
        """Gaps, council-wide. [items]"""
        return sum(r.gaps for r in self.rows)

    def resolution_totals(self) -> dict[str, int]:
        """Gaps per resolution council-wide, plus ``open``. [items]"""
        out = {res.value: sum(r.resolutions[i] for r in self.rows) for i, res in enumerate(_RESOLUTIONS)}
        out["open"] = sum(r.open_gaps for r in self.rows)
        return out

    def attendance_totals(self) -> tuple[tuple[int, int], ...]:
        """Per member: ``(meetings attended, meetings with attendance recorded)`` over all subcommittees.

        A member counts only for the subcommittees it attended at least once or is recorded for;
        the second number is the same for every member (all meetings with recorded attendance).
        """
        recorded = sum(r.recorded_attendance for r in self.rows)
        return tuple((sum(r.attendance[j] for r in self.rows), recorded) for j in range(len(self.members)))

    def header(self) -> list[str]:
        """Columns of :meth:`table_rows`."""
        return [c.key for c in _COLUMNS]

    def table_rows(self, *, totals: bool = True) -> list[list[Any]]:
        """One row per subcommittee, and a ``計`` row with the council-wide totals if ``totals``."""
        out: list[list[Any]] = [
            [r.name_ja, r.name_en, r.meetings, r.source, r.fits, r.gaps, *r.resolutions, r.open_gaps, r.requests]
            for r in self.rows
        ]
        if totals:
            res = self.resolution_totals()
            out.append(["計", "total", self.total_meetings, "", self.total_fits, self.total_gaps,
                        *[res[x.value] for x in _RESOLUTIONS], res["open"], sum(r.requests for r in self.rows)])
        return out

    def attendance_header(self) -> list[str]:
        """Columns of :meth:`attendance_rows`."""
        return ["name_ja", "recorded", *self.members]

    def attendance_rows(self, *, totals: bool = True) -> list[list[Any]]:
        """Meetings attended per subcommittee (with recorded attendance) and member, and (``totals``)
        the ``計`` row."""
        rows: list[list[Any]] = [[r.name_ja, r.recorded_attendance, *r.attendance]
                                 for r in self.rows if r.recorded_attendance]
        if totals:
            tot = self.attendance_totals()
            rows.append(["計", sum(r.recorded_attendance for r in self.rows), *[a for a, _ in tot]])
        return rows

    def _caption(self, lang: Lang = "ja") -> str:
        if lang == "ja":
            text = f"部会 {len(self.rows)}、延べ開催回数 {self.total_meetings} 回"
            return text + (f" (公表値 {self.declared_meetings} 回)" if self.declared_meetings is not None else "")
        text = f"{len(self.rows)} subcommittees, meetings held (延べ) {self.total_meetings}"
        return text + (f" (declared {self.declared_meetings})" if self.declared_meetings is not None else "")

    def views(self) -> tuple[DataTable, ...]:
        """``部会``: one row per subcommittee; ``出席``: meetings attended per member (headed by the
        members' names), if any attendance is recorded.  合計 lines in the renderings only."""
        out = [DataTable(key="subcommittees", title="部会", title_en="Subcommittees", columns=_COLUMNS,
                         rows=self.table_rows(totals=False), sheet="部会", sheet_en="Subcommittees",
                         index="name_ja", totals=True, notes=(self._caption("ja"),), notes_en=(self._caption("en"),))]
        if any(r.recorded_attendance for r in self.rows):
            members = tuple(member_column(c, n, kind="count")
                            for c, n in zip(self.members, self.member_names, strict=True))
            out.append(DataTable(
                key="attendance", title="出席", title_en="Attendance by member (meetings attended)",
                columns=(_NAME_JA, Column("recorded", "出席記録のある回数", "Meetings with attendance recorded",
                                          "count", total=True), *members),
                rows=self.attendance_rows(totals=False), sheet="出席", sheet_en="Attendance", index="name_ja",
                totals=True, notes=("各団体の出席回数 (出席記録のある会議のみ)。",),
                notes_en=("Meetings each member attended (of those with attendance recorded).",)))
        return tuple(out)

    def summary(self, lang: Lang = "ja") -> str:
        """The meetings held and the warnings, one per line, in Japanese (``lang="en"``: English)."""
        ja = check_lang(lang) == "ja"
        word = "注意" if ja else "warning"
        return "\n".join([self._caption(lang), *(f"{word}: {f.line(lang)}" for f in self.findings)])

    def __repr__(self) -> str:
        return (f"SubcommitteeSummary({len(self.rows)} subcommittees, {self.total_meetings} meetings, "
                f"{self.total_fits} fits, {self.total_gaps} gaps, findings={len(self.findings)})")


def subcommittee_summary(council: Consortium, register: CustomizationRegister | None = None, *,
                         members: Sequence[str] | None = None) -> SubcommitteeSummary:
    """Meetings, attendance and fit & gap items per subcommittee and council-wide.

    Meetings held: the council's dated meetings if it has them, else its meeting count, else the
    register's records for the subcommittee.  Attendance: from the dated meetings (council or
    register) that list attendees.  Fit & gap items and requests: from the register (and the
    council's requests when no register is given).

    Parameters
    ----------
    council
        The council; its subcommittees come first, in its order.
    register
        The secretariat's register with meeting records and fit & gap items (optional).
    members
        Member codes for the attendance columns (default: the council's).

    Returns
    -------
    SubcommitteeSummary
        With the council's own warning about a declared total that disagrees with the subcommittees
        (:meth:`~jichitai_cloud.Consortium.findings`), and warnings about register records that
        disagree with a subcommittee's count or name an unknown subcommittee.

    References
    ----------
    富山県情報システム共同利用推進協議会事務局 (2016), 5. 導入・移行, 1 会議.
    """
    codes = tuple(members) if members is not None else council.codes
    col = {c: j for j, c in enumerate(codes)}
    reg = register if register is not None else CustomizationRegister.from_council(council)
    findings = [f for f in council.findings() if f.where == "subcommittees"]
    names = [s.name_ja for s in council.subcommittees]
    english = {s.name_en: s.name_ja for s in council.subcommittees if s.name_en}
    extra: list[str] = []

    def canonical(name: str, where: str) -> str:
        name = english.get(name, name)
        if name not in names and name not in extra:
            extra.append(name)
            if names:
                findings.append(Finding(where, f"部会「{name}」は協議会の部会にありません。",
                                        f"subcommittee {name!r} is not one of the council's subcommittees"))
        return name

    records: dict[str, list[Any]] = {}
    for i, m in enumerate(reg.meetings):
        records.setdefault(canonical(m.subcommittee, f"meetings[{i}]"), []).append(m)
    items: dict[str, list[Any]] = {}
    for i, x in enumerate(reg.fit_gap):
        items.setdefault(canonical(x.subcommittee, f"fit_gap[{i}]"), []).append(x)
    n_requests: dict[str, int] = {}
    for i, r in enumerate(reg.requests):
        if r.subcommittee:
            key = canonical(r.subcommittee, f"requests[{i}]")
            n_requests[key] = n_requests.get(key, 0) + 1

    rows: list[SubcommitteeRow] = []
    by_name = {s.name_ja: s for s in council.subcommittees}
    for name in [*names, *extra]:
        sub = by_name.get(name)
        recs = records.get(name, [])
        rec_count = sum(m.count for m in recs)
        attended_meetings: list[tuple[str, ...]] = []
        if sub is not None and sub.meetings:
            meetings, source = len(sub.meetings), "dated"
            attended_meetings = [m.attendees for m in sub.meetings if m.attendees]
        elif sub is not None and sub.meeting_count is not None:
            meetings, source = sub.meeting_count, "count"
        elif recs:
            meetings, source = rec_count, "records"
        else:
            meetings, source = 0, "none"
        if recs:
            if source != "records" and rec_count != meetings:
                what_ja = "開催記録" if source == "dated" else "開催回数"
                findings.append(Finding(
                    f"meetings ({name})",
                    f"登録簿には {name} の会議が {rec_count} 回記録されていますが、協議会の{what_ja}では "
                    f"{meetings} 回です。",
                    f"the register records {rec_count} meeting(s) of {name} but the council's "
                    f"{'dated meetings' if source == 'dated' else 'meeting count'} say {meetings}",
                ))
            if source != "dated":
                attended_meetings = [m.attendees for m in recs if m.attendees]
        attendance = [0] * len(codes)
        for att in attended_meetings:
            for c in att:
                if c in col:
                    attendance[col[c]] += 1
        its = items.get(name, [])
        gaps = [x for x in its if not x.fit]
        rows.append(SubcommitteeRow(
            name_ja=name,
            name_en=sub.name_en if sub is not None else "",
            meetings=meetings,
            source=source,
            recorded_attendance=len(attended_meetings),
            attendance=tuple(attendance),
            fits=sum(x.fit for x in its),
            gaps=len(gaps),
            resolutions=tuple(sum(x.resolution is res for x in gaps) for res in _RESOLUTIONS),
            open_gaps=sum(x.is_open for x in gaps),
            requests=n_requests.get(name, 0),
        ))
    declared = council.published.declared_meetings if council.published is not None else None
    return SubcommitteeSummary(members=codes, rows=tuple(rows), findings=tuple(findings),
                               declared_meetings=declared, names=member_names(council, codes))
