""":func:`~jichitai_cloud.allocation.simulate` over dask inputs: a few streaming passes, exact statistics.

Memory does not grow with the number of scenarios: each pass maps one function over the chunks of
the scenario axis (on the threads of this machine or on the workers of a ``dask.distributed``
cluster), each chunk is allocated block by block, and only a summary of fixed size per chunk comes back; the
summaries of ``_WAVE`` chunks at a time are computed and added up, so at most that many are held.

* Pass 1: per member, the sum of the shares and of the net costs (exact, in integers split into
  high and low 32-bit halves), the number of scenarios in which the cap binds, the least and the
  largest share.
* Passes 2, 3, …: exact quantiles of the integer shares by histogram refinement.  For each
  member and level the ``k``-th smallest share (``k`` from numpy's ``inverted_cdf`` rule) lies in
  ``[lo, hi]`` (first the least and the largest share); a pass counts the shares in ``_BINS``
  equal bins of that interval, and the bin holding the ``k``-th share becomes the new interval.
  When every interval is one yen wide the quantiles are exact: at most
  ``1 + ceil(log_BINS(max - min + 1))`` passes (6 for a range of 10**12 yen).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .._numeric._dask import compute, is_dask, map_scenarios, scenario_chunks
from ..errors import ValidationError
from ._pipeline import Pipeline, Solved, solve

__all__ = ["Moments", "exact_mean", "quantile_ranks", "stream_statistics"]

_BINS = 512
"""Bins per member and level in one refinement pass (a pass narrows an interval 512-fold)."""

_WAVE = 8
"""Chunks whose partial summaries are computed and added up at a time: the summaries held in
memory are at most this many, however many chunks there are (dask alone may compute most leaves of
a reduction before adding them up)."""

_LOW = np.int64(0xFFFFFFFF)


def _wave_sum(part: Any) -> NDArray[np.int64]:
    """``part.sum(axis=0)`` in int64, computed ``_WAVE`` chunks at a time and added up here."""
    out = np.zeros(part.shape[1:], dtype=np.int64)
    for i in range(0, int(part.shape[0]), _WAVE):
        out += np.asarray(part[i:i + _WAVE].sum(axis=0, dtype=np.int64).compute())
    return out


def quantile_ranks(s_count: int, levels: tuple[float, ...]) -> NDArray[np.int64]:
    """0-based ranks of numpy's ``inverted_cdf`` quantiles among ``s_count`` sorted values.

    The quantile at level ``q`` is the smallest value ``x`` with ``F(x) >= q`` (``F`` the empirical
    distribution function), i.e. the value of 0-based rank ``ceil(q S) - 1`` (0 for ``q = 0``),
    computed with numpy's own floating-point steps, so the values agree with
    ``numpy.quantile(..., method="inverted_cdf")`` bit for bit.
    """
    index = s_count * np.asarray(levels, dtype=np.float64) - 1
    prev = np.floor(index)
    k = np.where(index - prev == 0, prev, prev + 1)
    return np.clip(k, 0, max(s_count - 1, 0)).astype(np.int64)


def exact_mean(total: int, count: int) -> float:
    """``total / count`` rounded once to the nearest float. [yen]"""
    return float(Fraction(total, count)) if count else float("nan")


class Moments:
    """Per member: exact sums of shares and net costs, binding counts, least and largest share."""

    __slots__ = ("bound", "hi", "lo", "max", "min", "net_hi", "net_lo")

    def __init__(self, n: int) -> None:
        z = np.zeros(n, dtype=np.int64)
        self.hi, self.lo, self.net_hi, self.net_lo, self.bound = z, z.copy(), z.copy(), z.copy(), z.copy()
        self.min = np.full(n, np.iinfo(np.int64).max)
        self.max = np.full(n, np.iinfo(np.int64).min)

    def add(self, solved: Solved) -> None:
        """Add a block of scenarios (shares are >= 0 and below 2**62: the halves never overflow)."""
        s = solved.shares
        net = s + solved.penalties
        self.hi += (s >> 32).sum(axis=0)
        self.lo += (s & _LOW).sum(axis=0)
        self.net_hi += (net >> 32).sum(axis=0)
        self.net_lo += (net & _LOW).sum(axis=0)
        self.bound += solved.binding.sum(axis=0)
        np.minimum(self.min, s.min(axis=0), out=self.min)
        np.maximum(self.max, s.max(axis=0), out=self.max)

    def packed(self) -> NDArray[np.int64]:
        """``(1, 7, N)``: the partial sums, then the least and the largest share."""
        return np.stack([self.hi, self.lo, self.net_hi, self.net_lo, self.bound, self.min, self.max])[None]

    @staticmethod
    def totals(hi: NDArray[np.int64], lo: NDArray[np.int64]) -> list[int]:
        """Exact Python integers from the halves."""
        return [(int(h) << 32) + int(low) for h, low in zip(hi, lo, strict=True)]


def _blocks(pipe: Pipeline, keys: tuple[str, ...], rows: tuple[NDArray[Any], ...], s0: int,
            block_size: int) -> Iterator[Solved]:
    """The solved blocks of the scenarios ``s0 ..`` whose per-scenario rows are ``rows``."""
    kw: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for key, row in zip(keys, rows, strict=True):
        if key.startswith("drivers:"):
            extra[key.partition(":")[2]] = row
        else:
            kw[key] = row
    sub = pipe.with_scenarios(**kw, drivers=extra or None)
    r = sub.scenarios.count
    for a in range(0, r, block_size):
        b = min(r, a + block_size)
        yield solve(sub, sub.arrays(a, b), label=f"in scenarios {s0 + a}..{s0 + b - 1}: ")


def check_lazy(pipe: Pipeline, arrays: Mapping[str, Any]) -> None:
    """Check shapes, names and dtypes of the per-scenario arrays without reading their values."""
    kw: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for key, a in arrays.items():
        empty = np.zeros((0, *a.shape[1:]), dtype=a.dtype)
        if key.startswith("drivers:"):
            extra[key.partition(":")[2]] = empty
        else:
            kw[key] = empty
    pipe.with_scenarios(**kw, drivers=extra or None)
    scenario_chunks(tuple(arrays.values()), tuple(arrays))


def stream_statistics(pipe: Pipeline, arrays: Mapping[str, Any], levels: tuple[float, ...],
                      block_size: int) -> dict[str, Any]:
    """Means, quantiles, least and largest shares and binding frequencies from dask inputs.

    ``arrays`` maps ``populations``, ``total_fees``, ``ratios``, ``current_costs`` or
    ``drivers:<name>`` to arrays with the scenario axis first (at least one a dask array).
    """
    check_lazy(pipe, arrays)
    keys = tuple(arrays)
    per = tuple(arrays.values())
    n = len(pipe.council.members)

    def moments(s0: int, *rows: NDArray[Any]) -> NDArray[np.int64]:
        acc = Moments(n)
        for solved in _blocks(pipe, keys, rows, s0, block_size):
            acc.add(solved)
        return acc.packed()

    part = map_scenarios(moments, per, keys, out_tail=(7, n), dtype=np.int64, per_block=True,
                         label_errors=False)
    sums = np.zeros((5, n), dtype=np.int64)
    mins = np.full(n, np.iinfo(np.int64).max)
    maxs = np.full(n, np.iinfo(np.int64).min)
    for i in range(0, int(part.shape[0]), _WAVE):  # _WAVE chunks at a time: bounded memory
        wave = part[i:i + _WAVE]
        w_sum, w_min, w_max = compute(wave[:, :5].sum(axis=0), wave[:, 5].min(axis=0), wave[:, 6].max(axis=0))
        sums += w_sum
        np.minimum(mins, w_min, out=mins)
        np.maximum(maxs, w_max, out=maxs)
    s_count = sum(scenario_chunks(per, keys))
    qv = _quantiles(pipe, keys, per, levels, block_size, s_count, np.asarray(mins), np.asarray(maxs))
    return {
        "scenarios": s_count,
        "mean_share": tuple(exact_mean(t, s_count) for t in Moments.totals(sums[0], sums[1])),
        "mean_net_cost": tuple(exact_mean(t, s_count) for t in Moments.totals(sums[2], sums[3])),
        "p_bound": tuple(float(b) / s_count for b in sums[4]),
        "min_share": tuple(int(v) for v in mins),
        "max_share": tuple(int(v) for v in maxs),
        "quantiles": qv,
    }


def _quantiles(pipe: Pipeline, keys: tuple[str, ...], per: tuple[Any, ...], levels: tuple[float, ...],
               block_size: int, s_count: int, mins: NDArray[np.int64],
               maxs: NDArray[np.int64]) -> NDArray[np.int64]:
    """``(Q, N)`` exact quantiles by histogram refinement (see the module docstring)."""
    n = mins.size
    q = len(levels)
    k = np.broadcast_to(quantile_ranks(s_count, levels)[:, None], (q, n)).copy()  # rank within [lo, hi]
    lo = np.broadcast_to(mins, (q, n)).copy()
    hi = np.broadcast_to(maxs, (q, n)).copy()
    lo[k == s_count - 1] = hi[k == s_count - 1]  # the largest value
    hi[k == 0] = lo[k == 0]  # the least value
    while q and (lo < hi).any():
        width = -(-(hi - lo + 1) // _BINS)  # ceil: _BINS bins of this width cover [lo, hi]
        lo_p, hi_p, width_p = lo.copy(), hi.copy(), width.copy()

        def hist(s0: int, *rows: NDArray[Any], lo_p: Any = lo_p, hi_p: Any = hi_p,
                 width_p: Any = width_p) -> NDArray[np.int32]:
            counts = np.zeros((q, n * _BINS), dtype=np.int32)  # < 2**31 scenarios per chunk
            base = np.arange(n, dtype=np.int64) * _BINS
            open_ = lo_p < hi_p
            for solved in _blocks(pipe, keys, rows, s0, block_size):
                v = solved.shares
                for j in range(q):  # a loop over the quantile levels (a handful), not scenarios
                    if not open_[j].any():
                        continue
                    inside = (v >= lo_p[j]) & (v <= hi_p[j]) & open_[j]
                    idx = (v - lo_p[j]) // width_p[j] + base
                    counts[j] += np.bincount(idx[inside], minlength=n * _BINS).astype(np.int32)
            return counts.reshape(1, -1)

        part = map_scenarios(hist, per, keys, out_tail=(q * n * _BINS,), dtype=np.int32, per_block=True,
                             label_errors=False)
        counts = _wave_sum(part).reshape(q, n, _BINS)
        cum = np.cumsum(counts, axis=-1)
        b = (cum <= k[..., None]).sum(axis=-1)  # the first bin whose cumulative count exceeds k
        below = np.where(b > 0, np.take_along_axis(cum, np.maximum(b - 1, 0)[..., None], axis=-1)[..., 0], 0)
        open_now = lo < hi
        new_lo = lo + b * width
        new_hi = np.minimum(hi, new_lo + width - 1)
        k = np.where(open_now, k - below, k)
        lo = np.where(open_now, new_lo, lo)
        hi = np.where(open_now, new_hi, hi)
    return lo


def dask_arrays(populations: Any, total_fees: Any, ratios: Any, current_costs: Any,
                drivers: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The per-scenario arrays by key when any is a dask array (None otherwise)."""
    named = {"populations": populations, "total_fees": total_fees, "ratios": ratios, "current_costs": current_costs}
    named |= {f"drivers:{k}": v for k, v in (drivers or {}).items()}
    given = {k: v for k, v in named.items() if v is not None}
    if not any(is_dask(v) for v in given.values()):
        return None
    for k, v in given.items():
        if not is_dask(v) and np.ndim(v) == 0:
            raise ValidationError(f"{k.replace(':', '')} must have one row per scenario, got {v!r}")
    return {k: v if is_dask(v) else np.asarray(v) for k, v in given.items()}
