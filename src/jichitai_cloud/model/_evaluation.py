"""Proposals (提案) and the comprehensive evaluation scheme (総合評価方式) that scores them."""

from __future__ import annotations

import enum
import math
from typing import Any

import attrs

from .. import _validators as v
from ..errors import ValidationError

__all__ = ["Component", "ComponentKind", "Criterion", "EvaluationScheme", "Proposal", "Scores"]


class ComponentKind(enum.StrEnum):
    """What a component of the total scores."""

    PRICE = "price"
    """Price points (価格点), computed from the bid."""
    TECHNICAL = "technical"
    """Technical points (技術点), scored by judges."""


def _to_kind(value: Any) -> ComponentKind:
    result: ComponentKind = v.to_enum(ComponentKind, "kind")(value)
    return result


@attrs.frozen(kw_only=True, slots=True)
class Criterion:
    """One scored criterion (評価項目).

    Parameters
    ----------
    name
        Name of the criterion.
    max_score
        Highest score a judge can give. [points]
    weight
        Relative weight within its component. [1]
    mandatory
        A pass/fail item (必須項目): failing it disqualifies the proposal.
    """

    name: str = attrs.field(validator=v.non_empty_text())
    max_score: float = attrs.field(default=5.0, validator=v.real(min=0, min_exclusive=True, unit="points"))
    weight: float = attrs.field(default=1.0, validator=v.real(min=0))
    mandatory: bool = attrs.field(default=False)


@attrs.frozen(kw_only=True, slots=True)
class Component:
    """A component of the total points, e.g. 価格点 1000 or 実技評価 1000.

    Parameters
    ----------
    name
        Identifier, e.g. ``"demonstration"``.
    name_ja
        Japanese name, e.g. ``"実技評価"``.
    kind
        ``"price"`` or ``"technical"``.
    points
        Points allotted to the component. [points]
    round
        Selection round scoring it (1次選考 = 1, 2次選考 = 2; 0 for price points).
    judges
        Number of judges (or judge-sessions, 延べ) scoring it. [persons]
    criteria
        The criteria judges score (technical components).
    """

    name: str = attrs.field(validator=v.non_empty_text())
    points: float = attrs.field(validator=v.real(min=0, min_exclusive=True, unit="points"))
    kind: ComponentKind = attrs.field(default=ComponentKind.TECHNICAL, converter=_to_kind)
    name_ja: str = attrs.field(default="", validator=v.text())
    round: int = attrs.field(default=1, validator=v.integer(min=0))
    judges: int | None = attrs.field(default=None, validator=v.integer(min=1, optional=True, unit="persons"))
    criteria: tuple[Criterion, ...] = attrs.field(default=(), converter=v.to_tuple,
                                                  validator=v.unique(key=lambda c: c.name, what="name"))


@attrs.frozen(kw_only=True, slots=True)
class EvaluationScheme:
    """A comprehensive evaluation scheme (総合評価方式): price plus technical points.

    Parameters
    ----------
    name
        Name of the scheme.
    components
        Its components; their points add up to :attr:`total_points`.
    price_method
        How price points are computed from bids (see :func:`jichitai_cloud.evaluation.price_points`).
    ceiling
        Ceiling price (予定価格). [yen]
    """

    name: str = attrs.field(validator=v.non_empty_text())
    components: tuple[Component, ...] = attrs.field(
        converter=v.to_tuple, validator=v.unique(key=lambda c: c.name, what="name")
    )
    price_method: str = attrs.field(default="lowest_ratio", validator=v.non_empty_text())
    ceiling: int | None = attrs.field(default=None, validator=v.integer(min=1, optional=True, unit="yen"))

    def __attrs_post_init__(self) -> None:
        if not self.components:
            raise ValidationError("components must list at least one component, got ()")

    @property
    def total_points(self) -> float:
        """Maximum total points (総合評価点). [points]"""
        return math.fsum(c.points for c in self.components)

    @property
    def price_points(self) -> float:
        """Points allotted to price (価格点). [points]"""
        return math.fsum(c.points for c in self.components if c.kind is ComponentKind.PRICE)

    @property
    def technical_points(self) -> float:
        """Points allotted to technical components (技術点). [points]"""
        return math.fsum(c.points for c in self.components if c.kind is ComponentKind.TECHNICAL)

    def component(self, name: str) -> Component:
        """The component called ``name``."""
        for c in self.components:
            if c.name == name:
                return c
        raise KeyError(f"no component {name!r}; there are {[c.name for c in self.components]}")


def _matrix(_inst: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, tuple):
        raise ValidationError(f"{attribute.name} must be a list of rows (one per judge), got {value!r}")
    for i, row in enumerate(value):
        if not isinstance(row, tuple):
            raise ValidationError(f"{attribute.name}[{i}] must be a list of scores, got {row!r}")
        for j, x in enumerate(row):
            if x is None:
                continue
            if isinstance(x, bool) or not isinstance(x, int | float) or not math.isfinite(x) or x < 0:
                raise ValidationError(
                    f"{attribute.name}[{i}][{j}] must be a finite score >= 0 or empty (absent), got {x!r}"
                )


def _rows(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return tuple(tuple(r) if isinstance(r, list | tuple) else r for r in value)
    return value


@attrs.frozen(kw_only=True, slots=True)
class Scores:
    """One component's scores for one proposal: judges x criteria.

    Parameters
    ----------
    component
        Name of the scheme component scored.
    judges
        Judge identifiers, one per row.
    criteria
        Criterion names, one per column.
    values
        ``values[j][c]``: judge ``j``'s score on criterion ``c``; ``None`` where a judge is absent. [points]
    """

    component: str = attrs.field(validator=v.non_empty_text())
    judges: tuple[str, ...] = attrs.field(converter=v.to_tuple, validator=v.unique(what="judge"))
    criteria: tuple[str, ...] = attrs.field(converter=v.to_tuple, validator=v.unique(what="criterion"))
    values: tuple[tuple[float | None, ...], ...] = attrs.field(converter=_rows, validator=_matrix)

    def __attrs_post_init__(self) -> None:
        if len(self.values) != len(self.judges):
            raise ValidationError(
                f"values has {len(self.values)} rows but there are {len(self.judges)} judges "
                f"(component {self.component!r})"
            )
        for i, row in enumerate(self.values):
            if len(row) != len(self.criteria):
                raise ValidationError(
                    f"values[{i}] has {len(row)} scores but there are {len(self.criteria)} criteria "
                    f"(component {self.component!r}, judge {self.judges[i]!r})"
                )


@attrs.frozen(kw_only=True, slots=True)
class Proposal:
    """A vendor's proposal (提案): its bid and the judges' technical scores.

    Parameters
    ----------
    vendor
        Vendor (or joint venture) name.
    bid
        Bid amount (提案額), before tax. [yen]
    scores
        Technical scores, one :class:`Scores` per component.
    """

    vendor: str = attrs.field(validator=v.non_empty_text())
    bid: int = attrs.field(validator=v.integer(min=0, unit="yen"))
    scores: tuple[Scores, ...] = attrs.field(default=(), converter=v.to_tuple,
                                             validator=v.unique(key=lambda s: s.component, what="component"))

    def scores_for(self, component: str) -> Scores:
        """The scores of one component."""
        for s in self.scores:
            if s.component == component:
                return s
        raise KeyError(f"proposal {self.vendor!r} has no scores for component {component!r}")
