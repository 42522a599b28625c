"""FOCUS cost-and-usage exports (FinOps Open Cost and Usage Specification 1.0–1.3): :func:`read_focus`.

AWS, Azure, Google Cloud and OCI all export FOCUS; one reader serves them all.  The files (CSV,
plain or ``.gz``, and Parquet) are streamed in record batches through pyarrow (the ``billing``
extra): never the whole file in memory.  Each batch is checked and summed per distinct key (see
:class:`~jichitai_cloud.billing.FocusData`); costs are parsed from their decimal text into exact
integers at 15 decimal places, never through floating point.
"""

from __future__ import annotations

import csv
import glob
import gzip
import io as _stdio
import json
import os
from collections.abc import Iterator, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

import numpy as np

from .._frozenmap import FrozenMap
from ..billing import FOCUS_VERSIONS, TEXT_KEYS, FocusData
from ..calendar import Month
from ..errors import InputError, JichitaiCloudError, Problem

__all__ = ["CURRENCIES", "FOCUS_MANDATORY", "read_focus"]

FOCUS_MANDATORY: tuple[str, ...] = ("BilledCost", "EffectiveCost", "BillingCurrency", "BillingPeriodStart",
                                    "BillingPeriodEnd", "ChargePeriodStart", "ChargePeriodEnd", "ChargeCategory",
                                    "ServiceName")
"""The mandatory FOCUS columns the bill uses (besides the provider column)."""

_OPTIONAL: tuple[str, ...] = ("SubAccountId", "SubAccountName", "Tags", "ResourceId", "RegionId", "ChargeClass")
_TEXT_COLUMN = {"currency": "BillingCurrency", "category": "ChargeCategory", "charge_class": "ChargeClass",
                "sub_account": "SubAccountId", "sub_account_name": "SubAccountName", "service": "ServiceName",
                "resource": "ResourceId", "region": "RegionId", "provider": "_provider"}

CURRENCIES: frozenset[str] = frozenset(["AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT", "BGN", "BHD", "BIF", "BMD", "BND", "BOB", "BOV", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD", "CDF", "CHE", "CHF", "CHW", "CLF", "CLP", "CNY", "COP", "COU", "CRC", "CUC", "CUP", "CVE", "CZK", "DJF", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IQD", "IRR", "ISK", "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT", "LAK", "LBP", "LKR", "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR", "MWK", "MXN", "MXV", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SLL", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "USN", "UYI", "UYU", "UYW", "UZS", "VED", "VES", "VND", "VUV", "WST", "XAF", "XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XCD", "XCG", "XDR", "XOF", "XPD", "XPF", "XPT", "XSU", "XTS", "XUA", "XXX", "YER", "ZAR", "ZMW", "ZWG", "ZWL"])
"""ISO 4217 currency codes accepted in ``BillingCurrency``."""

Errors = Literal["raise", "collect"]
_BATCH_BYTES = 16 << 20
_MAX_PROBLEMS = 1000
_LATE_ROWS_SHOWN = 10


def _pa() -> Any:
    try:
        import pyarrow
        import pyarrow.compute
        import pyarrow.csv
        import pyarrow.parquet
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise JichitaiCloudError("reading FOCUS exports needs pyarrow: pip install 'jichitai-cloud[billing]'") from exc
    return pyarrow


class _Stop(Exception):
    """Raised inside a file to stop at the first problem (errors='raise')."""


class _Problems:
    def __init__(self, mode: Errors, single: bool) -> None:
        self.mode = mode
        self.single = single
        self.items: list[Problem] = []
        self.source: str | None = None

    def add(self, file: str, row: int | None, column: str | None, message: str) -> None:
        where = ", ".join(x for x in ((f"row {row}" if row is not None else ""),
                                      (f"column {column!r}" if column else "")) if x)
        if not self.single:
            where = f"{file}: {where}" if where else file
        else:
            self.source = file
        if len(self.items) < _MAX_PROBLEMS:
            self.items.append(Problem(where, message))
        if self.mode == "raise":
            raise _Stop

    def raise_if_any(self) -> None:
        if self.items:
            raise InputError(self.items, source=self.source if self.single else None)


def _files(path_or_paths: str | os.PathLike[str] | Sequence[str | os.PathLike[str]]) -> list[Path]:
    items = [path_or_paths] if isinstance(path_or_paths, str | os.PathLike) else list(path_or_paths)
    if not items:
        raise InputError([Problem("", "no FOCUS file given")])
    out: list[Path] = []
    for item in items:
        p = Path(item)
        text = os.fspath(item)
        if p.is_dir():
            found = sorted(q for q in p.iterdir() if q.is_file() and _kind(q) is not None)
            if not found:
                raise InputError([Problem(text, "the folder holds no FOCUS file (.csv, .csv.gz, .parquet)")])
            out += found
        elif any(ch in text for ch in "*?["):
            found = sorted(Path(q) for q in glob.glob(text) if _kind(Path(q)) is not None)
            if not found:
                raise InputError([Problem(text, "no FOCUS file (.csv, .csv.gz, .parquet) matches the pattern")])
            out += found
        elif not p.is_file():
            raise InputError([Problem(text, "no such file")])
        elif _kind(p) is None:
            raise InputError([Problem(text, "not a FOCUS file: expected .csv, .csv.gz or .parquet")])
        else:
            out.append(p)
    return out


def _kind(p: Path) -> str | None:
    name = p.name.lower()
    if name.endswith((".csv", ".csv.gz")):
        return "csv"
    if name.endswith((".parquet", ".pq")):
        return "parquet"
    return None


def _csv_header(p: Path) -> list[str]:
    opener = gzip.open if p.name.lower().endswith(".gz") else open
    with opener(p, "rb") as fh:
        line = fh.readline(1 << 20)
    text = line.decode("utf-8-sig", errors="replace")
    return next(csv.reader(_stdio.StringIO(text)), [])


def _version(names: set[str], version: str | None, file: str, problems: _Problems) -> tuple[str, str]:
    """The version and the name of its provider column."""
    if version is not None and version not in FOCUS_VERSIONS:
        raise InputError([Problem("version", f"must be one of {list(FOCUS_VERSIONS)}, got {version!r}")])
    given = version
    if version is None:
        version = "1.3" if "ServiceProviderName" in names else "1.2"
    provider = "ServiceProviderName" if version == "1.3" else "ProviderName"
    missing = [c for c in (*FOCUS_MANDATORY, provider) if c not in names]
    if given is None and provider == "ProviderName" and "ProviderName" not in names:
        missing = [c if c != "ProviderName" else "ProviderName (1.0–1.2) or ServiceProviderName (1.3)"
                   for c in missing]
    for c in missing:
        problems.add(file, 1, c, f"mandatory FOCUS {version} column is missing")
    return version, provider


def _batches(p: Path, kind: str, columns: list[str]) -> Iterator[Any]:
    pa = _pa()
    if kind == "csv":
        convert = pa.csv.ConvertOptions(include_columns=columns, column_types=dict.fromkeys(columns, pa.string()),
                                        null_values=["", "NULL"], strings_can_be_null=True)
        reader = pa.csv.open_csv(os.fspath(p), read_options=pa.csv.ReadOptions(block_size=_BATCH_BYTES),
                                 convert_options=convert)
        yield from reader
    else:
        pf = pa.parquet.ParquetFile(os.fspath(p))
        yield from pf.iter_batches(batch_size=1 << 18, columns=columns)


def _as_text(arr: Any, nulls_done: bool = False) -> Any:
    """Text of a column, with empty fields and ``NULL`` as nulls (``nulls_done``: the CSV reader did that)."""
    pa = _pa()
    pc = pa.compute
    if pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type):
        s = pc.cast(arr, pa.string())
        if nulls_done:
            return s
        null = pc.or_(pc.equal(s, "NULL"), pc.equal(s, ""))
        return pc.if_else(null, pa.scalar(None, pa.string()), s)
    if pa.types.is_floating(arr.type):
        return pc.cast(arr, pa.string())
    return pc.cast(arr, pa.string())


def _first_rows(mask: Any, offset: int, header: int) -> list[int]:
    idx = np.flatnonzero(np.asarray(mask.to_numpy(zero_copy_only=False), dtype=bool))
    return [int(i) + offset + header for i in idx[:_MAX_PROBLEMS]]


_MAX_COST = Decimal(10) ** 17


def _scaled(d: Decimal) -> int | None:
    """``d × 10**15`` as an exact integer, or None if ``d`` has more than 15 decimal places."""
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


def _cost(arr: Any, column: str, file: str, offset: int, header: int, problems: _Problems, *,
          required: bool = True, nulls_done: bool = False) -> Any:
    """A decimal column as exact ``decimal128(38, 15)`` (a cost with more places is an error)."""
    pa = _pa()
    pc = pa.compute
    dec = pa.decimal128(38, 15)
    if pa.types.is_decimal(arr.type) and arr.type.scale <= 15 and arr.null_count == 0:
        return pc.cast(arr, dec)
    s = _as_text(arr, nulls_done)
    null = pc.is_null(s)
    if pc.any(null).as_py():
        if required:
            for r in _first_rows(null, offset, header):
                problems.add(file, r, column, "a cost is required, got an empty field")
        s = pc.fill_null(s, "0")
    try:
        return pc.cast(s, dec)  # exact: Arrow's decimal parser fails rather than round
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    values = s.to_pylist()  # a batch with a problem or an unusual form: checked value by value
    out: list[Decimal] = []
    for i, x in enumerate(values):
        try:
            d = Decimal(x.strip())
            ok = d.is_finite()
        except InvalidOperation:
            ok = False
        if not ok:
            problems.add(file, i + offset + header, column, f"must be a decimal number, got {x!r}")
            d = Decimal(0)
        elif abs(d) >= _MAX_COST or _scaled(d) is None:
            problems.add(file, i + offset + header, column, f"{x!r} has more than 15 decimal places or 17 digits "
                                                            "before the point: it cannot be held exactly")
            d = Decimal(0)
        out.append(d)
    return pa.array(out, dec)


def _times(arr: Any, column: str, file: str, offset: int, header: int, problems: _Problems,
           nulls_done: bool = False) -> Any:
    pa = _pa()
    pc = pa.compute
    if pa.types.is_timestamp(arr.type):
        t = arr if arr.type.tz is not None else pc.assume_timezone(arr, "UTC")
        return pc.cast(t, pa.timestamp("us", "UTC"))
    s = pc.utf8_trim_whitespace(_as_text(arr, nulls_done))
    null = pc.is_null(s)
    if pc.any(null).as_py():
        for r in _first_rows(null, offset, header):
            problems.add(file, r, column, "a date and time is required, got an empty field")
        s = pc.fill_null(s, "1970-01-01T00:00:00Z")
    try:
        return pc.cast(s, pa.timestamp("us", "UTC"))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    try:
        return pc.assume_timezone(pc.cast(s, pa.timestamp("us")), "UTC")
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    values = s.to_pylist()
    out = []
    for i, x in enumerate(values):  # locate the bad values (the vectorised parse failed)
        try:
            one = pc.cast(pa.array([x]), pa.timestamp("us", "UTC"))
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            try:
                one = pc.assume_timezone(pc.cast(pa.array([x]), pa.timestamp("us")), "UTC")
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                problems.add(file, i + offset + header, column,
                             f"must be an ISO 8601 date and time such as 2024-09-01T00:00:00Z, got {x!r}")
                one = pa.array([0], pa.timestamp("us", "UTC"))
        out.append(one[0].value)
    return pa.array(out, pa.timestamp("us", "UTC"))


def _months(arr: Any, times: Any) -> Any:
    """Month index of the billing period start as written (its own calendar month, whatever the offset)."""
    pa = _pa()
    pc = pa.compute
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


class _Reader:
    def __init__(self, problems: _Problems, tag_cache: dict[str, FrozenMap[str] | None]) -> None:
        self.problems = problems
        self.tags = tag_cache
        self.tables: list[Any] = []
        self.late: list[str] = []
        self.rows = 0

    def check_tags(self, tags: Any, file: str, offset: int, header: int) -> None:
        pa = _pa()
        pc = pa.compute
        for value in pc.unique(pc.drop_null(tags)).to_pylist():
            if value in self.tags:
                if self.tags[value] is None:
                    self._bad_tag(tags, value, file, offset, header)
                continue
            parsed = _parse_tags(value)
            self.tags[value] = parsed
            if parsed is None:
                self._bad_tag(tags, value, file, offset, header)

    def _bad_tag(self, tags: Any, value: str, file: str, offset: int, header: int) -> None:
        pc = _pa().compute
        for r in _first_rows(pc.fill_null(pc.equal(tags, value), False), offset, header):
            self.problems.add(file, r, "Tags", f"must be a JSON object such as {{\"org\": \"射水市\"}}, got {value!r}")

    def batch(self, batch: Any, file: str, offset: int, header: int, provider: str, done: bool) -> None:
        pa = _pa()
        pc = pa.compute
        n = batch.num_rows
        names = set(batch.schema.names)

        def text(col: str) -> Any:
            if col not in names:
                return pa.nulls(n, pa.string())
            return pc.utf8_trim_whitespace(_as_text(batch.column(col), done))

        cols = {k: text(provider if c == "_provider" else c) for k, c in _TEXT_COLUMN.items()}
        cur = cols["currency"]
        for value in pc.unique(cur).to_pylist():
            if value not in CURRENCIES:
                mask = pc.is_null(cur) if value is None else pc.fill_null(pc.equal(cur, value), False)
                for r in _first_rows(mask, offset, header):
                    self.problems.add(file, r, "BillingCurrency",
                                      f"must be an ISO 4217 currency code such as JPY or USD, got {value!r}")
        for col in ("ChargeCategory", "ServiceName"):
            key = "category" if col == "ChargeCategory" else "service"
            null = pc.is_null(cols[key])
            if pc.any(null).as_py():
                for r in _first_rows(null, offset, header):
                    self.problems.add(file, r, col, "a value is required, got an empty field")
        billed = _cost(batch.column("BilledCost"), "BilledCost", file, offset, header, self.problems,
                       nulls_done=done)
        _cost(batch.column("EffectiveCost"), "EffectiveCost", file, offset, header, self.problems, required=False,
              nulls_done=done)
        t = {c: _times(batch.column(c), c, file, offset, header, self.problems, done)
             for c in ("BillingPeriodStart", "BillingPeriodEnd", "ChargePeriodStart", "ChargePeriodEnd")}
        backwards = pc.less(t["ChargePeriodEnd"], t["ChargePeriodStart"])
        if pc.any(backwards).as_py():
            for r in _first_rows(backwards, offset, header):
                self.problems.add(file, r, "ChargePeriodEnd", "the charge period ends before it starts")
        late = pc.or_(pc.less(t["ChargePeriodStart"], t["BillingPeriodStart"]),
                      pc.greater(t["ChargePeriodEnd"], t["BillingPeriodEnd"]))
        month = _months(batch.column("BillingPeriodStart"), t["BillingPeriodStart"])
        tags = text("Tags")
        self.check_tags(tags, file, offset, header)
        if pc.any(late).as_py():
            rows = _first_rows(late, offset, header)
            count = int(pc.sum(pc.cast(late, pa.int64())).as_py())
            shown = ", ".join(map(str, rows[:_LATE_ROWS_SHOWN])) + (" …" if count > _LATE_ROWS_SHOWN else "")
            self.late.append(f"{file}: {count} late charge{'s' if count != 1 else ''} (charge period outside the "
                             f"billing period), billed in their BillingPeriodStart month: row{'s' if count != 1 else ''}"
                             f" {shown}")
        table = pa.table({"month": month, "late": late, **cols, "tags": tags, "billed": billed,
                          "n": pa.array(np.ones(n, dtype=np.int64))})
        self.tables.append(_group(table))
        self.rows += n


_KEYS = ("month", "late", *TEXT_KEYS, "tags")


def _group(table: Any) -> Any:
    agg = table.group_by(list(_KEYS), use_threads=False).aggregate(
        [("billed", "sum"), ("n", "sum")])
    return agg.rename_columns([*_KEYS[:0], *(c.removesuffix("_sum") for c in agg.column_names)])


def _parse_tags(value: str) -> FrozenMap[str] | None:
    try:
        data = json.loads(value)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    return FrozenMap({str(k).strip(): v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)
                      for k, v in data.items()})


def read_focus(path_or_paths: str | os.PathLike[str] | Sequence[str | os.PathLike[str]], *,
               version: str | None = None, errors: Errors = "raise") -> FocusData:
    """Read FOCUS cost-and-usage exports (CSV, ``.csv.gz``, Parquet) for the cloud bill.

    Parameters
    ----------
    path_or_paths
        A file, a folder (every ``.csv``, ``.csv.gz`` and ``.parquet`` in it, by name), a glob such as
        ``"exports/2025-*.csv.gz"``, or a list of these.  All files must be of one FOCUS version.
    version
        ``"1.0"``, ``"1.1"``, ``"1.2"`` or ``"1.3"``; default: 1.3 if the file has
        ``ServiceProviderName``, else 1.0–1.2 (``ProviderName``).
    errors
        ``"raise"``: stop at the first problem; ``"collect"``: read everything and report every
        problem at once (up to 1000).

    Returns
    -------
    FocusData
        ``BilledCost`` summed exactly per billing month, currency, charge category and class, sub
        account, service, resource, region, provider and tags; late charges (charge period outside
        the billing period) are kept in their ``BillingPeriodStart`` month and listed in its notes.

    Raises
    ------
    InputError
        Naming file, row and column: a missing mandatory column (row 1), a cost that is not a
        decimal number, ``Tags`` that are not a JSON object, a currency that is not ISO 4217, a charge
        period that ends before it starts, an unreadable date.  Rows are numbered as lines of a CSV
        file (the header is row 1) and as records (from 1) of a Parquet file.
    """
    if errors not in ("raise", "collect"):
        raise InputError([Problem("errors", f"must be 'raise' or 'collect', got {errors!r}")])
    pa = _pa()
    files = _files(path_or_paths)
    problems = _Problems(errors, single=len(files) == 1)
    reader = _Reader(problems, {})
    seen_version: str | None = None
    for p in files:
        file = os.fspath(p)
        kind = _kind(p)
        assert kind is not None
        try:
            if kind == "csv":
                names = _csv_header(p)
                header = 2
            else:
                names = list(pa.parquet.ParquetFile(file).schema_arrow.names)
                header = 1
            present = set(names)
            ver, provider = _version(present, version, file, problems)
            if seen_version is not None and ver != seen_version and version is None:
                problems.add(file, None, None, f"FOCUS {ver} file among FOCUS {seen_version} files: read one version "
                                               "at a time")
            seen_version = ver
            if not all(c in present for c in (*FOCUS_MANDATORY, provider)):
                continue
            columns = [c for c in (*FOCUS_MANDATORY, provider, *_OPTIONAL) if c in present]
            offset = 0
            for batch in _batches(p, kind, columns):
                reader.batch(batch, file, offset, header, provider, kind == "csv")
                offset += batch.num_rows
        except _Stop:
            break
        except (pa.ArrowInvalid, OSError, EOFError, UnicodeDecodeError) as exc:
            try:
                problems.add(file, None, None, f"cannot read the file: {exc}")
            except _Stop:
                break
    problems.raise_if_any()
    return _combine(reader, tuple(os.fspath(p) for p in files), seen_version or "1.2")


def _combine(reader: _Reader, files: tuple[str, ...], version: str) -> FocusData:
    pa = _pa()
    table = _group(pa.concat_tables(reader.tables)) if reader.tables else None
    if table is None or table.num_rows == 0:
        empty: list[Any] = []
        return FocusData.from_groups(files=files, version=version, month=empty, billed=empty, rows=empty,
                                     late=empty, text=dict.fromkeys(TEXT_KEYS, empty), tags=empty,
                                     notes=tuple(reader.late))
    billed = [_scaled(d) for d in table.column("billed").to_pylist()]
    empty_tags: FrozenMap[str] = FrozenMap({})
    tags = [empty_tags if t is None else (reader.tags.get(t) or empty_tags) for t in table.column("tags").to_pylist()]
    months = np.asarray(table.column("month").to_numpy(), dtype=np.int64)
    notes = list(reader.late)
    if months.size:
        lo_m, hi_m = int(months.min()), int(months.max())
        if lo_m < Month(1900, 1).index or hi_m > Month(2200, 12).index:
            raise InputError([Problem("BillingPeriodStart", "billing months outside 1900–2200")])
    return FocusData.from_groups(files=files, version=version, month=months, billed=billed,
                                 rows=table.column("n").to_numpy(), late=table.column("late").to_numpy(),
                                 text={k: table.column(k).to_pylist() for k in TEXT_KEYS}, tags=tags,
                                 notes=tuple(notes))
