"""The operations file bundle: one TOML (or JSON) file of definitions plus CSV tables.

:func:`load_operations` reads a council's operations records into an
:class:`~jichitai_cloud.operations.OperationsData`; the CSV readers read one table each (encoding
detection: UTF-8 with or without BOM, or CP932; every problem reported with file, row and column).

CSV tables (columns; Japanese headings in brackets are accepted too)
--------------------------------------------------------------------
observations
    ``metric`` (項目), ``month`` (年月), ``value`` (実績値), optional ``member`` (団体),
    ``system`` (業務), ``weight`` (重み), ``note`` (備考).
outages
    ``start`` (開始), ``end`` (終了), optional ``planned`` (計画停止), ``cause`` (原因: vendor 受託者 /
    member 団体 / external 外部), ``member``, ``system``, ``notified`` (通知), ``description`` (内容).
    Times without an offset are Japan time.
work
    ``month``, ``category`` (区分: 問合せ対応, レベルアップ, 停電対応, 障害対応 …), ``count`` (件数),
    optional ``member``, ``system``, ``note``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import attrs

from ..errors import InputError, JichitaiCloudError, Problem
from ..model import Observation, Outage, WorkRecord
from ..operations import OperationsData
from ._read import decode, parse_document, read_bytes, resolve_listed
from ._schema import records_to_objects
from ._table import table_from
from .converter import structure

__all__ = ["load_operations", "read_observations", "read_outages", "read_work"]

PathLike = str | os.PathLike[str]
T = TypeVar("T")

_OBSERVATION_ALIASES: Mapping[str, str] = {
    "項目": "metric", "SLA項目": "metric", "年月": "month", "月": "month", "実績値": "value", "値": "value",
    "団体": "member", "団体コード": "member", "業務": "system", "重み": "weight", "備考": "note",
}
_OUTAGE_ALIASES: Mapping[str, str] = {
    "開始": "start", "停止開始": "start", "終了": "end", "復旧": "end", "計画停止": "planned", "原因": "cause",
    "団体": "member", "団体コード": "member", "業務": "system", "通知": "notified", "障害通知": "notified",
    "内容": "description", "概要": "description",
}
_WORK_ALIASES: Mapping[str, str] = {
    "年月": "month", "月": "month", "区分": "category", "作業区分": "category", "件数": "count",
    "団体": "member", "団体コード": "member", "業務": "system", "備考": "note",
}


def read_observations(path: PathLike | None = None, *, text: str | None = None, encoding: str = "auto",
                      source: str | None = None, max_bytes: int | None = None) -> tuple[Observation, ...]:
    """Read monthly observations from CSV (see the module docs for the columns).

    Raises
    ------
    InputError
        Naming the file, row and column of every problem.
    """
    return _read_table(path, text, encoding, source, max_bytes, Observation, _OBSERVATION_ALIASES)


def read_work(path: PathLike | None = None, *, text: str | None = None, encoding: str = "auto",
              source: str | None = None, max_bytes: int | None = None) -> tuple[WorkRecord, ...]:
    """Read work records (当月作業実績) from CSV.

    Raises
    ------
    InputError
        Naming the file, row and column of every problem.
    """
    return _read_table(path, text, encoding, source, max_bytes, WorkRecord, _WORK_ALIASES)


def read_outages(path: PathLike | None = None, *, text: str | None = None, encoding: str = "auto",
                 source: str | None = None, max_bytes: int | None = None) -> tuple[Outage, ...]:
    """Read the outage log from CSV; times without an offset are Japan time.

    Raises
    ------
    InputError
        Naming the file, row and column of every problem (including an end before its start).
    """
    return _read_table(path, text, encoding, source, max_bytes, Outage, _OUTAGE_ALIASES)


def _read_table(path: PathLike | None, text: str | None, encoding: str, source: str | None, max_bytes: int | None,
                cls: type[T], aliases: Mapping[str, str]) -> tuple[T, ...]:
    table = table_from(path, text=text, encoding=encoding, source=source, max_bytes=max_bytes)
    return records_to_objects(table, cls, aliases=aliases)


_READERS: Mapping[str, tuple[type[Any], Mapping[str, str]]] = {
    "observations": (Observation, _OBSERVATION_ALIASES),
    "outages": (Outage, _OUTAGE_ALIASES),
    "work": (WorkRecord, _WORK_ALIASES),
}


def _kind_of_csv(header: Sequence[str]) -> str | None:
    cols = set(header)
    obs = {_OBSERVATION_ALIASES.get(h, h) for h in cols}
    out = {_OUTAGE_ALIASES.get(h, h) for h in cols}
    work = {_WORK_ALIASES.get(h, h) for h in cols}
    if {"start", "end"} <= out:
        return "outages"
    if {"metric", "month", "value"} <= obs:
        return "observations"
    if {"month", "category", "count"} <= work:
        return "work"
    return None


def load_operations(*paths: PathLike, encoding: str = "auto", max_bytes: int | None = None) -> OperationsData:
    """Read operations records: one TOML/JSON file of definitions plus CSV tables.

    The TOML file holds the :class:`OperationsData` fields (``council``, ``start``, ``months``,
    ``[[metrics]]``, ``[calendar]``, ``[[issues]]`` …) and may list its CSV tables in
    ``files = [...]``: paths relative to its folder that must stay inside it (no absolute path, no
    ``..`` out of it, no symbolic link leading out, no device).  CSV files are told apart by their
    columns (observations, outages or work records; see the module docs).  An observation, outage or
    work record naming a member, system or SLA item the definitions do not have, or holding an impossible
    value (a negative time, a percentage above 100), is an error naming its file and row.

    Parameters
    ----------
    paths
        The files.
    encoding
        ``"auto"`` (UTF-8 with or without BOM, else CP932) or a codec name.
    max_bytes
        Largest file read, for each file (default 100 MB). [bytes]

    Returns
    -------
    OperationsData

    Raises
    ------
    InputError
        Naming the file (and row, column or field path) of every problem.
    """

    defs = [Path(p) for p in paths if Path(p).suffix.lower() in (".toml", ".json")]
    csvs = [Path(p) for p in paths if Path(p).suffix.lower() == ".csv"]
    other = [os.fspath(p) for p in paths if Path(p).suffix.lower() not in (".toml", ".json", ".csv")]
    if other:
        raise InputError([Problem("", f"unknown file type for {other}: expected .toml, .json or .csv")])
    if len(defs) != 1:
        raise InputError([Problem("", f"give exactly one .toml or .json file of definitions, got {len(defs)}: "
                                      f"{[os.fspath(d) for d in defs]}")])
    path = defs[0]
    source = os.fspath(path)
    text = decode(read_bytes(path, max_bytes=max_bytes, source=source), encoding=encoding, source=source)
    data: Any = parse_document(text, path.suffix.lower()[1:], source=source)
    if not isinstance(data, dict):
        raise InputError([Problem("", "expected a table of definitions")], source=source)
    listed = data.pop("files", [])
    if not isinstance(listed, list):
        raise InputError([Problem("files", f"must be a list of file names, got {listed!r:.80}")], source=source)
    tables = [resolve_listed(path, f, field=f"files[{i}]", source=source) for i, f in enumerate(listed)] + csvs
    cal = data.get("calendar")
    if isinstance(cal, dict) and isinstance(cal.get("holidays"), str):  # holidays = "JP"
        cal["holidays"] = [cal["holidays"]]
    base: OperationsData = structure(data, OperationsData, source=source)
    extra: dict[str, list[Any]] = {"observations": [], "outages": [], "work": []}
    origin: dict[str, list[str]] = {kind: [f"{source}: {kind}[{i}]" for i in range(len(getattr(base, kind)))]
                                    for kind in extra}
    problems: list[Problem] = []
    for csv_path in tables:
        table = table_from(csv_path, encoding=encoding, max_bytes=max_bytes)
        kind = _kind_of_csv(table.header)
        if kind is None:
            problems.append(Problem(os.fspath(csv_path), f"cannot tell what the table holds from its columns "
                                    f"{list(table.header)}: expected observations (metric, month, value), outages "
                                    "(start, end) or work records (month, category, count)"))
            continue
        cls, aliases = _READERS[kind]
        extra[kind] += records_to_objects(table, cls, aliases=aliases)
        origin[kind] += [f"{table.source}: row {row_no}" for row_no, _ in table.rows]
    if problems:
        raise InputError(problems)
    observations = base.observations + tuple(extra["observations"])
    outages = base.outages + tuple(extra["outages"])
    work = base.work + tuple(extra["work"])
    bad = OperationsData.record_problems(members=base.members, systems=base.systems, metrics=base.metrics,
                                         observations=observations, outages=outages, work=work)
    if bad:
        raise InputError([Problem(origin[field][i], message) for field, i, message in bad])
    return _evolve(base, source, observations=observations, outages=outages, work=work)


def _evolve(base: OperationsData, source: str, **changes: Any) -> OperationsData:
    try:
        return attrs.evolve(base, **changes)
    except JichitaiCloudError as exc:
        raise InputError([Problem("", str(exc))], source=source) from exc
