""":func:`~jichitai_cloud.allocation.simulate` over dask inputs: one streaming pass, exact statistics.

Memory does not grow with the number of scenarios: a pass maps one function over the chunks of
the scenario axis (on the threads of this machine or on the workers of a ``dask.distributed``
cluster), each chunk is allocated block by block, and only a summary per chunk comes back; the
summaries of ``_WAVE`` chunks at a time are computed and added up, so at most that many are held.

* Pilot: the first ``_PILOT`` scenarios are allocated once, in memory.  For each quantile level
  and member their shares give a *window* ``[lo, hi]`` that holds the quantile with near certainty
  (``_Z`` standard errors of the pilot's quantile on each side; unbounded on a side the pilot
  cannot bound).
* Pass 1: per member, the sum of the shares and of the net costs (exact, in integers split into
  high and low 32-bit halves), the number of scenarios in which the cap binds, the least and the
  largest share; and for each level the exact counts of shares below, at and above the window's
  ends, and the shares strictly inside the window themselves (about ``2 _Z sqrt(q (1 - q) /
  _PILOT)`` of the scenarios per member, e.g. 11 % at the median: a few hundred MB at the
  national scale of 60,000 x 1,741).  The counts say the rank of the quantile in the window: its
  exact value is then the share of that rank among the kept shares (or an end of the window).
* Passes 2, 3, … are needed only when a quantile fell outside its window (scenarios ordered so
  that the pilot is not representative, e.g. a sweep) or its shares were not kept (more than
  ``_KEEP`` shares in the windows: very many scenarios).  For each such member and level the
  ``k``-th smallest share lies in ``[lo, hi]`` (below, inside or above the window) and the counts
  say how many shares that interval holds.  A pass keeps the shares of the intervals holding the
  fewest, up to ``_KEEP`` in all, and selects the quantile among them; it counts the shares of the
  other intervals in ``_BINS`` equal bins, and the bin holding the ``k``-th share becomes the
  interval.  Typically one pass more after a miss; memory does not grow with the scenarios.

Every quantile is numpy's ``inverted_cdf`` quantile of the shares, to the yen, whatever the
pilot says: the pilot only decides how much work the exact answer takes.
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

_PILOT = 2048
"""Scenarios allocated first, in memory, to place the windows of the quantiles. [scenarios]"""

_Z = 5.0
"""Half-width of a window in standard errors of the pilot's quantile (a miss costs a pass, not
exactness: with 5, a miss is about one in a million per member and level for shuffled scenarios)."""

_KEEP = 2**25
"""Most shares kept in memory for the quantiles at once (8 bytes each: 268 MB), in pass 1 and in a
refinement pass; each chunk keeps at most its part of it (its rows / S), so memory does not grow
with the scenarios: past it, a level's quantiles are refined instead (one or two passes more)."""

_WAVE = 8
"""Chunks whose partial summaries are computed and added up at a time: the summaries held in
memory are at most this many, however many chunks there are (dask alone may compute most leaves of
a reduction before adding them up)."""

_KEY_BITS = 63
"""Bits of the int64 a kept share is packed in with its member (``member << shift | share``)."""

_LOW = np.int64(0xFFFFFFFF)
_I64 = np.iinfo(np.int64)


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


def _pilot_windows(pipe: Pipeline, keys: tuple[str, ...], per: tuple[Any, ...], levels: tuple[float, ...],
                   block_size: int, s_count: int) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """``(L, N)`` ends of the windows of the levels ``levels`` from the first ``_PILOT`` scenarios. [yen]

    A window is ``_Z`` standard errors of the pilot's quantile wide on each side, plus one rank;
    an end the pilot cannot place (too few pilot shares on that side) is the least or largest
    int64 (the window is open on that side).
    """
    p = min(s_count, _PILOT)
    lazy = [i for i, a in enumerate(per) if is_dask(a)]
    solved: list[NDArray[np.int64]] = []
    a = 0
    for size in scenario_chunks(per, keys):  # a chunk at a time: the scheduler holds one chunk
        if a >= p:
            break
        b = min(p, a + size)
        got = dict(zip(lazy, compute(*(per[i][a:b] for i in lazy)), strict=True))
        rows = tuple(np.asarray(got[i]) if i in got else np.asarray(x)[a:b] for i, x in enumerate(per))
        solved += [s.shares for s in _blocks(pipe, keys, rows, a, block_size)]
        a = b
    shares = np.sort(np.concatenate(solved), axis=0)
    q = np.asarray(levels, dtype=np.float64)
    centre = quantile_ranks(p, levels)
    half = _Z * np.sqrt(p * q * (1 - q)) + 1
    r_lo = np.floor(centre - half).astype(np.int64)
    r_hi = np.ceil(centre + half).astype(np.int64)
    wlo = np.where((r_lo >= 0)[:, None], shares[np.clip(r_lo, 0, p - 1)], _I64.min)
    whi = np.where((r_hi <= p - 1)[:, None], shares[np.clip(r_hi, 0, p - 1)], _I64.max)
    return wlo.astype(np.int64), whi.astype(np.int64)


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
    s_count = sum(scenario_chunks(per, keys))
    k = quantile_ranks(s_count, levels)
    # the levels that are neither the least nor the largest share get a window
    active = tuple(j for j in range(len(levels)) if 0 < k[j] < s_count - 1)
    if active:
        wlo, whi = _pilot_windows(pipe, keys, per, tuple(levels[j] for j in active), block_size, s_count)
    else:
        wlo = whi = np.zeros((0, n), dtype=np.int64)
    n_win = len(active)
    shift = min(62, _KEY_BITS - max(n - 1, 1).bit_length())  # a kept share as one int64: member << shift | share
    limit = np.int64(1) << shift

    def first(s0: int, *rows: NDArray[Any]) -> NDArray[Any]:
        acc = Moments(n)
        counts = np.zeros((n_win, 4, n), dtype=np.int64)  # below lo, up to lo, below hi, up to hi
        kept: list[list[NDArray[np.int64]]] = [[] for _ in range(n_win)]
        whole = np.ones(n_win, dtype=np.bool_)  # the shares inside the window all kept
        budget = -(-int(rows[0].shape[0]) * _KEEP // max(s_count, 1))  # this chunk's part of _KEEP
        held = np.zeros(n_win, dtype=np.int64)
        for solved in _blocks(pipe, keys, rows, s0, block_size):
            acc.add(solved)
            v = solved.shares
            flat = v.reshape(-1)
            for j in range(n_win):  # a loop over the quantile levels (a handful), not scenarios
                le_lo = v <= wlo[j]
                lt_hi = v < whi[j]
                for c, mask in enumerate((v < wlo[j], le_lo, lt_hi, v <= whi[j])):
                    counts[j, c] += mask.view(np.uint8).sum(axis=0, dtype=np.int64)
                if not whole[j]:
                    continue
                at = np.flatnonzero(lt_hi & ~le_lo)  # inside the window, row by row
                vals = flat[at]
                held[j] += vals.size
                if vals.size and (int(vals.max()) >= limit or held.sum() > budget):  # refined instead
                    whole[j] = False
                    held[j] = 0
                    kept[j] = []
                elif vals.size:
                    kept[j].append(((at % n) << shift) | vals)
        out = np.empty(1, dtype=object)
        out[0] = (acc.packed()[0], counts, [np.sort(np.concatenate(x)) if x else np.zeros(0, np.int64)
                                            for x in kept], whole)
        return out

    part = map_scenarios(first, per, keys, out_tail=(), dtype=object, per_block=True, label_errors=False)
    sums = np.zeros((5, n), dtype=np.int64)
    mins = np.full(n, _I64.max)
    maxs = np.full(n, _I64.min)
    counts = np.zeros((n_win, 4, n), dtype=np.int64)
    kept: list[list[NDArray[np.int64]]] = [[] for _ in range(n_win)]
    whole = np.ones(n_win, dtype=np.bool_)
    for i in range(0, int(part.shape[0]), _WAVE):  # _WAVE chunks at a time: bounded memory
        for packed, c, found, w in part[i:i + _WAVE].compute():
            sums += packed[:5]
            np.minimum(mins, packed[5], out=mins)
            np.maximum(maxs, packed[6], out=maxs)
            counts += c
            whole &= w
            for j in range(n_win):
                if whole[j] and found[j].size:
                    kept[j].append(found[j])
    q = len(levels)
    lo = np.where((k == s_count - 1)[:, None], maxs, mins)  # the least and the largest are known
    hi = np.where((k == 0)[:, None], mins, maxs)
    rank = np.broadcast_to(k[:, None], (q, n)).copy()  # the rank within [lo, hi]
    held = np.zeros((q, n), dtype=np.int64)  # the shares in [lo, hi]
    for j, level in enumerate(active):
        found, kept[j] = kept[j], []
        _place(level, counts[j], found if whole[j] else None, wlo[j], whi[j], s_count, rank, lo, hi, held, shift)
    qv = _refine(pipe, keys, per, block_size, lo, hi, rank, held, shift) if q and s_count else lo
    return {
        "scenarios": s_count,
        "mean_share": tuple(exact_mean(t, s_count) for t in Moments.totals(sums[0], sums[1])),
        "mean_net_cost": tuple(exact_mean(t, s_count) for t in Moments.totals(sums[2], sums[3])),
        "p_bound": tuple(float(b) / s_count for b in sums[4]),
        "min_share": tuple(int(v) for v in mins),
        "max_share": tuple(int(v) for v in maxs),
        "quantiles": qv,
    }


def _place(level: int, counts: NDArray[np.int64], kept: list[NDArray[np.int64]] | None,
           wlo: NDArray[np.int64], whi: NDArray[np.int64], s_count: int, rank: NDArray[np.int64],
           lo: NDArray[np.int64], hi: NDArray[np.int64], held: NDArray[np.int64], shift: int) -> None:
    """Row ``level`` of ``lo``/``hi``/``rank``/``held`` from the window of pass 1 (in place).

    The ``rank``-th share is an end of the window, the kept share of that rank inside it (found:
    ``lo == hi``), or lies below, inside (shares not kept) or above the window: an interval, the
    rank within it and the number of shares in it, for the refinement.  ``kept`` is emptied.
    """
    k = rank[level]
    lt_lo, le_lo, lt_hi, le_hi = counts
    below, above = k < lt_lo, k >= le_hi
    at_lo, at_hi = (k >= lt_lo) & (k < le_lo), (k >= lt_hi) & (k < le_hi)
    inside = (k >= le_lo) & (k < lt_hi)
    new_lo, new_hi, new_k, new_held = lo[level].copy(), hi[level].copy(), k.copy(), np.zeros_like(k)
    new_hi[below], new_held[below] = wlo[below] - 1, lt_lo[below]
    new_lo[above], new_held[above] = whi[above] + 1, s_count - le_hi[above]
    new_k[above] = k[above] - le_hi[above]
    new_lo[at_lo] = new_hi[at_lo] = wlo[at_lo]
    new_lo[at_hi] = new_hi[at_hi] = whi[at_hi]
    if kept is None:  # shares not kept: refine between the ends
        new_lo[inside] = wlo[inside] + 1
        new_hi[inside] = whi[inside] - 1
        new_k[inside] = k[inside] - le_lo[inside]
        new_held[inside] = lt_hi[inside] - le_lo[inside]
    elif inside.any():
        keys = np.concatenate(kept) if kept else np.zeros(0, np.int64)
        kept.clear()
        keys.sort(kind="stable")  # sorted runs (one per chunk): merged
        members = np.flatnonzero(inside)
        at = np.searchsorted(keys, members.astype(np.int64) << shift) + (k[members] - le_lo[members])
        new_lo[members] = new_hi[members] = keys[at] & ((np.int64(1) << shift) - 1)
    lo[level], hi[level], rank[level] = np.maximum(new_lo, lo[level]), np.minimum(new_hi, hi[level]), new_k
    held[level] = new_held


def _refine(pipe: Pipeline, keys: tuple[str, ...], per: tuple[Any, ...], block_size: int,
            lo: NDArray[np.int64], hi: NDArray[np.int64], k: NDArray[np.int64], held: NDArray[np.int64],
            shift: int) -> NDArray[np.int64]:
    """``(Q, N)`` exact quantiles of the open intervals ``lo < hi`` (module docstring).

    ``k`` is the rank of the quantile within ``[lo, hi]`` and ``held`` the number of shares in it.
    Each pass keeps the shares of the intervals holding the fewest, up to ``_KEEP`` in all, and
    selects the quantile among them; it counts the shares of the other intervals in ``_BINS``
    bins, and the bin holding the quantile becomes the interval.
    """
    q, n = lo.shape
    limit = np.int64(1) << shift
    base = np.arange(n, dtype=np.int64) * _BINS
    while q and (lo < hi).any():
        open_ = lo < hi
        size = np.where(open_ & (hi - lo < limit), np.minimum(held, _KEEP + 1), _KEEP + 1).ravel()
        order = np.argsort(size, kind="stable")
        take = np.zeros(q * n, dtype=np.bool_)
        take[order[np.cumsum(size[order]) <= _KEEP]] = True
        take = take.reshape(q, n) & open_
        grow = open_ & ~take
        width = np.where(grow, -(-(hi - lo + 1) // _BINS), 1)  # ceil: _BINS bins of this width cover [lo, hi]
        lo_now, hi_now = lo.copy(), hi.copy()

        def one(s0: int, *rows: NDArray[Any], lo_p: Any = lo_now, hi_p: Any = hi_now, width_p: Any = width,
                take_p: Any = take, grow_p: Any = grow) -> NDArray[Any]:
            counts = np.zeros((q, n * _BINS), dtype=np.int32)  # < 2**31 scenarios per chunk
            found: list[list[NDArray[np.int64]]] = [[] for _ in range(q)]
            for solved in _blocks(pipe, keys, rows, s0, block_size):
                v = solved.shares
                for j in range(q):  # a loop over the quantile levels (a handful), not scenarios
                    if not (grow_p[j].any() or take_p[j].any()):
                        continue
                    inside = (v >= lo_p[j]) & (v <= hi_p[j])
                    if grow_p[j].any():
                        idx = (v - lo_p[j]) // width_p[j] + base
                        counts[j] += np.bincount(idx[inside & grow_p[j]], minlength=n * _BINS).astype(np.int32)
                    if take_p[j].any():
                        at = np.flatnonzero(inside & take_p[j])
                        m = at % n
                        found[j].append((m << shift) | (v.reshape(-1)[at] - lo_p[j][m]))
            out = np.empty(1, dtype=object)
            out[0] = (counts, [np.sort(np.concatenate(f)) if f else np.zeros(0, np.int64) for f in found])
            return out

        part = map_scenarios(one, per, keys, out_tail=(), dtype=object, per_block=True, label_errors=False)
        total = np.zeros((q, n * _BINS), dtype=np.int64)
        kept: list[list[NDArray[np.int64]]] = [[] for _ in range(q)]
        for i in range(0, int(part.shape[0]), _WAVE):  # _WAVE chunks at a time: bounded memory
            for c, found in part[i:i + _WAVE].compute():
                total += c
                for j in range(q):
                    if found[j].size:
                        kept[j].append(found[j])
        for j in range(q):
            members = np.flatnonzero(take[j])
            if members.size:
                got = np.concatenate(kept[j]) if kept[j] else np.zeros(0, np.int64)
                kept[j] = []
                got.sort(kind="stable")
                at = np.searchsorted(got, members.astype(np.int64) << shift) + k[j, members]
                lo[j, members] = hi[j, members] = (got[at] & (limit - 1)) + lo[j, members]
        counts = total.reshape(q, n, _BINS)
        cum = np.cumsum(counts, axis=-1)
        b = (cum <= k[..., None]).sum(axis=-1)  # the first bin whose cumulative count exceeds k
        below = np.where(b > 0, np.take_along_axis(cum, np.maximum(b - 1, 0)[..., None], axis=-1)[..., 0], 0)
        new_lo = lo + b * width
        new_hi = np.minimum(hi, new_lo + width - 1)
        held = np.where(grow, np.take_along_axis(counts, np.minimum(b, _BINS - 1)[..., None], axis=-1)[..., 0], held)
        k = np.where(grow, k - below, k)
        lo = np.where(grow, new_lo, lo)
        hi = np.where(grow, new_hi, hi)
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
