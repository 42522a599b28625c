"""Customization requests (カスタマイズ要望) and the vendor's quote for them."""

from __future__ import annotations

import enum
from typing import Any

import attrs

from .. import _validators as v
from .._frozenmap import FrozenMap
from ..errors import QuoteError, ValidationError

__all__ = ["CustomizationRequest", "Quote", "RequestStatus"]


class RequestStatus(enum.StrEnum):
    """Where a customization request stands."""

    REQUESTED = "requested"
    """Asked for, not yet decided (カスタマイズ要望)."""
    IMPLEMENTED = "implemented"
    """Customized at the adopters' cost (カスタマイズを行った)."""
    MADE_STANDARD = "made_standard"
    """Folded into the package at no cost to members (標準仕様として対応 / 標準機能として実装)."""
    WITHDRAWN = "withdrawn"
    """Withdrawn by the requesters (要望を取下げ)."""
    NOT_IMPLEMENTED = "not_implemented"
    """Decided against (実施しない)."""


def _to_count_map(value: Any) -> Any:
    if isinstance(value, FrozenMap):
        return value
    if isinstance(value, dict):
        return FrozenMap({str(k): x for k, x in value.items()})
    return FrozenMap(value)


def _to_status(value: Any) -> RequestStatus:
    result: RequestStatus = v.to_enum(RequestStatus, "status")(value)
    return result


@attrs.frozen(kw_only=True, slots=True)
class Quote:
    """A vendor's quote for one customization as a function of how many members adopt it.

    Three forms, as vendors quote them:

    * a table per count, ``by_count = {"1" = 2100000, "3" = 2200000, "5" = 1400000}`` (the source
      document's "n自治体で実施した場合"); a count the table lacks is an error when asked for;
    * a fixed total split among however many adopt, ``fixed = 1200000``;
    * fixed plus per member, ``fixed = 800000, per_member = 100000``.

    Parameters
    ----------
    fixed
        Total that does not depend on the number of adopters. [yen]
    per_member
        Added per adopting member. [yen]
    by_count
        Total quote for ``k`` adopters, keyed by ``k`` as text; overrides ``fixed`` and
        ``per_member`` when given. [yen]
    """

    fixed: int = attrs.field(default=0, validator=v.integer(min=0, unit="yen"))
    per_member: int = attrs.field(default=0, validator=v.integer(min=0, unit="yen"))
    by_count: FrozenMap[int] = attrs.field(factory=FrozenMap, converter=_to_count_map)

    @by_count.validator
    def _v_table(self, attribute: Any, value: FrozenMap[int]) -> None:
        for k, x in value.items():
            if not (k.isascii() and k.isdigit() and int(k) >= 1):
                raise ValidationError(f"{attribute.name} keys must be adopter counts 1, 2, …, got {k!r}")
            if isinstance(x, bool) or not isinstance(x, int) or x < 0:
                raise ValidationError(f"{attribute.name}.{k} must be an integer >= 0 [yen], got {x!r}")

    def max_count(self) -> int | None:
        """Largest adopter count the table quotes (``None`` for fixed / per-member quotes)."""
        return max((int(k) for k in self.by_count), default=None)

    def total(self, adopters: int) -> int:
        """Total quote when ``adopters`` members adopt the customization. [yen]

        Raises
        ------
        QuoteError
            If the quote is a table without an entry for that count.
        """
        if isinstance(adopters, bool) or not isinstance(adopters, int) or adopters < 0:
            raise ValidationError(f"adopters must be an integer >= 0, got {adopters!r}")
        if adopters == 0:
            return 0
        if self.by_count:
            try:
                return self.by_count[str(adopters)]
            except KeyError:
                raise QuoteError(
                    f"the quote has no figure for {adopters} adopter(s); it quotes "
                    f"{sorted(int(k) for k in self.by_count)}"
                ) from None
        return self.fixed + self.per_member * adopters


@attrs.frozen(kw_only=True, slots=True)
class CustomizationRequest:
    """A customization request (カスタマイズ要望) raised in a subcommittee.

    Parameters
    ----------
    id
        Number in the comparison table, e.g. ``"20-3"``.
    subcommittee
        Name of the subcommittee (部会) that discussed it.
    title
        What is asked for.
    requesters
        Codes of the members that asked for it.
    quote
        The vendor's quote as a function of the number of adopters.
    adopters
        Codes of the members that adopt (and pay for) it.
    status
        Outcome (see :class:`RequestStatus`).
    rationale
        Why, e.g. to keep the level of service to residents (住民サービスの低下 の回避).
    """

    id: str = attrs.field(validator=v.non_empty_text())
    title: str = attrs.field(validator=v.non_empty_text())
    subcommittee: str = attrs.field(default="", validator=v.text())
    requesters: tuple[str, ...] = attrs.field(default=(), converter=v.to_tuple,
                                              validator=v.unique(what="code"))
    quote: Quote = attrs.field(factory=Quote)
    adopters: tuple[str, ...] = attrs.field(default=(), converter=v.to_tuple,
                                            validator=v.unique(what="code"))
    status: RequestStatus = attrs.field(default=RequestStatus.REQUESTED, converter=_to_status,
                                        validator=v.one_of(RequestStatus))
    rationale: str = attrs.field(default="", validator=v.text())

    def __attrs_post_init__(self) -> None:
        if self.status in (RequestStatus.WITHDRAWN, RequestStatus.NOT_IMPLEMENTED) and self.adopters:
            raise ValidationError(
                f"request {self.id!r} is {self.status.value} but lists adopters {list(self.adopters)}"
            )

    @property
    def cost(self) -> int:
        """What the adopters pay in total: the quote for their count, 0 if made standard. [yen]"""
        if self.status is RequestStatus.MADE_STANDARD:
            return 0
        return self.quote.total(len(self.adopters))
