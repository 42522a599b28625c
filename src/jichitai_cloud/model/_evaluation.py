"""Proposals (提案) and the comprehensive evaluation scheme (総合評価方式) that scores them."""

from __future__ import annotations

import enum
import math
from typing import Any

import attrs

from .. import _validators as v
from ..errors import ValidationError

__all__ = [
    "AGGREGATION_NAMES",
    "PRICE_METHOD_NAMES",
    "ROUNDING_NAMES",
    "Component",
    "ComponentKind",
    "Criterion",
    "EvaluationScheme",
    "Procurement",
    "Proposal",
    "Scores",
]

PRICE_METHOD_NAMES = ("ceiling_ratio", "lowest_ratio", "piecewise", "v_shape", "floor")
"""Price-point formulas (see :func:`jichitai_cloud.evaluation.price_points`)."""
AGGREGATION_NAMES = ("mean", "median", "trimmed")
"""How judges are aggregated (see :func:`jichitai_cloud.evaluation.aggregate_judges`)."""
ROUNDING_NAMES = ("half_up", "truncate", "ceil")
"""How points are rounded (see :func:`jichitai_cloud.evaluation.round_points`)."""


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
        A pass/fail item (必須項目): judges score it 1 (pass) or 0 (fail); it carries no points,
        and a proposal that a majority of judges fail is disqualified.
    name_ja
        Japanese name, e.g. ``"操作性"``.
    """

    name: str = attrs.field(validator=v.non_empty_text())
    max_score: float = attrs.field(default=5.0, validator=v.real(min=0, min_exclusive=True, unit="points"))
    weight: float = attrs.field(default=1.0, validator=v.real(min=0))
    mandatory: bool = attrs.field(default=False)
    name_ja: str = attrs.field(default="", validator=v.text())


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
        The criteria judges score (technical components).  A technical component without
        criteria is scored directly: each judge gives points out of :attr:`points`.
    panel
        Identifiers of the judges who score this component (審査員); empty: whoever appears in
        the proposals' scores.  A panel judge missing from a proposal's scores is absent.
    """

    name: str = attrs.field(validator=v.non_empty_text())
    points: float = attrs.field(validator=v.real(min=0, min_exclusive=True, unit="points"))
    kind: ComponentKind = attrs.field(default=ComponentKind.TECHNICAL, converter=_to_kind)
    name_ja: str = attrs.field(default="", validator=v.text())
    round: int = attrs.field(converter=v.to_int, default=1, validator=v.integer(min=0))
    judges: int | None = attrs.field(converter=v.to_int, default=None, validator=v.integer(min=1, optional=True, unit="persons"))
    criteria: tuple[Criterion, ...] = attrs.field(default=(), converter=v.to_tuple,
                                                  validator=v.unique(key=lambda c: c.name, what="name"))
    panel: tuple[str, ...] = attrs.field(default=(), converter=v.to_tuple, validator=v.unique(what="judge"))

    def __attrs_post_init__(self) -> None:
        if self.panel and self.judges is not None and len(self.panel) > self.judges:
            raise ValidationError(
                f"component {self.name!r} lists {len(self.panel)} judges in panel but judges = {self.judges}"
            )

    @property
    def scored_criteria(self) -> tuple[Criterion, ...]:
        """The criteria that earn points (not mandatory pass/fail items)."""
        return tuple(c for c in self.criteria if not c.mandatory)


def _price_method(_inst: Any, attribute: Any, value: Any) -> None:
    v.one_of(PRICE_METHOD_NAMES)(_inst, attribute, value)


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
        How price points are computed from bids: one of :data:`PRICE_METHOD_NAMES` (see
        :func:`jichitai_cloud.evaluation.price_points`).
    ceiling
        Ceiling price (予定価格); bids above it are disqualified. [yen]
    minimum
        Minimum price (最低制限価格); bids below it are disqualified. [yen]
    investigation
        Low-bid investigation threshold (低入札価格調査基準価格) as an amount. [yen]
    investigation_ratio
        The threshold as a fixed share of the ceiling (truncated to the yen). [1]
    floating_factor
        The threshold in its floating form: the average of the valid bids times this factor. [1]
    below_slope, peak_share, floor_share
        Parameters of the ``"piecewise"`` (whose threshold is the investigation threshold),
        ``"v_shape"`` and ``"floor"`` price formulas. [1]
    aggregation
        How judges' scores are aggregated: ``"mean"`` (全審査員の平均, the default), ``"median"``
        or ``"trimmed"`` (highest and lowest judge dropped).
    shortlist_top
        First-round shortlisting (1次選考): the proposals with the ``k`` highest first-round
        technical points go on to the later rounds (all proposals tied with the k-th go too).
    shortlist_threshold
        First-round shortlisting: proposals with at least this many first-round technical points
        go on. [points]
    decimals
        Round each component's points to this many decimals before adding them up (``None``:
        unrounded). [decimals]
    rounding
        How: ``"half_up"`` (四捨五入), ``"truncate"`` (切り捨て) or ``"ceil"`` (切り上げ).
    """

    name: str = attrs.field(validator=v.non_empty_text())
    components: tuple[Component, ...] = attrs.field(
        converter=v.to_tuple, validator=v.unique(key=lambda c: c.name, what="name")
    )
    price_method: str = attrs.field(default="lowest_ratio", validator=_price_method)
    ceiling: int | None = attrs.field(converter=v.to_int, default=None, validator=v.integer(min=1, optional=True, unit="yen"))
    minimum: int | None = attrs.field(converter=v.to_int, default=None, validator=v.integer(min=1, optional=True, unit="yen"))
    investigation: int | None = attrs.field(converter=v.to_int, default=None, validator=v.integer(min=1, optional=True, unit="yen"))
    investigation_ratio: float | None = attrs.field(
        default=None, validator=v.real(min=0, max=1, min_exclusive=True, optional=True))
    floating_factor: float | None = attrs.field(
        default=None, validator=v.real(min=0, max=1, min_exclusive=True, optional=True))
    below_slope: float = attrs.field(default=0.5, validator=v.real(min=0))
    peak_share: float = attrs.field(default=0.8, validator=v.real(min=0, max=1, min_exclusive=True))
    floor_share: float = attrs.field(default=0.75, validator=v.real(min=0, max=1))
    aggregation: str = attrs.field(default="mean", validator=v.one_of(AGGREGATION_NAMES))
    shortlist_top: int | None = attrs.field(converter=v.to_int, default=None, validator=v.integer(min=1, optional=True))
    shortlist_threshold: float | None = attrs.field(default=None, validator=v.real(min=0, optional=True,
                                                                                 unit="points"))
    decimals: int | None = attrs.field(converter=v.to_int, default=None, validator=v.integer(min=0, max=12, optional=True))
    rounding: str = attrs.field(default="half_up", validator=v.one_of(ROUNDING_NAMES))

    def __attrs_post_init__(self) -> None:
        if not self.components:
            raise ValidationError("components must list at least one component, got ()")
        prices = [c.name for c in self.components if c.kind is ComponentKind.PRICE]
        if len(prices) > 1:
            raise ValidationError(f"a scheme has at most one price component, got {prices}")
        forms = [n for n in ("investigation", "investigation_ratio", "floating_factor") if getattr(self, n) is not None]
        if len(forms) > 1:
            raise ValidationError(f"give the investigation threshold in one form only, got {forms}")
        if self.minimum is not None and self.ceiling is not None and self.minimum > self.ceiling:
            raise ValidationError(f"minimum {self.minimum} must not exceed ceiling {self.ceiling} [yen]")
        if self.shortlist_top is not None and self.shortlist_threshold is not None:
            raise ValidationError("give shortlist_top or shortlist_threshold, not both")
        if (self.shortlist_top is not None or self.shortlist_threshold is not None) and not any(
                c.kind is ComponentKind.TECHNICAL and c.round == 1 for c in self.components):
            raise ValidationError("shortlisting needs a first-round technical component (round = 1)")

    @property
    def price_component(self) -> Component | None:
        """The price component (価格点), if any."""
        for c in self.components:
            if c.kind is ComponentKind.PRICE:
                return c
        return None

    @property
    def technical_components(self) -> tuple[Component, ...]:
        """The technical components, in order."""
        return tuple(c for c in self.components if c.kind is ComponentKind.TECHNICAL)

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
    bid: int = attrs.field(converter=v.to_int, validator=v.integer(min=0, unit="yen"))
    scores: tuple[Scores, ...] = attrs.field(default=(), converter=v.to_tuple,
                                             validator=v.unique(key=lambda s: s.component, what="component"))

    def scores_for(self, component: str) -> Scores:
        """The scores of one component."""
        for s in self.scores:
            if s.component == component:
                return s
        raise KeyError(f"proposal {self.vendor!r} has no scores for component {component!r}")


def _proposals(_inst: Any, attribute: Any, value: Any) -> None:
    v.unique(key=lambda p: p.vendor, what="vendor")(_inst, attribute, value)
    for i, p in enumerate(value):
        if not isinstance(p, Proposal):
            raise ValidationError(f"{attribute.name}[{i}] must be a Proposal, got {p!r:.60}")


@attrs.frozen(kw_only=True, slots=True)
class Procurement:
    """A procurement (調達): its evaluation scheme and the proposals received.

    Parameters
    ----------
    name
        Name of the procurement, e.g. 「自治体クラウドサービス提供業務 公募型プロポーザル」.
    scheme
        The evaluation scheme (総合評価方式).
    proposals
        The proposals (提案), one per vendor.
    notes
        Free text (sources, which figures are illustrative).
    """

    name: str = attrs.field(validator=v.non_empty_text())
    scheme: EvaluationScheme = attrs.field()
    proposals: tuple[Proposal, ...] = attrs.field(converter=v.to_tuple, validator=_proposals)
    notes: str = attrs.field(default="", validator=v.text())

    @scheme.validator
    def _v_scheme(self, attribute: Any, value: Any) -> None:
        if not isinstance(value, EvaluationScheme):
            raise ValidationError(f"{attribute.name} must be an EvaluationScheme, got {value!r:.60}")

    def proposal(self, vendor: str) -> Proposal:
        """The proposal of ``vendor``."""
        for p in self.proposals:
            if p.vendor == vendor:
                return p
        raise KeyError(f"no proposal from {vendor!r}; there are {[p.vendor for p in self.proposals]}")
