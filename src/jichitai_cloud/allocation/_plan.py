"""Allocation settings as a council keeps them in a file: the fee, the rule, the penalties.

The file format (TOML or JSON) and its reader are :func:`jichitai_cloud.io.load_plan`; the bundled
example is :func:`jichitai_cloud.examples.toyama_allocation`.
"""

from __future__ import annotations

from typing import Any

import attrs

from .. import _validators as v
from .._frozenmap import FrozenMap
from ..errors import UnknownMemberError, ValidationError
from ..model import Consortium
from ._allocate import allocate
from ._results import Allocation
from ._rule import AllocationRule

__all__ = ["AllocationPlan"]


def _to_map(value: Any) -> Any:
    """A mapping to a FrozenMap, numpy integer values as Python ints (see :func:`_validators.to_int`)."""
    fm = value if isinstance(value, FrozenMap) else FrozenMap(value)
    if not any(v.to_int(x) is not x for x in fm.values()):
        return fm
    return FrozenMap({k: v.to_int(x) for k, x in fm.items()})


@attrs.frozen(kw_only=True, slots=True)
class AllocationPlan:
    """A council's allocation settings: the fee to split, the rule, and penalties.

    Parameters
    ----------
    total_fee
        The cloud fee over the evaluation period, split by the rule. [yen]
    rule
        The allocation rule.
    penalties
        Cancellation penalty (違約金) per member code, replacing the council's values. [yen]
    note
        Where the figures come from (e.g. what is illustrative).
    """

    total_fee: int = attrs.field(converter=v.to_int, validator=v.integer(min=0, unit="yen"))
    rule: AllocationRule = attrs.field(factory=AllocationRule)
    penalties: FrozenMap[int] = attrs.field(factory=FrozenMap, converter=_to_map)
    note: str = attrs.field(default="", validator=v.text())

    @rule.validator
    def _v_rule(self, attribute: Any, value: Any) -> None:
        if not isinstance(value, AllocationRule):
            raise ValidationError(f"{attribute.name} must be an AllocationRule, got {value!r}")

    @penalties.validator
    def _v_pen(self, attribute: Any, value: FrozenMap[int]) -> None:
        for k, x in value.items():
            v.check_yen(x, f"{attribute.name}.{k}")

    def apply_to(self, council: Consortium) -> Consortium:
        """The council with this plan's penalties set on its members."""
        for code in self.penalties:
            if code not in council:
                raise UnknownMemberError(f"penalties.{code}: no member with code {code!r}; members are "
                                         f"{list(council.codes)}")
        members = tuple(attrs.evolve(m, penalty=self.penalties[m.code]) if m.code in self.penalties else m
                        for m in council.members)
        return attrs.evolve(council, members=members)

    def allocate(self, council: Consortium) -> Allocation:
        """:func:`~jichitai_cloud.allocate` with this plan's fee, rule and penalties."""
        return allocate(self.apply_to(council), self.total_fee, self.rule)
