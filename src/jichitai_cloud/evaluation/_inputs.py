"""The evaluation's inputs: proposals checked against the scheme and turned into arrays once.

Judges' ``None`` scores become NaN here, the kernels' one explicit "absent" marker; letter grades
(A–E) become scores (:func:`scores_from_grades`).
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs
import numpy as np
from numpy.typing import NDArray

from ..errors import ValidationError
from ..model import Component, EvaluationScheme, Procurement, Proposal, Scores
from ._kernels.technical import DEFAULT_GRADE_MULTIPLIERS

__all__ = ["ComponentArrays", "component_arrays", "criteria_of", "proposals_of", "scores_from_grades"]


def proposals_of(proposals: Sequence[Proposal] | Procurement, scheme: EvaluationScheme | None,
                 name: str | None) -> tuple[EvaluationScheme, tuple[Proposal, ...], str]:
    """The scheme, the proposals and the title of an evaluation, checked against each other."""
    if isinstance(proposals, Procurement):
        proc = proposals
        if scheme is not None and scheme != proc.scheme:
            raise ValidationError("give the scheme once: the procurement already has one")
        scheme = proc.scheme
        props = proc.proposals
        title = name or proc.name
    else:
        if scheme is None:
            raise ValidationError("evaluate needs a scheme (or a Procurement)")
        props = tuple(proposals)
        title = name or scheme.name
    if not isinstance(scheme, EvaluationScheme):
        raise ValidationError(f"scheme must be an EvaluationScheme, got {scheme!r:.60}")
    if not props:
        raise ValidationError("evaluate needs at least one proposal")
    technical = [c.name for c in scheme.technical_components]
    for i, p in enumerate(props):
        if not isinstance(p, Proposal):
            raise ValidationError(f"proposals[{i}] must be a Proposal, got {p!r:.60}")
        unknown = [s.component for s in p.scores if s.component not in technical]
        if unknown:
            raise ValidationError(f"proposal {p.vendor!r} has scores for {unknown}, which are not technical "
                                  f"components of the scheme {technical}")
    vendors = [p.vendor for p in props]
    if len(set(vendors)) != len(vendors):
        raise ValidationError(f"each vendor may submit one proposal; duplicates in {vendors}")
    if any(p.bid < 1 for p in props):
        raise ValidationError(f"bids must be >= 1 yen; got {[p.bid for p in props]}")
    if scheme.price_component is not None and scheme.price_method != "lowest_ratio" and scheme.ceiling is None:
        raise ValidationError(f"price_method {scheme.price_method!r} needs the ceiling price (scheme.ceiling) [yen]")
    for c in scheme.technical_components:
        if c.criteria and not c.scored_criteria:
            raise ValidationError(f"component {c.name!r} has only mandatory (pass/fail) criteria, so nothing "
                                  f"earns its {c.points:g} points; add a scored criterion")
        if c.criteria and sum(k.weight for k in c.scored_criteria) <= 0:
            raise ValidationError(f"component {c.name!r}: the weights of its scored criteria are all 0")
    return scheme, tuple(props), title


def scores_from_grades(component: str, judges: Sequence[str], criteria: Sequence[str],
                       grades: Sequence[Sequence[str | None]], *, max_scores: Sequence[float],
                       multipliers: Sequence[float] = DEFAULT_GRADE_MULTIPLIERS,
                       letters: str = "ABCDE") -> Scores:
    """Scores from letter grades on a five-level scale (A 特に優れている … E 劣る).

    Parameters
    ----------
    component
        The component scored.
    judges
        Judge identifiers, one per row of ``grades``.
    criteria
        Criterion names, one per column.
    grades
        ``grades[j][c]``: a letter of ``letters`` or ``None`` (absent).
    max_scores
        Maximum score (配点) of each criterion. [points]
    multipliers
        Multiplier of each grade, best first. [1]
    letters
        The grade letters, best first.

    Returns
    -------
    Scores
        ``multiplier × max score`` per grade.
    """
    if len(letters) != len(multipliers):
        raise ValidationError(f"{len(letters)} grade letters but {len(multipliers)} multipliers")
    rows = []
    for j, row in enumerate(grades):
        if len(row) != len(criteria):
            raise ValidationError(f"grades[{j}] has {len(row)} grades but there are {len(criteria)} criteria")
        out: list[float | None] = []
        for c, g in enumerate(row):
            if g is None:
                out.append(None)
                continue
            if not isinstance(g, str) or len(g) != 1 or g.upper() not in letters:
                raise ValidationError(f"grades[{j}][{c}] must be one of {list(letters)} or empty, got {g!r}")
            out.append(float(multipliers[letters.index(g.upper())]) * float(max_scores[c]))
        rows.append(tuple(out))
    return Scores(component=component, judges=tuple(judges), criteria=tuple(criteria), values=tuple(rows))


@attrs.frozen(slots=True)
class ComponentArrays:
    component: Component
    judges: tuple[str, ...]
    criteria: tuple[str, ...]
    max_scores: NDArray[np.float64]
    weights: NDArray[np.float64]
    mandatory: NDArray[np.bool_]
    values: NDArray[np.float64]  # (J, P, C), NaN = absent
    scored: NDArray[np.bool_]  # (P,) proposals with scores for this component


def criteria_of(c: Component) -> tuple[tuple[str, ...], list[float], list[float], list[bool]]:
    if c.criteria:
        return (tuple(k.name for k in c.criteria), [k.max_score for k in c.criteria],
                [k.weight for k in c.criteria], [k.mandatory for k in c.criteria])
    return ((c.name,), [c.points], [1.0], [False])


def component_arrays(c: Component, proposals: Sequence[Proposal]) -> ComponentArrays:
    names, mx, wt, mand = criteria_of(c)
    found: list[Scores | None] = []
    for p in proposals:
        hit = [s for s in p.scores if s.component == c.name]
        found.append(hit[0] if hit else None)
    if c.panel:
        judges = list(c.panel)
    else:
        judges = []
        seen: set[str] = set()
        for s in found:
            for j in s.judges if s is not None else ():
                if j not in seen:
                    seen.add(j)
                    judges.append(j)
    jidx = {j: i for i, j in enumerate(judges)}
    values = np.full((len(judges), len(proposals), len(names)), np.nan)
    for pi, (p, s) in enumerate(zip(proposals, found, strict=True)):
        if s is None:
            continue
        crit = tuple(s.criteria)
        if not c.criteria:
            if len(crit) != 1:
                raise ValidationError(f"proposal {p.vendor!r}: component {c.name!r} has no criteria, so its "
                                      f"scores must have one column (points out of {c.points:g}), got {list(crit)}")
            crit = names
        missing = [k for k in names if k not in crit]
        extra = [k for k in crit if k not in names]
        if missing or extra:
            raise ValidationError(f"proposal {p.vendor!r}, component {c.name!r}: scores must have the criteria "
                                  f"{list(names)}; missing {missing}, unknown {extra}")
        unknown = [j for j in s.judges if j not in jidx]
        if unknown:
            raise ValidationError(f"proposal {p.vendor!r}, component {c.name!r}: judges {unknown} are not on the "
                                  f"component's panel {list(judges)}")
        cols = [crit.index(k) for k in names]
        block = np.array([[np.nan if x is None else float(x) for x in row] for row in s.values],
                         dtype=np.float64).reshape(len(s.judges), len(crit))
        values[[jidx[j] for j in s.judges], pi, :] = block[:, cols]
    mxa = np.array(mx, dtype=np.float64)
    over = values > mxa
    if np.any(over):
        j, pi, k = np.argwhere(over)[0]
        raise ValidationError(f"proposal {proposals[pi].vendor!r}, component {c.name!r}, judge {judges[j]!r}: "
                              f"score {values[j, pi, k]:g} on {names[k]!r} exceeds its maximum {mxa[k]:g}")
    return ComponentArrays(c, tuple(judges), names, mxa, np.array(wt, dtype=np.float64),
                            np.array(mand, dtype=bool), values,
                            np.array([s is not None for s in found], dtype=bool))
