"""Shared names of the allocation kernels: array types, limits, rounding rules, binding codes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, NamedTuple, get_args

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "BINDING_CAP",
    "BINDING_FLOOR",
    "BINDING_NONE",
    "MAX_TOTAL",
    "MAX_UNITS",
    "ROUNDINGS",
    "Block",
    "BoolArray",
    "Bounds",
    "FloatArray",
    "IntArray",
    "Rounding",
    "SplitDetail",
    "Work",
]


Rounding = Literal["largest_remainder", "floor_then_lead"]
ROUNDINGS: tuple[Rounding, ...] = get_args(Rounding)

#: Largest total accepted. [yen]
MAX_TOTAL = 2**62
#: Largest number of whole units (``total // unit``) accepted: quotas are float64, exact to 2**53.
MAX_UNITS = 2**52

#: Codes of :attr:`SplitDetail.binding`.
BINDING_NONE, BINDING_CAP, BINDING_FLOOR = 0, 1, -1

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


class SplitDetail(NamedTuple):
    """Result of :func:`split_costs` with ``return_binding=True``.

    Attributes
    ----------
    shares
        Integer shares, shape ``(N,)`` or ``(..., N)``. [yen]
    binding
        Per member ``1`` (:data:`BINDING_CAP`) if its cap binds (it was held at its cap and the
        excess went to others), ``-1`` (:data:`BINDING_FLOOR`) if its floor binds, else ``0``;
        int8, same shape as ``shares``.
    """

    shares: IntArray
    binding: NDArray[np.int8]


class Work:
    """Buffers for one block, allocated once per call and reused by every block.

    Reusing them (instead of allocating per block) avoids the page faults of fresh large
    allocations, which otherwise cost more than the arithmetic.
    """

    def __init__(self, rows: int, n: int, d: int, *, caps: bool, floors: bool, planes: bool) -> None:
        self.w = np.empty((rows, n), dtype=np.float64)
        self.p = np.empty((rows, n), dtype=np.float64)
        self.z = np.empty((rows, n), dtype=np.int64)
        self.zb = np.empty((rows, n), dtype=np.int64)
        self.mask = np.empty((rows, n), dtype=np.bool_)
        self.chosen = np.empty((rows, n), dtype=np.bool_)
        self.cwork = np.empty((rows, n), dtype=np.float64) if caps else None
        self.fwork = np.empty((rows, n), dtype=np.float64) if floors else None
        self.x = np.empty((d, rows if planes else 0, n), dtype=np.float64)


@dataclass(slots=True)
class Block:
    """One block of R scenarios handed from step to step of :func:`split_costs`.

    ``x`` holds the driver planes, (D, R, N) or (D, 1, N) when every scenario shares them, and
    ``xsum`` their sums over members (D, R or 1); ``caps`` and ``floors`` are (R, N) or (1, N) when
    shared; ``out`` (R, N) receives the shares and ``bind`` (R, N) the binding codes.
    """

    out: IntArray
    bind: NDArray[np.int8] | None
    s0: int
    leading: tuple[int, ...]
    total: IntArray
    x: FloatArray
    xsum: FloatArray
    ratios: NDArray[Any]
    caps: NDArray[Any] | None
    floors: NDArray[Any] | None
    lead: NDArray[Any] | None
    unit: int
    rounding: Rounding
    tie: Any
    check_bounds: tuple[bool, bool]
    work: Work


@dataclass(slots=True)
class Bounds:
    """A block's totals and bounds in whole units of the rounding unit.

    ``k_units`` whole units per row, ``rho`` the sub-unit remainder [yen], ``k_ceil`` the units
    counting a partial one; ``c_small``/``f_small`` the caps and floors, (R, N) or (1, N), and
    ``c_units``/``f_units`` the same broadcast to (R, N).
    """

    k_units: IntArray
    rho: IntArray
    k_ceil: IntArray
    c_small: IntArray | None
    f_small: IntArray | None
    c_units: IntArray | None
    f_units: IntArray | None
