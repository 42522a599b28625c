"""Migration schedule files (TOML or JSON): each member's contract and costs, the council's limits.

A file holds one schedule, whose keys are the attributes of
:class:`~jichitai_cloud.model.MigrationSchedule`::

    name = "基幹系システム移行スケジュール"
    horizon_start = "H25.04"
    horizon_end = "H32.03"
    capacity = 3                 # cutovers a month (or a quarter: per = "quarter")
    blackout = ["H28.03"]
    busy_months = [3, 4, 6]      # 繁忙期
    [[members]]
    code = "A"
    current_system_end = "H27.06"
    planned_start = "H27.07"
    current_monthly = 15333000
    cloud_monthly = 9500000
    penalty_monthly = 7667000
    [[milestones]]
    row = "番号制度スケジュール"
    name = "付番・通知"
    first = "H27.10"

or several, as ``[schedules.<name>]`` tables, with a ``[common]`` table whose keys every schedule
takes unless it sets them itself (the bundled example keeps the core-systems table and the update
table this way).  Months may be written in any notation :meth:`~jichitai_cloud.Month.parse` reads.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from ..errors import InputError, Problem
from ..model import MigrationSchedule
from ._read import read_document
from .converter import structure

__all__ = ["load_schedule", "load_schedules", "schedule_from_data", "schedules_from_data"]


def load_schedules(path: str | os.PathLike[str], *, max_bytes: int | None = None) -> dict[str, MigrationSchedule]:
    """Every schedule of a file, by name (a one-schedule file gives ``{"schedule": …}``).

    Parameters
    ----------
    path
        The ``.toml`` or ``.json`` file (see the module docs for its layout).
    max_bytes
        Largest file read (default 100 MB, :data:`~jichitai_cloud.io._read.MAX_FILE_BYTES`). [bytes]

    Raises
    ------
    InputError
        Every problem, each with its path (``toyama_schedule.toml: schedules.core.members[2].cloud_monthly: …``).
    """
    data, source = read_document(path, max_bytes=max_bytes)
    return schedules_from_data(data, source=source)


def schedules_from_data(data: Any, *, source: str | None = None) -> dict[str, MigrationSchedule]:
    """Build the schedules from plain data as read from TOML or JSON (see the module docs)."""
    if not isinstance(data, Mapping):
        raise InputError([Problem("", "expected a table of a schedule's fields or [schedules.<name>] tables")],
                         source=source)
    if "schedules" not in data:
        if "common" in data:
            raise InputError([Problem("common", "a [common] table needs [schedules.<name>] tables")], source=source)
        return {"schedule": structure(dict(data), MigrationSchedule, source=source)}
    extra = sorted(set(data) - {"schedules", "common"})
    common = data.get("common", {})
    problems = [Problem(k, "unknown key beside [schedules] and [common]") for k in extra]
    if not isinstance(common, Mapping):
        problems.append(Problem("common", f"must be a table, got {common!r}"))
    tables = data["schedules"]
    if not isinstance(tables, Mapping) or not tables:
        problems.append(Problem("schedules", "must hold at least one [schedules.<name>] table"))
    if problems:
        raise InputError(problems, source=source)
    out: dict[str, MigrationSchedule] = {}
    for name, body in tables.items():
        if not isinstance(body, Mapping):
            problems.append(Problem(f"schedules.{name}", f"must be a table, got {body!r}"))
            continue
        try:
            out[name] = structure({**common, **body}, MigrationSchedule, source=None)
        except InputError as exc:
            problems += [Problem(f"schedules.{name}.{p.where}" if p.where else f"schedules.{name}", p.message)
                         for p in exc.problems]
    if problems:
        raise InputError(problems, source=source)
    return out


def schedule_from_data(data: Any, *, name: str | None = None, source: str | None = None) -> MigrationSchedule:
    """One schedule from plain data: the one there is, or the one called ``name``."""
    found = schedules_from_data(data, source=source)
    return _pick(found, name, source)


def _pick(found: dict[str, MigrationSchedule], name: str | None, source: str | None) -> MigrationSchedule:
    if name is None:
        return next(iter(found.values()))
    if name not in found:
        raise InputError([Problem("schedules", f"no schedule {name!r}; there are {list(found)}")], source=source)
    return found[name]


def load_schedule(path: str | os.PathLike[str], *, name: str | None = None,
                  max_bytes: int | None = None) -> MigrationSchedule:
    """Read a :class:`~jichitai_cloud.model.MigrationSchedule` from a TOML or JSON file.

    Parameters
    ----------
    path
        The file (see the module docs for its layout).
    name
        Which ``[schedules.<name>]`` table to read (default: the first).
    max_bytes
        Largest file read (default 100 MB, :data:`~jichitai_cloud.io._read.MAX_FILE_BYTES`). [bytes]

    Raises
    ------
    InputError
        Every problem, each with its path, e.g. ``schedule.toml: members[2].cloud_monthly: must be an
        integer >= 0 [yen], got -5``.
    """
    data, source = read_document(path, max_bytes=max_bytes)
    return _pick(schedules_from_data(data, source=source), name, source)
