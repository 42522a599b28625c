"""FOCUS cost rows as the bill needs them (:class:`FocusData`), read by :func:`jichitai_cloud.io.read_focus`.

The reader streams the export in record batches and keeps only the sums of the cost per distinct
combination of the columns the bill can use (billing month, currency, charge category and class,
sub account, service, resource, region, provider, tags, and whether the charge is late), so a file
of millions of hourly rows becomes a few thousand groups.  Costs are exact: each group's
``BilledCost`` is an integer numerator over :data:`COST_SCALE` (``10**15``, the 15 decimal places
FOCUS allows), summed in integers.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from .._frozenmap import FrozenMap
from ..calendar import Month
from ..errors import ValidationError

__all__ = ["COST_SCALE", "FOCUS_VERSIONS", "TEXT_KEYS", "FocusData"]

COST_SCALE = 10**15
"""Costs are held as integers in units of ``10**-15`` of the billing currency (FOCUS: up to 15 places)."""

FOCUS_VERSIONS: tuple[str, ...] = ("1.0", "1.1", "1.2", "1.3")
"""The FOCUS versions read."""

TEXT_KEYS: tuple[str, ...] = ("currency", "category", "charge_class", "sub_account", "sub_account_name",
                              "service", "resource", "region", "provider")
"""The text columns kept per group (FOCUS: BillingCurrency, ChargeCategory, ChargeClass, SubAccountId,
SubAccountName, ServiceName, ResourceId, RegionId, ProviderName or ServiceProviderName)."""


def _obj(value: Any, n: int, name: str) -> NDArray[np.object_]:
    items = list(value)
    arr = np.empty(len(items), dtype=object)
    arr[:] = items if not items or not isinstance(items[0], Mapping) else [None] * len(items)
    if items and isinstance(items[0], Mapping):
        for k, x in enumerate(items):
            arr[k] = x
    if arr.shape != (n,):
        raise ValidationError(f"{name} must have one value per group ({n}), got shape {arr.shape}")
    arr.setflags(write=False)
    return arr


@attrs.frozen(kw_only=True, slots=True, eq=False)
class FocusData:
    """FOCUS cost rows summed per distinct key (what :func:`~jichitai_cloud.io.read_focus` returns).

    Parameters
    ----------
    files
        The files read, in the order read.
    version
        The FOCUS version (``"1.0"`` … ``"1.3"``; given or detected from the columns).
    month
        Billing month of each group, :attr:`Month.index <jichitai_cloud.Month.index>` of its
        ``BillingPeriodStart``, shape ``(G,)``. [months]
    billed
        Exact ``BilledCost`` of each group as an integer numerator over :data:`COST_SCALE`, shape
        ``(G,)`` of Python ints (never floats). [currency × 10**-15]
    rows
        Number of FOCUS rows in each group, ``(G,)``. [rows]
    late
        Whether the group's rows are late charges (charge period outside the billing period), ``(G,)``.
    text
        Key -> ``(G,)`` object array of text or None, for every key of :data:`TEXT_KEYS`.
    tags
        Each group's tags (keys trimmed of spaces), ``(G,)`` of :class:`~jichitai_cloud.FrozenMap`.
    notes, notes_en
        What the reader noticed that is not an error (late charges with their file and rows), in
        Japanese and in English.
    read
        The keys read (of :data:`TEXT_KEYS` and ``"tags"``); a key not read is None in every group
        (``read_focus(..., rules=rules)`` reads only what the rules use).
    """

    files: tuple[str, ...]
    version: str
    month: NDArray[np.int64]
    billed: NDArray[np.object_]
    rows: NDArray[np.int64]
    late: NDArray[np.bool_]
    text: FrozenMap[NDArray[np.object_]]
    tags: NDArray[np.object_]
    notes: tuple[str, ...] = ()
    notes_en: tuple[str, ...] = ()
    read: tuple[str, ...] = (*TEXT_KEYS, "tags")

    def __attrs_post_init__(self) -> None:
        n = self.month.shape[0] if self.month.ndim == 1 else -1
        if n < 0:
            raise ValidationError(f"month must be one-dimensional, got shape {self.month.shape}")
        if self.version not in FOCUS_VERSIONS:
            raise ValidationError(f"version must be one of {list(FOCUS_VERSIONS)}, got {self.version!r}")
        for name in ("billed", "rows", "late", "tags"):
            arr = getattr(self, name)
            if np.shape(arr) != (n,):
                raise ValidationError(f"{name} must have one value per group ({n}), got shape {np.shape(arr)}")
        missing = [k for k in TEXT_KEYS if k not in self.text]
        if missing:
            raise ValidationError(f"text lacks the keys {missing}")
        for k, arr in self.text.items():
            if np.shape(arr) != (n,):
                raise ValidationError(f"text[{k!r}] must have one value per group ({n}), got {np.shape(arr)}")

    @classmethod
    def from_groups(cls, *, files: tuple[str, ...], version: str, month: Any, billed: Any, rows: Any, late: Any,
                    text: Mapping[str, Any], tags: Any, notes: tuple[str, ...] = (),
                    notes_en: tuple[str, ...] = (), read: tuple[str, ...] = (*TEXT_KEYS, "tags")) -> FocusData:
        """Build from per-group sequences (arrays made read-only)."""
        m = np.asarray(month, dtype=np.int64).reshape(-1)
        n = m.shape[0]
        m.setflags(write=False)
        r = np.asarray(rows, dtype=np.int64).reshape(n)
        r.setflags(write=False)
        lt = np.asarray(late, dtype=np.bool_).reshape(n)
        lt.setflags(write=False)
        return cls(files=files, version=version, month=m, billed=_obj([int(x) for x in billed], n, "billed"),
                   rows=r, late=lt, text=FrozenMap({k: _obj(list(text[k]), n, k) for k in TEXT_KEYS}),
                   tags=_obj(list(tags), n, "tags"), notes=notes, notes_en=notes_en,
                   read=tuple(read))

    @property
    def groups(self) -> int:
        """Number of distinct keys held. [1]"""
        return int(self.month.shape[0])

    @property
    def row_count(self) -> int:
        """Number of FOCUS rows read. [rows]"""
        return int(self.rows.sum())

    @property
    def months(self) -> tuple[Month, ...]:
        """The billing months present, in order."""
        return tuple(Month.from_index(int(i)) for i in np.unique(self.month))

    def total(self, month: Month | str | None = None) -> dict[str, Fraction]:
        """Exact ``BilledCost`` per currency, of one billing month or of all. [currency]"""
        keep = np.ones(self.groups, dtype=bool) if month is None else self.month == _month(month).index
        out: dict[str, int] = {}
        for cur, x in zip(self.text["currency"][keep], self.billed[keep], strict=True):
            out[cur] = out.get(cur, 0) + int(x)
        return {k: Fraction(v, COST_SCALE) for k, v in out.items()}

    def __repr__(self) -> str:
        return (f"FocusData(version={self.version!r}, files={len(self.files)}, rows={self.row_count:,}, "
                f"groups={self.groups:,}, months={[m.iso() for m in self.months]})")


def _month(value: Month | str) -> Month:
    return value if isinstance(value, Month) else Month.parse(value)
