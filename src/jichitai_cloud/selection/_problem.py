"""A selection problem: the candidates, a cost model for every group, and the council's rule.

The candidates and the conditions on a group are records of :mod:`jichitai_cloud.model`
(:class:`~jichitai_cloud.model.CandidatePool`); the cost model is one of
:mod:`jichitai_cloud.games` (a :class:`~jichitai_cloud.games.ScaleEconomyModel` fitted to quotes or
to the candidates' current costs, or a :class:`~jichitai_cloud.games.QuoteTable`); the rule that
splits a group's fee is :class:`~jichitai_cloud.allocation.AllocationRule`.  Files holding all three
are read by :func:`jichitai_cloud.io.load_selection`.
"""

from __future__ import annotations

import math
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from ..allocation import AllocationRule
from ..errors import SelectionError, ValidationError
from ..games import CoalitionCosts, QuoteTable, ScaleEconomyModel
from ..model import Candidate, CandidatePool, Municipality
from ._kernels import MAX_DP_CANDIDATES

__all__ = ["SelectionProblem", "fit_current_costs"]

_EARTH_RADIUS_KM = 6371.0


def fit_current_costs(candidates: tuple[Candidate, ...] | CandidatePool, *, exponent: float | None = None,
                      source: str = "", notes: str = "") -> ScaleEconomyModel:
    """A cost curve fitted to the candidates' current costs against their populations.

    Each candidate with a known current cost (現行経費) is read as a quote for a "council" of its
    own population: the curve ``F + a * population ** b`` then prices a group as one municipality
    of the group's total population (one system instead of several).  Members alone keep their
    current cost.

    Parameters
    ----------
    candidates
        The candidates (or a pool); at least three with a current cost (two with ``exponent``).
    exponent
        Fix ``b`` instead of fitting it. [1]
    source, notes
        Citation and caveats, kept on the model.

    Returns
    -------
    ScaleEconomyModel
        Fitted with :meth:`~jichitai_cloud.games.ScaleEconomyModel.fit` (``standalone="current_cost"``).

    Raises
    ------
    SelectionError
        Too few candidates with a current cost.
    """
    cands = candidates.candidates if isinstance(candidates, CandidatePool) else tuple(candidates)
    known = [(float(c.population), int(c.current_cost)) for c in cands if c.current_cost is not None]
    need = 2 if exponent is not None else 3
    if len({p for p, _ in known}) < need:
        raise SelectionError(f"fitting a cost curve to current costs needs {need} candidates with a current cost "
                             f"and different populations, got {len(known)}")
    return ScaleEconomyModel.fit(known, exponent=exponent, standalone="current_cost",
                                 source=source or "fitted to the candidates' current costs (現行経費) by population",
                                 notes=notes)


def _check_model(_inst: Any, attribute: Any, value: Any) -> None:
    if not callable(getattr(value, "coalition_costs", None)):
        raise ValidationError(f"{attribute.name} must be a cost model with coalition_costs(members) "
                              f"(a ScaleEconomyModel or QuoteTable), got {value!r}")


def _check_rule(_inst: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, AllocationRule):
        raise ValidationError(f"{attribute.name} must be an AllocationRule, got {value!r}")


def _check_pool(_inst: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, CandidatePool):
        raise ValidationError(f"{attribute.name} must be a CandidatePool, got {value!r}")


@attrs.frozen(kw_only=True, slots=True)
class SelectionProblem:
    """Which candidates should share one cloud: candidates, a cost model and the council's rule.

    Parameters
    ----------
    pool
        The candidates and the conditions on a group.
    cost_model
        Prices every group (:class:`~jichitai_cloud.games.ScaleEconomyModel`,
        :class:`~jichitai_cloud.games.QuoteTable`, or any object with ``coalition_costs(members)``).
        A candidate without a current cost is priced alone by a
        :class:`~jichitai_cloud.games.ScaleEconomyModel`'s curve (an estimate the report flags).
    rule
        How a group splits its fee (均等割:人口割 and the guaranteed minimum reduction);
        default 3:7 without a guarantee.
    """

    pool: CandidatePool = attrs.field(validator=_check_pool)
    cost_model: Any = attrs.field(validator=_check_model)
    rule: AllocationRule = attrs.field(factory=AllocationRule, validator=_check_rule)

    @property
    def codes(self) -> tuple[str, ...]:
        """Candidate codes in order (bit ``i`` of a group's bitmask is ``codes[i]``)."""
        return self.pool.codes

    def estimated(self) -> tuple[bool, ...]:
        """For each candidate, whether its current cost is the cost model's estimate."""
        return tuple(c.current_cost is None for c in self.pool.candidates)

    def members(self) -> tuple[Municipality, ...]:
        """The candidates as municipalities, an unknown current cost replaced by the model's price for it alone.

        Raises
        ------
        SelectionError
            A candidate has no current cost and the cost model is not a curve that can price it.
        """
        out = []
        for c in self.pool.candidates:
            if c.current_cost is None:
                if not isinstance(self.cost_model, ScaleEconomyModel):
                    raise SelectionError(f"candidate {c.code!r} ({c.name}) has no current cost, and the cost model "
                                         "cannot estimate it: give its current_cost or use a scale-economy curve")
                out.append(c.municipality(self.cost_model.cost_of(c.population)))
            else:
                out.append(c.municipality())
        return tuple(out)

    def coalition_costs(self) -> CoalitionCosts:
        """The cost model's price for every group of candidates (members alone at their current cost)."""
        n = len(self.pool.candidates)
        if n > MAX_DP_CANDIDATES:
            raise SelectionError(f"recommend prices every group of at most {MAX_DP_CANDIDATES} candidates, got {n}; "
                                 "for a larger pool list the candidate groups and use best_partition_from_groups")
        model = self.cost_model
        if isinstance(model, QuoteTable):
            costs: CoalitionCosts = model.coalition_costs(self.members(), strict=False)
        else:
            costs = model.coalition_costs(self.members())
        return costs

    def contract_months(self) -> NDArray[np.float64]:
        """Each candidate's contract end as a month number, NaN where unknown. [months]"""
        return np.array([np.nan if c.contract_end is None else float(c.contract_end.index)
                         for c in self.pool.candidates], dtype=np.float64)

    def adjacency(self) -> NDArray[np.bool_]:
        """The border matrix ``(n, n)`` from the candidates' neighbours (symmetric)."""
        index = {c: i for i, c in enumerate(self.codes)}
        n = len(index)
        adj = np.zeros((n, n), dtype=bool)
        for i, c in enumerate(self.pool.candidates):
            for other in c.neighbours:
                adj[i, index[other]] = adj[index[other], i] = True
        return adj

    def distances(self) -> NDArray[np.float64]:
        """Great-circle distance between town halls ``(n, n)``, NaN where a location is missing. [km]

        References
        ----------
        Sinnott, R. W. (1984). Virtues of the haversine. *Sky and Telescope* 68(2), 159.
        """
        loc = np.array([c.location if c.location is not None else (math.nan, math.nan)
                        for c in self.pool.candidates], dtype=np.float64)
        lat, lon = np.radians(loc[:, 0]), np.radians(loc[:, 1])
        dlat = lat[:, None] - lat[None, :]
        dlon = lon[:, None] - lon[None, :]
        h = np.sin(dlat / 2) ** 2 + np.cos(lat)[:, None] * np.cos(lat)[None, :] * np.sin(dlon / 2) ** 2
        out: NDArray[np.float64] = 2 * _EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
        return out
