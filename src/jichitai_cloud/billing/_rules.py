"""Billing rules (請求按分ルール): which FOCUS rows go to which member or shared pool, how pools are split, rates."""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from .. import _validators as v
from .._frozenmap import FrozenMap
from .._numeric._checks import as_fraction
from ..allocation import AllocationRule
from ..calendar import Month
from ..errors import ValidationError
from ._focus import FocusData
from ._kernels import ROUND_MODES, RoundMode

__all__ = ["Assign", "BillingRules", "RatioOf"]


def _opt_text(_inst: Any, attribute: Any, value: Any) -> None:
    if value is not None:
        v.check_text(value, attribute.name, empty=False)


def _to_tag(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(value)
    if isinstance(value, Mapping) and len(value) == 1:
        return tuple(next(iter(value.items())))
    return value


def _check_tag(_inst: Any, attribute: Any, value: Any) -> None:
    if value is None:
        return
    if not (isinstance(value, tuple) and len(value) == 2 and all(isinstance(x, str) for x in value)):
        raise ValidationError(f"{attribute.name} must be a (key, value) pair of text such as "
                              f"('business_unit', '射水市'), got {value!r}")


@attrs.frozen(slots=True)
class Assign:
    """Send FOCUS rows to a member or to a shared pool (first matching rule wins, in the order written).

    Parameters
    ----------
    to
        A member code (the row is that member's own cost) or a pool name of
        :attr:`BillingRules.pools` (the row is shared).
    sub_account
        The row's ``SubAccountId`` equals this.
    tag
        ``(key, value)``: the row's ``Tags`` hold this key (spaces trimmed) with this value.
    service
        The row's ``ServiceName`` equals this.
    resource
        A glob pattern (``*``, ``?``, ``[…]``) the row's ``ResourceId`` matches.

    Every criterion given must hold; at least one must be given.
    """

    to: str = attrs.field(validator=lambda i, a, x: v.check_text(x, a.name, empty=False))
    sub_account: str | None = attrs.field(default=None, kw_only=True, validator=_opt_text)
    tag: tuple[str, str] | None = attrs.field(default=None, kw_only=True, converter=_to_tag, validator=_check_tag)
    service: str | None = attrs.field(default=None, kw_only=True, validator=_opt_text)
    resource: str | None = attrs.field(default=None, kw_only=True, validator=_opt_text)

    def __attrs_post_init__(self) -> None:
        if all(x is None for x in (self.sub_account, self.tag, self.service, self.resource)):
            raise ValidationError(f"Assign({self.to!r}) needs at least one of sub_account, tag, service, resource")

    def matches(self, focus: FocusData) -> NDArray[np.bool_]:
        """Which groups of ``focus`` this rule matches, ``(G,)``."""
        ok = np.ones(focus.groups, dtype=bool)
        if self.sub_account is not None:
            ok &= focus.text["sub_account"] == self.sub_account
        if self.service is not None:
            ok &= focus.text["service"] == self.service
        if self.resource is not None:
            pattern = self.resource
            res = focus.text["resource"]
            uniq = {x for x in res.tolist() if x is not None}
            hit = {x for x in uniq if fnmatch.fnmatchcase(x, pattern)}
            ok &= np.fromiter((x in hit for x in res.tolist()), dtype=bool, count=focus.groups)
        if self.tag is not None:
            key, value = self.tag
            ok &= np.fromiter((t.get(key) == value for t in focus.tags.tolist()), dtype=bool, count=focus.groups)
        return ok


@attrs.frozen(slots=True)
class RatioOf:
    """A pool split with the same shares as another pool (``ratio_of = "<pool>"``)."""

    pool: str = attrs.field(validator=lambda i, a, x: v.check_text(x, a.name, empty=False))


def _to_pools(value: Any) -> Any:
    if not isinstance(value, Mapping):
        return value
    out: dict[str, Any] = {}
    for name, rule in value.items():
        if isinstance(rule, str) and rule.strip().startswith("ratio_of="):
            rule = RatioOf(rule.split("=", 1)[1].strip())
        elif isinstance(rule, str):
            rule = AllocationRule(ratios=rule)
        elif isinstance(rule, Mapping) and set(rule) == {"ratio_of"}:
            rule = RatioOf(rule["ratio_of"])
        elif isinstance(rule, Mapping):
            rule = AllocationRule(**rule)
        out[str(name)] = rule
    return FrozenMap(out)


def _check_pools(inst: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, FrozenMap):
        raise ValidationError(f"pools must be a table of pool name -> AllocationRule, got {value!r}")
    for name, rule in value.items():
        if isinstance(rule, RatioOf):
            if rule.pool not in value:
                raise ValidationError(f"pools.{name}: ratio_of names no pool {rule.pool!r}; pools are {list(value)}")
            seen, cur = {name}, rule
            while isinstance(cur, RatioOf):
                if cur.pool in seen:
                    raise ValidationError(f"pools.{name}: ratio_of goes round in a circle ({' -> '.join(seen)})")
                seen.add(cur.pool)
                cur = value[cur.pool]
        elif isinstance(rule, AllocationRule):
            if rule.min_reduction is not None or rule.unit != 1 or rule.rounding != "largest_remainder":
                raise ValidationError(f"pools.{name}: a monthly pool is split to the yen by largest remainder, "
                                      "without a guarantee (min_reduction), unit or lead")
        else:
            raise ValidationError(f"pools.{name} must be an AllocationRule or ratio_of, got {rule!r}")


def _to_rates(value: Any) -> Any:
    if not isinstance(value, Mapping):
        return value
    out: dict[str, FrozenMap[Fraction]] = {}
    for month, table in value.items():
        m = month if isinstance(month, Month) else Month.parse(str(month))
        if not isinstance(table, Mapping):
            raise ValidationError(f"rates[{month!r}] must be a table of currency = rate, got {table!r}")
        row: dict[str, Fraction] = {}
        for cur, rate in table.items():
            if isinstance(rate, float):
                raise ValidationError(f"rates[{month!r}].{cur}: write the rate as text ('150.25') so it is exact, "
                                      f"got the float {rate!r}")
            f = as_fraction(rate, f"rates[{month!r}].{cur}")
            if f <= 0:
                raise ValidationError(f"rates[{month!r}].{cur} must be > 0 [yen per unit], got {rate!r}")
            row[str(cur).strip().upper()] = f
        out[m.iso()] = FrozenMap(row)
    return FrozenMap(out)


@attrs.frozen(kw_only=True, slots=True)
class BillingRules:
    """How a council turns its cloud bill into member bills.

    Parameters
    ----------
    assign
        The :class:`Assign` rules, first match wins.
    pools
        Shared pool name -> :class:`~jichitai_cloud.AllocationRule` (drivers ``equal``,
        ``population``, ``usage`` — the member's own assigned cost that month — or any member
        driver such as ``workload``), or ``"ratio_of=<pool>"`` (:class:`RatioOf`).
    unassigned
        ``"error"`` (default): a row no rule matches is an error; or a pool name that takes it.
    rates
        Billing month -> currency -> yen per unit, exact (``{"2024-09": {"USD": "150.25"}}``). [yen]
    rounding
        How each month's invoice total is rounded to the yen (``"half_even"`` default).
    allow_negative_pools
        Whether a pool whose month is negative in total (credits larger than costs) is split
        rather than an error.
    """

    assign: tuple[Assign, ...] = attrs.field(converter=v.to_tuple)
    pools: FrozenMap[AllocationRule | RatioOf] = attrs.field(factory=lambda: FrozenMap({}), converter=_to_pools,
                                                             validator=_check_pools)
    unassigned: str = attrs.field(default="error")
    rates: FrozenMap[FrozenMap[Fraction]] = attrs.field(factory=lambda: FrozenMap({}), converter=_to_rates)
    rounding: RoundMode = attrs.field(default="half_even", validator=v.one_of(ROUND_MODES))
    allow_negative_pools: bool = False

    def __attrs_post_init__(self) -> None:
        for k, a in enumerate(self.assign):
            if not isinstance(a, Assign):
                raise ValidationError(f"assign[{k}] must be an Assign, got {a!r}")
        if self.unassigned != "error" and self.unassigned not in self.pools:
            raise ValidationError(f"unassigned must be 'error' or a pool name {list(self.pools)}, "
                                  f"got {self.unassigned!r}")

    @property
    def keys(self) -> tuple[str, ...]:
        """The FOCUS keys the assign rules look at (``"sub_account"``, ``"tags"``, ``"service"``,
        ``"resource"``), besides the currency and charge category every bill uses."""
        used = {"sub_account": any(a.sub_account is not None for a in self.assign),
                "tags": any(a.tag is not None for a in self.assign),
                "service": any(a.service is not None for a in self.assign),
                "resource": any(a.resource is not None for a in self.assign)}
        return ("currency", "category", *(k for k, x in used.items() if x))

    @property
    def pool_names(self) -> tuple[str, ...]:
        """The pools in the order written."""
        return tuple(self.pools)

    def rate(self, month: Month, currency: str) -> Fraction:
        """Yen per unit of ``currency`` in ``month`` (1 for JPY). [yen]"""
        if currency == "JPY":
            return Fraction(1)
        try:
            return self.rates[month.iso()][currency]
        except KeyError:
            raise ValidationError(f"no {currency} rate for {month.iso()} ({month.era_short()}): give it in rates, "
                                  f"e.g. rates = {{\"{month.iso()}\" = {{{currency} = \"150.25\"}}}}") from None

    def with_rates(self, rates: Mapping[Any, Mapping[str, Any]]) -> BillingRules:
        """These rules with more rates (the given ones win)."""
        merged: dict[str, Any] = {k: dict(v) for k, v in self.rates.items()}
        for m, table in _to_rates(rates).items():
            merged.setdefault(m, {}).update(table)
        return attrs.evolve(self, rates=merged)
