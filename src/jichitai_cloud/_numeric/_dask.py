"""dask arrays along the scenario axis: detection without importing dask, and block-wise mapping.

A function of the public layer that accepts dask arrays asks :func:`is_dask` (which looks at the
type's module, so ``import jichitai_cloud`` never imports dask) and, if any argument is a dask
array, maps its numpy kernel over the chunks of the leading scenario axis with
:func:`map_scenarios`.  dask (the ``scale`` extra: ``pip install "jichitai-cloud[scale]"``) is
imported only here, inside the functions, and only when a dask array was passed.

Kernels stay numpy-only: they never see a dask array, only the numpy blocks of one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from numpy.typing import DTypeLike

from ..errors import JichitaiCloudError, ValidationError

__all__ = ["any_dask", "is_dask", "map_scenarios", "relabel", "scenario_chunks"]


def is_dask(x: object) -> bool:
    """Whether ``x`` is a dask collection (decided from its type's module; dask is not imported)."""
    return type(x).__module__.startswith("dask")


def any_dask(*xs: object) -> bool:
    """Whether any of ``xs`` is a dask collection."""
    return any(is_dask(x) for x in xs)


def scenario_chunks(arrays: Sequence[Any], names: Sequence[str]) -> tuple[int, ...]:
    """The chunks of the scenario axis (axis 0) of the first dask array among ``arrays``.

    Every array must have the same number of scenarios (its first axis); a ValidationError names
    the arrays and their lengths otherwise.
    """
    sizes = {name: int(a.shape[0]) for a, name in zip(arrays, names, strict=True)}
    if len(set(sizes.values())) > 1:
        raise ValidationError("the per-scenario arrays disagree on the number of scenarios: "
                              + ", ".join(f"{k} {v}" for k, v in sizes.items()))
    for a in arrays:
        if is_dask(a):
            return tuple(int(c) for c in a.chunks[0])
    return (next(iter(sizes.values())),) if sizes else ()


def relabel(exc: JichitaiCloudError, s0: int, s1: int) -> JichitaiCloudError:
    """``exc`` with the block's scenarios in front of its message (scenario numbers in a block's
    message count from the block's first scenario)."""
    out = type(exc)(f"in the block of scenarios {s0}..{s1 - 1} (numbers below count from {s0}): {exc}")
    return out


def map_scenarios(fn: Callable[..., np.ndarray[Any, Any]], per_scenario: Sequence[Any], names: Sequence[str],
                  *, out_tail: tuple[int, ...], dtype: DTypeLike, per_block: bool = False,
                  label_errors: bool = True) -> Any:
    """A lazy dask array of shape ``(S, *out_tail)``: ``fn(s0, *blocks)`` for each scenario chunk.

    Parameters
    ----------
    fn
        Called once per chunk of the scenario axis with the chunk's first scenario number ``s0``
        and, for each array of ``per_scenario``, its numpy rows ``s0 .. s1 - 1`` (every other axis
        whole); returns a numpy array of shape ``(s1 - s0, *out_tail)``.
    per_scenario
        Arrays (numpy or dask) with the scenario axis first, at least one of them a dask array.
        They are rechunked to the scenario chunks of the first dask array; their other axes are
        taken whole.
    names
        Their names, for messages.
    out_tail
        Shape of the result after the scenario axis.
    dtype
        dtype of the result.
    per_block
        ``fn`` returns one row per chunk, shape ``(1, *out_tail)`` (a partial result to reduce),
        instead of one row per scenario: the result has shape ``(chunks, *out_tail)``.
    label_errors
        Put the chunk's scenarios in front of the message of a :class:`JichitaiCloudError` raised
        by ``fn`` (turn off when ``fn`` names the scenarios itself).
    """
    import dask.array as da

    chunks = scenario_chunks(per_scenario, names)
    s_count = sum(chunks)
    blocks = []
    for a in per_scenario:
        spec = (chunks, *[(int(n),) for n in a.shape[1:]])
        blocks.append(a.rechunk(spec) if is_dask(a) else da.from_array(np.asarray(a), chunks=spec))
    starts = da.from_array(np.arange(s_count, dtype=np.int64), chunks=(chunks,))
    letters = iter("abcdefghijklmnopqrtuvwxyz")  # every axis but the scenario axis 's' gets its own
    args: list[Any] = [starts, "s"]
    for b in blocks:
        args += [b, "s" + "".join(next(letters) for _ in range(b.ndim - 1))]
    out_letters = "".join(next(letters) for _ in out_tail)

    def run(first: np.ndarray[Any, Any], *arrays: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        s0 = int(first[0]) if first.size else 0
        try:
            return fn(s0, *arrays)
        except JichitaiCloudError as exc:
            if not label_errors:
                raise
            raise relabel(exc, s0, s0 + first.size) from None

    return da.blockwise(run, "s" + out_letters, *args, new_axes=dict(zip(out_letters, out_tail, strict=True)),
                        adjust_chunks={"s": 1} if per_block else None, concatenate=True, dtype=dtype,
                        meta=np.empty((0,) * (1 + len(out_tail)), dtype=dtype))
