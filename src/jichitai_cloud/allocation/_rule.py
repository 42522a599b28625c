"""The allocation rule (費用按分ルール): driver ratios, the guaranteed minimum reduction, penalties.

References
----------
富山県情報システム共同利用推進協議会事務局 (2016), 7. 導入効果: 「均等割:人口割 = 3:7」「最低3割削減を保障
したうえで、現行システムの解約により発生する違約金を考慮」; 8. まとめ: 「参加全市町村がコストメリットを享受
― 最低保障額を採用」.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction
from typing import Any, Literal, get_args

import attrs

from .. import _validators as v
from .._display import Lang
from .._frozenmap import FrozenMap
from .._numeric._apportion import TIE_RULES, TieRule
from .._numeric._checks import as_fraction
from ..errors import ParseError, ValidationError
from ._kernels import ROUNDINGS, Rounding, guarantee_caps

__all__ = [
    "GUARANTEE_BASES",
    "PENALTY_SHARINGS",
    "AllocationRule",
    "GuaranteeBasis",
    "PenaltySharing",
    "parse_ratio",
]

PenaltySharing = Literal["member", "pooled"]
PENALTY_SHARINGS: tuple[PenaltySharing, ...] = get_args(PenaltySharing)
GuaranteeBasis = Literal["period", "months_on_cloud"]
GUARANTEE_BASES: tuple[GuaranteeBasis, ...] = get_args(GuaranteeBasis)

_NUMBER = r"\s*([0-9]+(?:\.[0-9]+)?)\s*"
_PAIR = re.compile(rf"^{_NUMBER}[:：]{_NUMBER}$")
_NAMED = re.compile(r"^\s*([^=,\s]+)\s*=\s*([0-9]+(?:\.[0-9]+)?)\s*$")
_JA = {"均等割": "equal", "均等": "equal", "人口割": "population", "人口": "population"}


def _number(text: str) -> int | float:
    value = float(text)
    return int(value) if value.is_integer() and "." not in text else value


def parse_ratio(text: str) -> FrozenMap[float]:
    """Read driver ratios from text.

    Parameters
    ----------
    text
        ``"3:7"`` (均等割:人口割, the equal share then the population share), or named weights
        ``"equal=3, population=7, staff_users=2"`` (``均等割``/``人口割`` are accepted as names).

    Returns
    -------
    FrozenMap
        Driver name -> weight, e.g. ``{"equal": 3, "population": 7}``. [1]

    Raises
    ------
    ParseError
        If the text is in neither form, or a weight is negative, or all weights are zero.

    Examples
    --------
    >>> dict(parse_ratio("3:7"))
    {'equal': 3, 'population': 7}
    >>> dict(parse_ratio("equal=1, staff_users=1"))
    {'equal': 1, 'staff_users': 1}
    """
    if not isinstance(text, str):
        raise ParseError(f"a ratio must be text such as '3:7', got {text!r}")
    m = _PAIR.match(text)
    if m:
        items = {"equal": _number(m.group(1)), "population": _number(m.group(2))}
    else:
        items = {}
        for part in re.split(r"[,、]", text):
            if not part.strip():
                continue
            nm = _NAMED.match(part)
            if not nm:
                raise ParseError(
                    f"cannot read the ratio {text!r}: write '3:7' (均等割:人口割) or named weights such as "
                    "'equal=3, population=7'"
                )
            name = _JA.get(nm.group(1), nm.group(1))
            if name in items:
                raise ParseError(f"the ratio {text!r} names {name!r} twice")
            items[name] = _number(nm.group(2))
    if not items or not any(x > 0 for x in items.values()):
        raise ParseError(f"the ratio {text!r} has no positive weight")
    return FrozenMap(items)


def _to_ratios(value: Any) -> Any:
    if isinstance(value, str):
        return parse_ratio(value)
    if isinstance(value, FrozenMap):
        return value
    try:
        return FrozenMap(value)
    except ValidationError:
        return value


def _check_ratios(_inst: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, FrozenMap) or not len(value):
        raise ValidationError(
            f"{attribute.name} must name at least one driver with a weight, e.g. {{equal = 3, population = 7}}, "
            f"got {value!r}"
        )
    for k, x in value.items():
        if not k.strip():
            raise ValidationError(f"{attribute.name} has an empty driver name")
        if isinstance(x, bool) or not isinstance(x, int | float) or not math.isfinite(x) or x < 0:
            raise ValidationError(f"{attribute.name}.{k} must be a finite number >= 0 [1], got {x!r}")
    if not any(x > 0 for x in value.values()):
        raise ValidationError(f"{attribute.name} must have at least one positive weight, got {dict(value)!r}")


def _exact(value: float) -> Fraction:
    """The decimal a person wrote: 0.3 -> 3/10 exactly (not the binary float 0.2999…)."""
    return as_fraction(value, "min_reduction")


@attrs.frozen(kw_only=True, slots=True)
class AllocationRule:
    """How a council splits its cloud fee (費用按分ルール).

    Parameters
    ----------
    ratios
        Weight of each cost driver: ``"equal"`` (均等割, a column of ones), ``"population"`` (人口割)
        or the name of any :attr:`Municipality.drivers <jichitai_cloud.Municipality.drivers>` entry.
        Text such as ``"3:7"`` is read by :func:`parse_ratio`.  Default: 均等割:人口割 = 3:7. [1]
    min_reduction
        Guaranteed minimum reduction (最低削減率の保障), e.g. ``0.3`` for 最低3割削減: no member pays
        more than ``(1 - min_reduction)`` times its current cost (現行経費), rounded down to the
        yen.  ``None``: no guarantee. [1]
    penalty_sharing
        Cancellation penalties (違約金): ``"member"`` — each member bears its own (added to its cost);
        ``"pooled"`` — the penalties are added up and the pool is split by this same rule.
    guarantee_includes_penalty
        Whether the guarantee counts the penalty: if True, a member's fee share plus its penalty
        (its net cost) must stay within the guaranteed maximum; if False (default) the guarantee
        caps the fee share alone and the penalty comes on top.
    guarantee_basis
        What the guarantee compares with: ``"period"`` — the current cost over the whole evaluation
        period (the document's 5年試算); ``"months_on_cloud"`` — the current cost pro rata to the
        months the member is on the cloud (for a member joining or leaving mid-period).
    rounding
        ``"largest_remainder"`` (default) or ``"floor_then_lead"``; see
        :func:`~jichitai_cloud.allocation.split_costs`.
    unit
        Rounding unit, 1 (yen) or e.g. 1000 (千円単位). [yen]
    tie
        Tie rule for equal remainders (see :data:`~jichitai_cloud.allocation.TIE_RULES`).
    lead
        Member code that takes the remainder under ``"floor_then_lead"`` (default: the member with
        the largest share among those below their caps).

    References
    ----------
    富山県情報システム共同利用推進協議会事務局 (2016), 7. 導入効果 (均等割:人口割 = 3:7, 最低3割削減を保障,
    違約金を考慮) and 8. まとめ (最低保障額を採用).

    Examples
    --------
    >>> rule = AllocationRule(ratios="3:7", min_reduction=0.3)
    >>> rule.describe()
    '均等割:人口割 = 3:7 (均等割 30%、人口割 70%)、最低 30% の削減を保障'
    >>> rule.describe("en")
    'equal:population = 3:7 (equal 30 %, population 70 %); guaranteed minimum reduction 30 %'
    >>> rule.cap(920_000_000)
    644000000
    """

    ratios: FrozenMap[float] = attrs.field(factory=lambda: FrozenMap({"equal": 3, "population": 7}),
                                           converter=_to_ratios, validator=_check_ratios)
    min_reduction: float | None = attrs.field(default=None, validator=v.real(min=0.0, max=1.0, optional=True,
                                                                               unit="1"))
    penalty_sharing: PenaltySharing = attrs.field(default="member", validator=v.one_of(PENALTY_SHARINGS))
    guarantee_includes_penalty: bool = attrs.field(default=False)
    guarantee_basis: GuaranteeBasis = attrs.field(default="period", validator=v.one_of(GUARANTEE_BASES))
    rounding: Rounding = attrs.field(default="largest_remainder", validator=v.one_of(ROUNDINGS))
    unit: int = attrs.field(converter=v.to_int, default=1, validator=v.integer(min=1, unit="yen"))
    tie: TieRule = attrs.field(default="index", validator=v.one_of(TIE_RULES))
    lead: str | None = attrs.field(default=None, validator=attrs.validators.optional(v.member_code))

    @guarantee_includes_penalty.validator
    def _v_bool(self, attribute: Any, value: Any) -> None:
        if not isinstance(value, bool):
            raise ValidationError(f"{attribute.name} must be true or false, got {value!r}")

    @property
    def drivers(self) -> tuple[str, ...]:
        """Driver names in rule order."""
        return tuple(self.ratios)

    @property
    def weights(self) -> tuple[float, ...]:
        """Driver weights in rule order. [1]"""
        return tuple(self.ratios.values())

    def ratio_text(self, lang: Lang = "ja") -> str:
        """The ratio as a council writes it: ``均等割:人口割 = 3:7`` or ``equal:staff_users = 1:1``
        (``lang="en"``: ``equal:population = 3:7``)."""
        label = ":".join(driver_label(k, lang) for k in self.ratios)
        nums = ":".join(f"{x:g}" for x in self.ratios.values())
        return f"{label} = {nums}"

    def describe(self, lang: Lang = "ja") -> str:
        """One line: the ratio, the shares in percent, and the guarantee (Japanese; ``lang="en"``: English)."""
        total = sum(self.weights)
        if lang == "en":
            parts = ", ".join(f"{k} {100 * x / total:g} %" for k, x in self.ratios.items())
            text = f"{self.ratio_text('en')} ({parts})"
            if self.min_reduction is not None:
                text += f"; guaranteed minimum reduction {_percent_text(self.min_reduction)}"
                if self.guarantee_includes_penalty:
                    text += " counting the penalty"
                if self.guarantee_basis == "months_on_cloud":
                    text += " (pro rata to months on the cloud)"
            if self.penalty_sharing == "pooled":
                text += "; penalties pooled and split by the rule"
            if self.unit != 1:
                text += f"; rounded to {self.unit:,} yen"
            if self.rounding == "floor_then_lead":
                text += f"; remainder to {self.lead or 'the largest member'}"
            return text
        parts = "、".join(f"{driver_label(k, 'ja')} {100 * x / total:g}%" for k, x in self.ratios.items())
        text = f"{self.ratio_text('ja')} ({parts})"
        if self.min_reduction is not None:
            text += f"、最低 {_percent_text(self.min_reduction, 'ja')} の削減を保障"
            if self.guarantee_includes_penalty:
                text += " (違約金を含めて判定)"
            if self.guarantee_basis == "months_on_cloud":
                text += " (クラウド利用月数に応じて按分)"
        if self.penalty_sharing == "pooled":
            text += "、違約金は合算して同じ比率で按分"
        if self.unit != 1:
            text += f"、{self.unit:,}円単位"
        if self.rounding == "floor_then_lead":
            text += f"、端数は{self.lead or '最大の団体'}に配分"
        return text

    def cap(self, current_cost: int, months: int | None = None, period_months: int | None = None) -> int | None:
        """The guaranteed maximum (最低保障) for a member: ``floor((1 - r) * base)``, or None.

        Parameters
        ----------
        current_cost
            The member's current cost over the evaluation period (現行経費). [yen]
        months, period_months
            Months on the cloud and the period's length, used when :attr:`guarantee_basis` is
            ``"months_on_cloud"`` (then ``base = current_cost * months / period_months``). [months]

        Returns
        -------
        int or None
            The most the member pays (before or with its penalty, see
            :attr:`guarantee_includes_penalty`); None without a guarantee. [yen]
        """
        share = self.cap_factor()
        if share is None:
            return None
        if self.guarantee_basis == "months_on_cloud":
            if months is None or period_months is None:
                raise ValidationError("guarantee_basis 'months_on_cloud' needs the months on the cloud and the period")
            return int(guarantee_caps([current_cost], share.numerator, share.denominator, months=[months],
                                      period_months=period_months)[0])
        return int(guarantee_caps([current_cost], share.numerator, share.denominator)[0])

    def cap_factor(self) -> Fraction | None:
        """``1 - min_reduction`` exactly, as written (0.3 -> 7/10); None without a guarantee. [1]"""
        return None if self.min_reduction is None else 1 - _exact(self.min_reduction)


def _percent_text(x: float, lang: Lang = "en") -> str:
    return f"{float(_exact(x) * 100):g}" + (" %" if lang == "en" else "%")


DRIVER_LABELS: dict[str, str] = {"equal": "均等割", "population": "人口割"}
"""Japanese names of the common drivers."""


def driver_label(driver: str, lang: Lang = "ja") -> str:
    """A driver as a council names it: ``均等割`` (``lang="en"``: ``equal``); other drivers by their key."""
    return DRIVER_LABELS.get(driver, driver) if lang == "ja" else driver
