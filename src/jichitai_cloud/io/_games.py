"""Files of the games topic: coalition cost models (a CSV of quotes for groups, TOML or JSON models).

The models themselves (:class:`~jichitai_cloud.games.QuoteTable`,
:class:`~jichitai_cloud.games.ScaleEconomyModel`) live in :mod:`jichitai_cloud.games` and never open a
file; this module reads them, reporting every problem with its location.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import GameError, InputError, Problem, ValidationError
from ..games import GroupQuote, QuoteTable, ScaleEconomyModel, SizeQuote
from ._read import decode, parse_document, read_bytes
from ._schema import cell_value, duplicate_problems, number_text
from ._table import Cell, table_from
from .converter import structure

__all__ = ["cost_model_from_data", "load_cost_model", "load_quote_table"]

_QUOTE_COLUMNS = ("members", "cost", "note")


def load_quote_table(path: str | os.PathLike[str] | None = None, *, text: str | None = None,
                     completion: str = "cheapest_partition", standalone: str = "current_cost",
                     max_bytes: int | None = None) -> QuoteTable:
    """Read a :class:`~jichitai_cloud.games.QuoteTable` from a CSV file (or its text).

    Columns ``members`` (codes separated by spaces or ``+``), ``cost`` [yen] and optionally
    ``note``; UTF-8 or CP932.

    Parameters
    ----------
    path
        The CSV file.
    text
        The CSV text instead of a file.
    completion, standalone
        As for :class:`~jichitai_cloud.games.QuoteTable`.
    max_bytes
        Largest file read (default 100 MB). [bytes]

    Raises
    ------
    InputError
        Listing every bad row (e.g. ``quotes.csv: row 4, cost: must be an integer >= 0 [yen]``).
    """
    table = table_from(path, text=text, max_bytes=max_bytes)
    problems: list[Problem] = []
    for col in ("members", "cost"):
        if col not in table.header:
            problems.append(Problem("row 1", f"missing column {col!r}; the columns are {list(table.header)}"))
    extra = [h for h in table.header if h not in _QUOTE_COLUMNS]
    if extra:
        problems.append(Problem("row 1", f"unknown columns {extra}; expected members, cost, note"))
    if problems:
        raise InputError(problems, source=table.source)
    quotes = []
    groups: list[tuple[int, frozenset[str]]] = []
    for row_no, cells in table.rows:
        try:
            cost = _yen(cells["cost"])
            quote = GroupQuote(members=cell_value(cells["members"], str), cost=cost,
                               note=cell_value(cells.get("note"), str))
        except ValidationError as exc:
            problems.append(Problem(f"row {row_no}", str(exc)))
            continue
        quotes.append(quote)
        groups.append((row_no, frozenset(quote.members)))
    problems += duplicate_problems(groups, what="group", column="'members'")
    if problems:
        raise InputError(problems, source=table.source)
    try:
        return QuoteTable(quotes=tuple(quotes), completion=completion, standalone=standalone,
                          source=table.source)
    except ValidationError as exc:
        raise InputError([Problem("", str(exc))], source=table.source) from exc


def _yen(cell: Cell) -> int:
    """A cost cell: an integer (an Excel number, whole) or text with separators (``1,200,000``)."""
    if isinstance(cell, str):
        text = number_text(cell).replace("_", "")
        try:
            value = cell_value(text, int)
        except ValidationError:
            pass
        else:
            return int(value)
    elif cell is not None:
        try:
            value = cell_value(cell, int)
        except ValidationError:
            pass
        else:
            if isinstance(value, int):
                return value
    raise ValidationError(f"cost must be an integer >= 0 [yen], got {cell!r}")


def load_cost_model(path: str | os.PathLike[str], *, max_bytes: int | None = None) -> QuoteTable | ScaleEconomyModel:
    """Read a coalition cost model from a file.

    A ``.csv`` file is a :class:`~jichitai_cloud.games.QuoteTable` (columns ``members``, ``cost``,
    ``note``; see :func:`load_quote_table`).  A ``.toml`` or ``.json`` file says ``model = "quotes"``
    (then ``[[quotes]]`` tables with ``members`` and ``cost``, and optionally ``completion`` and
    ``standalone``) or ``model = "scale_economies"`` (then either ``fixed``, ``per_unit`` and
    ``exponent``, or ``[[quotes]]`` tables with ``size`` and ``cost`` to fit them to, optionally with a
    fixed ``exponent``).

    Raises
    ------
    InputError
        Every problem found, each with its location.
    """
    source = os.fspath(path)
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        return load_quote_table(path, max_bytes=max_bytes)
    if suffix not in (".toml", ".json"):
        raise InputError([Problem("", f"unknown file type {suffix!r}: expected .csv, .toml or .json")], source=source)
    text = decode(read_bytes(path, max_bytes=max_bytes, source=source), source=source)
    data: Any = parse_document(text, suffix[1:], source=source)
    return cost_model_from_data(data, source=source)


def cost_model_from_data(data: Any, *, source: str | None = None) -> QuoteTable | ScaleEconomyModel:
    """Build a cost model from plain data (as read from TOML or JSON); see :func:`load_cost_model`."""
    if not isinstance(data, Mapping):
        raise InputError([Problem("", "expected a table with a 'model' key")], source=source)
    body = dict(data)
    kind = body.pop("model", None)
    if kind == "quotes":
        return structure(body, QuoteTable, source=source)
    if kind == "scale_economies":
        if all(k in body for k in ("fixed", "per_unit", "exponent")):
            return structure(body, ScaleEconomyModel, source=source)
        return _fitted_model(body, source)
    raise InputError([Problem("model", f"must be 'quotes' or 'scale_economies', got {kind!r}")], source=source)


def _fitted_model(body: dict[str, Any], source: str | None) -> ScaleEconomyModel:
    fit_keys = {"quotes", "exponent", "driver", "standalone", "source", "notes"}
    unknown = sorted(set(body) - fit_keys)
    problems = [Problem(k, f"unknown field; a fitted model has {sorted(fit_keys)}") for k in unknown]
    if "quotes" not in body:
        problems.append(Problem("quotes", "missing: give fixed, per_unit and exponent, or quotes to fit"))
    if problems:
        raise InputError(problems, source=source)
    quotes = structure(body["quotes"], tuple[SizeQuote, ...], source=source)
    exponent = body.get("exponent")
    if exponent is not None and (isinstance(exponent, bool) or not isinstance(exponent, int | float)
                                 or not math.isfinite(exponent)):
        raise InputError([Problem("exponent", f"must be a number, got {exponent!r}")], source=source)
    try:
        return ScaleEconomyModel.fit(
            quotes, exponent=exponent, driver=body.get("driver", "population"),
            standalone=body.get("standalone", "current_cost"), source=body.get("source", ""),
            notes=body.get("notes", ""))
    except (GameError, ValidationError) as exc:
        raise InputError([Problem("quotes", str(exc))], source=source) from exc
