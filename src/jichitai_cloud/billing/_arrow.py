"""FOCUS record batches -> per-key sums (:class:`FocusGroups`): the checks and the group-by of the reader.

:func:`jichitai_cloud.io.read_focus` opens the files and streams their record batches here;
:meth:`FocusData.from_dask <jichitai_cloud.billing.FocusData.from_dask>` hands the partitions of
a ``dask.dataframe`` here, one pandas frame at a time.  Each batch is checked and summed per
distinct key, working on the distinct values of each text column (the batches' dictionaries:
timestamps parsed, months derived, currencies and tags checked once per distinct value) and
on small integer codes per row; costs are exact ``decimal128(38, 15)``.  Where a check fails, the
batch is examined row by row to name the rows (file, row, column).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from .._frozenmap import FrozenMap
from ..calendar import Month
from ..errors import InputError, JichitaiCloudError, Problem
from ._focus import FOCUS_VERSIONS, TEXT_KEYS, FocusData
from ._rules import BillingRules

__all__ = ["BILL_KEYS", "CURRENCIES", "FOCUS_MANDATORY", "FocusGroups", "scaled_cost"]

CURRENCIES: frozenset[str] = frozenset(["AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT", "BGN", "BHD", "BIF", "BMD", "BND", "BOB", "BOV", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD", "CDF", "CHE", "CHF", "CHW", "CLF", "CLP", "CNY", "COP", "COU", "CRC", "CUC", "CUP", "CVE", "CZK", "DJF", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IQD", "IRR", "ISK", "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT", "LAK", "LBP", "LKR", "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR", "MWK", "MXN", "MXV", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SLL", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "USN", "UYI", "UYU", "UYW", "UZS", "VED", "VES", "VND", "VUV", "WST", "XAF", "XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XCD", "XCG", "XDR", "XOF", "XPD", "XPF", "XPT", "XSU", "XTS", "XUA", "XXX", "YER", "ZAR", "ZMW", "ZWG", "ZWL"])
"""ISO 4217 currency codes accepted in ``BillingCurrency``."""

FOCUS_MANDATORY: tuple[str, ...] = ("BilledCost", "EffectiveCost", "BillingCurrency", "BillingPeriodStart",
                                    "BillingPeriodEnd", "ChargePeriodStart", "ChargePeriodEnd", "ChargeCategory",
                                    "ServiceName")
"""The mandatory FOCUS columns the bill uses (besides the provider column)."""

BILL_KEYS: tuple[str, ...] = ("currency", "category")
"""The text keys every bill uses (besides the month): always read."""

TEXT_COLUMN: dict[str, str] = {
    "currency": "BillingCurrency", "category": "ChargeCategory", "charge_class": "ChargeClass",
    "sub_account": "SubAccountId", "sub_account_name": "SubAccountName", "service": "ServiceName",
    "resource": "ResourceId", "region": "RegionId", "provider": "_provider", "tags": "Tags"}
"""Key -> the FOCUS column it is read from (``_provider``: ProviderName or ServiceProviderName)."""

def _column_of(key: str, provider: str) -> str:
    """The FOCUS column a key is read from (``provider``: ProviderName or ServiceProviderName)."""
    col = TEXT_COLUMN[key]
    return provider if col == "_provider" else col


_TIMES = ("BillingPeriodStart", "BillingPeriodEnd", "ChargePeriodStart", "ChargePeriodEnd")
_MAX_PROBLEMS = 1000
_LATE_ROWS_SHOWN = 10
_MAX_COST = Decimal(10) ** 17
_KEYS = ("month", "late", *TEXT_KEYS, "tags")
Errors = Literal["raise", "collect"]


def pyarrow() -> Any:
    """The pyarrow package with compute, csv and parquet loaded (the ``billing`` extra)."""
    try:
        import pyarrow as pa
        import pyarrow.compute
        import pyarrow.csv
        import pyarrow.parquet
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise JichitaiCloudError("reading FOCUS exports needs pyarrow: pip install 'jichitai-cloud[billing]'") from exc
    return pa


def scaled_cost(d: Decimal) -> int | None:
    """``d × 10**15`` as an exact integer, or None if ``d`` has more than 15 decimal places. [currency × 10**-15]"""
    sign, digits, exp = d.as_tuple()
    assert isinstance(exp, int)
    n = int("".join(map(str, digits)) or "0")
    shift = exp + 15
    if shift < 0:
        q, r = divmod(n, 10 ** (-shift))
        if r:
            return None
        n, shift = q, 0
    return int((-1 if sign else 1) * n * 10**shift)


class FocusGroups:
    """Accumulates FOCUS record batches as exact sums per distinct key, with the problems found.

    Parameters
    ----------
    errors
        ``"raise"``: :meth:`add` raises :class:`FocusGroups.Stop` at the first problem (the caller
        then calls :meth:`raise_if_any`); ``"collect"``: every problem is kept (up to 1000).
    single
        Whether one source is read (problems then omit its name from the place and name it as
        the error's source).
    keys
        The text keys read (of :data:`~jichitai_cloud.billing.TEXT_KEYS` and ``"tags"``); the others
        are held as None.
    """

    class Stop(Exception):
        """Raised by :meth:`add` at the first problem when ``errors="raise"``."""

    def __init__(self, errors: Errors = "raise", *, single: bool = True,
                 keys: Sequence[str] = (*TEXT_KEYS, "tags")) -> None:
        self.mode = errors
        self.single = single
        self.keys = tuple(k for k in (*TEXT_KEYS, "tags") if k in keys or k in BILL_KEYS)
        self.items: list[Problem] = []
        self.source: str | None = None
        self.tags: dict[str, FrozenMap[str] | None] = {}
        self.tables: list[Any] = []
        self.late: list[tuple[str, int, tuple[int, ...]]] = []  # (file, late rows, the first rows)
        self.late_from = 0  # late entries from here on may be merged (those of the source being read)
        self.rows = 0

    def version(self, names: set[str], version: str | None, file: str) -> tuple[str, str]:
        """The FOCUS version of a source with columns ``names`` (``version`` if given, else detected)
        and the name of its provider column; a missing mandatory column is a problem at row 1."""
        given = version
        if version is None:
            version = "1.3" if "ServiceProviderName" in names else "1.2"
        provider = "ServiceProviderName" if version == "1.3" else "ProviderName"
        missing = [c for c in (*FOCUS_MANDATORY, provider) if c not in names]
        if given is None and provider == "ProviderName" and "ProviderName" not in names:
            missing = [c if c != "ProviderName" else "ProviderName (1.0–1.2) or ServiceProviderName (1.3)"
                       for c in missing]
        for c in missing:
            self.problem(file, 1, c, f"mandatory FOCUS {version} column is missing")
        return version, provider

    def columns(self, present: set[str], provider: str, *, effective: bool = True) -> list[str]:
        """The FOCUS columns to read of those ``present``: costs, periods and the keys' columns
        (``EffectiveCost`` only when ``effective``: it is checked, never billed)."""
        want = ["BilledCost", *(["EffectiveCost"] if effective else []), *_TIMES]
        want += [_column_of(k, provider) for k in self.keys]
        if self.keys == (*TEXT_KEYS, "tags"):
            want += ["ServiceName", provider]
        return [c for c in dict.fromkeys(want) if c in present]

    # problems -------------------------------------------------------------------------------------
    def problem(self, file: str, row: int | None, column: str | None, message: str) -> None:
        """Note a problem at ``file``, ``row``, ``column`` (raises :class:`Stop` when ``errors="raise"``)."""
        where = ", ".join(x for x in ((f"row {row}" if row is not None else ""),
                                      (f"column {column!r}" if column else "")) if x)
        if not self.single:
            where = f"{file}: {where}" if where else file
        else:
            self.source = file
        if len(self.items) < _MAX_PROBLEMS:
            self.items.append(Problem(where, message))
        if self.mode == "raise":
            raise FocusGroups.Stop

    def raise_if_any(self) -> None:
        """Raise one :class:`~jichitai_cloud.errors.InputError` with every problem noted, if any."""
        if self.items:
            raise InputError(self.items, source=self.source if self.single else None)

    def mark(self) -> tuple[int, int, int, int]:
        """The state, to :meth:`undo` a source read again."""
        self.late_from = len(self.late)
        return len(self.tables), self.rows, len(self.late), len(self.items)

    def undo(self, mark: tuple[int, int, int, int]) -> None:
        """Forget what was added since :meth:`mark`."""
        t, r, lt, p = mark
        del self.tables[t:], self.late[lt:], self.items[p:]
        self.rows = r

    # one batch ------------------------------------------------------------------------------------
    def add(self, batch: Any, file: str, offset: int, header: int, provider: str) -> None:
        """Check and sum one record batch (a pyarrow ``RecordBatch`` or ``Table``).

        ``offset`` is the number of rows of ``file`` before the batch; ``header`` the row number of
        the first data row (2 in a CSV file, 1 in Parquet and frames).  Text columns may be strings
        or dictionaries of strings; costs strings, decimals or floats; times strings or timestamps.
        """
        pa = pyarrow()
        n = batch.num_rows
        if n == 0:
            return
        if self._add_grouped(pa, batch, provider):
            return
        at = _Where(self, file, offset, header)
        batch = _utf8(pa, batch, at)
        names = set(batch.schema.names)
        codes: dict[str, NDArray[np.int32]] = {}
        values: dict[str, list[str | None]] = {}
        for key in self.keys:
            col = _column_of(key, provider)
            if col not in names:
                codes[key], values[key] = np.full(n, -1, dtype=np.int32), []
                continue
            codes[key], values[key] = _coded(batch.column(col))
        cur_codes, cur_vals = codes["currency"], values["currency"]
        for k, value in enumerate(cur_vals):
            if value not in CURRENCIES and (cur_codes == k).any():
                at.rows(cur_codes == k, "BillingCurrency",
                        f"must be an ISO 4217 currency code such as JPY or USD, got {value!r}")
        if (cur_codes < 0).any():
            at.rows(cur_codes < 0, "BillingCurrency", "must be an ISO 4217 currency code such as JPY or USD, got None")
        for key, col in (("category", "ChargeCategory"), ("service", "ServiceName")):
            if key in codes and col in names and (codes[key] < 0).any():
                at.rows(codes[key] < 0, col, "a value is required, got an empty field")
        billed = _cost(batch.column("BilledCost"), "BilledCost", at)
        if "EffectiveCost" in names:
            _cost(batch.column("EffectiveCost"), "EffectiveCost", at, required=False)
        t, month = self._times(batch, at)  # month: (codes, month of each code) or (n,) months
        backwards = t["ChargePeriodEnd"] < t["ChargePeriodStart"]
        if backwards.any():
            at.rows(backwards, "ChargePeriodEnd", "the charge period ends before it starts")
        late = (t["ChargePeriodStart"] < t["BillingPeriodStart"]) | (t["ChargePeriodEnd"] > t["BillingPeriodEnd"])
        if "tags" in codes:
            for k, value in enumerate(values["tags"]):
                if value is None:
                    continue
                if value not in self.tags:
                    self.tags[value] = _parse_tags(value)
                if self.tags[value] is None:
                    at.rows(codes["tags"] == k, "Tags",
                            f"must be a JSON object such as {{\"org\": \"射水市\"}}, got {value!r}")
        if late.any():  # one note per file, however the file is cut into batches
            rows = tuple(at.first(late)[:_LATE_ROWS_SHOWN])
            count = int(late.sum())
            if len(self.late) > self.late_from and self.late[-1][0] == file:
                _, before, shown = self.late[-1]
                self.late[-1] = (file, before + count, (*shown, *rows)[:_LATE_ROWS_SHOWN])
            else:
                self.late.append((file, count, rows))
        self.tables.append(_group(pa, month, late, codes, values, billed))
        self.rows += n

    def _add_grouped(self, pa: Any, batch: Any, provider: str) -> bool:
        """Sum a batch of plain text columns per distinct row first, then check the distinct rows.

        The CSV reader gives the periods and keys as strings: hashing them once, in Arrow's group-by,
        costs less than coding each column.  When every distinct row passes every check and none is
        a late charge, the sums are the batch's (True); otherwise nothing is kept (False) and
        :meth:`add` checks the batch row by row, to name the rows and count the late charges.
        """
        names = set(batch.schema.names)
        cols = list(dict.fromkeys([*_TIMES, *(c for k in self.keys if (c := _column_of(k, provider)) in names)]))
        plain = (pa.types.is_string, pa.types.is_large_string, pa.types.is_binary, pa.types.is_large_binary)
        if not all(c in names and any(f(batch.schema.field(c).type) for f in plain) for c in cols):
            return False
        for c in ("BilledCost", "EffectiveCost"):
            if c in names:
                kind = batch.schema.field(c).type
                if not (pa.types.is_decimal(kind) and kind.scale <= 15) or (c == "BilledCost" and batch.column(c).null_count):
                    return False
        pc = pa.compute
        table = pa.table({**{c: batch.column(c) for c in cols},
                          "billed": pc.cast(batch.column("BilledCost"), pa.decimal128(38, 15))})
        agg = table.group_by(cols, use_threads=False).aggregate([("billed", "sum"), ("billed", "count")])
        try:
            agg = _utf8(pa, agg, None)
        except pa.ArrowInvalid:
            return False  # bytes that are not UTF-8: named row by row
        g = agg.num_rows
        t: dict[str, NDArray[np.int64]] = {}
        month: tuple[NDArray[np.int32], NDArray[np.int64]] | None = None
        for c in _TIMES:
            fast = _times_coded(agg.column(c), months=c == "BillingPeriodStart")
            if fast is None:
                return False
            code, micros, months = fast
            t[c] = micros.take(code)
            if months is not None:
                month = (code, months)
        if ((t["ChargePeriodEnd"] < t["ChargePeriodStart"]).any() or (t["ChargePeriodStart"] < t["BillingPeriodStart"]).any()
                or (t["ChargePeriodEnd"] > t["BillingPeriodEnd"]).any()):
            return False  # a problem or a late charge: row by row
        assert month is not None
        out: dict[str, Any] = {"month": month[1].take(month[0]), "late": np.zeros(g, dtype=bool)}
        for key in (*TEXT_KEYS, "tags"):
            col = _column_of(key, provider)
            if key not in self.keys or col not in names:
                out[key] = pa.nulls(g, pa.string())
                continue
            code, vals = _coded(agg.column(col))
            used = np.zeros(len(vals) + 1, dtype=bool)
            used[code] = True  # code -1 (a null) marks the last entry
            seen = [vals[k] for k in np.flatnonzero(used[:-1])]
            if key == "currency" and (used[-1] or any(v not in CURRENCIES for v in seen)):
                return False
            if key in ("category", "service") and used[-1]:
                return False
            if key == "tags":
                for v in seen:
                    if v is not None:
                        if v not in self.tags:
                            self.tags[v] = _parse_tags(v)
                        if self.tags[v] is None:
                            return False
            out[key] = pa.array([*vals, None], pa.string()).take(pa.array(np.where(code < 0, len(vals), code)))
        out["billed"] = agg.column("billed_sum")
        out["n"] = agg.column("billed_count").cast(pa.int64())
        self.tables.append(pa.table(out))
        self.rows += batch.num_rows
        return True

    def _times(self, batch: Any, at: _Where) -> tuple[dict[str, NDArray[np.int64]],
                                                      tuple[NDArray[np.int32], NDArray[np.int64]]]:
        """The four period columns as ``(n,)`` microseconds since 1970 (UTC), and the billing month
        as ``(codes (n,), month index of each code)``: derived once per distinct BillingPeriodStart."""
        out: dict[str, NDArray[np.int64]] = {}
        month: tuple[NDArray[np.int32], NDArray[np.int64]] | None = None
        for c in _TIMES:
            arr = batch.column(c)
            fast = _times_coded(arr, months=c == "BillingPeriodStart")
            if fast is not None:
                code, micros, months = fast
                out[c] = micros.take(code)
                if months is not None:
                    month = (code, months)
                continue
            times = _times(arr, c, at)  # row by row where the distinct values did not parse
            out[c] = np.asarray(times.cast(pyarrow().int64()).to_numpy(zero_copy_only=False), dtype=np.int64)
            if c == "BillingPeriodStart":
                per_row = np.asarray(_months(arr, times).to_numpy(zero_copy_only=False), dtype=np.int64)
                distinct, inverse = np.unique(per_row, return_inverse=True)
                month = (inverse.astype(np.int32).reshape(-1), distinct)
        assert month is not None
        return out, month

    # the result -----------------------------------------------------------------------------------
    def merge(self, other: FocusGroups) -> None:
        """Add what ``other`` read (its tables, late notes, tags and problems) after what this holds."""
        self.tables += other.tables
        self.late += other.late
        self.rows += other.rows
        self.tags.update(other.tags)
        for p in other.items:
            if len(self.items) < _MAX_PROBLEMS:
                self.items.append(p)
        self.source = self.source or other.source

    def notes(self, lang: str = "ja") -> tuple[str, ...]:
        """The late charges noted, one line per file (or partition), in Japanese (``lang="en"``: English)."""
        out = []
        for file, count, rows in self.late:
            more = count > len(rows)
            if lang == "en":
                s = "s" if count != 1 else ""
                out.append(f"{file}: {count} late charge{s} (charge period outside the billing period), billed in "
                           f"their BillingPeriodStart month: row{s} {', '.join(map(str, rows))}{' …' if more else ''}")
            else:
                out.append(f"{file}: 利用期間が請求期間の外にある明細 (遅延計上) {count:,} 行は、BillingPeriodStart "
                           f"の月に計上しました: {'、'.join(map(str, rows))}{' ほか' if more else ''} 行目")
        return tuple(out)

    def table(self) -> Any:
        """Every batch's sums combined: one row per distinct key (a pyarrow Table)."""
        pa = pyarrow()
        if not self.tables:
            return None
        return _regroup(pa.concat_tables(self.tables))

    def result(self, files: tuple[str, ...], version: str) -> FocusData:
        """The :class:`FocusData` of everything added."""
        table = self.table()
        read = self.keys
        if table is None or table.num_rows == 0:
            empty: list[Any] = []
            return FocusData.from_groups(files=files, version=version, month=empty, billed=empty, rows=empty,
                                         late=empty, text=dict.fromkeys(TEXT_KEYS, empty), tags=empty,
                                         notes=self.notes(), notes_en=self.notes("en"), read=read)
        billed = [scaled_cost(d) for d in table.column("billed").to_pylist()]
        empty_tags: FrozenMap[str] = FrozenMap({})
        tags = [empty_tags if t is None else (self.tags.get(t) or empty_tags) for t in table.column("tags").to_pylist()]
        months = np.asarray(table.column("month").to_numpy(), dtype=np.int64)
        if months.size:
            lo_m, hi_m = int(months.min()), int(months.max())
            if lo_m < Month(1900, 1).index or hi_m > Month(2200, 12).index:
                raise InputError([Problem("BillingPeriodStart", "billing months outside 1900–2200")])
        return FocusData.from_groups(files=files, version=version, month=months, billed=billed,
                                     rows=table.column("n").to_numpy(), late=table.column("late").to_numpy(),
                                     text={k: table.column(k).to_pylist() for k in TEXT_KEYS}, tags=tags,
                                     notes=self.notes(), notes_en=self.notes("en"), read=read)


class _Where:
    """Where a batch is: locates rows for problems."""

    def __init__(self, groups: FocusGroups, file: str, offset: int, header: int) -> None:
        self.groups, self.file, self.offset, self.header = groups, file, offset, header

    def first(self, mask: Any) -> list[int]:
        if not isinstance(mask, np.ndarray):
            mask = np.asarray(mask.to_numpy(zero_copy_only=False), dtype=bool)
        idx = np.flatnonzero(mask)
        return [int(i) + self.offset + self.header for i in idx[:_MAX_PROBLEMS]]

    def rows(self, mask: Any, column: str, message: str) -> None:
        for r in self.first(mask):
            self.groups.problem(self.file, r, column, message)

    def row(self, i: int, column: str, message: str) -> None:
        self.groups.problem(self.file, i + self.offset + self.header, column, message)


def _utf8(pa: Any, table: Any, at: _Where | None) -> Any:
    """``table`` (a batch or Table) with its binary columns as strings (the CSV reader gives text as
    bytes, checked here).  A value that is not UTF-8 is a problem at its rows (and is then read with
    U+FFFD for its bad bytes); with ``at`` None it raises ``ArrowInvalid`` instead."""
    pc = pa.compute
    for i, field in enumerate(table.schema):
        if not (pa.types.is_binary(field.type) or pa.types.is_large_binary(field.type)):
            continue
        arr = table.column(i)
        try:
            text = pc.cast(arr, pa.string())
        except pa.ArrowInvalid:
            if at is None:
                raise
            coded = pc.dictionary_encode(arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr)
            raw = coded.dictionary.to_pylist()
            bad = [k for k, x in enumerate(raw) if not _is_utf8(x)]
            mask = pc.fill_null(pc.is_in(coded.indices, pa.array(bad, coded.indices.type)), False)
            at.rows(mask, field.name, "is not UTF-8 text: FOCUS exports are UTF-8 (save the file as UTF-8)")
            text = pa.array([None if x is None else x.decode("utf-8", "replace") for x in raw],
                            pa.string()).take(coded.indices)
        table = table.set_column(i, pa.field(field.name, pa.string()), text)
    return table


def _is_utf8(value: bytes | None) -> bool:
    if value is None:
        return True
    try:
        value.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _text(arr: Any) -> Any:
    """A column as a string array (a dictionary decoded; floats and others cast)."""
    pa = pyarrow()
    if pa.types.is_dictionary(arr.type):
        arr = arr.dictionary_decode() if hasattr(arr, "dictionary_decode") else pa.compute.cast(arr, arr.type.value_type)
    if pa.types.is_null(arr.type):
        return pa.nulls(len(arr), pa.string())
    return pa.compute.cast(arr, pa.string())


def _dictionary(arr: Any) -> tuple[NDArray[np.int32], list[Any]]:
    """``(codes, values)`` of a column: ``values[codes[i]]`` is row ``i``'s value, ``-1`` a null."""
    pa = pyarrow()
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks() if arr.num_chunks != 1 else arr.chunk(0)
    if not pa.types.is_dictionary(arr.type):
        arr = pa.compute.dictionary_encode(_text(arr))
    idx = arr.indices
    if idx.null_count:
        idx = pa.compute.fill_null(idx, -1)
    return np.asarray(idx.to_numpy(zero_copy_only=False), dtype=np.int32), arr.dictionary.to_pylist()


def _coded(arr: Any) -> tuple[NDArray[np.int32], list[str | None]]:
    """A text column as codes over its distinct values: empty and ``NULL`` are nulls, values trimmed.

    Values that become equal once trimmed keep separate codes; :func:`_regroup` merges them.
    """
    code, raw = _dictionary(arr)
    vals: list[str | None] = [None if x is None or x in ("", "NULL") else str(x).strip() for x in raw]
    dead = np.array([v is None for v in vals] + [True], dtype=bool)
    if dead[:-1].any():
        code = np.where(dead[code], np.int32(-1), code)
    return code, vals


def _times_coded(arr: Any, *, months: bool = True
                 ) -> tuple[NDArray[np.int32], NDArray[np.int64], NDArray[np.int64] | None] | None:
    """``(codes, microseconds, month index)`` of a period column's distinct values (the month index
    only if ``months``), or None when a value is missing or does not parse (the caller then goes
    row by row to name the rows)."""
    pa = pyarrow()
    pc = pa.compute
    if pa.types.is_timestamp(arr.type) or (pa.types.is_dictionary(arr.type)
                                          and pa.types.is_timestamp(arr.type.value_type)):
        return None
    code, vals = _coded(arr)
    if (code < 0).any():
        return None
    s = pa.array([v for v in vals], pa.string()) if vals else pa.array([], pa.string())
    try:
        t = pc.cast(s, pa.timestamp("us", "UTC"))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        try:
            t = pc.assume_timezone(pc.cast(s, pa.timestamp("us")), "UTC")
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            return None
    micros = np.asarray(t.cast(pa.int64()).to_numpy(zero_copy_only=False), dtype=np.int64)
    if not months:
        return code, micros, None
    return code, micros, np.asarray(_months(s, t).to_numpy(zero_copy_only=False), dtype=np.int64)


def _times(arr: Any, column: str, at: _Where) -> Any:
    """A period column as ``timestamp[us, UTC]``, row by row where needed (bad rows are problems)."""
    pa = pyarrow()
    pc = pa.compute
    if pa.types.is_dictionary(arr.type):
        arr = _text(arr) if not pa.types.is_timestamp(arr.type.value_type) else arr.dictionary_decode()
    if pa.types.is_timestamp(arr.type):
        t = arr if arr.type.tz is not None else pc.assume_timezone(arr, "UTC")
        if t.null_count:
            at.rows(pc.is_null(t), column, "a date and time is required, got an empty field")
            t = pc.fill_null(t, pa.scalar(0, t.type))
        return pc.cast(t, pa.timestamp("us", "UTC"))
    raw = _text(arr)
    s = pc.utf8_trim_whitespace(pc.if_else(pc.or_(pc.equal(raw, "NULL"), pc.equal(raw, "")),
                                           pa.scalar(None, pa.string()), raw))
    null = pc.is_null(s)
    if pc.any(null).as_py():
        at.rows(null, column, "a date and time is required, got an empty field")
        s = pc.fill_null(s, "1970-01-01T00:00:00Z")
    try:
        return pc.cast(s, pa.timestamp("us", "UTC"))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    try:
        return pc.assume_timezone(pc.cast(s, pa.timestamp("us")), "UTC")
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    out = []
    for i, x in enumerate(s.to_pylist()):  # locate the bad values (the vectorised parse failed)
        try:
            one = pc.cast(pa.array([x]), pa.timestamp("us", "UTC"))
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            try:
                one = pc.assume_timezone(pc.cast(pa.array([x]), pa.timestamp("us")), "UTC")
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                at.row(i, column, f"must be an ISO 8601 date and time such as 2024-09-01T00:00:00Z, got {x!r}")
                one = pa.array([0], pa.timestamp("us", "UTC"))
        out.append(one[0].value)
    return pa.array(out, pa.timestamp("us", "UTC"))


def _months(arr: Any, times: Any) -> Any:
    """Month index of the billing period start as written (its own calendar month, whatever the offset)."""
    pa = pyarrow()
    pc = pa.compute
    if pa.types.is_dictionary(arr.type):
        arr = _text(arr)
    if pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type):
        s = pc.utf8_ltrim_whitespace(pc.cast(arr, pa.string()))
        try:  # "2024-09-01…": the written year and month
            y = pc.cast(pc.utf8_slice_codeunits(s, 0, 4), pa.int64())
            m = pc.cast(pc.utf8_slice_codeunits(s, 5, 7), pa.int64())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            pass
        else:
            lo, hi = pc.min_max(m).values()
            if lo.as_py() is not None and lo.as_py() >= 1 and hi.as_py() <= 12:
                return pc.add(pc.multiply(y, 12), pc.subtract(m, 1))
    return pc.add(pc.multiply(pc.year(times), 12), pc.subtract(pc.month(times), 1))


def _cost(arr: Any, column: str, at: _Where, *, required: bool = True) -> Any:
    """A decimal column as exact ``decimal128(38, 15)`` (a cost with more places is an error)."""
    pa = pyarrow()
    pc = pa.compute
    dec = pa.decimal128(38, 15)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks() if arr.num_chunks != 1 else arr.chunk(0)
    if pa.types.is_decimal(arr.type) and arr.type.scale <= 15:
        if arr.null_count:
            if required:
                at.rows(arr.is_null(), column, "a cost is required, got an empty field")
            arr = pc.fill_null(arr, pa.scalar(Decimal(0), arr.type))
        return pc.cast(arr, dec)
    raw = _text(arr)
    s = pc.if_else(pc.or_(pc.equal(raw, "NULL"), pc.equal(raw, "")), pa.scalar(None, pa.string()), raw)
    null = pc.is_null(s)
    if pc.any(null).as_py():
        if required:
            at.rows(null, column, "a cost is required, got an empty field")
        s = pc.fill_null(s, "0")
    try:
        return pc.cast(s, dec)  # exact: Arrow's decimal parser fails rather than round
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    out: list[Decimal] = []
    for i, x in enumerate(s.to_pylist()):  # a batch with a problem or an unusual form: value by value
        try:
            d = Decimal(x.strip())
            ok = d.is_finite()
        except InvalidOperation:
            ok = False
        if not ok:
            at.row(i, column, f"must be a decimal number, got {x!r}")
            d = Decimal(0)
        elif abs(d) >= _MAX_COST or scaled_cost(d) is None:
            at.row(i, column, f"{x!r} has more than 15 decimal places or 17 digits before the point: it cannot "
                              "be held exactly")
            d = Decimal(0)
        out.append(d)
    return pa.array(out, dec)


def _group(pa: Any, month: tuple[NDArray[np.int32], NDArray[np.int64]], late: NDArray[np.bool_],
           codes: dict[str, NDArray[np.int32]], values: dict[str, list[str | None]], billed: Any) -> Any:
    """The batch summed per distinct key: one integer key per row (mixed radix of the codes), then decoded."""
    m_code, m_of = month
    n = m_code.shape[0]
    parts: list[tuple[str, Any, int]] = [("month", m_code, max(len(m_of), 1)), ("late", late, 2)]
    parts += [(k, c, len(values[k]) + 1) for k, c in codes.items()]  # codes + 1: 0 is null
    size = 1
    for _, _, r in parts:
        size *= r
    if size < 2**62:
        key = np.zeros(n, dtype=np.int64)
        for name, c, r in parts:
            key *= r
            key += c
            if name in codes:
                key += 1
        agg = pa.table({"key": key, "billed": billed}).group_by("key", use_threads=False).aggregate(
            [("billed", "sum"), ("billed", "count")])
        rest = np.asarray(agg.column("key").to_numpy(), dtype=np.int64)
        digits: dict[str, NDArray[np.int64]] = {}
        for name, _, r in reversed(parts):
            rest, digits[name] = np.divmod(rest, r)
    else:  # too many distinct values for one integer key: group on the codes
        agg = pa.table({**{name: np.asarray(c, dtype=np.int64) + (name in codes) for name, c, _ in parts},
                        "billed": billed}).group_by(
            [name for name, _, _ in parts], use_threads=False).aggregate([("billed", "sum"), ("billed", "count")])
        digits = {name: np.asarray(agg.column(name).to_numpy(), dtype=np.int64) for name, _, _ in parts}
    cols: dict[str, Any] = {"month": m_of.take(digits["month"]), "late": digits["late"].astype(bool)}
    for k in (*TEXT_KEYS, "tags"):
        if k in codes:
            vals = pa.array([None, *values[k]], pa.string())
            cols[k] = vals.take(pa.array(digits[k]))
        else:
            cols[k] = pa.nulls(agg.num_rows, pa.string())
    cols["billed"] = agg.column("billed_sum")
    cols["n"] = agg.column("billed_count").cast(pa.int64())
    return pa.table(cols)


def _regroup(table: Any) -> Any:
    agg = table.group_by(list(_KEYS), use_threads=False).aggregate([("billed", "sum"), ("n", "sum")])
    return agg.rename_columns([c.removesuffix("_sum") for c in agg.column_names])


def _parse_tags(value: str) -> FrozenMap[str] | None:
    try:
        data = json.loads(value)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    return FrozenMap({str(k).strip(): v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)
                      for k, v in data.items()})


def focus_from_dask(frame: Any, *, version: str | None = None, rules: BillingRules | None = None,
                    errors: Errors = "raise") -> FocusData:
    """FOCUS rows held in a ``dask.dataframe`` (many months, many files) as :class:`FocusData`.

    Each partition is checked and summed per distinct key as :func:`~jichitai_cloud.io.read_focus`
    does a record batch (in parallel, by dask), then the partitions' sums are combined: the bill
    of the result is the bill of the same rows read from files, to the yen.

    Parameters
    ----------
    frame
        A ``dask.dataframe.DataFrame`` with the FOCUS columns (e.g. ``dd.read_csv("focus/*.csv",
        dtype=str)`` or ``dd.read_parquet(...)``).  Read costs and ids as text (``dtype=str``) to
        keep them as written; float costs are taken at their shortest decimal form (exact for
        costs written with up to 15 significant digits).
    version
        As in :func:`~jichitai_cloud.io.read_focus` (default: detected from the columns).
    rules
        Check and keep only the columns these :class:`BillingRules` use (as ``read_focus(...,
        rules=...)``); default: every column.
    errors
        ``"raise"`` or ``"collect"``; a problem is located as ``partition k: row r, column c`` (``r``
        counts the partition's rows from 1).

    Returns
    -------
    FocusData
        The sums per key, ``files == ()``.

    Raises
    ------
    InputError
        Bad rows or a missing mandatory column, located as above.
    """
    from .._numeric._dask import is_dask, map_partitions

    if errors not in ("raise", "collect"):
        raise InputError([Problem("errors", f"must be 'raise' or 'collect', got {errors!r}")])
    if version is not None and version not in FOCUS_VERSIONS:
        raise InputError([Problem("version", f"must be one of {list(FOCUS_VERSIONS)}, got {version!r}")])
    if not is_dask(frame) or not hasattr(frame, "columns") or not hasattr(frame, "to_delayed"):
        raise InputError([Problem("frame", f"must be a dask.dataframe.DataFrame, got {type(frame).__name__}")])
    if rules is not None and not isinstance(rules, BillingRules):
        raise InputError([Problem("rules", f"must be BillingRules or None, got {rules!r}")])
    keys = (*TEXT_KEYS, "tags") if rules is None else rules.keys
    main = FocusGroups(errors, single=False, keys=keys)
    names = {str(c) for c in frame.columns}
    try:
        ver, provider = main.version(names, version, "the dask frame")
    except FocusGroups.Stop:
        main.raise_if_any()
        raise  # pragma: no cover - raise_if_any raised
    main.raise_if_any()
    columns = main.columns(names, provider, effective=rules is None)

    def one(k: int, part: Any) -> FocusGroups:
        pa = pyarrow()
        groups = FocusGroups(errors, single=False, keys=keys)
        with contextlib.suppress(FocusGroups.Stop):  # errors="raise": stop at the partition's first problem
            groups.add(pa.Table.from_pandas(part[columns], preserve_index=False), f"partition {k}", 0, 1, provider)
        table = groups.table()
        groups.tables = [] if table is None else [table]
        return groups

    for part in map_partitions(one, frame):
        main.merge(part)
        if main.items and errors == "raise":
            break
    main.raise_if_any()
    return main.result((), ver)
