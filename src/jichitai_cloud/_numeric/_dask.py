"""The one dask dispatch: detection without importing dask, and block-wise mapping of numpy kernels.

Every function of the library that accepts dask arrays (the ``scale`` extra:
``pip install "jichitai-cloud[scale]"``) goes through this module.  It asks :func:`any_dask` (which
looks at the types' modules, so ``import jichitai_cloud`` never imports dask) and, if an argument
is a dask array, hands its own numpy path to one of

* :func:`map_leading` — arguments with a declared core shape (``drivers`` ``(N, D)``, ``total``
  ``()`` …) that have one more leading axis of scenarios when they vary by scenario; the kernel
  runs once per chunk of that axis (``allocation.split_costs``);
* :func:`map_batch` — arguments that broadcast together, mapped over the blocks of their first
  axis or, for one table ``(K, T, N)``, of its last (members) axis (the operations kernels);
* :func:`map_outputs` and :func:`map_scenarios` — the block-wise map underneath, for functions that
  build their own blocks (the streaming statistics of ``allocation.simulate``, the Monte Carlo of
  ``evaluation``).

dask is imported only here, inside the functions, and only when a dask array was passed.  The
numpy code of a kernel never sees a dask array, only the numpy blocks of one; the results are lazy
dask arrays equal to the numpy results, and an error in a block is raised when it is computed,
naming the block.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar, cast

import numpy as np
from numpy.typing import DTypeLike

from ..errors import JichitaiCloudError, ValidationError

__all__ = ["any_dask", "chunked", "compute", "is_dask", "map_batch", "map_leading", "map_outputs", "map_partitions",
           "map_scenarios", "relabel", "run_tasks", "scenario_chunks"]

_R = TypeVar("_R")


def is_dask(x: object) -> bool:
    """Whether ``x`` is a dask collection (decided from its type's module; dask is not imported)."""
    return type(x).__module__.startswith("dask")


def any_dask(*xs: object) -> bool:
    """Whether any of ``xs`` is a dask collection."""
    return any(is_dask(x) for x in xs)


def compute(*lazy: Any) -> tuple[Any, ...]:
    """``dask.compute(*lazy)``: several lazy results computed in one pass (sharing their inputs)."""
    import dask

    return tuple(dask.compute(*lazy))


def map_partitions(fn: Callable[[int, Any], _R], frame: Any) -> list[_R]:
    """``[fn(k, partition k as a pandas DataFrame) for each partition k]`` of a ``dask.dataframe``.

    The partitions are computed and mapped in parallel by dask's scheduler (each one loaded,
    mapped and let go: only the results, small partial sums, are gathered); the results come in
    partition order.  For a per-partition reduction followed by a combine in the caller.
    """
    import dask

    parts = frame.to_delayed()
    return list(dask.compute(*[dask.delayed(fn)(k, p) for k, p in enumerate(parts)]))


def chunked(a: Any, chunks: int) -> Any:
    """``a`` as a dask array of ``chunks`` rows a chunk along its first axis (the sample axis)."""
    import dask.array as da

    return da.from_array(np.asarray(a), chunks=(int(chunks), *np.shape(a)[1:]))


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


def relabel(exc: JichitaiCloudError, s0: int, s1: int, what: str = "scenarios") -> JichitaiCloudError:
    """``exc`` with the block's rows in front of its message (``what``: "scenarios" or "members";
    the numbers in a block's message count from the block's first row)."""
    return type(exc)(f"in the block of {what} {s0}..{s1 - 1} (numbers below count from {s0}): {exc}")


def map_scenarios(fn: Callable[..., np.ndarray[Any, Any]], per_scenario: Sequence[Any], names: Sequence[str],
                  *, out_tail: tuple[int, ...], dtype: DTypeLike, per_block: bool = False,
                  label_errors: bool = True, what: str = "scenarios") -> Any:
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
    what
        What the rows of the leading axis are, for those messages ("scenarios" or "members").
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
            raise relabel(exc, s0, s0 + first.size, what) from None

    return da.blockwise(run, "s" + out_letters, *args, new_axes=dict(zip(out_letters, out_tail, strict=True)),
                        adjust_chunks={"s": 1} if per_block else None, concatenate=True, dtype=dtype,
                        meta=np.empty((0,) * (1 + len(out_tail)), dtype=dtype))


def map_outputs(fn: Callable[..., tuple[np.ndarray[Any, Any], ...]], per_scenario: Sequence[Any],
                names: Sequence[str], *, tails: Sequence[tuple[int, ...]], dtypes: Sequence[DTypeLike], what: str = "scenarios",
                label_errors: bool = True) -> tuple[Any, ...]:
    """Lazy dask arrays of shapes ``(S, *tails[i])`` and dtypes ``dtypes[i]``: the outputs of ``fn``.

    As :func:`map_scenarios`, but ``fn(s0, *blocks)`` returns a tuple of numpy arrays, output ``i``
    of shape ``(s1 - s0, *tails[i])``.  Several outputs are computed in one pass (packed side by
    side in one block of their common dtype, then taken apart: exact for integers, floats and
    booleans packed with floats or wider integers).
    """
    if len(tails) == 1:
        def one(s0: int, *rows: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
            return fn(s0, *rows)[0]

        return (map_scenarios(one, per_scenario, names, out_tail=tuple(tails[0]), dtype=dtypes[0], what=what,
                              label_errors=label_errors),)
    sizes = [int(np.prod(t, dtype=np.int64)) for t in tails]
    common = np.result_type(*dtypes)

    def packed(s0: int, *rows: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        parts = fn(s0, *rows)
        b = rows[0].shape[0]
        return np.concatenate([p.reshape(b, -1).astype(common, copy=False) for p in parts], axis=1)

    both = map_scenarios(packed, per_scenario, names, out_tail=(sum(sizes),), dtype=common, what=what,
                         label_errors=label_errors)
    s_count = int(both.shape[0])
    out = []
    offset = 0
    for tail, size, dtype in zip(tails, sizes, dtypes, strict=True):
        out.append(both[:, offset:offset + size].reshape((s_count, *tail)).astype(dtype))
        offset += size
    return tuple(out)


def _eager(result: Any) -> tuple[Any, ...]:
    """A numpy result (an array or a tuple of arrays) as lazy dask arrays, in a tuple."""
    import dask.array as da

    parts = result if isinstance(result, tuple) else (result,)
    return tuple(da.from_array(np.asarray(p)) for p in parts)


def _core_ndim(shape_text: str) -> int:
    """The number of axes of a shape written out: ``"()"`` 0, ``"(N,)"`` 1, ``"(N, D)"`` 2."""
    return len([p for p in shape_text.strip("()").split(",") if p.strip()])


def map_leading(kernel: Callable[..., Any], arrays: Mapping[str, Any], core: Mapping[str, str],
                params: Mapping[str, Any], *, tails: Sequence[tuple[int, ...]],
                dtypes: Sequence[DTypeLike]) -> tuple[Any, ...]:
    """``kernel`` mapped over the chunks of the scenario axis of the arguments that have one.

    Parameters
    ----------
    kernel
        The numpy kernel, called with keyword arguments: ``kernel(**arrays_rows, **shared, **params)``
        once per chunk of scenarios; it returns an array ``(rows, *tails[0])`` or a tuple of arrays
        ``(rows, *tails[i])``.
    arrays
        The array arguments (numpy, dask or None, which is left out), by name.
    core
        Each array argument's shape without a scenario axis, written out (``"()"``, ``"(N, D)"``):
        an argument with exactly that many axes is shared by every scenario (computed now if it is a
        dask array: it is small), one with one axis more varies by scenario along its first axis;
        any other number of axes is a ValidationError naming the argument.
    params
        The other arguments, passed as they are.
    tails, dtypes
        The shapes after the scenario axis and the dtypes of the kernel's outputs.

    Returns
    -------
    tuple
        The outputs as lazy dask arrays ``(S, *tails[i])``, chunked like the first dask argument
        with a scenario axis.  When no argument with a scenario axis is a dask array, the kernel runs
        now and its outputs are wrapped as dask arrays.  An error in a chunk is raised when it is
        computed and names the chunk's scenarios.
    """
    per: dict[str, Any] = {}
    shared: dict[str, Any] = {}
    a: Any
    for name, a in arrays.items():
        if a is None:
            continue
        a = a if is_dask(a) else np.asarray(a)  # (Any: a numpy or a dask array)
        ndim = _core_ndim(core[name])
        if a.ndim == ndim + 1:
            per[name] = a
        elif a.ndim == ndim:
            shared[name] = np.asarray(a.compute()) if is_dask(a) else a  # small: one row for every scenario
        else:
            raise ValidationError(
                f"with dask arrays, {name} must have shape {core[name]} or one more leading axis of "
                f"scenarios (S, ...), got shape {tuple(a.shape)}")
    if not any(is_dask(a) for a in per.values()):  # no scenario axis is a dask array: nothing to map over
        return _eager(kernel(**{k: np.asarray(v) for k, v in per.items()}, **shared, **params))
    names = tuple(per)

    def block(s0: int, *rows: np.ndarray[Any, Any]) -> tuple[np.ndarray[Any, Any], ...]:
        del s0
        res = kernel(**dict(zip(names, rows, strict=True)), **shared, **params)
        return tuple(res) if isinstance(res, tuple) else (res,)

    return map_outputs(block, tuple(per.values()), names, tails=tails, dtypes=dtypes)


def _as_front(a: Any, shape: tuple[int, ...], ax: int) -> Any:
    """``a`` broadcast to ``shape`` with axis ``ax`` moved to the front (lazily for a dask array)."""
    if is_dask(a):
        import dask.array as da

        return da.moveaxis(da.broadcast_to(a, shape) if tuple(a.shape) != shape else a, ax, 0)
    return np.moveaxis(np.broadcast_to(a, shape), ax, 0)


def map_batch(kernel: Callable[..., _R], arguments: Mapping[str, Any], data: Sequence[str], *, table: bool,
              min_ndim: int = 1) -> _R:
    """``kernel`` mapped over the blocks of the batch axis of its ``data`` arguments.

    Parameters
    ----------
    kernel
        The numpy kernel, called with keyword arguments; it returns an array or a tuple of arrays.
    arguments
        Every argument of the call, by name.  Dask arrays among the arguments not in ``data`` are
        computed now (they are parameters: targets, weights per metric …).
    data
        The names of the array arguments that broadcast together and carry the batch axis
        (None values are left out).
    table
        The data are ``(..., K, T, N)`` tables: the batch axis is the first axis of a stack of
        tables ``(S, K, T, N)`` and the members axis ``N`` of one table ``(K, T, N)``; the results'
        batch axis is then their last.  Otherwise the batch axis is the first axis of data and
        results alike.
    min_ndim
        Data with fewer axes (after broadcasting) have no batch axis: the kernel runs now.

    Returns
    -------
    The kernel's result as lazy dask arrays (a tuple when the kernel returns one), equal to the
    numpy result.  The parameters are checked at once, by calling the kernel on an empty batch;
    an error in a block is raised when it is computed and names the block's scenarios or members.
    With tables, an ``axis`` argument may not point at the batch axis (a ValidationError).
    """
    import dask.array as da

    run: Callable[..., Any] = kernel  # returns an array or a tuple of arrays
    params = {k: (np.asarray(v.compute()) if is_dask(v) else v)
              for k, v in arguments.items() if k not in data}
    arrays = {k: (v if is_dask(v) else np.asarray(v)) for k, v in arguments.items()
              if k in data and v is not None}
    shape = tuple(int(n) for n in np.broadcast_shapes(*(tuple(a.shape) for a in arrays.values())))
    if len(shape) < min_ndim or not any(is_dask(a) for a in arrays.values()):  # no batch axis to map over
        res = run(**{k: np.asarray(v) for k, v in arrays.items()}, **params)
        eager = _eager(res)
        return cast(_R, eager if isinstance(res, tuple) else eager[0])
    ax = 0 if not table or len(shape) > 3 else len(shape) - 1
    what = "members" if table and ax == len(shape) - 1 and len(shape) <= 3 else "scenarios"
    if "axis" in params and int(params["axis"]) % len(shape) == ax:
        raise ValidationError(f"with dask arrays the time axis cannot be the batch axis ({what}, axis {ax})")
    names = tuple(arrays)
    fronts = [_as_front(a, shape, ax) for a in arrays.values()]
    # the kernel on an empty batch: checks the parameters now and gives the results' shapes and dtypes
    probe = run(**{k: np.moveaxis(np.empty((0, *f.shape[1:]), f.dtype), 0, ax)
                   for k, f in zip(names, fronts, strict=True)}, **params)
    single = not isinstance(probe, tuple)
    outs: tuple[np.ndarray[Any, Any], ...] = (probe,) if single else probe
    out_ax = [0 if ax == 0 else o.ndim - 1 for o in outs]

    def block(s0: int, *rows: np.ndarray[Any, Any]) -> tuple[np.ndarray[Any, Any], ...]:
        del s0
        res = run(**{k: np.moveaxis(r, 0, ax) for k, r in zip(names, rows, strict=True)}, **params)
        parts = (res,) if single else res
        return tuple(np.moveaxis(p, i, 0) for p, i in zip(parts, out_ax, strict=True))

    tails = [np.moveaxis(o, i, 0).shape[1:] for o, i in zip(outs, out_ax, strict=True)]
    lazy = map_outputs(block, fronts, names, tails=tails, dtypes=[o.dtype for o in outs], what=what)
    result = tuple(da.moveaxis(col, 0, i) for col, i in zip(lazy, out_ax, strict=True))
    return cast(_R, result[0] if single else result)


SCHEDULERS = ("threads", "processes", "synchronous")
"""The dask schedulers :func:`run_tasks` accepts by name."""


def run_tasks(task: Callable[..., _R], calls: Sequence[tuple[Any, ...]], scheduler: str | None) -> list[_R]:
    """``[task(*args) for args in calls]``, in parallel through dask when ``scheduler`` is given.

    For independent pieces of work that are not arrays (many members' files checked at once):
    each call is one ``dask.delayed`` task and all are computed in one ``dask.compute`` with the
    named scheduler; ``None`` runs them in turn here, without dask.  The results keep the calls'
    order; the first error of a task is raised as it was.

    Raises
    ------
    ValidationError
        An unknown scheduler name, or a scheduler given when dask (the ``scale`` extra) is not installed.
    """
    if scheduler is None:
        return [task(*args) for args in calls]
    if scheduler not in SCHEDULERS:
        raise ValidationError(f"scheduler must be one of {list(SCHEDULERS)} or None, got {scheduler!r}")
    try:
        import dask
    except ImportError:
        raise ValidationError("scheduler= needs dask: pip install \"jichitai-cloud[scale]\"") from None
    lazy = [dask.delayed(task, pure=False)(*args) for args in calls]
    return list(dask.compute(*lazy, scheduler=scheduler))
