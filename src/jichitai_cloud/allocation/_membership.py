"""Members leaving or joining mid-period (途中離脱・新規参加): the allocation before and after.

References
----------
富山県情報システム共同利用推進協議会事務局 (2016), 8. まとめ: 途中離脱や新規参加への対応.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from .._display import Lang, TableView, cols
from ..calendar import Month
from ..errors import ValidationError
from ..model import Consortium, Municipality
from ._allocate import allocate
from ._results import Allocation
from ._rule import AllocationRule

__all__ = ["MembershipChange", "membership_change"]


@attrs.frozen(kw_only=True, slots=True)
class MembershipChange(TableView):
    """An allocation before and after members leave or join mid-period (途中離脱・新規参加).

    Parameters
    ----------
    before, after
        The two allocations.
    leaving
        Member code -> first month it is no longer on the cloud.
    joining
        Codes of the members that join (with their cloud start).
    """

    before: Allocation
    after: Allocation
    leaving: tuple[tuple[str, Month], ...]
    joining: tuple[str, ...]

    _COLUMNS = cols("code", "name", "months_before", "months_after", "share_before", "share_after", "net_before",
                    "net_after", "change", "bound_before", "bound_after")
    _KEY = "membership_change"
    _SHEET = ("途中離脱・新規参加", "Membership change")
    _INDEX = "code"
    _TOTALS = True

    def _rows(self) -> list[list[Any]]:
        """Per member (of either council): months, share and net cost before and after, change."""
        codes = list(self.before.codes) + [c for c in self.after.codes if c not in self.before.codes]
        rows: list[list[Any]] = []
        for c in codes:
            b = self.before.member(c) if c in self.before.codes else None
            a = self.after.member(c) if c in self.after.codes else None
            nb = b.net_cost if b else 0
            na = a.net_cost if a else 0
            name = (a or b).name if (a or b) is not None else c  # type: ignore[union-attr]
            rows.append([c, name, b.months_on_cloud if b else 0, a.months_on_cloud if a else 0, b.share if b else 0,
                         a.share if a else 0, nb, na, na - nb, b.cap_bound if b else None,
                         a.cap_bound if a else None])
        return rows

    def _name(self, code: str) -> str:
        for alloc in (self.after, self.before):
            if code in alloc.codes:
                return alloc.member(code).name
        return code

    def _title(self, lang: Lang = "ja") -> str:
        if lang == "en":
            moves = ([f"{self._name(c)} leaves after {(m - 1).iso()}" for c, m in self.leaving]
                     + [f"{self._name(c)} joins" for c in self.joining])
            return f"{self.after.council}: {'; '.join(moves) or 'no change'}"
        moves = ([f"{self._name(c)}が{(m - 1).era_short()}末で離脱" for c, m in self.leaving]
                 + [f"{self._name(c)}が新規参加" for c in self.joining])
        return f"{self.after.council}: {'、'.join(moves) or '変更なし'}"

    def summary(self, lang: Lang = "ja") -> str:
        """The notes of the new allocation (Japanese; ``lang="en"``: English)."""
        notes = self.after.why(lang)
        if not notes:
            return ""
        return "\n".join(["after:" if lang == "en" else "変更後の理由:"] + [f"  - {e}" for e in notes])

    def __str__(self) -> str:
        return self.to_text()


def membership_change(
    consortium: Consortium,
    total_fee: int | Sequence[int],
    rule: AllocationRule | None = None,
    *,
    leaving: Mapping[str, Month | str] | None = None,
    joining: Sequence[Municipality] = (),
    total_fee_after: int | Sequence[int] | None = None,
) -> MembershipChange:
    """The allocation before and after members leave or join mid-period (途中離脱・新規参加).

    Parameters
    ----------
    consortium
        The council as planned.
    total_fee
        The fee over the period (or monthly fees), see :func:`allocate`. [yen]
    rule
        The rule.
    leaving
        Member code -> first month it is no longer on the cloud. [month]
    joining
        New members, each with its ``cloud_start`` (the month it joins).
    total_fee_after
        The fee after the change, if the vendor's fee changes (default: the same). [yen]

    Returns
    -------
    MembershipChange
        Both allocations; the remaining months of a leaver are split among the members present, and
        a joiner takes part in the months from its start.

    References
    ----------
    富山県情報システム共同利用推進協議会事務局 (2016), 8. まとめ: 途中離脱や新規参加への対応.
    """
    before = allocate(consortium, total_fee, rule)
    council = consortium
    for m in joining:
        if not isinstance(m, Municipality):
            raise ValidationError(f"joining must hold Municipality objects, got {m!r}")
        if m.cloud_start is None:
            raise ValidationError(f"joining member {m.code!r} needs a cloud_start (the month it joins)")
        council = council.with_member(m)
    after = allocate(council, total_fee if total_fee_after is None else total_fee_after, rule, leaving=leaving)
    lv = tuple((c, Month.parse(mo) if isinstance(mo, str) else mo) for c, mo in (leaving or {}).items())
    return MembershipChange(before=before, after=after, leaving=lv, joining=tuple(m.code for m in joining))
