"""Billing rules files (TOML or JSON) and exchange-rate tables (CSV ``month,currency,rate``).

A rules file::

    unassigned = "common"            # or "error"
    rounding = "half_even"
    [[assign]]
    to = "A"                         # a member code ...
    sub_account = "111122223333"
    [[assign]]
    to = "common"                    # ... or a pool
    tag = ["business_unit", "共通"]
    [pools.common]
    ratios = "equal=3, population=7"
    [pools.network]
    ratio_of = "common"
    [rates."2024-09"]
    USD = "150.25"
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from ..allocation import AllocationRule, parse_ratio
from ..billing import Assign, BillingRules, RatioOf
from ..errors import InputError, JichitaiCloudError, Problem
from ._read import read_document
from ._table import read_table
from .converter import structure

__all__ = ["billing_rules_from_data", "load_billing_rules", "read_rates"]

_KEYS = {"assign", "pools", "unassigned", "rates", "rounding", "allow_negative_pools"}


def billing_rules_from_data(data: Any, *, source: str | None = None) -> BillingRules:
    """:class:`~jichitai_cloud.billing.BillingRules` from plain data as read from TOML or JSON."""
    if not isinstance(data, Mapping):
        raise InputError([Problem("", "expected a table with assign, pools, rates")], source=source)
    problems = [Problem(k, f"unknown key; expected one of {sorted(_KEYS)}") for k in data if k not in _KEYS]
    assign: list[Assign] = []
    for k, row in enumerate(data.get("assign", [])):
        try:
            if not isinstance(row, Mapping):
                raise JichitaiCloudError(f"must be a table with to and a criterion, got {row!r}")
            extra = set(row) - {"to", "sub_account", "tag", "service", "resource"}
            if extra:
                raise JichitaiCloudError(f"unknown keys {sorted(extra)}")
            assign.append(Assign(str(row.get("to", "")), **{x: row[x] for x in row if x != "to"}))
        except (JichitaiCloudError, TypeError) as exc:
            problems.append(Problem(f"assign[{k}]", str(exc)))
    pools: dict[str, AllocationRule | RatioOf] = {}
    raw_pools = data.get("pools", {})
    if not isinstance(raw_pools, Mapping):
        problems.append(Problem("pools", f"must be a table of pools, got {raw_pools!r}"))
        raw_pools = {}
    for name, body in raw_pools.items():
        try:
            if isinstance(body, Mapping) and set(body) == {"ratio_of"}:
                pools[name] = RatioOf(body["ratio_of"])
            elif isinstance(body, str):
                pools[name] = RatioOf(body.split("=", 1)[1].strip()) if body.startswith("ratio_of=") \
                    else AllocationRule(ratios=body)
            else:
                if isinstance(body, Mapping) and isinstance(body.get("ratios"), str):
                    body = {**body, "ratios": dict(parse_ratio(body["ratios"]))}
                pools[name] = structure(body, AllocationRule, source=None)
        except InputError as exc:
            problems += [Problem(f"pools.{name}.{p.where}" if p.where else f"pools.{name}", p.message)
                         for p in exc.problems]
        except JichitaiCloudError as exc:
            problems.append(Problem(f"pools.{name}", str(exc)))
    if problems:
        raise InputError(problems, source=source)
    try:
        return BillingRules(assign=tuple(assign), pools=pools, unassigned=data.get("unassigned", "error"),
                            rates=data.get("rates", {}), rounding=data.get("rounding", "half_even"),
                            allow_negative_pools=bool(data.get("allow_negative_pools", False)))
    except (JichitaiCloudError, TypeError) as exc:
        raise InputError([Problem("", str(exc))], source=source) from None


def load_billing_rules(path: str | os.PathLike[str], *, max_bytes: int | None = None) -> BillingRules:
    """Read billing rules from a ``.toml`` or ``.json`` file (see the module docs).

    Raises
    ------
    InputError
        Every problem with its path, e.g. ``rules.toml: assign[2]: Assign('A') needs at least one of …``.
    """
    data, source = read_document(path, max_bytes=max_bytes)
    return billing_rules_from_data(data, source=source)


def read_rates(path: str | os.PathLike[str]) -> dict[str, dict[str, str]]:
    """Exchange rates from a CSV with the columns ``month,currency,rate`` (one rate a row, exact as written).

    Returns
    -------
    dict
        ``{"2024-09": {"USD": "150.25"}}``, for :meth:`BillingRules.with_rates`. [yen per unit]

    Raises
    ------
    InputError
        A missing column, an empty cell, a rate given twice, naming the row.
    """
    table = read_table(path)
    need = ("month", "currency", "rate")
    missing = [c for c in need if c not in table.header]
    src = os.fspath(path)
    if missing:
        raise InputError([Problem(f"row {table.header_row}", f"missing column {c!r}") for c in missing], source=src)
    out: dict[str, dict[str, str]] = {}
    problems = []
    for row, cells in table.rows:
        m, cur, rate = (cells.get(c) for c in need)
        if m in (None, "") or cur in (None, "") or rate in (None, ""):
            problems.append(Problem(f"row {row}", "month, currency and rate are all required"))
            continue
        key = str(m).strip()
        if str(cur).strip().upper() in out.get(key, {}):
            problems.append(Problem(f"row {row}", f"a second rate for {key} {cur}"))
            continue
        out.setdefault(key, {})[str(cur).strip().upper()] = str(rate).strip()
    if problems:
        raise InputError(problems, source=src)
    return out
