"""The migration check across files and members (移行判定): per member and system, ready to cut over or not.

:func:`check_migration` checks every member's extract files against their layouts
(:func:`~jichitai_cloud.migration.check_extract`), checks the references between files of one
member (every 宛名番号 of the tax file exists in the resident file), and judges each member ready
when no file exceeds the council's thresholds (default: no record failing a required field, no
duplicate key, no missing reference).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np

from .._display import Column, DataTable, Lang, TableView, col
from .._frozenmap import FrozenMap
from .._numeric._dask import run_tasks
from ..errors import UnknownMemberError, ValidationError
from ..model import DataLayout
from ._check import RULES, ExtractCheck, scan_extract
from ._extract import Extract
from ._kernels import missing_from

__all__ = ["DEFAULT_THRESHOLDS", "MigrationCheck", "ReferenceCheck", "check_migration"]

DEFAULT_THRESHOLDS: Mapping[str, int] = FrozenMap({"required": 0, "duplicate": 0, "reference": 0})
"""Most failing records a file may have per rule and still be ready: none in required fields, keys
and references.  Rules not named do not decide readiness (they are still counted and shown)."""


@attrs.frozen(kw_only=True, slots=True)
class ReferenceCheck:
    """One reference of one member: values of a field that must exist in a field of another file.

    Parameters
    ----------
    member
        Member code.
    from_layout, from_field, to_layout, to_field
        The reference: every non-empty ``from_field`` of the ``from_layout`` file must occur in the
        ``to_field`` of the ``to_layout`` file.
    missing
        Number of distinct values not found. [values]
    """

    member: str
    from_layout: str
    from_field: str
    to_layout: str
    to_field: str
    missing: int


_READY_COLUMNS = (
    *(col(k) for k in ("code", "name")),
    Column("system", "システム (ファイル)", "System (file)", "text"),
    Column("records", "レコード数", "Records", "count", total=True),
    Column("failed_records", "不備レコード数", "Failing records", "count", total=True),
    Column("required", "必須未入力", "Required empty", "count", total=True),
    Column("duplicate", "キー重複", "Duplicate keys", "count", total=True),
    Column("reference", "参照先なし", "Missing references", "count", total=True),
    Column("charset", "外字", "Outside charset", "count", total=True),
    Column("ready", "移行可", "Ready", "flag"),
)
_RULE_COLUMNS = (
    *(col(k) for k in ("code", "name")),
    Column("system", "システム (ファイル)", "System (file)", "text"),
    Column("field", "項目ID", "Field", "code"),
    Column("field_name", "項目名", "Field name", "text"),
    Column("rule", "検証規則", "Rule", "text"),
    Column("count", "不備件数", "Failing records", "count"),
    Column("first_records", "該当レコード (先頭)", "First records", "text"),
)
_REF_COLUMNS = (
    *(col(k) for k in ("code", "name")),
    Column("from", "参照元", "From", "text"),
    Column("to", "参照先", "To", "text"),
    Column("missing", "参照先にない値の数", "Values not found", "count", total=True),
)


@attrs.frozen(kw_only=True, slots=True)
class MigrationCheck(TableView):
    """Every member's extract checks, the references between its files, and whether it is ready.

    Parameters
    ----------
    members
        Member codes in the order given.
    names
        Member names (the code where none was given).
    checks
        ``(member, layout name, ExtractCheck)`` for every file.
    references
        One :class:`ReferenceCheck` per member and reference.
    thresholds
        Rule → most failing records a file may have and be ready (``"reference"``: values not found).
    """

    members: tuple[str, ...]
    names: tuple[str, ...]
    checks: tuple[tuple[str, str, ExtractCheck], ...]
    references: tuple[ReferenceCheck, ...]
    thresholds: FrozenMap[int]

    def check(self, member: str, layout: str) -> ExtractCheck:
        """The check of one member's file for ``layout``."""
        for m, name, c in self.checks:
            if m == member and name == layout:
                return c
        raise UnknownMemberError(f"no file for member {member!r} and layout {layout!r}")

    def _failures(self, member: str, layout: str, c: ExtractCheck) -> dict[str, int]:
        out: dict[str, int] = {}
        for f in c.failures:
            out[f.rule] = out.get(f.rule, 0) + f.count
        out["reference"] = sum(r.missing for r in self.references if r.member == member and r.from_layout == layout)
        return out

    def ready_file(self, member: str, layout: str) -> bool:
        """Whether one file of a member is within every threshold."""
        fails = self._failures(member, layout, self.check(member, layout))
        return all(fails.get(rule, 0) <= limit for rule, limit in self.thresholds.items())

    def ready(self, member: str) -> bool:
        """Whether every file of ``member`` is within the thresholds (ready to cut over, 移行可)."""
        if member not in self.members:
            raise UnknownMemberError(f"no member {member!r} in the check; members are {list(self.members)}")
        return all(self.ready_file(m, name) for m, name, _ in self.checks if m == member)

    def _name(self, member: str) -> str:
        return self.names[self.members.index(member)]

    def views(self) -> tuple[DataTable, ...]:
        """Readiness per member and system; failures by field and rule; references."""
        ready_rows, rule_rows = [], []
        for m, name, c in self.checks:
            fails = self._failures(m, name, c)
            ready_rows.append([m, self._name(m), name, c.records, c.failed_records, fails.get("required", 0),
                               fails.get("duplicate", 0), fails["reference"], fails.get("charset", 0),
                               self.ready_file(m, name)])
            rule_rows += [[m, self._name(m), name, f.field_id, f.name, RULES[f.rule][0], f.count,
                           ", ".join(map(str, f.first_records))] for f in c.failures]
        ref_rows = [[r.member, self._name(r.member), f"{r.from_layout}.{r.from_field}", f"{r.to_layout}.{r.to_field}",
                     r.missing] for r in self.references]
        limits = "、".join(f"{RULES.get(k, ('参照先なし',))[0]} {v} 件以下" for k, v in self.thresholds.items())
        limits_en = ", ".join(f"{RULES.get(k, ('', 'missing references'))[1]} <= {v}" for k, v in self.thresholds.items())
        out = [DataTable(key="migration_ready", title="データ移行判定 (団体・システム別)",
                         title_en="Migration readiness by member and system", columns=_READY_COLUMNS,
                         rows=ready_rows, sheet="移行判定", sheet_en="Readiness", index="code",
                         notes=(f"移行可の基準: {limits}。値は表示していません（個人情報）。",),
                         notes_en=(f"Ready when: {limits_en}. Values are not shown (personal data).",)),
               DataTable(key="migration_failures", title="不備の内訳 (項目・規則別)",
                         title_en="Failures by field and rule", columns=_RULE_COLUMNS, rows=rule_rows,
                         sheet="不備内訳", sheet_en="Failures")]
        if self.references:
            out.append(DataTable(key="migration_references", title="ファイル間の参照 (参照先にない値)",
                                 title_en="References between files (values not found)", columns=_REF_COLUMNS,
                                 rows=ref_rows, sheet="参照整合", sheet_en="References"))
        return tuple(out)

    def summary(self, lang: Lang = "ja") -> str:
        """Which members are ready."""
        ready = [m for m in self.members if self.ready(m)]
        waiting = [m for m in self.members if m not in ready]
        if lang == "en":
            return (f"ready: {', '.join(self._name(m) for m in ready) or 'none'}; "
                    f"not ready: {', '.join(self._name(m) for m in waiting) or 'none'}")
        return (f"移行可: {'、'.join(self._name(m) for m in ready) or 'なし'} / "
                f"移行不可: {'、'.join(self._name(m) for m in waiting) or 'なし'}")


def _references(refs: Iterable[Sequence[str]], layouts: Mapping[str, DataLayout]) -> tuple[tuple[str, str, str, str], ...]:
    out = []
    for i, r in enumerate(refs):
        if isinstance(r, str) or len(tuple(r)) != 4:
            raise ValidationError(f"references[{i}] must be (from layout, field, to layout, field), got {r!r:.80}")
        a, fa, b, fb = (str(x) for x in r)
        for lay, fid in ((a, fa), (b, fb)):
            if lay not in layouts:
                raise ValidationError(f"references[{i}]: no layout {lay!r}; layouts are {list(layouts)}")
            layouts[lay].field(fid)
        out.append((a, fa, b, fb))
    return tuple(out)


def _scan(extract: Extract, layout: DataLayout, charset: Any, want: tuple[str, ...]
          ) -> tuple[ExtractCheck, dict[str, np.ndarray[Any, Any]]]:
    return scan_extract(extract, layout, charset=charset, collect=want)


def check_migration(files_by_member: Mapping[str, Mapping[str, Extract]], layouts: Mapping[str, DataLayout], *,
                    references: Iterable[Sequence[str]] = (), thresholds: Mapping[str, int] | None = None,
                    names: Mapping[str, str] | None = None, charset: Any = None,
                    scheduler: str | None = None) -> MigrationCheck:
    """Check every member's files, the references between them, and each member's readiness.

    Parameters
    ----------
    files_by_member
        ``{member code: {layout name: extract}}``; each extract from
        :func:`jichitai_cloud.io.read_extract` (``io.read_extracts`` reads a whole
        ``{member: {layout: path}}`` mapping).
    layouts
        ``{layout name: DataLayout}``.
    references
        ``(from layout, field, to layout, field)`` tuples: every non-empty value of the first field
        in a member's first file must occur in the second field of the same member's second file.
    thresholds
        Rule → most failing records a file may have and be ready (default
        :data:`DEFAULT_THRESHOLDS`: none failing ``required``, ``duplicate``, ``reference``). [records]
    names
        Member names for the tables (default: the codes).
    charset
        As for :func:`~jichitai_cloud.migration.check_extract`.
    scheduler
        ``None`` (default: the files one after another), or a dask scheduler, ``"threads"``,
        ``"processes"`` or ``"synchronous"``: every file is then checked as one task, all in
        parallel (needs the ``scale`` extra, ``pip install "jichitai-cloud[scale]"``).  The result
        is the same either way.

    Returns
    -------
    MigrationCheck
        ``ready(member)``, ``check(member, layout)``, the readiness table per member and system.

    Raises
    ------
    ValidationError
        A file for a layout not given, a reference naming an unknown layout or field, a bad threshold.
    """
    if not isinstance(files_by_member, Mapping) or not files_by_member:
        raise ValidationError("files_by_member must map member codes to {layout name: extract}")
    limits = dict(DEFAULT_THRESHOLDS if thresholds is None else thresholds)
    for rule, limit in limits.items():
        if rule not in RULES and rule != "reference":
            raise ValidationError(f"thresholds: unknown rule {rule!r}; rules are {[*RULES, 'reference']}")
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
            raise ValidationError(f"thresholds[{rule!r}] must be an integer >= 0 [records], got {limit!r}")
    refs = _references(references, layouts)
    calls: list[tuple[Extract, DataLayout, Any, tuple[str, ...]]] = []
    for member, files in files_by_member.items():
        for name, extract in files.items():
            if name not in layouts:
                raise ValidationError(f"member {member!r}: no layout {name!r}; layouts are {list(layouts)}")
            want = tuple(dict.fromkeys([fa for a, fa, _, _ in refs if a == name]
                                       + [fb for _, _, b, fb in refs if b == name]))
            calls.append((extract, layouts[name], charset, want))
    scans = iter(run_tasks(_scan, calls, scheduler))  # each file one task (in parallel with a scheduler)
    checks: list[tuple[str, str, ExtractCheck]] = []
    ref_checks: list[ReferenceCheck] = []
    for member, files in files_by_member.items():
        values: dict[tuple[str, str], np.ndarray[Any, Any]] = {}
        for name in files:
            check, collected = next(scans)
            checks.append((member, name, check))
            values.update({(name, fid): arr for fid, arr in collected.items()})
        for a, fa, b, fb in refs:
            if (a, fa) not in values:
                continue  # the member has no such file: nothing refers
            known = values.get((b, fb), np.array([], dtype=str))
            missing = int(missing_from(values[(a, fa)], known).sum())
            ref_checks.append(ReferenceCheck(member=member, from_layout=a, from_field=fa, to_layout=b, to_field=fb,
                                             missing=missing))
    members = tuple(files_by_member)
    given = dict(names or {})
    return MigrationCheck(members=members, names=tuple(given.get(m, m) for m in members), checks=tuple(checks),
                          references=tuple(ref_checks), thresholds=FrozenMap(limits))


