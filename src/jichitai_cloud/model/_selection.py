"""Candidates for a shared cloud and the council's conditions for grouping them (参加団体の選定).

A prefecture (or a secretariat) keeps, for each municipality that might join a shared cloud, its
population, its current cost, when its current contract ends, which municipalities it borders and
where its town hall is.  :class:`CandidatePool` holds them with the conditions a group must meet
(:class:`SelectionConstraints`); the cost model and the allocation rule are added by
:class:`jichitai_cloud.selection.SelectionProblem`.
"""

from __future__ import annotations

import math
from typing import Any

import attrs

from .. import _validators as v
from .._display import Lang
from ..calendar import Month
from ..errors import UnknownMemberError, ValidationError
from ._council import Municipality, _strip, _validate_code

__all__ = ["Candidate", "CandidatePool", "SelectionConstraints"]


def _location(value: Any) -> Any:
    if value is None or isinstance(value, tuple):
        return value
    if isinstance(value, list):
        return tuple(value)
    return value


def _check_location(_inst: Any, attribute: Any, value: Any) -> None:
    if value is None:
        return
    ok = (isinstance(value, tuple) and len(value) == 2
          and all(not isinstance(x, bool) and isinstance(x, int | float) and math.isfinite(x) for x in value))
    if not ok or not (-90 <= value[0] <= 90 and -180 <= value[1] <= 180):
        raise ValidationError(f"{attribute.name} must be [latitude, longitude] in degrees "
                              f"(-90..90, -180..180), got {value!r}")


@attrs.frozen(kw_only=True, slots=True)
class Candidate:
    """A municipality that might join a shared cloud (参加候補団体).

    Parameters
    ----------
    code
        全国地方公共団体コード (6 digits, the last a check digit) or a short id such as ``"A"``.
    name
        Name, e.g. ``"射水市"``.
    population
        Population (人口). [persons]
    current_cost
        Current cost (現行経費) of running its own systems over the evaluation period, before tax;
        ``None`` if unknown (the cost model's price for it alone is used, and the report says so). [yen]
    contract_end
        Month its current system contract ends (現行契約満了).  ``None``: unknown (fits any window).
    neighbours
        Codes of the candidates it borders (隣接団体); read as symmetric (one side suffices).
    location
        ``[latitude, longitude]`` of its town hall, for distance limits. [degrees]
    note
        What is illustrative or assumed.
    """

    code: str = attrs.field(converter=_strip, validator=_validate_code)
    name: str = attrs.field(converter=_strip, validator=v.non_empty_text())
    population: int = attrs.field(converter=v.to_int, validator=v.integer(min=1, unit="persons"))
    current_cost: int | None = attrs.field(converter=v.to_int, default=None, validator=v.integer(min=0, unit="yen", optional=True))
    contract_end: Month | None = attrs.field(default=None, converter=v.to_month, validator=v.optional_month)
    neighbours: tuple[str, ...] = attrs.field(default=(), converter=v.to_tuple, validator=v.member_codes())
    location: tuple[float, float] | None = attrs.field(default=None, converter=_location,
                                                       validator=_check_location)
    note: str = attrs.field(default="", validator=v.text())

    def municipality(self, current_cost: int | None = None) -> Municipality:
        """The candidate as a :class:`~jichitai_cloud.Municipality` (for cost models and allocation rules).

        Parameters
        ----------
        current_cost
            Used when :attr:`current_cost` is ``None`` (an estimate). [yen]
        """
        cost = self.current_cost if self.current_cost is not None else current_cost
        if cost is None:
            raise ValidationError(f"candidate {self.code!r} has no current cost; give an estimate")
        return Municipality(code=self.code, name=self.name, population=self.population, current_cost=cost,
                            current_system_end=self.contract_end)


@attrs.frozen(kw_only=True, slots=True)
class SelectionConstraints:
    """What a group of candidates must satisfy to share one cloud.

    Parameters
    ----------
    max_size
        Most members in one group; ``None``: no limit. [candidates]
    contract_window
        Largest gap between the contract ends of two members of a group (their systems can move
        together); ``None``: no limit. [months]
    contiguous
        Whether a group's members must be connected through borders between members (隣接).
    max_distance
        Largest distance between the town halls of two members; ``None``: no limit. [km]
    require_guarantee
        Whether a group must be able to give every member the guaranteed minimum reduction of the
        council's rule (最低削減率の保障); otherwise it is only reported.
    """

    max_size: int | None = attrs.field(converter=v.to_int, default=None, validator=v.integer(min=1, unit="candidates", optional=True))
    contract_window: int | None = attrs.field(converter=v.to_int, default=None, validator=v.integer(min=0, unit="months",
                                                                                 optional=True))
    contiguous: bool = attrs.field(default=True)
    max_distance: float | None = attrs.field(default=None, validator=v.real(min=0, unit="km", optional=True))
    require_guarantee: bool = attrs.field(default=False)

    @contiguous.validator
    def _v_contiguous(self, attribute: Any, value: Any) -> None:
        if not isinstance(value, bool):
            raise ValidationError(f"{attribute.name} must be true or false, got {value!r}")

    @require_guarantee.validator
    def _v_guarantee(self, attribute: Any, value: Any) -> None:
        if not isinstance(value, bool):
            raise ValidationError(f"{attribute.name} must be true or false, got {value!r}")

    def describe(self, lang: Lang = "ja") -> str:
        """The conditions in one line (Japanese; ``lang="en"``: English)."""
        if lang == "en":
            parts = [f"at most {self.max_size} members" if self.max_size else "any size"]
            if self.contract_window is not None:
                parts.append(f"contract ends within {self.contract_window} months")
            if self.contiguous:
                parts.append("contiguous (隣接)")
            if self.max_distance is not None:
                parts.append(f"town halls within {self.max_distance:g} km")
            if self.require_guarantee:
                parts.append("guaranteed minimum reduction met")
            return "; ".join(parts)
        parts = [f"1グループ{self.max_size}団体まで" if self.max_size else "団体数の上限なし"]
        if self.contract_window is not None:
            parts.append(f"現行契約の満了時期の差が{self.contract_window}か月以内")
        if self.contiguous:
            parts.append("隣接する団体どうし")
        if self.max_distance is not None:
            parts.append(f"庁舎間の距離が{self.max_distance:g}km以内")
        if self.require_guarantee:
            parts.append("最低保障の削減率を満たす")
        return "、".join(parts)


def _candidates(_inst: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, tuple) or not value:
        raise ValidationError(f"{attribute.name} must list at least one candidate, got {value!r}")
    for i, c in enumerate(value):
        if not isinstance(c, Candidate):
            raise ValidationError(f"{attribute.name}[{i}] must be a Candidate, got {c!r}")
    v.unique(key=lambda c: c.code, what="code")(None, attribute, value)


@attrs.frozen(kw_only=True, slots=True)
class CandidatePool:
    """The candidates a prefecture or secretariat considers, with the conditions on a group.

    Parameters
    ----------
    name
        What the pool is, e.g. ``"富山県内15市町村"``.
    candidates
        The candidates, in the order of the bits of every group's bitmask; codes unique.
    constraints
        The conditions on a group.
    period_months
        Length of the evaluation period the costs cover. [months]
    source, notes
        Citation of the data and what is illustrative.
    """

    name: str = attrs.field(validator=v.non_empty_text())
    candidates: tuple[Candidate, ...] = attrs.field(converter=v.to_tuple, validator=_candidates)
    constraints: SelectionConstraints = attrs.field(factory=SelectionConstraints)
    period_months: int = attrs.field(converter=v.to_int, default=60, validator=v.integer(min=1, max=1200, unit="months"))
    source: str = attrs.field(default="", validator=v.text())
    notes: str = attrs.field(default="", validator=v.text())

    def __attrs_post_init__(self) -> None:
        known = set(self.codes)
        bad = [f"candidates[{i}].neighbours names {c!r}" for i, cand in enumerate(self.candidates)
               for c in cand.neighbours if c not in known or c == cand.code]
        if bad:
            raise UnknownMemberError("; ".join(bad) + f": neighbours must be other candidates ({sorted(known)})")
        if not isinstance(self.constraints, SelectionConstraints):
            raise ValidationError(f"constraints must be SelectionConstraints, got {self.constraints!r}")

    @property
    def codes(self) -> tuple[str, ...]:
        """Candidate codes in order."""
        return tuple(c.code for c in self.candidates)

    def candidate(self, code: str) -> Candidate:
        """The candidate with ``code``."""
        for c in self.candidates:
            if c.code == code:
                return c
        raise UnknownMemberError(f"no candidate with code {code!r}; candidates are {list(self.codes)}")
