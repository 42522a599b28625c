"""The check of one extract against its layout (移行データ検証): failing records by field and rule.

:func:`check_extract` reads an :class:`~jichitai_cloud.migration.Extract` batch by batch (the file is
never held whole) and applies each rule to every field it concerns at once, over the spans of the
batch's flat text (running sums, fixed-position reads, integer keys: no code-point matrices), with
no Python loop over records.  The result holds
counts, the first record numbers of each failure and, only when asked, masked examples: never a
resident's value by default (住民記録 are personal data, 個人情報).
"""

from __future__ import annotations

import codecs
from collections.abc import Iterable, Mapping
from typing import Any, cast

import attrs
import numpy as np
from numpy.typing import NDArray

from .._display import Column, DataTable, Lang, TableView
from ..calendar import DATE_ERAS
from ..errors import ValidationError
from ..model import DataLayout, FieldType, LengthUnit
from ._charset import allowed_table, cp932_tables, pair_bit, width_table
from ._extract import Extract, ExtractBatch, decode_spans
from ._kernels import (
    SHORT,
    ascii_words,
    byte_dates,
    char_lengths,
    codepoints,
    cut_many,
    duplicated,
    masked_words,
    missing_from,
    outside_bytes,
    short_keys,
    span_bytes,
    span_dates,
    span_gather,
    span_numbers,
    span_sums,
    span_words,
    spans_holding,
    text_keys,
    word_numbers,
)

__all__ = ["FIRST_RECORDS", "RULES", "ExtractCheck", "RuleFailure", "check_extract", "mask"]

RULES: dict[str, tuple[str, str]] = {
    "required": ("必須項目の未入力", "required but empty"),
    "length": ("桁数超過", "too long"),
    "number": ("数値でない", "not a number"),
    "decimals": ("小数桁超過", "too many decimals"),
    "date": ("日付でない", "not a valid date"),
    "code": ("コード表にない", "code not in its table"),
    "charset": ("外字 (使用できない文字)", "character outside the allowed set (外字)"),
    "duplicate": ("キー重複", "duplicate key"),
}
"""Every rule, with its Japanese and English label, in the order results list them."""

FIRST_RECORDS = 10
"""How many record numbers a result keeps per field and rule (the first ones in the file)."""

_KEY_SEP = "\x1f"
_ERA_MARKS: dict[str, NDArray[np.uint32]] = {
    "letter": np.array([ord(e.letter) for e in DATE_ERAS], dtype=np.uint32),
    "digit": np.array([ord(str(k + 1)) for k in range(len(DATE_ERAS))], dtype=np.uint32),
}
_ERA_STARTS = np.array([e.first_day.year * 10000 + e.first_day.month * 100 + e.first_day.day for e in DATE_ERAS],
                       dtype=np.int64)


_WORDS = 2
"""Number values up to this many 64-bit words (16 bytes) are read whole from CP932 bytes."""


def _ascii_words(codes: Iterable[str]) -> NDArray[np.uint64]:
    """The ASCII codes of up to 8 characters as 64-bit little-endian words, sorted (as :func:`span_words`)."""
    out = [int.from_bytes(c.encode("ascii"), "little") for c in codes
           if c.isascii() and 0 < len(c) <= 8 and "\0" not in c]
    return np.unique(np.array(out, dtype=np.uint64))


def mask(value: str) -> str:
    """A value with all but its last two characters replaced by ``*`` (``"山田太郎"`` → ``"**太郎"``).

    A value of one or two characters is replaced entirely, so that no whole value is ever shown.
    """
    if len(value) <= 2:
        return "*" * len(value)
    return "*" * (len(value) - 2) + value[-2:]


@attrs.frozen(kw_only=True, slots=True)
class RuleFailure:
    """The records of one extract failing one rule of one field.

    Parameters
    ----------
    field_id
        The field's id (項目ID), or ``"<key>"`` for the record key.
    name
        The field's name (項目名), or ``キー`` for the key.
    rule
        One of :data:`RULES`.
    count
        Number of failing records. [records]
    first_records
        The first failing record numbers (at most :data:`FIRST_RECORDS`; 1-based, after any header).
    examples
        Failing values (masked unless asked otherwise); empty unless ``examples=`` was given.
    """

    field_id: str
    name: str
    rule: str
    count: int
    first_records: tuple[int, ...] = ()
    examples: tuple[str, ...] = ()


_COLUMNS = (
    Column("field", "項目ID", "Field", "code"),
    Column("field_name", "項目名", "Field name", "text"),
    Column("rule", "検証規則", "Rule", "text"),
    Column("count", "不備件数", "Failing records", "count"),
    Column("first_records", "該当レコード (先頭)", "First records", "text"),
)
_EXAMPLE_COLUMN = Column("examples", "値の例 (マスク済み)", "Examples (masked)", "text")
_EXAMPLE_COLUMN_RAW = Column("examples", "値の例 (マスクなし)", "Examples (unmasked)", "text")


@attrs.frozen(kw_only=True, slots=True)
class ExtractCheck(TableView):
    """What the check of one extract found: records, and failing records by field and rule.

    Parameters
    ----------
    source
        The extract's name (its file).
    layout
        The layout checked against.
    records
        Number of records read (after any header). [records]
    failed_records
        Number of records failing at least one rule. [records]
    failures
        One :class:`RuleFailure` per field and rule with failing records, in layout order, the key last.
    examples
        How many example values per rule were asked for (0: none, the default).
    unmasked
        Whether the examples are shown unmasked.
    """

    source: str
    layout: DataLayout
    records: int
    failed_records: int
    failures: tuple[RuleFailure, ...]
    examples: int = 0
    unmasked: bool = False

    _KEY = "extract_check"
    _SHEET = ("データ検証", "Extract check")

    def counts(self) -> dict[tuple[str, str], int]:
        """``{(field id, rule): number of failing records}``, only non-zero counts (the key as ``"<key>"``)."""
        return {(f.field_id, f.rule): f.count for f in self.failures}

    @property
    def ok(self) -> bool:
        """Whether every record passes every rule."""
        return self.failed_records == 0

    def _title(self, lang: Lang = "ja") -> str:
        if lang == "en":
            return f"Extract check: {self.source} (layout {self.layout.name})"
        return f"データ検証: {self.source} (レイアウト {self.layout.name})"

    def views(self) -> tuple[DataTable, ...]:
        """The failures table (one row per field and rule with failing records)."""
        columns = _COLUMNS + ((_EXAMPLE_COLUMN_RAW if self.unmasked else _EXAMPLE_COLUMN,) if self.examples else ())
        rows = []
        for f in self.failures:
            row: list[Any] = [f.field_id, f.name, RULES[f.rule][0], f.count, ", ".join(map(str, f.first_records))]
            if self.examples:
                row.append(" / ".join(f.examples))
            rows.append(row)
        notes = (f"レコード数 {self.records:,} 件、不備のあるレコード {self.failed_records:,} 件。値は表示していません"
                 "（個人情報）。",) if not self.examples else (
                 f"レコード数 {self.records:,} 件、不備のあるレコード {self.failed_records:,} 件。",)
        notes_en = (f"{self.records:,} records, {self.failed_records:,} failing. Values are not shown "
                    "(personal data).",) if not self.examples else (
                    f"{self.records:,} records, {self.failed_records:,} failing.",)
        return (DataTable(key=self._KEY, title=self._title("ja"), title_en=self._title("en"), columns=columns,
                          rows=rows, sheet=self._SHEET[0], sheet_en=self._SHEET[1], notes=notes,
                          notes_en=notes_en),)

    def summary(self, lang: Lang = "ja") -> str:
        """Records, failing records and the verdict."""
        if lang == "en":
            verdict = "no failures" if self.ok else f"{len(self.failures)} field/rule pairs fail"
            return f"{self.source}: {self.records:,} records, {self.failed_records:,} failing ({verdict})"
        verdict = "不備なし" if self.ok else f"{len(self.failures)} 件の項目・規則に不備"
        return f"{self.source}: レコード {self.records:,} 件、不備 {self.failed_records:,} 件 ({verdict})"


# -- the scan ---------------------------------------------------------------------------------------


@attrs.define
class _Tally:
    count: int = 0
    first: list[int] = attrs.Factory(list)
    examples: list[str] = attrs.Factory(list)


class _Spans:
    """A batch flat: its code points (or CP932 bytes) and each value's span; text columns cut only when asked."""

    __slots__ = ("_bytes", "_columns", "leads", "starts", "stops", "text_")

    def __init__(self, text: NDArray[Any], starts: NDArray[np.int64],
                 stops: NDArray[np.int64], leads: NDArray[np.bool_] | None = None) -> None:
        self.text_, self.starts, self.stops, self.leads = text, starts, stops, leads
        self._columns: dict[int, NDArray[np.str_]] = {}
        self._bytes: dict[int, NDArray[np.bytes_]] = {}  # ASCII columns of CP932 bytes, as they are

    def cut(self, fields: tuple[int, ...]) -> None:
        """Cut the text columns of ``fields`` at once (in record order)."""
        need = tuple(j for j in fields if j not in self._columns and j not in self._bytes)
        if not need:
            return
        if self.leads is not None:
            # CP932 bytes: ASCII values (codes, numbers as keys) up to 32 bytes are their own characters
            for j in need:
                lengths = self.stops[:, j] - self.starts[:, j]
                widest = int(lengths.max(initial=0))
                if widest > 32:
                    continue
                words = span_words(self.text_, self.starts[:, j], max(-(-widest // 8), 1))
                if not ascii_words(words).all():
                    continue
                padded = masked_words(words, lengths)  # zero past the end: numpy text drops trailing NULs
                self._bytes[j] = padded.view(f"S{8 * padded.shape[1]}").reshape(-1)
            need = tuple(j for j in need if j not in self._bytes)
            if not need:
                return
        if self.leads is None:
            mats = cut_many(self.text_, self.starts, self.stops, need)
        else:  # CP932 bytes: decode only these fields' values
            sel = np.asarray(need, dtype=np.intp)
            text, s, e = decode_spans(self.text_, self.leads, self.starts[:, sel], self.stops[:, sel])
            mats = cut_many(text, s, e, tuple(range(sel.size)))
        for j, mat in zip(need, mats, strict=True):
            self._columns[j] = np.ascontiguousarray(mat).view(f"<U{mat.shape[1]}").reshape(mat.shape[0])

    def column(self, j: int) -> NDArray[np.str_]:
        if j not in self._columns:
            if j not in self._bytes:
                self.cut((j,))
            if j in self._bytes:
                self._columns[j] = self._bytes[j].astype(f"<U{self._bytes[j].dtype.itemsize}")
        return self._columns[j]

    def key_column(self, j: int) -> NDArray[np.str_] | NDArray[np.bytes_]:
        """Field ``j``'s values to compare: ASCII bytes as they are (a quarter of the text's size), else text."""
        if j not in self._columns and j not in self._bytes:
            self.cut((j,))
        return self._bytes[j] if j in self._bytes else self._columns[j]

    def text(self, i: int, j: int) -> str:
        value = self.text_[int(self.starts[i, j]):int(self.stops[i, j])].tobytes()
        return value.decode("utf-32-le" if self.leads is None else "cp932")


def _flat(batch: ExtractBatch) -> tuple[NDArray[np.uint32], NDArray[np.int64], NDArray[np.int64]]:
    """A batch's values flat: code points, and each value's span (records x fields)."""
    if batch.text is not None and batch.starts is not None and batch.stops is not None:
        return batch.text, batch.starts, batch.stops
    n, k = batch.size, batch.width
    parts, starts, stops = [], np.zeros((n, k), dtype=np.int64), np.zeros((n, k), dtype=np.int64)
    at = 0
    for j, c in enumerate(batch.columns):
        col = np.asarray(c) if np.asarray(c).dtype.kind == "U" else np.asarray(c, dtype=str)
        cp = codepoints(col)
        w = cp.shape[1]
        starts[:, j] = at + np.arange(n, dtype=np.int64) * w
        stops[:, j] = starts[:, j] + char_lengths(cp)
        parts.append(cp.reshape(-1))
        at += n * w
    text = np.concatenate(parts) if parts else np.zeros(0, dtype=np.uint32)
    return text, starts, stops


_NAMED: dict[tuple[int, int], NDArray[np.uint8]] = {}


def _classes(widths: NDArray[np.uint8], allowed: NDArray[np.bool_]) -> NDArray[np.uint8]:
    """Per code point: its width in bytes (bits 0-2) and whether it is 外字 (bit 3), for one look-up a character.

    Kept for the (cached, read-only) tables of the named encodings and character sets.
    """
    key = (id(widths), id(allowed))
    cached = _NAMED.get(key)
    if cached is not None:
        return cached
    out: NDArray[np.uint8] = (widths | ((~allowed).astype(np.uint8) << 3)).astype(np.uint8)
    if not widths.flags.writeable and not allowed.flags.writeable and len(_NAMED) < 16:
        _NAMED[key] = out
    return out


class _Scan:
    """Running counts over the batches of one extract."""

    def __init__(self, layout: DataLayout, charset: str | Iterable[str] | None, examples: int, unmasked: bool,
                 collect: tuple[str, ...]) -> None:
        self.layout = layout
        self.allowed = allowed_table(charset)
        self.widths = width_table(layout.encoding)
        self.classes = _classes(self.widths, self.allowed)
        # CP932 bytes are read as they are when the layout counts bytes in CP932
        self.bytes_ok = codecs.lookup(layout.encoding).name == "cp932"
        _, _, _, self.single_allowed, self.pair_allowed = cp932_tables(self.allowed)
        self.pair_bit = pair_bit(self.allowed)  # a named set: the reader's pair flags say which pairs are outside
        self.examples = examples
        self.unmasked = unmasked
        self.tallies: dict[tuple[str, str], _Tally] = {}
        self.failed: list[tuple[int, NDArray[np.bool_]]] = []
        self.keys: list[NDArray[np.str_] | NDArray[np.bytes_]] = []
        self.key_records: list[NDArray[np.int64]] = []
        self.collect = {fid: layout.index(fid) for fid in collect}
        self.collected: dict[str, list[NDArray[np.str_]]] = {fid: [] for fid in collect}
        self.tables = {name: np.array(codes, dtype=str) for name, codes in layout.code_tables.items()}
        self.records = 0
        fields = layout.fields
        self.in_bytes = np.array([j for j, f in enumerate(fields) if f.unit is not LengthUnit.CHARS], dtype=np.intp)
        self.byte_mask = np.array([f.unit is not LengthUnit.CHARS for f in fields], dtype=bool)
        self.ids = layout.ids
        self.cut = tuple(j for j, f in enumerate(fields) if f.key or f.field_id in self.collect)
        self.required = np.array([j for j, f in enumerate(fields) if f.required], dtype=np.intp)
        self.limits = np.array([f.length for f in fields], dtype=np.int64)
        self.numbers = np.array([j for j, f in enumerate(fields) if f.type is FieldType.NUMBER], dtype=np.intp)
        self.decimals = np.array([fields[j].decimals for j in self.numbers], dtype=np.int64)
        dates: dict[str, list[int]] = {}
        codes: dict[str, list[int]] = {}
        for j, f in enumerate(fields):
            if f.type is FieldType.DATE:
                dates.setdefault(f.format or "YYYYMMDD", []).append(j)
            elif f.type is FieldType.CODE and f.code_table is not None:
                codes.setdefault(f.code_table, []).append(j)
        self.dates = {fmt: np.array(js, dtype=np.intp) for fmt, js in dates.items()}
        # CP932 bytes: the fields whose lead bytes are counted (characters, dates), and where
        self.char_rows = np.flatnonzero(~self.byte_mask)  # CP932 bytes: fields counted in characters
        self.codes = {name: np.array(js, dtype=np.intp) for name, js in codes.items()}
        self.code_keys = {name: np.unique(text_keys(self.tables[name])) for name in codes}
        self.code_words = {name: _ascii_words(layout.code_tables[name]) for name in codes}
        # code tables whose ASCII codes are all of at most two bytes: whether each two-byte word is missing
        self.code_direct: dict[str, NDArray[np.bool_]] = {}
        for name, words in self.code_words.items():
            if words.size and int(words.max()) < 1 << 16:
                direct = np.ones(1 << 16, dtype=bool)
                direct[words.astype(np.intp)] = False
                self.code_direct[name] = direct

    def _tally(self, rule: str, fields: NDArray[np.intp], bad: NDArray[np.bool_], first: int, spans: _Spans,
               failed: NDArray[np.bool_]) -> None:
        """Count ``bad`` (``fields`` x records) under ``rule``, field by field, and mark the failing records."""
        if bad.flags.c_contiguous and bad.ndim == 2 and bad.shape[1] % 8 == 0:
            counts = np.bitwise_count(bad.view(np.uint64)).sum(axis=1)  # 8 flags a word, each 0 or 1
        else:
            counts = np.count_nonzero(bad, axis=1)
        hit = np.flatnonzero(counts)
        if not hit.size:
            return
        failed |= bad[hit].any(axis=0)
        for h in hit.tolist():
            j = int(fields[h])
            t = self.tallies.setdefault((self.ids[j], rule), _Tally())
            t.count += int(counts[h])
            need = max(FIRST_RECORDS - len(t.first), self.examples - len(t.examples))
            if need > 0:
                at = np.flatnonzero(bad[h])[:need]
                t.first += [first + int(i) for i in at[:FIRST_RECORDS - len(t.first)]]
                if self.examples > len(t.examples):
                    shown = [spans.text(int(i), j) for i in at[:self.examples - len(t.examples)]]
                    t.examples += shown if self.unmasked else [mask(s) for s in shown]

    def add(self, batch: ExtractBatch) -> None:
        if batch.width != len(self.layout.fields):
            raise ValidationError(f"a batch has {batch.width} columns; layout {self.layout.name!r} has "
                                  f"{len(self.layout.fields)} fields")
        n = batch.size
        first = batch.first
        failed = np.zeros(n, dtype=bool)
        every = np.arange(len(self.layout.fields), dtype=np.intp)
        # every rule over every field of its kind at once, from the spans alone; arrays are
        # fields x records (a field a contiguous row)
        text: NDArray[Any]  # code points (uint32) or CP932 bytes (uint8)
        in_bytes = False  # whether text, starts and stops are CP932 bytes
        if batch.raw is not None and batch.leads is not None and batch.pairs is not None and self.bytes_ok:
            # CP932 bytes: lengths, characters, numbers and dates read from the bytes, nothing decoded
            assert batch.starts is not None and batch.stops is not None
            raw, lead = batch.raw, batch.leads
            text, starts, stops = raw, batch.starts, batch.stops
            spans = _Spans(raw, starts, stops, lead)
            first_t, last_t = starts.T, stops.T
            nbytes = last_t - first_t  # [bytes]
            in_bytes = True
            size = nbytes
            if self.char_rows.size:
                # a value is no longer in characters than in bytes: only the values longer in bytes than
                # their field's 桁数 have their characters counted (bytes less lead bytes)
                over = nbytes[self.char_rows] > self.limits[self.char_rows, None]
                if over.any():
                    r, c = np.nonzero(over)
                    rows = self.char_rows[r]
                    size = nbytes.copy()
                    size[rows, c] -= span_sums(lead, first_t[rows, c], last_t[rows, c])
            bad_pairs: NDArray[Any]  # non-zero: a pair outside the set
            if batch.flags is not None and self.pair_bit:
                bad_pairs = batch.flags & np.uint8(self.pair_bit) if batch.flags.any() else batch.flags
            else:
                bad_pairs = ~np.take(self.pair_allowed, batch.pairs)
            # the line break after each record lies outside every value: refused bytes found only
            # there are counted, not located
            ends = np.append(first_t[0, 1:], raw.size) if n else np.zeros(0, dtype=np.int64)
            marked = outside_bytes(raw, lead, np.flatnonzero(lead)[bad_pairs != 0] if bad_pairs.any() else
                                   np.zeros(0, dtype=np.intp), self.single_allowed, gaps=(last_t[-1], ends))
            if marked.size and not (raw == 34).any():
                # without quotes a line feed, and a carriage return before it, end a record: no value holds them
                here, after = raw[marked], raw[np.minimum(marked + 1, raw.size - 1)]
                marked = marked[(here != 10) & ~((here == 13) & (after == 10) & (marked + 1 < raw.size))]
            empty = nbytes == 0
            code_len = nbytes
        else:
            text, starts, stops = _flat(batch) if batch.raw is None else batch.decoded()
            spans = _Spans(text, starts, stops)
            first_t, last_t = np.ascontiguousarray(starts.T), np.ascontiguousarray(stops.T)
            lengths = last_t - first_t  # [characters]
            size = lengths
            classes = self.classes[text]  # one look-up per character: its width (bits 0-2), 外字 (bit 3)
            if self.in_bytes.size and batch.sizes is not None:
                size = lengths.copy()
                size[self.in_bytes] = batch.sizes.T[self.in_bytes]
            elif self.in_bytes.size:
                size = lengths.copy()
                size[self.in_bytes] = span_bytes(text, self.widths, first_t[self.in_bytes], last_t[self.in_bytes],
                                                 widths=(classes & 7).astype(np.uint8))
            marked = np.flatnonzero(classes >= 8)
            empty = lengths == 0
            code_len = lengths
        text = cast("NDArray[Any]", text)  # bytes or code points: the kernels below read either
        if self.required.size:
            self._tally("required", self.required, empty[self.required], first, spans, failed)
        self._tally("length", every, size > self.limits[:, None], first, spans, failed)
        if self.numbers.size:
            sel = self.numbers
            widest = int(code_len[sel].max(initial=0))
            if in_bytes and widest <= _WORDS * 8:  # short values read whole, a 64-bit word at a time
                words = span_words(text, first_t[sel], max(-(-widest // 8), 1))
                is_number, decimals = word_numbers(words, code_len[sel])
            else:
                is_number, _digits, decimals = span_numbers(text, first_t[sel], last_t[sel])
            self._tally("number", sel, ~empty[sel] & ~is_number, first, spans, failed)
            self._tally("decimals", sel, is_number & (decimals > self.decimals[:, None]), first, spans, failed)
        for fmt, sel in self.dates.items():
            # in CP932 bytes too: every character of a date pattern is ASCII, so a value matching it
            # byte for byte is ASCII (its bytes are its characters), and a value holding another
            # character fails it either way
            marks = _ERA_MARKS["digit" if fmt == "GYYMMDD" else "letter"]
            if in_bytes:
                lengths_b = code_len[sel]
                words = span_words(text, first_t[sel], -(-len(fmt) // 8))  # only a value of the pattern's length
                ok = byte_dates(words.view(np.uint8), lengths_b, fmt, marks, _ERA_STARTS)
            else:
                ok = span_dates(text, first_t[sel], last_t[sel], fmt, marks, _ERA_STARTS)
            self._tally("date", sel, ~empty[sel] & ~ok, first, spans, failed)
        for name, sel in self.codes.items():
            missing = self._missing(name, sel, spans, first_t, code_len, in_bytes)
            self._tally("code", sel, ~empty[sel] & missing, first, spans, failed)
        outside = spans_holding(marked, starts, stops).T  # spans in file order: no sort
        self._tally("charset", every, outside, first, spans, failed)
        spans.cut(self.cut)
        key = self.layout.key
        if key:
            at = [self.layout.index(k) for k in key]
            complete = ~empty[at[0]]
            joined: NDArray[np.str_] | NDArray[np.bytes_]
            if len(at) == 1:
                joined = spans.key_column(at[0])
            else:
                text_key = spans.column(at[0])
                for j in at[1:]:
                    text_key = np.strings.add(np.strings.add(text_key, _KEY_SEP), spans.column(j))
                    complete &= ~empty[j]
                joined = text_key
            self.keys.append(joined[complete])
            self.key_records.append(first + np.flatnonzero(complete).astype(np.int64))
        for fid, j in self.collect.items():
            col = spans.column(j)
            self.collected[fid].append(np.unique(col[~empty[j]]))
        self.failed.append((first, failed))
        self.records = max(self.records, first + n - 1)

    def _missing(self, name: str, sel: NDArray[np.intp], spans: _Spans, first_t: NDArray[np.int64],
                 lengths: NDArray[np.int64], in_bytes: bool = False) -> NDArray[np.bool_]:
        """Whether each value of the code fields ``sel`` is absent from code table ``name`` (``sel`` x records).

        ``first_t`` and ``lengths`` are the spans' starts and lengths in ``spans.text_`` (fields x
        records; bytes, when ``in_bytes``).
        """
        widest = int(lengths[sel].max(initial=0))
        if in_bytes and widest <= 8:
            # CP932 bytes: ASCII codes (the usual case) as one 64-bit word each, the table's the same way
            words = masked_words(span_words(spans.text_, first_t[sel], 1), lengths[sel])
            if ascii_words(words).all():
                keys, table = words[..., 0], self.code_words[name]
                if not table.size:
                    return np.ones(keys.shape, dtype=bool)
                direct = self.code_direct.get(name)
                if direct is not None and int(keys.max(initial=0)) < direct.size:
                    # codes of up to two bytes (the usual case): one look-up a value in a table of every
                    # two-byte word (the words past 2 bytes are not in it)
                    missing: NDArray[np.bool_] = np.take(direct, keys.astype(np.intp))
                    return missing
                found = table[np.minimum(np.searchsorted(table, keys), table.size - 1)] == keys
                return np.asarray(~found, dtype=bool)
        cp = None
        if widest <= SHORT and not in_bytes:
            cp = span_gather(spans.text_, first_t[sel], max(widest, 1), lengths[sel])
        if cp is not None:
            # short codes (the usual case) as exact integers: no text column is built
            keys, table = short_keys(cp), self.code_keys[name]
            if not table.size:
                return np.ones(keys.shape, dtype=bool)
            found = table[np.minimum(np.searchsorted(table, keys), table.size - 1)] == keys
            return np.asarray(~found, dtype=bool)
        spans.cut(tuple(int(j) for j in sel))
        return np.vstack([missing_from(spans.column(int(j)), self.tables[name]) for j in sel])

    def finish(self, source: str) -> tuple[ExtractCheck, dict[str, NDArray[np.str_]]]:
        failed = np.zeros(self.records, dtype=bool)
        for first, part in self.failed:
            failed[first - 1:first - 1 + part.shape[0]] |= part
        if self.keys:
            kinds = {k.dtype.kind for k in self.keys}
            # ASCII keys compared as bytes (faster to sort); text as soon as one batch's keys are not ASCII
            keys = np.concatenate(self.keys if len(kinds) == 1 else [k.astype(str) for k in self.keys])
            recs = np.concatenate(self.key_records)
            dup = duplicated(keys)
            if dup.any():
                t = self.tallies.setdefault(("<key>", "duplicate"), _Tally())
                t.count = int(dup.sum())
                where = np.sort(recs[dup])
                t.first = [int(r) for r in where[:FIRST_RECORDS]]
                if self.examples:
                    earliest = np.argsort(recs[dup], kind="stable")[:self.examples]
                    shown = [str(s).replace(_KEY_SEP, " ") for s in keys[dup][earliest].astype(str)]
                    t.examples = shown if self.unmasked else [mask(s) for s in shown]
                failed[recs[dup] - 1] = True
        place = {fid: i for i, fid in enumerate((*self.layout.ids, "<key>"))}
        failures = []
        for (fid, rule), t in sorted(self.tallies.items(), key=lambda kv: (place[kv[0][0]], list(RULES).index(kv[0][1]))):
            name = "キー" if fid == "<key>" else self.layout.field(fid).name
            failures.append(RuleFailure(field_id=fid, name=name, rule=rule, count=t.count,
                                        first_records=tuple(t.first), examples=tuple(t.examples)))
        collected = {fid: (np.unique(np.concatenate(parts)) if parts else np.array([], dtype=str))
                     for fid, parts in self.collected.items()}
        check = ExtractCheck(source=source, layout=self.layout, records=self.records,
                             failed_records=int(failed.sum()), failures=tuple(failures), examples=self.examples,
                             unmasked=self.unmasked)
        return check, collected


def _checked(extract: Any, layout: DataLayout | None) -> tuple[Extract, DataLayout]:
    if isinstance(extract, str) or hasattr(extract, "__fspath__"):
        raise ValidationError(f"check_extract takes an extract, not a path: read the file with "
                              f"jichitai_cloud.io.read_extract({str(extract)!r}, layout, encoding=..., format=...) "
                              "(the checks never open files themselves)")
    if not isinstance(extract, Extract):
        raise ValidationError(f"extract must be an Extract (from io.read_extract), got {type(extract).__name__}")
    layout = extract.layout if layout is None else layout
    if not isinstance(layout, DataLayout):
        raise ValidationError(f"layout must be a DataLayout, got {type(layout).__name__}")
    if layout.ids != extract.layout.ids:
        raise ValidationError(f"the extract {extract.source} was read with layout {extract.layout.name!r}, whose "
                              f"fields differ from {layout.name!r}'s")
    return extract, layout


def scan_extract(extract: Extract, layout: DataLayout | None = None, *, charset: str | Iterable[str] | None = None,
                 examples: int = 0, unmasked: bool = False, collect: tuple[str, ...] = ()
                 ) -> tuple[ExtractCheck, dict[str, NDArray[np.str_]]]:
    """:func:`check_extract`, and the distinct non-empty values of the fields in ``collect`` (for references)."""
    extract, layout = _checked(extract, layout)
    if isinstance(examples, bool) or not isinstance(examples, int) or examples < 0:
        raise ValidationError(f"examples must be an integer >= 0, got {examples!r}")
    if not isinstance(unmasked, bool):
        raise ValidationError(f"unmasked must be true or false, got {unmasked!r}")
    scan = _Scan(layout, charset, examples, unmasked, collect)
    for batch in extract:
        scan.add(batch)
    return scan.finish(extract.source)


def check_extract(extract: Extract, layout: DataLayout | None = None, *,
                  charset: str | Iterable[str] | None = None, examples: int = 0,
                  unmasked: bool = False) -> ExtractCheck:
    """Check every record of an extract against its layout, rule by rule, over whole columns.

    Parameters
    ----------
    extract
        The extract, from :func:`jichitai_cloud.io.read_extract` (which reads the file in batches).
    layout
        The layout (default: the one the extract was read with; given, it must have the same fields).
    charset
        The allowed characters: ``None`` (default: ASCII, half-width kana and JIS X 0208),
        ``"cp932"`` (also CP932's NEC and IBM extensions), or the characters themselves (a string or
        an iterable of strings, e.g. the council's 行政事務標準文字 list).  Private-use characters
        (U+E000–U+F8FF, CP932's user-defined area) are always 外字.
    examples
        Up to this many failing values per field and rule in the result (default 0: none).
    unmasked
        Show the example values as they are (default: all but the last two characters replaced).

    Returns
    -------
    ExtractCheck
        ``records``, ``failed_records``, ``counts()`` → ``{(field id, rule): failing records}``.

    Rules
    -----
    ``required`` (a required or key field is empty), ``length`` (longer than 桁数 in the field's unit:
    characters, or bytes of the layout's encoding), ``number`` (a 数値 field that is not a number:
    optional sign, ASCII digits, at most one point between digits), ``decimals`` (more digits after
    the point than 小数桁), ``date`` (not a real date in the field's format, 和暦 within its era),
    ``code`` (not in the field's code table), ``charset`` (a character outside the allowed set) and,
    for the record key, ``("<key>", "duplicate")``: every record whose key (all key fields filled)
    occurs more than once.  Rules other than ``required`` and ``charset`` skip empty values.

    Raises
    ------
    ValidationError
        ``extract`` is not an :class:`Extract` (a path: read it with ``io.read_extract``), bad arguments.
    InputError
        From the reader: an extract not of the layout's shape (naming the record number).
    """
    return scan_extract(extract, layout, charset=charset, examples=examples, unmasked=unmasked)[0]


def counts_of(checks: Mapping[str, ExtractCheck]) -> dict[str, dict[tuple[str, str], int]]:
    """``counts()`` of several checks, by name."""
    return {name: c.counts() for name, c in checks.items()}
