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
import os
import queue
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Literal

from ..billing import CURRENCIES, FOCUS_MANDATORY, FOCUS_VERSIONS, BillingRules, FocusData, FocusGroups
from ..errors import InputError, JichitaiCloudError, Problem

__all__ = ["CURRENCIES", "FOCUS_MANDATORY", "read_focus"]  # the first two: from the billing topic

Errors = Literal["raise", "collect"]
# The CSV is read in blocks of 4 MiB, its text columns as bytes (checked as UTF-8 once per distinct
# row, in FocusGroups.add); the blocks' record batches are then gathered into tables of about
# _BATCH_ROWS rows, each summed per distinct row (Arrow's group-by) before its keys are coded.
# Measured on 5,000,000 rows (benchmarks/bench_billing.py): 1 MiB blocks cost ~5% more, larger
# batches no less; peak memory about 385 MiB (the 4 MiB blocks and the batches read ahead).
_BLOCK_BYTES = 1 << 22
_BATCH_ROWS = 1 << 16
_COST_COLUMNS = ("BilledCost", "EffectiveCost")


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


def read_focus(path_or_paths: str | os.PathLike[str] | Sequence[str | os.PathLike[str]], *,
               version: str | None = None, errors: Errors = "raise", rules: BillingRules | None = None) -> FocusData:
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
    rules
        Read only the columns these :class:`~jichitai_cloud.billing.BillingRules` use (faster on
        large exports): the costs, currency, periods and charge category always, then
        ``SubAccountId``, ``Tags``, ``ServiceName``, ``ResourceId`` only if an assign rule looks at
        them.  The other columns must still be present (the header is checked) but are neither
        read nor checked, and the result can only be billed with rules that use no more
        (:func:`~jichitai_cloud.billing.monthly_bill` checks).  Default: read and check every column.

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
    if version is not None and version not in FOCUS_VERSIONS:
        raise InputError([Problem("version", f"must be one of {list(FOCUS_VERSIONS)}, got {version!r}")])
    if rules is not None and not isinstance(rules, BillingRules):
        raise InputError([Problem("rules", f"must be BillingRules or None, got {rules!r}")])
    pa = _pa()
    files = _files(path_or_paths)
    groups = FocusGroups(errors, single=len(files) == 1, **({} if rules is None else {"keys": rules.keys}))
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
            ver, provider = groups.version(present, version, file)
            if seen_version is not None and ver != seen_version and version is None:
                groups.problem(file, None, None, f"FOCUS {ver} file among FOCUS {seen_version} files: read one "
                                                 "version at a time")
            seen_version = ver
            if not all(c in present for c in (*FOCUS_MANDATORY, provider)):
                continue
            columns = groups.columns(present, provider, effective=rules is None)
            mark = groups.mark()
            try:
                _read(groups, p, kind, columns, header, provider, typed=True)
            except pa.ArrowInvalid:  # a cost the CSV reader could not parse: again, checking row by row
                groups.undo(mark)
                _read(groups, p, kind, columns, header, provider, typed=False)
        except FocusGroups.Stop:
            break
        except (pa.ArrowInvalid, OSError, EOFError, UnicodeDecodeError) as exc:
            try:
                groups.problem(file, None, None, f"cannot read the file: {exc}")
            except FocusGroups.Stop:
                break
    groups.raise_if_any()
    return groups.result(tuple(os.fspath(p) for p in files), seen_version or "1.2")


def _pa() -> Any:
    try:
        import pyarrow
        import pyarrow.compute
        import pyarrow.csv
        import pyarrow.parquet
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise JichitaiCloudError("reading FOCUS exports needs pyarrow: pip install 'jichitai-cloud[billing]'") from exc
    return pyarrow


def _read(groups: FocusGroups, p: Path, kind: str, columns: list[str], header: int, provider: str, *,
          typed: bool) -> None:
    offset = 0
    for batch in _batches(p, kind, columns, typed=typed):
        groups.add(batch, os.fspath(p), offset, header, provider)
        offset += batch.num_rows


def _batches(p: Path, kind: str, columns: list[str], *, typed: bool) -> Iterator[Any]:
    """The file's record batches: a CSV file's text as bytes (empty and ``NULL`` kept as written, to be
    checked per distinct row), Parquet's as dictionaries; costs as exact decimals (``typed``; else as
    text, for the row-by-row check of a file whose costs did not all parse)."""
    pa = _pa()
    if kind == "csv":
        text = pa.binary()  # UTF-8 checked per distinct row (FocusGroups.add)
        cost = pa.decimal128(38, 15) if typed else pa.string()
        types = {c: cost if c in _COST_COLUMNS else text for c in columns}
        convert = pa.csv.ConvertOptions(include_columns=columns, column_types=types, null_values=["", "NULL"],
                                        strings_can_be_null=False)
        reader = pa.csv.open_csv(os.fspath(p), read_options=pa.csv.ReadOptions(block_size=_BLOCK_BYTES,
                                                                                use_threads=True),
                                 convert_options=convert)
        yield from _joined(pa, _ahead(reader))
    else:
        schema = pa.parquet.ParquetFile(os.fspath(p)).schema_arrow
        strings = [c for c in columns if c not in _COST_COLUMNS and (pa.types.is_string(schema.field(c).type)
                                                                      or pa.types.is_large_string(schema.field(c).type))]
        pf = pa.parquet.ParquetFile(os.fspath(p), read_dictionary=strings)
        yield from pf.iter_batches(batch_size=1 << 20, columns=columns)


def _ahead(batches: Iterator[Any], depth: int = 2) -> Iterator[Any]:
    """``batches`` in order, read up to ``depth`` batches ahead on a thread of their own.

    pyarrow parses the next CSV block without holding the GIL, so on a machine with a free core the
    parsing overlaps the checks and sums of the batch before (one reader thread per file, never a
    pool).  An error of the reader is raised here, in order; when the caller stops early (an error
    in a batch), the thread is stopped and joined before this generator closes.
    """
    q: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: tuple[str, Any]) -> bool:
        while not stop.is_set():
            try:
                q.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def read() -> None:
        try:
            for batch in batches:
                if not put(("batch", batch)):
                    return
            put(("end", None))
        except BaseException as exc:  # handed to the reading thread, raised there
            put(("error", exc))

    thread = threading.Thread(target=read, name="jichitai_cloud-focus-reader", daemon=True)
    thread.start()
    try:
        while True:
            kind, item = q.get()
            if kind == "end":
                return
            if kind == "error":
                raise item
            yield item
    finally:
        stop.set()
        thread.join()


def _joined(pa: Any, batches: Iterator[Any]) -> Iterator[Any]:
    """The record batches gathered in order into tables of at least ``_BATCH_ROWS`` rows (the last
    one may hold fewer), without copying: one chunk per batch."""
    held: list[Any] = []
    rows = 0
    for batch in batches:
        held.append(batch)
        rows += batch.num_rows
        if rows >= _BATCH_ROWS:
            yield pa.Table.from_batches(held)
            held, rows = [], 0
    if held:
        yield pa.Table.from_batches(held)
