"""The judges of each technical component: how consistent they are, and the raw sheet of their scores."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from .._display import Column, DataTable, col
from ..model import EvaluationScheme, Proposal
from ._inputs import ComponentArrays, component_arrays, criteria_of
from ._kernels.technical import exact_order, judge_deviation, kendalls_w, outlying_judges

__all__ = ["JudgeReport", "judge_report", "judge_tables"]


@attrs.frozen(kw_only=True, slots=True)
class JudgeReport:
    """Consistency of the judges of one component.

    Parameters
    ----------
    component
        The component.
    judges
        Its judges.
    complete_judges
        Judges who scored every proposal of the component (those Kendall's W uses).
    kendalls_w
        Kendall's coefficient of concordance of their rankings (1 = all rank alike); ``None``
        when fewer than two complete judges or proposals. [1]
    deviation
        Each judge's mean absolute deviation from the other judges, as a share of the scale;
        ``None`` for a judge who shares no scored cell with another. [1]
    flagged
        Judges whose deviation stands far from the rest (modified z-score > 3.5).  They are
        reported, never dropped: the committee decides.
    """

    component: str
    judges: tuple[str, ...]
    complete_judges: int
    kendalls_w: float | None
    deviation: tuple[float | None, ...]
    flagged: tuple[str, ...]


def judge_report(arr: ComponentArrays, which: NDArray[np.bool_]) -> JudgeReport:
    """The consistency of the judges of one component over the proposals in ``which``."""
    idx = np.flatnonzero(which)
    scored = ~arr.mandatory
    vals = arr.values[:, idx][:, :, scored]
    mx = arr.max_scores[scored]
    present = np.asarray(~np.isnan(vals).all(axis=(1, 2)), dtype=bool)
    judges = tuple(j for j, keep in zip(arr.judges, present.tolist(), strict=True) if keep)
    vals = vals[present]
    if vals.shape[0] == 0 or vals.shape[1] == 0:
        return JudgeReport(component=arr.component.name, judges=judges, complete_judges=0, kendalls_w=None,
                           deviation=(), flagged=())
    complete = ~np.isnan(vals).any(axis=(1, 2))
    w = None
    if complete.sum() >= 2 and vals.shape[1] >= 2:
        # ranks on exact weighted points: a judge giving two proposals the same points ties them
        totals = exact_order(vals[complete], max_scores=mx, weights=arr.weights[scored])
        kw = float(kendalls_w(totals))
        w = None if math.isnan(kw) else kw
    dev = judge_deviation(vals, max_scores=mx)
    flagged: tuple[str, ...] = ()
    if np.isfinite(dev).sum() >= 3:
        flags = outlying_judges(dev)
        flagged = tuple(j for j, f in zip(judges, flags, strict=True) if f)
    return JudgeReport(component=arr.component.name, judges=judges, complete_judges=int(complete.sum()),
                       kendalls_w=w, deviation=tuple(None if math.isnan(d) else float(d) for d in dev),
                       flagged=flagged)


def _whole(values: Sequence[float | None]) -> bool:
    return all(x is None or float(x).is_integer() for x in values)


def _sheet(prefix: str, name: str, index: int) -> str:
    """``prefix name`` when it fits a sheet name (31 characters), else ``prefix index``."""
    whole = f"{prefix} {name}"
    return whole if len(whole) <= 31 and not (set(whole) & set("[]:*?/\\'")) else f"{prefix} {index}"


def judge_tables(scheme: EvaluationScheme, props: Sequence[Proposal]) -> tuple[DataTable, ...]:
    """Per technical component: each judge's score for each criterion of each scored proposal (the
    raw sheet behind the means), as declared tables titled ``採点 <component>``. [points of the scale]"""
    out: list[DataTable] = []
    for n, c in enumerate(scheme.technical_components, start=1):
        arr = component_arrays(c, props)
        names, _, _, mand = criteria_of(c)
        labels = {k.name: k.name_ja for k in c.criteria}
        rows: list[list[Any]] = []
        for pi, p in enumerate(props):
            if not arr.scored[pi]:
                continue
            for ji, j in enumerate(arr.judges):
                vals = arr.values[ji, pi]
                if np.isnan(vals).all():
                    continue
                rows.append([j, p.vendor, *[None if math.isnan(x) else float(x) for x in vals]])
        places = 0 if all(_whole([r[2 + k] for r in rows]) for k in range(len(names))) else 2
        criteria = tuple(
            Column(k, (labels.get(k) or k) + (" (必須)" if m else ""), k + (" (mandatory)" if m else ""),
                   "number", decimals=places, bilingual=bool(labels.get(k)))
            for k, m in zip(names, mand, strict=True))
        label = c.name_ja or c.name
        out.append(DataTable(
            key=f"scores_{c.name}", title=f"採点 {label}", title_en=f"Judges' scores: {c.name}",
            columns=(col("judge"), col("vendor"), *criteria), rows=rows,
            sheet=_sheet("採点", label, n), sheet_en=_sheet("Scores", c.name, n),
            notes=("必須項目は 1 = 合格、0 = 不合格。",) if any(mand) else (),
            notes_en=("Mandatory items: 1 = pass, 0 = fail.",) if any(mand) else ()))
    return tuple(out)
