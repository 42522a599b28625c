"""The public :func:`split_costs`: the numpy kernel, or the same kernel mapped over dask chunks.

The kernel (:mod:`._kernels`) is numpy only.  When any argument is a dask array (the ``scale``
extra), :func:`split_costs` returns a lazy dask array of shape ``(S, N)``, chunked along the
scenario axis like the first dask argument, whose every chunk is the kernel's result for those
scenarios: equal, yen for yen, to the numpy path.  dask is imported only then.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

import numpy as np

from .._numeric._dask import any_dask, is_dask, map_scenarios
from ..errors import ValidationError
from ._kernels import split_costs as _split_numpy
from ._kernels_base import SplitDetail

__all__ = ["split_costs"]

_kernel: Any = _split_numpy  # called with keyword dicts: no overload to pick

#: Trailing (non-scenario) axes of each argument: an argument with one axis more has a scenario axis.
_CORE_NDIM = {"total": 0, "drivers": 2, "ratios": 1, "caps": 1, "floors": 1, "lead": 0}


def _split_dask(total: Any, drivers: Any, ratios: Any, *, caps: Any = None, floors: Any = None,
                lead: Any = None, out: Any = None, return_binding: bool = False, **options: Any) -> Any:
    """The dask path of :func:`split_costs` (see there)."""
    if out is not None:
        raise ValidationError("out cannot be given with dask arrays (the result is a lazy dask array)")
    given = {"total": total, "drivers": drivers, "ratios": ratios, "caps": caps, "floors": floors, "lead": lead}
    arrays: dict[str, Any] = {k: v if is_dask(v) else (None if v is None else np.asarray(v)) for k, v in given.items()}
    per: dict[str, Any] = {}
    shared: dict[str, Any] = {}
    for name, a in arrays.items():
        if a is None:
            continue
        core = _CORE_NDIM[name]
        if a.ndim == core + 1:
            per[name] = a
        elif a.ndim == core:
            shared[name] = np.asarray(a.compute()) if is_dask(a) else a  # small: one row for every scenario
        else:
            raise ValidationError(
                f"with dask arrays, {name} must have shape {_shape_text(name)} or one more leading axis of "
                f"scenarios (S, ...), got shape {tuple(a.shape)}")
    if not any(is_dask(a) for a in per.values()):  # no scenario axis is a dask array: nothing to map over
        import dask.array as da

        res = _kernel(**{k: np.asarray(v) for k, v in shared.items()}, **per, out=None,
                           return_binding=return_binding, **options)
        if isinstance(res, SplitDetail):
            return SplitDetail(da.from_array(res.shares), da.from_array(res.binding))
        return da.from_array(res)
    n = int((per["drivers"] if "drivers" in per else shared["drivers"]).shape[-2])
    names = tuple(per)

    def block(s0: int, *rows: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        del s0
        kw = dict(zip(names, rows, strict=True))
        res = _kernel(**kw, **shared, return_binding=return_binding, **options)
        if isinstance(res, SplitDetail):
            return np.stack([res.shares, res.binding.astype(np.int64)], axis=1)
        return np.asarray(res)

    if not return_binding:
        return map_scenarios(block, tuple(per.values()), names, out_tail=(n,), dtype=np.int64)
    both = map_scenarios(block, tuple(per.values()), names, out_tail=(2, n), dtype=np.int64)
    return SplitDetail(both[:, 0], both[:, 1].astype(np.int8))


def _shape_text(name: str) -> str:
    return {"total": "()", "drivers": "(N, D)", "ratios": "(D,)", "caps": "(N,)", "floors": "(N,)",
            "lead": "()"}[name]


_F = TypeVar("_F", bound=Callable[..., Any])

_DASK_NOTE = (
    "    Any argument with a scenario axis may be a dask array chunked along that axis (the ``scale``\n"
    "    extra; the scenario axis must then be one axis, ``S``): the result is then a lazy dask array\n"
    "    (or a :class:`SplitDetail` of two), chunked like the first dask argument, equal to the numpy\n"
    "    result.  Errors are raised when a chunk is computed and name the chunk's scenarios.\n\n")


def _with_dask(kernel: _F) -> _F:
    """``kernel`` for numpy arguments, :func:`_split_dask` when any argument is a dask array."""

    @functools.wraps(kernel)
    def split_costs(total: Any, drivers: Any, ratios: Any, **kwargs: Any) -> Any:
        if any_dask(total, drivers, ratios, kwargs.get("caps"), kwargs.get("floors"), kwargs.get("lead")):
            return _split_dask(total, drivers, ratios, **kwargs)
        return kernel(total, drivers, ratios, **kwargs)

    split_costs.__doc__ = (kernel.__doc__ or "").replace("    Returns\n    -------\n",
                                                         _DASK_NOTE + "    Returns\n    -------\n", 1)
    return cast(_F, split_costs)


split_costs = _with_dask(_split_numpy)
