"""Customization requests (カスタマイズ要望), the vendor's quote for them, and the decision record.

The source document's council kept customization down on purpose: every request went through its
subcommittee (部会); its cost was outside the joint contract and shared by the members that adopted
it, at a quote that depended on their number ("n自治体で実施した場合"); and each request was tested
against explicit questions (標準パッケージに盛り込むべき項目でないか, 運用での対応は可能か, 他の市町村で
参考事例はないか, チューニング対応可能か, 経費負担しなくてもカスタマイズするか) and the criterion of
degraded service to residents (住民サービスの低下).  :class:`Assessment` records those answers.
"""

from __future__ import annotations

import enum
from typing import Any, ClassVar

import attrs

from .. import _validators as v
from .._frozenmap import FrozenMap
from ..errors import QuoteError, UnknownMemberError, ValidationError
from ._fitgap import FitGapItem, MeetingRecord

__all__ = ["STATUS_ALIASES", "Assessment", "CustomizationRegister", "CustomizationRequest", "Quote", "RequestStatus"]

MAX_QUOTE = v.YEN_LIMIT - 1
"""Largest amount a quote or a willingness to pay may hold (the kernels' exact range). [yen]"""


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

    @property
    def ja(self) -> str:
        """The Japanese label used in the source document's tables."""
        return _STATUS_JA[self]


_STATUS_JA = {
    RequestStatus.REQUESTED: "要望",
    RequestStatus.IMPLEMENTED: "カスタマイズ実施",
    RequestStatus.MADE_STANDARD: "標準仕様として対応",
    RequestStatus.WITHDRAWN: "要望取下げ",
    RequestStatus.NOT_IMPLEMENTED: "実施しない",
}

STATUS_ALIASES: dict[str, RequestStatus] = {
    "要望": RequestStatus.REQUESTED,
    "検討中": RequestStatus.REQUESTED,
    "実施": RequestStatus.IMPLEMENTED,
    "カスタマイズ実施": RequestStatus.IMPLEMENTED,
    "カスタマイズを行った": RequestStatus.IMPLEMENTED,
    "標準": RequestStatus.MADE_STANDARD,
    "標準仕様": RequestStatus.MADE_STANDARD,
    "標準仕様として対応": RequestStatus.MADE_STANDARD,
    "標準機能として実装": RequestStatus.MADE_STANDARD,
    "取下げ": RequestStatus.WITHDRAWN,
    "取り下げ": RequestStatus.WITHDRAWN,
    "要望取下げ": RequestStatus.WITHDRAWN,
    "要望を取下げ": RequestStatus.WITHDRAWN,
    "実施しない": RequestStatus.NOT_IMPLEMENTED,
}
"""Japanese words a secretariat writes for a request's status, and the status each stands for."""


def _to_count_map(value: Any) -> Any:
    if isinstance(value, FrozenMap):
        return value
    if isinstance(value, dict):
        return FrozenMap({str(k): x for k, x in value.items()})
    return FrozenMap(value)


_STATUS = v.to_enum(RequestStatus, "status")


def _to_status(value: Any) -> RequestStatus:
    """Converter: a status, its value, or a Japanese word of :data:`STATUS_ALIASES`."""
    if isinstance(value, str) and value.strip() in STATUS_ALIASES:
        return STATUS_ALIASES[value.strip()]
    return _STATUS(value)


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

    fixed: int = attrs.field(converter=v.to_int, default=0, validator=v.integer(min=0, unit="yen"))
    per_member: int = attrs.field(converter=v.to_int, default=0, validator=v.integer(min=0, unit="yen"))
    by_count: FrozenMap[int] = attrs.field(factory=FrozenMap, converter=_to_count_map)

    @by_count.validator
    def _v_table(self, attribute: Any, value: FrozenMap[int]) -> None:
        for k, x in value.items():
            if not (k.isascii() and k.isdigit() and int(k) >= 1):
                raise ValidationError(f"{attribute.name} keys must be adopter counts 1, 2, …, got {k!r}")
            if isinstance(x, bool) or not isinstance(x, int) or not 0 <= x <= MAX_QUOTE:
                raise ValidationError(
                    f"{attribute.name}.{k} must be an integer >= 0 and <= {MAX_QUOTE} [yen], got {x!r}"
                )

    @property
    def kind(self) -> str:
        """``"table"`` (per count), ``"fixed"`` or ``"fixed+per_member"``."""
        if self.by_count:
            return "table"
        return "fixed+per_member" if self.per_member else "fixed"

    def is_quoted(self, adopters: int) -> bool:
        """Whether the quote gives a figure for ``adopters`` members (0 adopters: always, at 0 yen)."""
        if adopters == 0 or not self.by_count:
            return True
        return str(adopters) in self.by_count

    def row(self, members: int) -> tuple[tuple[int, ...], tuple[bool, ...]]:
        """The quote for 0, 1, …, ``members`` adopters, and which of those counts are quoted.

        Unquoted counts hold 0 and ``False``; this is the row the kernels
        :func:`~jichitai_cloud.customization.share_quotes` and
        :func:`~jichitai_cloud.customization.stable_adopters` take (``quotes`` and ``quoted``). [yen]
        """
        totals = [0] * (members + 1)
        quoted = [True] * (members + 1)
        for k in range(1, members + 1):
            if self.is_quoted(k):
                totals[k] = self.total(k)
            else:
                quoted[k] = False
        return tuple(totals), tuple(quoted)

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


def _tristate(_inst: Any, attribute: Any, value: Any) -> None:
    if value is not None and not isinstance(value, bool):
        raise ValidationError(f"{attribute.name} must be true, false or absent (not yet answered), got {value!r}")


@attrs.frozen(kw_only=True, slots=True)
class Assessment:
    """The decision record of one customization request: the source document's questions.

    Each answer is ``True``, ``False`` or ``None`` (not answered).

    Parameters
    ----------
    should_be_standard
        Should it rather be standard in the package? (標準パッケージに盛り込むべき項目でないか)
    operations_can_absorb
        Can a change in operations absorb it? (運用での対応は可能か)
    others_cope_without
        Does another member already cope without it? (他の市町村で参考事例はないか)
    tuning_possible
        Can it be done by configuration? (チューニング対応可能か)
    would_pay_alone
        Would the member customize even if it had to bear the cost alone? (経費負担しなくても
        カスタマイズするか)
    degrades_service
        Would service to residents degrade without it? (住民サービスの低下 — the criterion A市 gave its
        departments)
    note
        Free text: the subcommittee's reasoning.

    References
    ----------
    富山県情報システム共同利用推進協議会事務局 (2016), カスタマイズ抑制の手法 1 and 3.
    """

    should_be_standard: bool | None = attrs.field(default=None, validator=_tristate)
    operations_can_absorb: bool | None = attrs.field(default=None, validator=_tristate)
    others_cope_without: bool | None = attrs.field(default=None, validator=_tristate)
    tuning_possible: bool | None = attrs.field(default=None, validator=_tristate)
    would_pay_alone: bool | None = attrs.field(default=None, validator=_tristate)
    degrades_service: bool | None = attrs.field(default=None, validator=_tristate)
    note: str = attrs.field(default="", validator=v.text())

    QUESTIONS: ClassVar[tuple[tuple[str, str, str], ...]] = (
        ("should_be_standard", "標準パッケージに盛り込むべき項目でないか", "should it be standard in the package?"),
        ("operations_can_absorb", "運用での対応は可能か", "can operations absorb it?"),
        ("others_cope_without", "他の市町村で参考事例はないか", "does another member cope without it?"),
        ("tuning_possible", "チューニング対応可能か", "can configuration (tuning) do it?"),
        ("would_pay_alone", "経費負担しなくてもカスタマイズするか", "would the member pay for it alone?"),
        ("degrades_service", "住民サービスの低下", "would service to residents degrade without it?"),
    )
    """``(field, Japanese question, English question)`` for each answer, in the document's order."""

    @property
    def answered(self) -> int:
        """Number of questions answered (``True`` or ``False``). [questions]"""
        return sum(getattr(self, f) is not None for f, _, _ in self.QUESTIONS)

    def suggestion(self) -> RequestStatus | None:
        """The outcome the answers point to, or ``None`` while they do not decide it.

        In the document's order of questions: standard in the package -> made standard; operations,
        another member's practice or configuration can do it, service to residents would not
        degrade, or the member would not pay alone -> withdrawn; service would degrade and the
        member would pay -> implemented.
        """
        if self.should_be_standard:
            return RequestStatus.MADE_STANDARD
        if (self.operations_can_absorb or self.others_cope_without or self.tuning_possible
                or self.degrades_service is False or self.would_pay_alone is False):
            return RequestStatus.WITHDRAWN
        if self.degrades_service and self.would_pay_alone:
            return RequestStatus.IMPLEMENTED
        return None

    def reasons(self) -> tuple[str, ...]:
        """The answers that decide :meth:`suggestion`, as ``"question: yes/no"`` texts (Japanese)."""
        decisive = {
            "should_be_standard": True, "operations_can_absorb": True, "others_cope_without": True,
            "tuning_possible": True, "would_pay_alone": False, "degrades_service": False,
        }
        out = [f"{ja}: {'はい' if decisive[f] else 'いいえ'}"
               for f, ja, _ in self.QUESTIONS if getattr(self, f) is decisive[f]]
        if not out and self.suggestion() is RequestStatus.IMPLEMENTED:
            out = ["住民サービスの低下: はい", "経費負担しなくてもカスタマイズするか: はい"]
        return tuple(out)


def _willingness(_inst: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, FrozenMap):
        raise ValidationError(f"{attribute.name} must be a table of member code = yen, got {value!r}")
    for k, x in value.items():
        v.check_member_code(k, f"{attribute.name} key")
        if isinstance(x, bool) or not isinstance(x, int) or not 0 <= x <= MAX_QUOTE:
            raise ValidationError(
                f"{attribute.name}.{k} must be an integer >= 0 and <= {MAX_QUOTE} [yen], got {x!r}"
            )


_REQUEST_FIELDS = ("id", "title", "subcommittee", "requesters", "quote", "adopters", "status", "rationale",
                   "assessment", "willingness", "note")


def _reconstructed(_inst: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, tuple):
        raise ValidationError(f"{attribute.name} must be a list of field names, got {value!r}")
    for x in value:
        if x not in _REQUEST_FIELDS:
            raise ValidationError(f"{attribute.name} must name fields of the request {_REQUEST_FIELDS}, got {x!r}")


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
    assessment
        The answers to the document's questions (the decision record).
    willingness
        The most each member would pay for it, by member code (its answer to "would you customize
        if you had to pay for it?"); members not listed are not interested.  Used by the who-stays-in
        analysis. [yen]
    note
        Remarks (備考), e.g. ``"5自治体で実施した場合"`` or ``"No.22に統合"``.
    reconstructed
        Names of the fields that were reconstructed rather than read from the source (e.g. from a
        garbled OCR text); empty for a record kept as published.
    """

    id: str = attrs.field(validator=v.non_empty_text())
    title: str = attrs.field(validator=v.non_empty_text())
    subcommittee: str = attrs.field(default="", validator=v.text())
    requesters: tuple[str, ...] = attrs.field(default=(), converter=v.to_tuple, validator=v.member_codes())
    quote: Quote = attrs.field(factory=Quote)
    adopters: tuple[str, ...] = attrs.field(default=(), converter=v.to_tuple, validator=v.member_codes())
    status: RequestStatus = attrs.field(default=RequestStatus.REQUESTED, converter=_to_status,
                                        validator=v.one_of(RequestStatus))
    rationale: str = attrs.field(default="", validator=v.text())
    assessment: Assessment = attrs.field(factory=Assessment)
    willingness: FrozenMap[int] = attrs.field(factory=FrozenMap, converter=_to_count_map, validator=_willingness)
    note: str = attrs.field(default="", validator=v.text())
    reconstructed: tuple[str, ...] = attrs.field(default=(), converter=v.to_tuple, validator=_reconstructed)

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

    def quote_row(self, members: int) -> tuple[tuple[int, ...], tuple[bool, ...]]:
        """The quote by number of adopters 0..``members`` as the kernels take it; all zero (and quoted)
        when the vendor made the request standard (see :meth:`Quote.row`). [yen]"""
        if self.status is RequestStatus.MADE_STANDARD:
            return (0,) * (members + 1), (True,) * (members + 1)
        return self.quote.row(members)


@attrs.frozen(kw_only=True, slots=True)
class CustomizationRegister:
    """The secretariat's customization register: requests, quotes and the fit & gap record.

    What a secretariat keeps in its spreadsheet apart from the council file: the members (the
    columns of the comparison table), every customization request with its quote, and optionally
    the subcommittees' meeting records and fit & gap items.  Use :meth:`from_council` and
    :meth:`apply_to` to move requests between a register and a
    :class:`~jichitai_cloud.Consortium`.

    Parameters
    ----------
    name
        Title, e.g. the council's name.
    members
        Member codes in the order of the comparison table's columns (e.g. ``A`` … ``F``).
    requests
        The customization requests (カスタマイズ要望); ids must be unique.
    subcommittees
        Names of the subcommittees (部会); when given, every request, meeting and item must name one.
    meetings
        Meeting records (date or count, with attendance).
    fit_gap
        Fit & gap items.
    notes
        What is illustrative or reconstructed.

    Notes
    -----
    Every member code the requests, meetings and items use must be one of :attr:`members`, and no
    quote table may quote more adopters than there are members.
    """

    name: str = attrs.field(default="", validator=v.text())
    members: tuple[str, ...] = attrs.field(converter=v.to_tuple)
    requests: tuple[CustomizationRequest, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.unique(key=lambda r: r.id, what="id")
    )
    subcommittees: tuple[str, ...] = attrs.field(default=(), converter=v.to_tuple,
                                                 validator=v.unique(what="name"))
    meetings: tuple[MeetingRecord, ...] = attrs.field(default=(), converter=v.to_tuple)
    fit_gap: tuple[FitGapItem, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.unique(key=lambda x: x.id, what="id")
    )
    notes: str = attrs.field(default="", validator=v.text())

    @members.validator
    def _v_members(self, attribute: Any, value: Any) -> None:
        if not isinstance(value, tuple) or not value:
            raise ValidationError(f"{attribute.name} must list at least one member code, got {value!r}")
        v.member_codes()(self, attribute, value)

    def __attrs_post_init__(self) -> None:
        known = set(self.members)
        subs = set(self.subcommittees)
        ids = {r.id for r in self.requests}
        bad: list[str] = []

        def check(where: str, codes: Any) -> None:
            unknown = [c for c in codes if c not in known]
            if unknown:
                bad.append(f"{where} refers to unknown member{'s' if len(unknown) > 1 else ''} "
                           f"{', '.join(map(repr, unknown))}")

        def check_sub(where: str, name: str) -> None:
            if subs and name and name not in subs:
                bad.append(f"{where} {name!r} is not one of the subcommittees")

        for i, r in enumerate(self.requests):
            check(f"requests[{i}].requesters", r.requesters)
            check(f"requests[{i}].adopters", r.adopters)
            check(f"requests[{i}].willingness", tuple(r.willingness))
            check_sub(f"requests[{i}].subcommittee", r.subcommittee)
            top = r.quote.max_count()
            if top is not None and top > len(self.members):
                bad.append(f"requests[{i}].quote quotes {top} adopters but there are {len(self.members)} members")
        for i, m in enumerate(self.meetings):
            check(f"meetings[{i}].attendees", m.attendees)
            check_sub(f"meetings[{i}].subcommittee", m.subcommittee)
        for i, x in enumerate(self.fit_gap):
            check(f"fit_gap[{i}].members", x.members)
            check_sub(f"fit_gap[{i}].subcommittee", x.subcommittee)
            if x.request and x.request not in ids:
                bad.append(f"fit_gap[{i}].request {x.request!r} is not the id of a request")
        if bad:
            raise UnknownMemberError("; ".join(bad))

    @classmethod
    def from_council(cls, council: Any, **changes: Any) -> CustomizationRegister:
        """The register of a :class:`~jichitai_cloud.Consortium`: its members, requests and subcommittees."""
        names = tuple(s.name_ja for s in council.subcommittees)
        # the council accepts English subcommittee names in requests too; the register lists the
        # Japanese names only when every request uses one (the council has checked them already)
        if any(r.subcommittee and r.subcommittee not in names for r in council.customization_requests):
            names = ()
        data: dict[str, Any] = {
            "name": council.name,
            "members": council.codes,
            "requests": council.customization_requests,
            "subcommittees": names,
        }
        data.update(changes)
        return cls(**data)

    def apply_to(self, council: Any) -> Any:
        """A copy of ``council`` (a :class:`~jichitai_cloud.Consortium`) holding this register's requests.

        Raises
        ------
        UnknownMemberError
            If the register uses member codes or subcommittees the council does not have.
        """
        missing = [c for c in self.members if c not in council.codes]
        if missing:
            raise UnknownMemberError(
                f"the register's members {missing} are not members of the council {list(council.codes)}"
            )
        return attrs.evolve(council, customization_requests=self.requests)

    def request(self, id: str) -> CustomizationRequest:
        """The request with ``id``."""
        for r in self.requests:
            if r.id == id:
                return r
        raise KeyError(f"no request {id!r}; there are {[r.id for r in self.requests]}")
