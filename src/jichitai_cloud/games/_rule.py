"""The council's rule on a smaller or larger council, and the allocation a report analyses.

``games`` has no allocation rule of its own: a ratio such as ``"3:7"`` or
``{"equal": 3, "population": 7}`` is read by :class:`~jichitai_cloud.allocation.AllocationRule` and
split by the allocation kernel :func:`~jichitai_cloud.allocation.split_costs` (exact integer yen,
largest remainder); an :class:`~jichitai_cloud.allocation.AllocationRule` itself is applied by
:func:`~jichitai_cloud.allocation.allocate` (guaranteed minimum reduction, months on the cloud,
penalties and rounding over the council's evaluation period).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._numeric import yen_array
from ..allocation import AllocationRule, allocate, split_costs
from ..errors import ValidationError
from ..model import Consortium, Municipality

__all__ = ["Rule"]

Rule = AllocationRule | Mapping[str, float] | str | Callable[[Sequence[Municipality], int], ArrayLike] | None
"""What the leaving and joining reports accept as the council's rule."""

_DEFAULT_RULE = AllocationRule(ratios={"equal": 3, "population": 7})
"""均等割:人口割 = 3:7, the split of the source document: 30 % equally per member, 70 % by population."""


def _ratio_shares(members: Sequence[Municipality], total: int, rule: AllocationRule) -> NDArray[np.int64]:
    """Split ``total`` by the rule's driver ratios alone, in exact integer yen (largest remainder).

    Member ``i``'s quota is ``total * sum_d r_d * x_id / sum_j x_jd / sum_d r_d`` for the drivers
    ``d`` of the ratio (``"equal"`` is 1 per member, ``"population"`` the population, other names
    the members' :attr:`~jichitai_cloud.Municipality.drivers`). [yen]

    References
    ----------
    富山県情報システム共同利用推進協議会事務局 (2016), 7. 導入効果: 均等割:人口割 = 3:7.
    """
    drivers = np.array([[m.driver(d) for d in rule.drivers] for m in members], dtype=np.float64)
    return split_costs(int(total), drivers.reshape(len(members), len(rule.drivers)), rule.weights)


def _rule_shares(rule: Rule, members: Sequence[Municipality], total: int,
                 council: Consortium | None = None) -> NDArray[np.int64]:
    """What each of ``members`` pays of ``total`` under ``rule`` (see :data:`Rule`). [yen]"""
    if isinstance(rule, AllocationRule):
        # the allocation module's own rule: guarantee caps, staggered starts, penalties and rounding
        if council is None:
            raise ValidationError("an AllocationRule needs the council (its evaluation period)")
        sub = attrs.evolve(council, members=tuple(members), subcommittees=(), customization_requests=(),
                           published=None)
        return np.array(allocate(sub, int(total), rule).shares, dtype=np.int64)
    if rule is None:
        return _ratio_shares(members, total, _DEFAULT_RULE)
    if isinstance(rule, str | Mapping):
        return _ratio_shares(members, total, AllocationRule(ratios=rule))
    if callable(rule):
        out = _as_yen(rule(members, total), len(members), "rule(...)")
        if int(out.sum()) != int(total):
            raise ValidationError(f"the rule's shares add up to {int(out.sum()):,} yen, expected {int(total):,}")
        return out
    raise ValidationError(f"rule must be a ratio such as '3:7', a mapping of driver weights, an AllocationRule "
                          f"or a callable (members, total) -> shares, got {rule!r}")


def _as_yen(value: Any, n: int, what: str) -> NDArray[np.int64]:
    arr = np.asarray(value)
    if arr.shape != (n,):
        raise ValidationError(f"{what} must have one amount per member ({n}), got shape {arr.shape}")
    return yen_array(arr, what)


def _allocation_array(consortium: Consortium, allocation: Any) -> NDArray[np.int64]:
    """What each member pays under ``allocation``, as int64 yen in member order.

    Accepted: a sequence or array of integer yen in member order; a mapping ``code -> yen``; or an
    object with a ``shares`` attribute holding either (the ``Allocation`` result of the allocation
    module; if it also has ``codes``, they must match the council's order).
    """
    n = len(consortium.members)
    shares = getattr(allocation, "shares", allocation)
    codes = getattr(allocation, "codes", None)
    if codes is not None and tuple(codes) != consortium.codes:
        raise ValidationError(f"allocation is for members {list(codes)}, the council has {list(consortium.codes)}")
    if isinstance(shares, Mapping):
        missing = [c for c in consortium.codes if c not in shares]
        extra = [c for c in shares if c not in consortium.codes]
        if missing or extra:
            raise ValidationError(f"allocation must give every member's share: missing {missing}, unknown {extra}")
        shares = [shares[c] for c in consortium.codes]
    return _as_yen(shares, n, "allocation")
