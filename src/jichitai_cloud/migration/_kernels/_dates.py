"""Dates written as text in a layout's format, including 和暦 (Japanese era) forms, checked as arrays."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from ...errors import ValidationError

__all__ = ["DATE_PATTERNS", "byte_dates", "span_dates", "valid_dates"]

DATE_PATTERNS: dict[str, str] = {
    # G: era (letter or digit), Y/M/D: a digit, anything else: itself
    "YYYYMMDD": "YYYYMMDD",
    "YYYY-MM-DD": "YYYY-MM-DD",
    "GYY.MM.DD": "GYY.MM.DD",
    "GYYMMDD": "GYYMMDD",
}
"""The date formats this kernel reads, as patterns of positions."""

_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)


def _number(d: NDArray[np.int32], rows: list[int]) -> NDArray[np.int32]:
    out = np.zeros(d.shape[1], dtype=np.int32)
    for j in rows:
        out = out * 10 + d[j]
    return out


def valid_dates(cp: NDArray[np.uint32], lengths: NDArray[np.int64], pattern: str,
                era_marks: NDArray[np.uint32], era_starts: NDArray[np.int64]) -> NDArray[np.bool_]:
    """Whether each value is a real date written in ``pattern``.

    Parameters
    ----------
    cp
        Code points, shape ``(n, w)`` (:func:`~._text.codepoints`).
    lengths
        Each value's length in characters. [characters]
    pattern
        One of :data:`DATE_PATTERNS`: ``Y``, ``M``, ``D`` a digit, ``G`` the era mark, any other
        character itself.
    era_marks
        The code point of each era's mark (``ord("H")`` or ``ord("4")``), eras in order.
    era_starts
        Each era's first day as ``yyyymmdd`` (``19890108``), eras in order; an era ends the day
        before the next begins.

    Returns
    -------
    numpy.ndarray
        ``bool``, shape ``(n,)``: the value has the pattern's shape, the month is 1-12, the day
        exists in that month (leap years: divisible by 4, not by 100 unless by 400), a Gregorian
        year is at least 1, and a 和暦 date lies within its era (``H31.04.30`` yes, ``H31.05.01``
        no; ``H01.01.07`` no).
    """
    if pattern not in DATE_PATTERNS:
        raise ValidationError(f"pattern must be one of {list(DATE_PATTERNS)}, got {pattern!r}")
    n, w = cp.shape
    if w < len(pattern):
        return np.zeros(n, dtype=bool)
    return _valid(np.ascontiguousarray(cp[:, :len(pattern)].T), lengths, pattern, era_marks, era_starts)


def _valid(cpt: NDArray[np.uint32], lengths: NDArray[np.int64], pattern: str, era_marks: NDArray[np.uint32],
           era_starts: NDArray[np.int64]) -> NDArray[np.bool_]:
    """:func:`valid_dates` with the code points by position: ``cpt[k]`` the k-th character of every value."""
    ok = lengths == len(pattern)
    # one contiguous row per position of the pattern; a digit's value 0-9 (anything else wraps above 9)
    du = cpt - np.uint32(48)
    d = du.view(np.int32)
    digits = [j for j, c in enumerate(pattern) if c in "YMD"]
    ok &= (du[digits] < 10).all(axis=0)
    for j, ch in enumerate(pattern):
        if ch not in "YMDG":
            ok &= cpt[j] == ord(ch)
    month = _number(d, [j for j, c in enumerate(pattern) if c == "M"]).astype(np.int64)
    day = _number(d, [j for j, c in enumerate(pattern) if c == "D"]).astype(np.int64)
    year = _number(d, [j for j, c in enumerate(pattern) if c == "Y"]).astype(np.int64)
    ylen = pattern.count("Y")
    if "G" in pattern:
        g = pattern.index("G")
        match = cpt[g][:, None] == era_marks[None, :]
        ok &= match.any(axis=1)
        era = np.argmax(match, axis=1)
        ok &= year >= 1
        year = np.asarray(era_starts)[era] // 10000 + year - 1
    elif ylen == 4:
        ok &= year >= 1
    month_ok = (month >= 1) & (month <= 12)
    ok &= month_ok
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    days = _DAYS[np.where(month_ok, month, 0)] + ((month == 2) & leap)
    ok &= (day >= 1) & (day <= days)
    if "G" in pattern:
        stamp = year * 10000 + month * 100 + day
        starts = np.asarray(era_starts, dtype=np.int64)
        ends = np.append(starts[1:], np.iinfo(np.int64).max)
        ok &= (stamp >= starts[era]) & (stamp < ends[era])
    return np.asarray(ok, dtype=bool)


def span_dates(text: NDArray[np.uint32] | NDArray[np.uint8], starts: NDArray[np.int64], stops: NDArray[np.int64], pattern: str,
               era_marks: NDArray[np.uint32], era_starts: NDArray[np.int64]) -> NDArray[np.bool_]:
    """:func:`valid_dates` for spans of flat text (any shape): only the pattern's width is read per span."""
    if pattern not in DATE_PATTERNS:
        raise ValidationError(f"pattern must be one of {list(DATE_PATTERNS)}, got {pattern!r}")
    lengths = stops - starts
    if text.size == 0 or lengths.size == 0:
        return np.zeros(lengths.shape, dtype=bool)
    # the k-th character of every value, k along the pattern (a value of the pattern's length lies
    # wholly inside ``text``; others are invalid whatever is read)
    at = starts.reshape(1, -1) + np.arange(len(pattern), dtype=np.int64)[:, None]
    cpt: NDArray[np.uint32] = np.take(text, at, mode="clip").astype(np.uint32, copy=False)  # bytes or code points
    return _valid(cpt, lengths.reshape(-1), pattern, era_marks, era_starts).reshape(lengths.shape)


_LEAP = np.array([(y % 4 == 0) and (y % 100 != 0 or y % 400 == 0) for y in range(10000)], dtype=np.intp)
_MONTH_DAY = np.zeros(2 * 10000, dtype=bool)  # [leap * 10000 + mmdd]: a day of the year
for _leap in (0, 1):
    for _m in range(1, 13):
        _MONTH_DAY[_leap * 10000 + _m * 100 + 1:_leap * 10000 + _m * 100 + _DAYS[_m] + (_m == 2 and _leap) + 1] = True
_H = np.uint64(0x8080808080808080)
_LOW7 = np.uint64(0x7F7F7F7F7F7F7F7F)


def _digit_halves(o: NDArray[np.uint64]) -> tuple[NDArray[np.bool_], NDArray[np.int64], NDArray[np.int64]]:
    """Whether 8 bytes (a little-endian word, first byte first) are all ASCII digits, and the numbers of
    their first four and last four digits."""
    low = o & _LOW7
    high = (low + np.uint64(0x4646464646464646)) | ~(low + np.uint64(0x5050505050505050)) | o  # >= ':', < '0', >= 0x80
    ok = (high & _H) == 0
    x = o - np.uint64(0x3030303030303030)  # each byte its digit (where ok)
    x = (x * np.uint64(10) + (x >> np.uint64(8))) & np.uint64(0x00FF00FF00FF00FF)
    x = (x * np.uint64(100) + (x >> np.uint64(16))) & np.uint64(0x0000FFFF0000FFFF)
    x = np.where(ok, x, np.uint64(0))
    return ok, (x & np.uint64(0xFFFFFFFF)).astype(np.int64), (x >> np.uint64(32)).astype(np.int64)


def _pattern_words(pattern: str, words: int) -> tuple[list[tuple[int, int, int]], list[tuple[int, int, int]], int]:
    """How a pattern reads from 64-bit words (as :func:`~._bytes.span_words`).

    Returns the fixed characters as ``(word, mask, value)``, the digit runs as ``(word, shift, mask)``
    moving them into one word of 8 digits (right-aligned: the first ``8 - digits`` bytes ``'0'``), and
    that padding as a word.
    """
    fixed: dict[int, list[int]] = {}
    for j, ch in enumerate(pattern):
        if ch not in "YMDG":
            k, p = divmod(j, 8)
            mv = fixed.setdefault(k, [0, 0])
            mv[0] |= 0xFF << (8 * p)
            mv[1] |= ord(ch) << (8 * p)
    digits = [j for j, c in enumerate(pattern) if c in "YMD"]
    pad = 8 - len(digits)
    runs: list[tuple[int, int, int]] = []
    i = 0
    while i < len(digits):
        e = i
        while e + 1 < len(digits) and digits[e + 1] == digits[e] + 1 and digits[e + 1] // 8 == digits[i] // 8:
            e += 1
        k, p = divmod(digits[i], 8)
        t0, t1 = pad + i, pad + e
        runs.append((k, 8 * (t0 - p), ((1 << (8 * (t1 - t0 + 1))) - 1) << (8 * t0)))
        i = e + 1
    padding = int.from_bytes(b"0" * pad, "little")
    return [(k, m, v) for k, (m, v) in sorted(fixed.items())], runs, padding


def byte_dates(b: NDArray[np.uint8], lengths: NDArray[np.int64], pattern: str, era_marks: NDArray[np.uint32],
               era_starts: NDArray[np.int64]) -> NDArray[np.bool_]:
    """:func:`valid_dates` for values held as bytes, shape ``lengths.shape + (w,)`` (``w >= len(pattern)``).

    For text in an ASCII-compatible encoding (CP932, UTF-8): every character of a pattern is ASCII,
    so a value matching it byte for byte is ASCII and its bytes are its characters, and a value
    holding any other character fails it either way.  ``lengths`` are in bytes. [bytes]

    The bytes are read as 64-bit words: the pattern's fixed characters are compared a word at a
    time, the digits moved into one word (left-padded with ``0``) with a few shifts and read as two
    numbers (year, month and day) with a few whole-word operations; month, day, era and leap years
    come from tables.
    """
    if pattern not in DATE_PATTERNS:
        raise ValidationError(f"pattern must be one of {list(DATE_PATTERNS)}, got {pattern!r}")
    shape = lengths.shape
    width = b.shape[-1]
    if width < len(pattern):
        return np.zeros(shape, dtype=bool)
    flat = b.reshape(-1, width)
    if width % 8:
        flat = np.concatenate((flat, np.zeros((flat.shape[0], 8 - width % 8), dtype=np.uint8)), axis=1)
    w = np.ascontiguousarray(flat).view(np.uint64)  # (values, words), first byte lowest
    fixed, runs, padding = _pattern_words(pattern, w.shape[1])
    ok = lengths.reshape(-1) == len(pattern)
    for k, m, v in fixed:
        ok &= (w[:, k] & np.uint64(m)) == np.uint64(v)
    word = np.full(w.shape[0], padding, dtype=np.uint64)
    for k, shift, m in runs:
        moved = w[:, k] << np.uint64(shift) if shift >= 0 else w[:, k] >> np.uint64(-shift)
        moved &= np.uint64(m)
        word |= moved
    is_digits, year, mmdd = _digit_halves(word)  # the patterns end in MMDD after the year's digits
    ok &= is_digits
    if "G" in pattern:
        k, p = divmod(pattern.index("G"), 8)
        eras = np.full(256, -1, dtype=np.int64)
        marks = np.asarray(era_marks)
        eras[marks[marks < 256]] = np.flatnonzero(marks < 256)
        era = np.take(eras, ((w[:, k] >> np.uint64(8 * p)) & np.uint64(0xFF)).astype(np.intp))
        ok &= era >= 0
        era = np.maximum(era, 0)
        ok &= year >= 1
        starts = np.asarray(era_starts, dtype=np.int64)
        year = starts[era] // 10000 + year - 1
        stamp = year * 10000 + mmdd
        ends = np.append(starts[1:], np.iinfo(np.int64).max)
        ok &= (stamp >= starts[era]) & (stamp < ends[era])
    else:
        ok &= year >= 1
    ok &= _MONTH_DAY[np.take(_LEAP, np.minimum(year, 9999)) * 10000 + np.minimum(mmdd, 9999)]
    return np.asarray(ok, dtype=bool).reshape(shape)
