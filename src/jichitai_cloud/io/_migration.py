"""Data layouts (レイアウト定義) and migration extracts (移行データ): the files of the data migration check.

A **layout** is the spreadsheet a council already has (xlsx or CSV), one row per field with the
headings (Japanese or English)::

    項目ID, 項目名, 型, 桁数, 単位, 小数桁, 必須, キー, 書式, コード表
    field_id, name, type, length, unit, decimals, required, key, format, code_table

型 is 文字 / 数値 / 日付 / コード; 単位 文字 or バイト (blank: 文字); 必須 and キー are marked with
○ (or 1, true); 書式 is a date format (``YYYYMMDD``, ``YYYY-MM-DD``, ``GYY.MM.DD``, ``GYYMMDD``).  A
code table (コード表) is the sheet of that name in the workbook, or, beside a CSV layout, the file
``<name>.csv`` (or the file named, when the name ends in ``.csv``) in the layout's folder or below
it (never outside it), with the headings コード,名称 (code, name).

An **extract** is read by :func:`read_extract` as a stream of batches: CSV (quoted or not, CRLF or
LF, no header row unless ``header=True``) or fixed-width records (one per line; each field's width
is its length in bytes of the encoding).  Nothing in a cell is executed or interpreted (a leading
``=`` stays text).  An extract that is not the layout's shape is an error naming the record.
"""

from __future__ import annotations

import codecs
import csv
import io as _io
import os
import stat
import unicodedata
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..errors import InputError, Problem, ValidationError
from ..migration import Extract, ExtractBatch
from ..model import DataLayout, FieldType, LayoutField, LengthUnit
from ._read import resolve_listed
from ._table import Table, one_sheet, read_sheet_tables, read_table
from ._workbook import SheetIndex

__all__ = ["LAYOUT_COLUMNS", "MAX_RECORD_BYTES", "load_layout", "read_extract", "read_extracts"]

LAYOUT_COLUMNS: Mapping[str, tuple[str, str]] = {
    "field_id": ("項目ID", "field_id"),
    "name": ("項目名", "name"),
    "type": ("型", "type"),
    "length": ("桁数", "length"),
    "unit": ("単位", "unit"),
    "decimals": ("小数桁", "decimals"),
    "required": ("必須", "required"),
    "key": ("キー", "key"),
    "format": ("書式", "format"),
    "code_table": ("コード表", "code_table"),
}
"""The layout's columns: attribute -> (Japanese heading, English heading)."""

MAX_RECORD_BYTES = 1 << 20
"""Longest record of an extract, in bytes, unless ``max_record_bytes=`` says otherwise (1 MiB): a
line longer than this (a file with no line breaks, a 2 GB line) is refused after reading that
much, never read whole. [bytes]"""

_CHUNK = 1 << 22
_TRUE = {"○", "◯", "〇", "●", "1", "true", "yes", "y", "必須", "要", "キー", "key"}
_FALSE = {"", "×", "✕", "-", "－", "0", "false", "no", "n", "任意"}


# -- the layout ---------------------------------------------------------------------------------------


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().lower()


def _columns(table: Table) -> tuple[dict[str, str], list[Problem]]:
    """Heading as written -> attribute, and problems (unknown headings, a missing 項目ID)."""
    by_name: dict[str, str] = {}
    for attr, (ja, en) in LAYOUT_COLUMNS.items():
        by_name[_norm(ja)] = attr
        by_name[_norm(en)] = attr
        by_name[_norm(f"{ja} ({en})")] = attr
    out: dict[str, str] = {}
    problems = []
    for h in table.header:
        found = by_name.get(_norm(h))
        if found is None:
            problems.append(Problem(f"column {table.column(h)}", "unknown heading; the layout's headings are "
                                    + ", ".join(f"{ja} ({en})" for ja, en in LAYOUT_COLUMNS.values())))
        elif found in out.values():
            problems.append(Problem(f"column {table.column(h)}", f"{found} is given twice"))
        else:
            out[h] = found
    if "field_id" not in out.values():
        problems.append(Problem("header", "no 項目ID (field_id) column"))
    return out, problems


def _text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _whole(cell: Any, what: str, low: int) -> int:
    if isinstance(cell, bool):
        raise ValueError(f"{what} must be a whole number >= {low}, got {cell!r}")
    if isinstance(cell, int):
        value = cell
    elif isinstance(cell, float) and cell.is_integer():
        value = int(cell)
    else:
        text = unicodedata.normalize("NFKC", _text(cell))
        if not text.lstrip("-").isascii() or not text.lstrip("-").isdigit():
            raise ValueError(f"{what} must be a whole number >= {low}, got {_text(cell)!r:.40}")
        value = int(text)
    if value < low:
        raise ValueError(f"{what} must be a whole number >= {low}, got {value}")
    return value


def _flag(cell: Any, what: str) -> bool:
    if isinstance(cell, bool):
        return cell
    text = _norm(_text(cell))
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"{what} must be ○ (or 1, true) or blank, got {_text(cell)!r:.40}")


def _field(values: dict[str, Any]) -> LayoutField:
    kw: dict[str, Any] = {"field_id": _text(values.get("field_id")), "name": _text(values.get("name"))}
    kw["type"] = _text(values.get("type")) or "文字"
    kw["length"] = _whole(values.get("length"), "桁数 (length)", 1)
    kw["unit"] = _text(values.get("unit"))
    dec = values.get("decimals")
    kw["decimals"] = 0 if _text(dec) == "" else _whole(dec, "小数桁 (decimals)", 0)
    kw["required"] = _flag(values.get("required"), "必須 (required)")
    kw["key"] = _flag(values.get("key"), "キー (key)")
    kw["format"] = _text(values.get("format")) or None
    kw["code_table"] = _text(values.get("code_table")) or None
    return LayoutField(**kw)


def _fields(table: Table) -> tuple[list[LayoutField], list[Problem]]:
    heads, problems = _columns(table)
    if problems:
        return [], problems
    fields = []
    for row, cells in table.rows:
        values = {attr: cells.get(h) for h, attr in heads.items()}
        if all(_text(x) == "" for x in values.values()):
            continue
        try:
            fields.append(_field(values))
        except (ValueError, ValidationError) as exc:
            problems.append(Problem(f"row {row}", str(exc)))
    if not fields and not problems:
        problems.append(Problem("", "the layout lists no fields"))
    return fields, problems


def _codes(table: Table) -> tuple[str, ...]:
    heads = {_norm(h): h for h in table.header}
    code = heads.get(_norm("コード")) or heads.get("code")
    if code is None:
        raise InputError([Problem("header", "a code table needs a コード (code) column, and 名称 (name)")],
                         source=table.source)
    codes = tuple(_text(cells.get(code)) for _, cells in table.rows)
    seen: set[str] = set()
    for (row, _), c in zip(table.rows, codes, strict=True):
        if c == "":
            raise InputError([Problem(f"row {row}", "empty code")], source=table.source)
        if c in seen:
            raise InputError([Problem(f"row {row}", f"code {c!r:.40} is given twice")], source=table.source)
        seen.add(c)
    return codes


def load_layout(path: str | os.PathLike[str], *, name: str | None = None, sheet: str | int | None = None,
                encoding: str | None = None, max_bytes: int | None = None) -> DataLayout:
    """Read a data layout (レイアウト定義) from the council's spreadsheet (xlsx) or CSV file.

    Parameters
    ----------
    path
        ``.xlsx`` (the layout on the first visible sheet, or ``sheet``; code tables on sheets named
        after them, hidden or not: the layout names them) or ``.csv`` (code tables as ``<name>.csv``
        in the same folder or below it).
    name
        The layout's name (default: the file name without extension).
    sheet
        For a workbook: the layout's sheet (its name, or its 0-based position among all sheets;
        default the first visible sheet).  A hidden sheet is read only when named here.
    encoding
        For CSV: ``"utf-8"`` or ``"cp932"`` (default: detected).  The layout's byte lengths are
        counted in CP932 (``DataLayout.encoding``); use :func:`attrs.evolve` to change it.
    max_bytes
        Largest file read (default 100 MB). [bytes]

    Returns
    -------
    DataLayout

    Raises
    ------
    InputError
        Every problem with its row (a negative or non-numeric 桁数, an unknown 型, a bad 必須 mark,
        an unknown heading, a code table that is missing, outside the folder or without a コード column).
    """
    source = os.fspath(path)
    suffix = Path(path).suffix.lower()
    layout_name = name or Path(path).stem
    tables: dict[str, Table] = {}
    if suffix in (".xlsx", ".xlsm"):
        chosen: list[str] = []
        first_of = one_sheet(sheet, source)

        def every(index: SheetIndex) -> list[str]:
            first = first_of(index)[0]
            chosen.append(first)
            return [first, *(n for n in index.names if n != first)]

        read = read_sheet_tables(path, pick=every, max_bytes=max_bytes)
        tables = {t.sheet or "": t for t in read}
        layout_table = tables[chosen[0]]
    else:
        layout_table = read_table(path, format="csv", encoding=encoding, max_bytes=max_bytes)
    fields, problems = _fields(layout_table)
    if problems:
        raise InputError(problems, source=layout_table.source)
    code_tables: dict[str, tuple[str, ...]] = {}
    for f in fields:
        table_name = f.code_table
        if table_name is None or table_name in code_tables:
            continue
        where = f"row of field {f.field_id!r}, コード表"
        if tables:
            if table_name not in tables:
                problems.append(Problem(where, f"no sheet {table_name!r} for the code table; the workbook has "
                                               f"{list(tables)}"))
                continue
            code_tables[table_name] = _codes(tables[table_name])
        else:
            entry = table_name if table_name.lower().endswith(".csv") else f"{table_name}.csv"
            try:
                target = resolve_listed(path, entry, field=where, source=source)
            except InputError as exc:
                problems += list(exc.problems)
                continue
            code_tables[table_name] = _codes(read_table(target, format="csv", encoding=encoding, max_bytes=max_bytes))
    if problems:
        raise InputError(problems, source=layout_table.source)
    try:
        return DataLayout(name=layout_name, fields=tuple(fields), code_tables=code_tables)
    except ValidationError as exc:
        raise InputError([Problem("", str(exc))], source=layout_table.source) from None


# -- the extract -------------------------------------------------------------------------------------


def _widths(layout: DataLayout, source: str) -> list[int]:
    out, problems = [], []
    for f in layout.fields:
        if f.unit is LengthUnit.CHARS and f.type is FieldType.TEXT:
            problems.append(Problem(f"field {f.field_id}", "a fixed-width layout gives a 文字 field's length in "
                                                          "バイト (bytes), so that the field's width is known"))
        out.append(f.length)
    if problems:
        raise InputError(problems, source=source)
    return out


def _check_file(path: str | os.PathLike[str], source: str) -> None:
    try:
        st = os.stat(path)
    except OSError as exc:
        raise InputError([Problem("", f"cannot read file: {exc.strerror or type(exc).__name__}")],
                         source=source) from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError([Problem("", "cannot read: it is a folder, not a file")], source=source)
    if not stat.S_ISREG(st.st_mode):
        raise InputError([Problem("", "cannot read: not a regular file (a device, FIFO or socket)")], source=source)


def _located(source: str, record: int, message: str) -> InputError:
    return InputError([Problem(f"record {record}", message)], source=source)


_Codes = NDArray[Any]  # code points (uint32) or CP932 bytes (uint8)
_Flat = tuple[_Codes, NDArray[np.int64], NDArray[np.int64]]
_SLOW = "csv-module"
_RAW_SIZES = frozenset({"cp932", "utf-8"})  # encodings whose separators are never part of a character
_BYTES_ROUTE = frozenset({"cp932"})  # encodings whose batches are checked in their own bytes


def _unquote(cp: _Codes, q: NDArray[np.intp], first: NDArray[np.int64],
             last: NDArray[np.int64]) -> _Flat | str:
    """Spans without their enclosing quotes, doubled quotes made single (one of each pair removed)."""
    s, e = first.reshape(-1), last.reshape(-1)
    has = np.searchsorted(q, e) > np.searchsorted(q, s)
    hs, he = s[has], e[has]
    if hs.size and not (((he - hs) >= 2).all() and (cp[hs] == 34).all() and (cp[he - 1] == 34).all()):
        return _SLOW
    keep = np.ones(q.size, dtype=bool)
    keep[np.searchsorted(q, hs)] = False
    keep[np.searchsorted(q, he - 1)] = False
    inner = q[keep]
    if inner.size % 2 or not (inner[1::2] == inner[0::2] + 1).all():
        return _SLOW
    s = s + has
    e = e - has
    if inner.size:
        dels = inner[1::2]
        cp = np.delete(cp, dels)
        s = s - np.searchsorted(dels, s)
        e = e - np.searchsorted(dels, e)
    return cp, s.reshape(first.shape), e.reshape(first.shape)


class _Part:
    """A batch's bytes: ``data[start:stop]``, read without copying them (``arr`` is ``data`` as numpy)."""

    __slots__ = ("arr", "data", "start", "stop")

    def __init__(self, data: bytearray, arr: NDArray[np.uint8], start: int, stop: int) -> None:
        self.data, self.arr, self.start, self.stop = data, arr, start, stop

    def find(self, sub: bytes) -> int:
        """Where ``sub`` first occurs in the part (-1: nowhere)."""
        at = self.data.find(sub, self.start, self.stop)
        return at - self.start if at >= 0 else -1

    def raw(self) -> NDArray[np.uint8]:
        """The part as a read-only ``uint8`` view."""
        return self.arr[self.start:self.stop]

    def tobytes(self) -> bytes:
        return bytes(self.data[self.start:self.stop])


class _Reader:
    """One pass over an extract file, batch by batch."""

    def __init__(self, path: str | os.PathLike[str], layout: DataLayout, *, encoding: str, fmt: str, header: bool,
                 batch_records: int, max_record_bytes: int, source: str) -> None:
        self.path, self.layout, self.encoding, self.fmt = path, layout, encoding, fmt
        self.header, self.batch, self.limit, self.source = header, batch_records, max_record_bytes, source
        self.widths = _widths(layout, source) if fmt == "fixed" else []
        same = codecs.lookup(encoding).name == codecs.lookup(layout.encoding).name
        self.raw_sizes = fmt == "csv" and same and codecs.lookup(encoding).name in _RAW_SIZES
        self.bytes_route = fmt == "csv" and same and codecs.lookup(encoding).name in _BYTES_ROUTE
        self.record = 0  # records handed out (after the header)
        self.skip = header

    def _ends(self, arr: NDArray[np.uint8], quoted: bool = True) -> NDArray[np.int64]:
        """Positions of the line feeds that end records (outside quotes for CSV; ``quoted``: any quote in ``arr``)."""
        nl = np.flatnonzero(arr == 10)
        if self.fmt == "csv" and nl.size and quoted:
            quotes = np.flatnonzero(arr == 34)
            if quotes.size:
                nl = nl[np.searchsorted(quotes, nl) % 2 == 0]
        return nl.astype(np.int64)

    def __iter__(self) -> Iterator[ExtractBatch]:
        _check_file(self.path, self.source)
        with open(self.path, "rb") as fh:
            left = b""  # the records not yet handed out, carried to the next chunk
            first = True
            while True:
                # the leftover and the next chunk read into one new buffer: each byte of the file is
                # copied once, and the batches are views of it (never written after it is read)
                data = bytearray(len(left) + _CHUNK)
                data[:len(left)] = left
                with memoryview(data) as view:
                    got = fh.readinto(view[len(left):])
                del data[len(left) + got:]
                if first and data.startswith(codecs.BOM_UTF8) and codecs.lookup(self.encoding).name == "utf-8":
                    del data[:3]
                first = False
                eof = not got
                arr = np.frombuffer(data, dtype=np.uint8)
                arr.flags.writeable = False
                ends = self._ends(arr, b'"' in data)
                if eof and arr.size and (ends.size == 0 or ends[-1] != arr.size - 1):
                    ends = np.append(ends, arr.size)  # the last record without a line break
                gaps = np.diff(np.concatenate(([-1], ends))) - 1
                if gaps.size and int(gaps.max()) > self.limit:
                    at = int(np.argmax(gaps > self.limit))
                    raise _located(self.source, self.record + at + 1 - int(self.skip),
                                   f"longer than {self.limit:,} bytes (no line break, or a double quote left "
                                   "open); pass max_record_bytes= for longer records")
                done = 0
                start = 0
                while ends.size - done >= self.batch or (eof and ends.size > done):
                    take = min(self.batch, ends.size - done)
                    stop = int(ends[done + take - 1])
                    yield from self._batch(_Part(data, arr, start, stop + 1), ends[done:done + take] - start)
                    start = stop + 1
                    done += take
                left = bytes(data[start:])
                if len(left) > self.limit and self._ends(np.frombuffer(left, dtype=np.uint8)).size == 0:
                    raise _located(self.source, self.record + 1,
                                   f"longer than {self.limit:,} bytes (no line break, or a double quote left open); "
                                   "pass max_record_bytes= for longer records")
                if eof:
                    return

    def _nul(self, part: _Part, ends: NDArray[np.int64]) -> None:
        at = part.find(b"\x00")
        if at >= 0:
            k = int(np.searchsorted(ends, at))
            raise _located(self.source, self.record + k + 1 - int(self.skip),
                           f"holds a NUL byte: not a text file in {self.encoding} (UTF-16? a binary file?)")

    def _decode(self, part: bytes, ends: NDArray[np.int64]) -> str:
        try:
            return part.decode(self.encoding)
        except UnicodeDecodeError as exc:
            k = int(np.searchsorted(ends, exc.start))
            raise _located(self.source, self.record + k + 1 - int(self.skip),
                           f"not valid {self.encoding} (byte 0x{part[exc.start]:02x}): the wrong encoding? "
                           "pass encoding= (e.g. 'utf-8' or 'cp932')") from None
        except LookupError:
            raise InputError([Problem("", f"unknown encoding {self.encoding!r}")], source=self.source) from None

    def _batch(self, piece: _Part, ends: NDArray[np.int64]) -> Iterator[ExtractBatch]:
        self._nul(piece, ends)
        cols: tuple[NDArray[np.str_], ...] | None
        if self.fmt == "csv" and self.bytes_route:
            # CP932 read in its own bytes: separators are never part of a character, nothing decoded
            skip = self.skip
            raw = piece.raw()
            # without quotes the record ends found for the chunk are this batch's line feeds
            flat = self._flat_csv(raw, None if piece.find(b'"') >= 0 else ends)
            if isinstance(flat, tuple):
                codes, starts, stops = flat
                found = ExtractBatch.from_cp932(first=self.record + 1, raw=codes, starts=starts, stops=stops)
                if found is not None:
                    self.record += found.size
                    yield found
                    return
            self.skip = skip  # not valid CP932, or quotes to leave to the csv module: read as text
        part = piece.tobytes()
        if self.fmt == "csv":
            text = self._decode(part, ends)
            skip = self.skip
            flat = self._flat_csv(np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32))
            if isinstance(flat, tuple):
                codes, starts, stops = flat
                sizes = self._byte_sizes(part, skip, starts.shape[0]) if self.raw_sizes else None
                batch = ExtractBatch(first=self.record + 1, text=codes, starts=starts, stops=stops, sizes=sizes)
                self.record += batch.size
                yield batch
                return
            cols = None if flat is None else self._csv_module(text)
        else:
            cols = self._fixed(part, ends)
        if cols is None:
            return
        n = int(cols[0].shape[0])
        batch = ExtractBatch(first=self.record + 1, columns=cols)
        self.record += n
        yield batch

    def _byte_sizes(self, part: bytes, skip: bool, records: int) -> NDArray[np.int64] | None:
        """Each value's length in bytes, from the file's own bytes (an unquoted batch; else ``None``).

        Only for a file in the layout's encoding where no byte of a multi-byte character is a comma,
        a line feed or a carriage return (CP932: trail bytes are 0x40-0xFC; UTF-8: 0x80-0xBF), so
        the separators are found in the bytes as in the text, and a value's bytes are its length
        in the layout's unit.
        """
        if b'"' in part:
            return None
        arr = np.frombuffer(part, dtype=np.uint8)
        nl = np.flatnonzero(arr == 10)
        if nl.size == 0 or nl[-1] != arr.size - 1:
            nl = np.append(nl, arr.size)
        starts = np.concatenate(([0], nl[:-1] + 1))
        stops = nl - ((nl > starts) & (arr[np.maximum(nl - 1, 0)] == 13))
        commas = np.flatnonzero(arr == 44)
        if skip:
            commas = commas[commas > nl[0]]
            starts, stops = starts[1:], stops[1:]
        n = len(self.layout.fields)
        if starts.size != records or commas.size != records * (n - 1):
            return None
        inner = commas.reshape(records, n - 1)
        first = np.column_stack((starts, inner + 1))
        last = np.column_stack((inner, stops))
        sizes: NDArray[np.int64] = (last - first).astype(np.int64)
        return sizes

    def _csv_module(self, text: str) -> tuple[NDArray[np.str_], ...] | None:
        """A batch the vectorised cutter leaves to the csv module (quotes it cannot place), as columns."""
        try:
            rows = list(csv.reader(_io.StringIO(text, newline=""), strict=True))
        except csv.Error as exc:
            raise _located(self.source, self.record + 1, f"not valid CSV in this batch: {exc}") from None
        if self.skip and rows:
            rows = rows[1:]
            self.skip = False
        n = len(self.layout.fields)
        if n == 1:
            rows = [r or [""] for r in rows]
        if not rows:
            return None
        sizes = np.fromiter(map(len, rows), dtype=np.int64, count=len(rows))
        bad = np.flatnonzero(sizes != n)
        if bad.size:
            k = int(bad[0])
            raise _located(self.source, self.record + k + 1,
                           f"has {int(sizes[k])} fields; layout {self.layout.name!r} has {n}")
        return tuple(np.array(c, dtype=str) for c in zip(*rows, strict=True))

    def _flat_csv(self, cp: _Codes, line_feeds: NDArray[np.int64] | None = None) -> _Flat | str | None:
        """A CSV batch cut into value spans over its code points (or CP932 bytes), with no loop over records.

        Separators (commas, line feeds) count only outside double quotes; a quoted value loses its
        quotes and each doubled quote inside it becomes one.  Returns ``None`` for an empty batch
        and :data:`_SLOW` for quotes this cannot place (a quote inside an unquoted value, text
        after a closing quote, a quote left open): the csv module then reads the batch (and says
        what is wrong).  ``line_feeds``: the batch's line feeds when already known (a batch without
        quotes; the end of the text may be among them).
        """
        if cp.size == 0:
            return None
        nl = np.flatnonzero(cp == 10) if line_feeds is None else line_feeds
        commas = np.flatnonzero(cp == 44)
        q = np.flatnonzero(cp == 34) if line_feeds is None else np.zeros(0, dtype=np.intp)
        quoted = q.size > 0
        if quoted:
            if q.size % 2:
                return _SLOW
            nl = nl[np.searchsorted(q, nl) % 2 == 0]
            commas = commas[np.searchsorted(q, commas) % 2 == 0]
        if nl.size == 0 or nl[-1] < cp.size - 1:
            nl = np.append(nl, cp.size)
        starts = np.concatenate(([0], nl[:-1] + 1))
        stops = nl - ((nl > starts) & (cp[np.clip(nl - 1, 0, cp.size - 1)] == 13))
        skip = self.skip
        if skip:
            commas = commas[commas > nl[0]]
            starts, stops, nl = starts[1:], stops[1:], nl[1:]
            if starts.size == 0:
                self.skip = False
                return None
        n = len(self.layout.fields)
        records = starts.size
        # n - 1 commas a record: with that many in all, the sorted commas cut in rows of n - 1 are
        # the records' own when each row lies within its line (a few look-ups, no search a record)
        shaped = commas.size == records * (n - 1)
        if shaped and n > 1:
            rows = commas.reshape(records, n - 1)
            shaped = bool((rows[:, 0] >= starts).all()) and bool((rows[:, -1] < nl).all())
        if not shaped:
            per = np.diff(np.concatenate(([0], np.searchsorted(commas, nl))))
            bad = np.flatnonzero(per != n - 1)
            if bad.size:
                if quoted:
                    return _SLOW
                k = int(bad[0])
                found = 0 if per[k] == 0 and stops[k] == starts[k] and n > 1 else int(per[k]) + 1
                raise _located(self.source, self.record + k + 1,
                               f"has {found} fields; layout {self.layout.name!r} has {n}")
        # spans held field by field (a field's values one contiguous row), seen as records x fields
        last_t = np.empty((n, records), dtype=np.int64)
        last_t[:-1] = commas.reshape(records, n - 1).T
        last_t[-1] = stops
        first_t = np.empty((n, records), dtype=np.int64)
        first_t[0] = starts
        np.add(last_t[:-1], 1, out=first_t[1:])
        first, last = first_t.T, last_t.T
        if quoted:
            out = _unquote(cp, q, first, last)
            if isinstance(out, str):
                return out
            cp, first, last = out
        self.skip = False
        return cp, first, last

    def _fixed(self, part: bytes, ends: NDArray[np.int64]) -> tuple[NDArray[np.str_], ...] | None:
        arr = np.frombuffer(part, dtype=np.uint8)
        starts = np.concatenate(([0], ends[:-1] + 1)).astype(np.int64)
        stops = ends.copy()
        cr = (stops > starts) & (arr[np.maximum(stops - 1, 0)] == 13)
        stops = stops - cr
        if self.skip:
            starts, stops = starts[1:], stops[1:]
            self.skip = False
        if starts.size == 0:
            return None
        need = sum(self.widths)
        sizes = stops - starts
        bad = np.flatnonzero(sizes != need)
        if bad.size:
            k = int(bad[0])
            raise _located(self.source, self.record + k + 1,
                           f"is {int(sizes[k])} bytes long; layout {self.layout.name!r} needs {need}")
        mat = arr[starts[:, None] + np.arange(need)[None, :]]
        cols = []
        at = 0
        for f, w in zip(self.layout.fields, self.widths, strict=True):
            sub = np.empty((mat.shape[0], w + 1), dtype=np.uint8)
            sub[:, :w] = mat[:, at:at + w]
            sub[:, w] = 10
            raw = sub.tobytes()
            try:
                values = raw.decode(self.encoding).split("\n")[:-1]
            except UnicodeDecodeError as exc:
                k = exc.start // (w + 1)
                raise _located(self.source, self.record + k + 1,
                               f"field {f.field_id}: not valid {self.encoding}, or a character cut by the field's "
                               "end (wrong widths or encoding?)") from None
            col = np.array(values, dtype=str)
            col = np.strings.rstrip(col, " \u3000")
            if f.type is not FieldType.TEXT:
                col = np.strings.lstrip(col, " ")
            cols.append(col)
            at += w
        return tuple(cols)


def read_extract(path: str | os.PathLike[str], layout: DataLayout, *, encoding: str = "cp932", format: str = "csv",
                 header: bool = False, batch_records: int = 4096,
                 max_record_bytes: int = MAX_RECORD_BYTES) -> Extract:
    """Open an extract (移行データ) to be read in batches against ``layout``.

    Parameters
    ----------
    path
        The extract file (any size: it is read in chunks, a batch at a time).
    layout
        The layout its records follow (:func:`load_layout`).
    encoding
        The file's encoding: ``"cp932"`` (default, Shift_JIS with the Windows extensions),
        ``"utf-8"`` (a BOM is skipped), or any codec name.
    format
        ``"csv"`` (fields separated by commas, quoted or not, CRLF or LF line ends) or ``"fixed"``
        (one record per line, each field exactly its length in bytes of the encoding, padded with
        spaces: trailing half- and full-width spaces are removed, and leading spaces of 数値,
        日付 and コード fields).
    header
        Skip one header record (layout exports have none: default ``False``).
    batch_records
        Records per batch (default 4096: the batch's text then stays in the processor's cache, which
        is faster than larger batches; the checks' working memory grows with it). [records]
    max_record_bytes
        Longest record accepted (default :data:`MAX_RECORD_BYTES`, 1 MiB). [bytes]

    Returns
    -------
    Extract
        Iterable over :class:`~jichitai_cloud.migration.ExtractBatch` (one text array per field);
        each iteration reads the file again.  Check it with
        :func:`jichitai_cloud.migration.check_extract`.

    Raises
    ------
    InputError
        When the batches are read: a missing file or folder, a record with another number of
        fields than the layout has, a fixed-width record of another length, bytes not valid in
        the encoding, a NUL byte, a record longer than ``max_record_bytes``; each names the record
        number (1-based, after the header).
    ValidationError
        Bad arguments (here, at once).
    """
    if not isinstance(layout, DataLayout):
        raise ValidationError(f"layout must be a DataLayout (io.load_layout), got {type(layout).__name__}")
    if format not in ("csv", "fixed"):
        raise ValidationError(f"format must be 'csv' or 'fixed', got {format!r}")
    try:
        codecs.lookup(encoding)
    except (LookupError, TypeError):
        raise ValidationError(f"encoding must be a codec name such as 'cp932' or 'utf-8', got {encoding!r}") from None
    for what, value, low in (("batch_records", batch_records, 1), ("max_record_bytes", max_record_bytes, 1)):
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            raise ValidationError(f"{what} must be an integer >= {low}, got {value!r}")
    if not isinstance(header, bool):
        raise ValidationError(f"header must be true or false, got {header!r}")
    source = os.fspath(path)
    if format == "fixed":
        _widths(layout, source)

    def batches() -> Iterator[ExtractBatch]:
        return iter(_Reader(path, layout, encoding=encoding, fmt=format, header=header, batch_records=batch_records,
                            max_record_bytes=max_record_bytes, source=source))

    return Extract(source=source, layout=layout, batches=batches)


def read_extracts(files_by_member: Mapping[str, Mapping[str, str | os.PathLike[str]]],
                  layouts: Mapping[str, DataLayout], **kwargs: Any) -> dict[str, dict[str, Extract]]:
    """:func:`read_extract` for ``{member: {layout name: path}}``, for :func:`jichitai_cloud.migration.check_migration`.

    Raises
    ------
    ValidationError
        A layout name not in ``layouts``.
    """
    out: dict[str, dict[str, Extract]] = {}
    for member, files in files_by_member.items():
        out[member] = {}
        for name, path in files.items():
            if name not in layouts:
                raise ValidationError(f"member {member!r}: no layout {name!r}; layouts are {list(layouts)}")
            out[member][name] = read_extract(path, layouts[name], **kwargs)
    return out
