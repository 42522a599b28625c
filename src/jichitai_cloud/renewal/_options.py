"""The options of a renewal decision (サービス継続・切替の判断): continue the service or switch.

A :class:`RenewalOption` is one way forward for the next period: its monthly fee (for the council,
split with an :class:`~jichitai_cloud.AllocationRule`, or per member), its one-off costs per member
(data migration データ移行費用, customization to redo, training) and for the council (the new
procurement 再調達), the months both systems run (二重稼働), the yearly price change, and the service
level expected (:class:`ServiceLevel`).
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import attrs

from .. import _validators as v
from .._frozenmap import FrozenMap
from .._numeric import as_fraction
from ..allocation import AllocationRule
from ..errors import ValidationError

__all__ = ["RenewalOption", "ServiceLevel"]


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _yen_map(value: Any, field: str) -> FrozenMap[int]:
    if not isinstance(value, Mapping):
        raise ValidationError(f"{field} must be a mapping of member code -> integer yen, got {value!r}")
    for code, x in value.items():
        v.check_member_code(code, f"{field} key {code!r}")
        v.check_yen(x, f"{field}[{code!r}]")
    return FrozenMap({str(k): int(x) for k, x in value.items()})


def _to_fee(value: Any) -> Any:
    if isinstance(value, Mapping) and not isinstance(value, FrozenMap):
        return FrozenMap(dict(value))
    return value


def _to_one_off(value: Any) -> Any:
    if value is None:
        return FrozenMap({})
    return FrozenMap(dict(value)) if isinstance(value, Mapping) and not isinstance(value, FrozenMap) else value


@attrs.frozen(slots=True)
class ServiceLevel:
    """The service level expected of an option, with where the figure comes from.

    Parameters
    ----------
    availability
        Expected availability (稼働率) as a rate in ``(0, 1]``, e.g. ``0.999``. [1]
    incidents_per_year
        Expected incidents (障害件数) a year. [incidents/year]
    source
        Where the figures come from (the vendor's SLA, the operations records, …).
    """

    availability: float | None = attrs.field(default=None, kw_only=True,
                                             validator=v.real(min=0.0, max=1.0, min_exclusive=True, optional=True))
    incidents_per_year: float | None = attrs.field(default=None, kw_only=True,
                                                   validator=v.real(min=0.0, optional=True))
    source: str = attrs.field(default="", kw_only=True, converter=_strip, validator=v.text(multiline=False))


def _check_fee(inst: RenewalOption, _a: Any, value: Any) -> None:
    if isinstance(value, FrozenMap):
        if not value:
            # inst is None when the file converter runs the validator on the field alone
            who = f"option {inst.name!r}: " if inst is not None else ""
            raise ValidationError(f"{who}monthly_fee per member must name at least one member")
        _yen_map(value, "monthly_fee")
    else:
        v.check_yen(value, "monthly_fee")


def _check_one_off(_inst: Any, _a: Any, value: Any) -> None:
    _yen_map(value, "one_off")


def _check_change(_inst: Any, _a: Any, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value or value <= -1:
        raise ValidationError(f"yearly_change must be a finite number > -1 (0.02 for +2 % a year), got {value!r}")
    as_fraction(value, "yearly_change")


@attrs.frozen(slots=True)
class RenewalOption:
    """One way forward at the renewal: continue the service or switch (サービス継続・切替).

    Parameters
    ----------
    name
        The option's name, e.g. ``"継続 (現行ベンダー)"`` or ``"切替 (標準準拠システム)"``.
    monthly_fee
        The monthly fee of the first year: integer yen for the council, split among the members with
        ``rule``; or ``{member code: integer yen}``, each member's own fee (every member of the
        council must be named). [yen/month]
    rule
        How the council's fee, ``council_one_off`` and double running are split (an
        :class:`~jichitai_cloud.AllocationRule`); needed with a council fee, and with per-member fees
        when ``council_one_off`` is not zero.
    one_off
        One-off costs per member: data migration (データ移行費用), customization to redo, training;
        ``{member code: integer yen}`` (members not named pay none). [yen]
    council_one_off
        One-off costs of the council, e.g. the new procurement (再調達). [yen]
    parallel_months
        Months both systems run (二重稼働): the incumbent's first monthly fee is paid this many months
        more.  The incumbent (the first option of a comparison) has none. [months]
    yearly_change
        Price change a year, ``0.02`` for +2 %: the fee of year ``y`` (months ``12y .. 12y + 11``) is
        the first year's times ``(1 + yearly_change) ** y``, rounded half to even to the yen.  Read
        as the decimal written (``0.02`` is exactly 2/100). [1/year]
    service
        The service level expected (:class:`ServiceLevel`), shown beside the money.

    Examples
    --------
    >>> from jichitai_cloud import AllocationRule
    >>> stay = RenewalOption("継続", monthly_fee=20_000_000, rule=AllocationRule(ratios="3:7"))
    >>> stay.first_fee_total
    20000000
    """

    name: str = attrs.field(converter=_strip, validator=v.non_empty_text())
    monthly_fee: int | FrozenMap[int] = attrs.field(kw_only=True, converter=_to_fee, validator=_check_fee)
    rule: AllocationRule | None = attrs.field(default=None, kw_only=True)
    one_off: FrozenMap[int] = attrs.field(factory=lambda: FrozenMap({}), kw_only=True, converter=_to_one_off,
                                          validator=_check_one_off)
    council_one_off: int = attrs.field(default=0, kw_only=True, validator=v.yen())
    parallel_months: int = attrs.field(default=0, kw_only=True, validator=v.integer(min=0, max=1200, unit="months"))
    yearly_change: float = attrs.field(default=0.0, kw_only=True, validator=_check_change)
    service: ServiceLevel | None = attrs.field(default=None, kw_only=True)

    def __attrs_post_init__(self) -> None:
        if self.rule is not None and not isinstance(self.rule, AllocationRule):
            raise ValidationError(f"option {self.name!r}: rule must be an AllocationRule, got {self.rule!r}")
        if self.service is not None and not isinstance(self.service, ServiceLevel):
            raise ValidationError(f"option {self.name!r}: service must be a ServiceLevel, got {self.service!r}")
        if self.rule is None and not self.per_member:
            raise ValidationError(f"option {self.name!r}: a council monthly_fee ({self.monthly_fee!r} yen) needs a "
                                  "rule to split it (e.g. rule=AllocationRule(ratios='3:7'))")
        if self.rule is None and self.council_one_off:
            raise ValidationError(f"option {self.name!r}: council_one_off ({self.council_one_off!r} yen) needs a "
                                  "rule to split it among the members")

    @property
    def per_member(self) -> bool:
        """Whether the fee is given per member (else one council fee split with the rule)."""
        return isinstance(self.monthly_fee, FrozenMap)

    @property
    def first_fee_total(self) -> int:
        """The council's monthly fee of the first month (the sum of the members' fees if per member). [yen]"""
        fee = self.monthly_fee
        return sum(fee.values()) if isinstance(fee, FrozenMap) else int(fee)

    @property
    def change(self) -> Fraction:
        """``yearly_change`` as the exact decimal written (0.02 → 1/50). [1/year]"""
        return as_fraction(self.yearly_change, "yearly_change")

    @property
    def one_off_total(self) -> int:
        """Every one-off cost: the members' and the council's. [yen]"""
        return sum(self.one_off.values()) + self.council_one_off
