"""The namespace :data:`jichitai_cloud.operations.kernels`: the numpy kernels, with a dask path.

Every name of :mod:`._kernels` is here.  The kernels whose arrays have a batch axis — SLA
compliance over ``(..., K, T, N)`` (metrics x months x members), the element-wise availability and
money kernels, the continue-or-switch scores ``(S, C)`` — accept dask arrays (the ``scale`` extra):
they then return lazy dask arrays whose every block is the numpy kernel's result for those rows,
equal to the numpy path.  The batch axis is

* for ``window_aggregate``, ``compliance``, ``achievement``, ``miss_streaks``, ``penalty_points``:
  the leading scenario axis ``S`` of ``(S, K, T, N)``, or the members axis ``N`` of one table
  ``(K, T, N)`` (e.g. the 1,741 municipalities of a national SLA table) — members are independent;
* for ``availability``, ``error_budget``, ``fee_reduction``, ``service_credit``, ``weighted_scores``
  and :func:`scenario_totals`: the first axis.

The kernels (:mod:`._kernels`, :mod:`._kernels_money`) stay numpy-only; the dispatch is here and
goes through :mod:`jichitai_cloud._numeric._dask` (dask is imported only when a dask array is
passed).  The kernels with no batch axis (the service calendar, outage logs, grouped statistics of
samples) are the numpy kernels themselves.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Sequence
from typing import Any, TypeVar, cast

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._numeric._dask import any_dask, is_dask, map_scenarios
from ..errors import JichitaiCloudError, ValidationError
from . import _kernels
from ._continuity import ContinuityCriterion
from ._continuity import scenario_totals as _scenario_totals_numpy
from ._kernels import (
    AGGREGATIONS,
    MINUTES_PER_DAY,
    down_intervals,
    grouped_max,
    grouped_percentile,
    outage_downtime,
    scheduled_minutes,
    service_cumulative,
    service_minutes_by_month,
)

__all__ = [
    "AGGREGATIONS",
    "MINUTES_PER_DAY",
    "achievement",
    "availability",
    "compliance",
    "down_intervals",
    "error_budget",
    "fee_reduction",
    "grouped_max",
    "grouped_percentile",
    "miss_streaks",
    "outage_downtime",
    "penalty_points",
    "scheduled_minutes",
    "service_credit",
    "service_cumulative",
    "service_minutes_by_month",
    "weighted_scores",
    "window_aggregate",
]

_F = TypeVar("_F", bound=Callable[..., Any])

_TABLE_NOTE = (
    "    Any of {names} may be a dask array (the ``scale`` extra): the result is then lazy dask\n"
    "    arrays, equal to the numpy result, mapped over the blocks of the batch axis — the scenario\n"
    "    axis ``S`` of ``(S, K, T, N)``, or the members axis ``N`` of one table ``(K, T, N)`` (the\n"
    "    other axes are taken whole).  Errors in a block are raised when it is computed.\n\n")
_FIRST_NOTE = (
    "    Any of {names} may be a dask array (the ``scale`` extra): the result is then lazy dask\n"
    "    arrays, equal to the numpy result, mapped over the blocks of the first axis (scenarios or\n"
    "    members; the other axes are taken whole).  Errors in a block are raised when it is computed.\n\n")


def _as_front(a: Any, shape: tuple[int, ...], ax: int) -> Any:
    """``a`` broadcast to ``shape`` with axis ``ax`` moved to the front (lazily for a dask array)."""
    if is_dask(a):
        import dask.array as da

        return da.moveaxis(da.broadcast_to(a, shape) if tuple(a.shape) != shape else a, ax, 0)
    return np.moveaxis(np.broadcast_to(a, shape), ax, 0)


def _run_dask(kernel: Callable[..., Any], arguments: dict[str, Any], data: Sequence[str], table: bool,
              min_ndim: int) -> Any:
    """``kernel`` mapped over the blocks of the batch axis of its ``data`` arguments (see the module)."""
    import dask.array as da

    params = {k: (np.asarray(v.compute()) if is_dask(v) else v) for k, v in arguments.items() if k not in data}
    arrays = {k: (v if is_dask(v) else np.asarray(v)) for k, v in arguments.items()
              if k in data and v is not None}
    shape = tuple(int(n) for n in np.broadcast_shapes(*(tuple(a.shape) for a in arrays.values())))
    if len(shape) < min_ndim or not any(is_dask(a) for a in arrays.values()):  # no batch axis to map over
        res = kernel(**{k: np.asarray(v) for k, v in arrays.items()}, **params)
        return tuple(da.from_array(r) for r in res) if isinstance(res, tuple) else da.from_array(res)
    ax = 0 if not table or len(shape) > 3 else len(shape) - 1
    what = "members" if table and ax == len(shape) - 1 and len(shape) <= 3 else "scenarios"
    if "axis" in params and int(params["axis"]) % len(shape) == ax:
        raise ValidationError(f"with dask arrays the time axis cannot be the batch axis ({what}, axis {ax})")
    names = tuple(arrays)
    fronts = [_as_front(a, shape, ax) for a in arrays.values()]
    # the kernel on an empty batch: checks the parameters now and gives the results' shapes and dtypes
    probe = kernel(**{k: np.moveaxis(np.empty((0, *f.shape[1:]), f.dtype), 0, ax)
                      for k, f in zip(names, fronts, strict=True)}, **params)
    single = not isinstance(probe, tuple)
    outs = (probe,) if single else probe
    out_ax = [0 if ax == 0 else o.ndim - 1 for o in outs]
    tails = [np.moveaxis(o, i, 0).shape[1:] for o, i in zip(outs, out_ax, strict=True)]
    sizes = [int(np.prod(t, dtype=np.int64)) for t in tails]
    common = np.result_type(*(o.dtype for o in outs))  # float64 with int64 only for counts (exact)

    def block(s0: int, *rows: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        kw = {k: np.moveaxis(r, 0, ax) for k, r in zip(names, rows, strict=True)}
        try:
            res = kernel(**kw, **params)
        except JichitaiCloudError as exc:
            s1 = s0 + rows[0].shape[0]
            raise type(exc)(f"in the block of {what} {s0}..{s1 - 1} (numbers below count from {s0}): {exc}") from None
        parts = (res,) if single else res
        b = rows[0].shape[0]
        return np.concatenate([np.moveaxis(p, i, 0).reshape(b, -1).astype(common, copy=False)
                               for p, i in zip(parts, out_ax, strict=True)], axis=1)

    packed = map_scenarios(block, fronts, names, out_tail=(sum(sizes),), dtype=common, label_errors=False)
    s_count = int(shape[ax])
    result = []
    offset = 0
    for o, i, tail, size in zip(outs, out_ax, tails, sizes, strict=True):
        col = packed[:, offset:offset + size].reshape((s_count, *tail)).astype(o.dtype)
        result.append(da.moveaxis(col, 0, i))
        offset += size
    return result[0] if single else tuple(result)


def _with_dask(kernel: _F, data: tuple[str, ...], *, table: bool, min_ndim: int = 1) -> _F:
    """``kernel`` for numpy arguments, the same kernel mapped over dask blocks when any argument is dask."""
    signature = inspect.signature(kernel)

    @functools.wraps(kernel)
    def dispatch(*args: Any, **kwargs: Any) -> Any:
        if not any_dask(*args, *kwargs.values()):
            return kernel(*args, **kwargs)
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        return _run_dask(kernel, dict(bound.arguments), data, table, min_ndim)

    note = (_TABLE_NOTE if table else _FIRST_NOTE).format(names=", ".join(f"``{d}``" for d in data))
    dispatch.__doc__ = (kernel.__doc__ or "").replace("    Returns\n    -------\n",
                                                      note + "    Returns\n    -------\n", 1)
    return cast(_F, dispatch)


window_aggregate = _with_dask(_kernels.window_aggregate, ("values", "observed", "weights"), table=True)
compliance = _with_dask(_kernels.compliance, ("values", "evaluated"), table=True)
achievement = _with_dask(_kernels.achievement, ("met", "evaluated"), table=True)
miss_streaks = _with_dask(_kernels.miss_streaks, ("missed", "evaluated"), table=True)
penalty_points = _with_dask(_kernels.penalty_points, ("missed", "evaluated"), table=True)
availability = _with_dask(_kernels.availability, ("scheduled", "downtime"), table=False)
error_budget = _with_dask(_kernels.error_budget, ("scheduled", "target_num", "target_den"), table=False)
fee_reduction = _with_dask(_kernels.fee_reduction, ("fee", "achieved", "possible"), table=False)
service_credit = _with_dask(_kernels.service_credit, ("value", "fee"), table=False)
weighted_scores = _with_dask(_kernels.weighted_scores, ("values",), table=False, min_ndim=2)


@functools.wraps(_scenario_totals_numpy)
def scenario_totals(criteria: Sequence[ContinuityCriterion], values: ArrayLike,
                    weights: ArrayLike | None = None) -> NDArray[np.float64]:
    if not any_dask(values, weights):
        return _scenario_totals_numpy(criteria, values, weights)
    w = [c.weight for c in criteria] if weights is None else weights
    out: NDArray[np.float64] = weighted_scores(values, [c.worst for c in criteria], [c.best for c in criteria], w)[2]
    return out


scenario_totals.__doc__ = (_scenario_totals_numpy.__doc__ or "").replace(
    "    Returns\n    -------\n",
    "    ``values`` may be a dask array chunked along the scenarios (the ``scale`` extra): the result\n"
    "    is then a lazy dask array ``(S,)``, equal to the numpy result.\n\n    Returns\n    -------\n", 1)
