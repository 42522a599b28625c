"""Selection files (TOML or JSON): candidates, conditions on a group, the rule and the cost model.

A selection file holds::

    name = "富山県内15市町村"
    period_months = 60
    populations = "census.csv"       # optional: a CSV with code and population columns
    [constraints]                    # max_size, contract_window [months], contiguous, max_distance [km]
    max_size = 6
    [rule]                           # the council's AllocationRule (ratios, min_reduction, ...)
    min_reduction = 0.3
    [cost_model]                     # a games cost model (see io.load_cost_model), or
    model = "scale_economies"        #   fit = "current_costs": fitted to the candidates' current costs
    fit = "current_costs"
    [[candidates]]
    code = "162116"
    name = "射水市"
    current_cost = 920000000         # optional [yen]
    contract_end = "H27.06"          # optional
    neighbours = ["富山市", "高岡市"]  # codes or names of other candidates
    location = [36.731, 137.075]     # optional [degrees]

A candidate without ``population`` takes it from the ``populations`` CSV (a path relative to the
file), matched by its code (5 digits, or 6 with the check digit).
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..allocation import AllocationRule
from ..errors import InputError, JichitaiCloudError, Problem, ValidationError
from ..model import CandidatePool
from ..selection import SelectionProblem, fit_current_costs
from ._games import cost_model_from_data
from ._read import read_document, resolve_listed
from ._schema import cell_value, duplicate_problems, number_text
from ._table import table_from
from .converter import structure

__all__ = ["load_selection", "selection_from_data"]

_TOP = {"name", "period_months", "populations", "source", "notes", "constraints", "rule", "cost_model",
        "candidates"}


def load_selection(path: str | os.PathLike[str], *, max_bytes: int | None = None) -> SelectionProblem:
    """Read a :class:`~jichitai_cloud.selection.SelectionProblem` from a TOML or JSON file.

    Parameters
    ----------
    path
        The ``.toml`` or ``.json`` file.  A ``populations`` CSV it names is read from the same
        folder (or below it); absolute paths and ``..`` out of the folder are refused.
    max_bytes
        Largest file read (default 100 MB, :data:`~jichitai_cloud.io._read.MAX_FILE_BYTES`). [bytes]

    Raises
    ------
    InputError
        Every problem found, each with its location (e.g. ``candidates[3].neighbours``).
    """
    data, source = read_document(path, max_bytes=max_bytes)
    return selection_from_data(data, source=source, base=Path(path).parent)


def _populations(path: Path, problems: list[Problem]) -> dict[str, int]:
    try:
        table = table_from(path)
    except InputError as exc:
        problems.extend(Problem(f"populations ({path.name}): {p.where}", p.message) for p in exc.problems)
        return {}
    pop_cols = [h for h in table.header if h.startswith("population")]
    if "code" not in table.header or len(pop_cols) != 1:
        problems.append(Problem("populations", f"{path.name} must have a 'code' column and one 'population…' column, "
                                f"has {list(table.header)}"))
        return {}
    out: dict[str, int] = {}
    seen: list[tuple[int, str]] = []
    where = f"populations ({path.name})"
    for row_no, cells in table.rows:
        code = number_text(cell_value(cells["code"], str))
        try:
            value = cell_value(cells[pop_cols[0]], int)
        except ValidationError as exc:
            problems.append(Problem(f"{where}: row {row_no}, column {pop_cols[0]!r}", str(exc)))
            continue
        if value is None or value < 0 or not code.isascii() or not code.isdigit() or len(code) not in (5, 6):
            problems.append(Problem(f"{where}: row {row_no}",
                                    f"expected a 5- or 6-digit code and a whole population >= 0, got {code!r}, "
                                    f"{cells[pop_cols[0]]!r}"))
            continue
        seen.append((row_no, code[:5]))
        out[code[:5]] = value
    problems.extend(Problem(f"{where}: {p.where}", p.message + " (codes compared by their first five digits)")
                    for p in duplicate_problems(seen, what="code", column="'code'"))
    return out


def selection_from_data(data: Any, *, source: str | None = None, base: Path | None = None) -> SelectionProblem:
    """Build a selection problem from plain data (as read from TOML or JSON); see :func:`load_selection`.

    Parameters
    ----------
    data
        The file's content.
    source
        The file name, for messages.
    base
        Folder that a relative ``populations`` path is read from (default: the working folder).
    """
    if not isinstance(data, Mapping):
        raise InputError([Problem("", "expected a table of name, candidates, constraints, rule, cost_model")],
                         source=source)
    problems = [Problem(k, f"unknown field; a selection file has {sorted(_TOP)}") for k in data if k not in _TOP]
    cands = data.get("candidates")
    if not isinstance(cands, list) or not cands or not all(isinstance(c, Mapping) for c in cands):
        problems.append(Problem("candidates", "must be a list of candidate tables ([[candidates]])"))
        raise InputError(problems, source=source)
    cands = [dict(c) for c in cands]
    pop_file = data.get("populations")
    if pop_file is not None:
        if not isinstance(pop_file, str):
            problems.append(Problem("populations", f"must be a CSV file name, got {pop_file!r}"))
        else:
            anchor = (base or Path.cwd()) / Path(source or "selection.toml").name  # the file naming it
            try:
                pop_path = resolve_listed(anchor, pop_file, field="populations", source=source)
            except InputError as exc:
                problems.extend(exc.problems)
                pop_path = None
            table = _populations(pop_path, problems) if pop_path is not None else {}
            for i, c in enumerate(cands):
                code = c.get("code")
                if "population" in c or not isinstance(code, str):
                    continue
                if code.strip()[:5] in table:
                    c["population"] = table[code.strip()[:5]]
                elif table:
                    problems.append(Problem(f"candidates[{i}].population",
                                            f"missing, and code {code!r} is not in {pop_file}"))
    by_name = {c.get("name"): c.get("code") for c in cands if isinstance(c.get("name"), str)}
    for i, c in enumerate(cands):
        nb = c.get("neighbours")
        if isinstance(nb, list):
            c["neighbours"] = [by_name.get(x, x) if isinstance(x, str) else x for x in nb]
            unknown = [x for x in c["neighbours"] if isinstance(x, str) and x not in by_name.values()]
            if unknown:
                problems.append(Problem(f"candidates[{i}].neighbours",
                                        f"{unknown} are neither codes nor names of candidates"))
    if problems:
        raise InputError(problems, source=source)
    pool_data = {k: data[k] for k in ("name", "period_months", "source", "notes", "constraints") if k in data}
    pool_data["candidates"] = cands
    pool = structure(pool_data, CandidatePool, source=source)
    rule = structure(data.get("rule", {}), AllocationRule, source=source)
    model = _cost_model(data.get("cost_model"), pool, source)
    return SelectionProblem(pool=pool, cost_model=model, rule=rule)


def _cost_model(spec: Any, pool: CandidatePool, source: str | None) -> Any:
    if not isinstance(spec, Mapping):
        raise InputError([Problem("cost_model", "missing: a cost model table (model = \"scale_economies\", "
                                  "fit = \"current_costs\", or quotes)")], source=source)
    body = dict(spec)
    fit = body.pop("fit", None)
    if fit is None:
        return cost_model_from_data(body, source=source)
    if fit != "current_costs":
        raise InputError([Problem("cost_model.fit", f"must be 'current_costs', got {fit!r}")], source=source)
    extra = sorted(set(body) - {"model", "exponent", "source", "notes"})
    problems = [Problem(f"cost_model.{k}", "unknown field for a curve fitted to current costs") for k in extra]
    if body.get("model", "scale_economies") != "scale_economies":
        problems.append(Problem("cost_model.model", "fit = 'current_costs' fits a 'scale_economies' curve"))
    exponent = body.get("exponent")
    if exponent is not None and (isinstance(exponent, bool) or not isinstance(exponent, int | float)
                                 or not math.isfinite(exponent)):
        problems.append(Problem("cost_model.exponent", f"must be a number, got {exponent!r}"))
    for k in ("source", "notes"):
        if not isinstance(body.get(k, ""), str):
            problems.append(Problem(f"cost_model.{k}", "must be text"))
    if problems:
        raise InputError(problems, source=source)
    try:
        return fit_current_costs(pool, exponent=exponent, source=body.get("source", ""),
                                 notes=body.get("notes", ""))
    except JichitaiCloudError as exc:
        raise InputError([Problem("cost_model", str(exc))], source=source) from exc
