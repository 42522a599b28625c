"""Text held as CP932 bytes: characters found without decoding.

In CP932 a character is one byte, or two when its first byte is a lead byte (0x81-0x9F,
0xE0-0xFC).  A trail byte (0x40-0xFC) may itself lie in the lead range, so which bytes lead is
read from runs: a byte outside the lead range always ends a character, so a run of lead-range bytes
starts on a character and alternates lead, trail, lead ….  Every separator of a CSV record (comma,
line feed, carriage return, double quote) is below 0x40, never part of a two-byte character, so the
spans of values are the same in the bytes as in the text.

From the lead bytes: a span's length in characters is its bytes less its lead bytes; the characters
themselves are looked up by byte (one-byte characters) or by byte pair (two-byte characters) in
tables built from the codec.  No Python loop over records or bytes.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "ascii_words",
    "byte_count",
    "byte_pairs",
    "byte_set",
    "invalid_byte",
    "lead_mask",
    "masked_bytes",
    "masked_words",
    "outside_bytes",
    "span_sums",
    "span_words",
    "word_numbers",
]


def _lead_range(raw: NDArray[np.uint8]) -> NDArray[np.bool_]:
    # 0x81-0x9F and 0xE0-0xFC: with bit 5 flipped, 0xA1-0xBF and 0xC0-0xDC, one interval
    shifted = (raw ^ np.uint8(0x20)) - np.uint8(0xA1)
    out: NDArray[np.bool_] = shifted < np.uint8(0x3C)
    return out


def lead_mask(raw: NDArray[np.uint8]) -> NDArray[np.bool_]:
    """Which bytes of CP932 text begin a two-byte character.

    Parameters
    ----------
    raw
        The bytes, shape ``(m,)``, starting on a character (a record's start).

    Returns
    -------
    numpy.ndarray
        ``bool``, shape ``(m,)``: the lead bytes (each followed by its trail byte, unless the
        text is cut short: see :func:`invalid_byte`).
    """
    m = raw.size
    work = np.bitwise_xor(raw, np.uint8(0x20))  # the lead range as one interval (as _lead_range), in place
    np.subtract(work, np.uint8(0xA1), out=work)
    inr: NDArray[np.bool_] = np.less(work, np.uint8(0x3C))
    if m < 3:
        lead = inr.copy()
        lead[1:] &= ~inr[:-1]  # a run's first byte (after a byte outside the range): a lead
        return lead
    # offset 1 in a run is the trail of its first byte; from offset 2 on a byte leads when the byte
    # before it does not: lead[i] = in_range[i] & ~lead[i - 1].  Each round of that rule over the
    # whole text makes one more offset right (whole-array boolean operations into two buffers, no
    # positions); the rare bytes at offset 8 or more alternate lead, trail from offset 8: read them
    # as positions.  How deep the runs go is read first, in the two buffers (no other allocation).
    a = work.view(np.bool_)  # scratch (the shifted bytes are no longer needed)
    lead = np.empty(m, dtype=bool)
    np.logical_and(inr[1:], inr[:-1], out=a[:m - 1])  # bytes i, i + 1 in the range: offset >= 1 at i + 1
    np.logical_and(a[1:m - 1], a[:m - 2], out=lead[:m - 2])  # offset >= 2 at i + 2
    rounds, deep = 0, None
    if lead[:m - 2].any():
        rounds = 2  # right up to offset 3
        if m >= 5:
            np.logical_and(lead[2:m - 2], lead[:m - 4], out=a[:m - 4])  # offset >= 4 at i + 4
            if a[:m - 4].any():
                rounds = 6  # right up to offset 7
                if m >= 9:
                    np.logical_and(a[4:m - 4], a[:m - 8], out=lead[:m - 8])  # offset >= 8 at i + 8
                    if lead[:m - 8].any():
                        deep = np.flatnonzero(lead[:m - 8]) + 8
    lead[0] = inr[0]
    np.greater(inr[1:], inr[:-1], out=lead[1:])  # a run's first byte (after a byte outside the range): a lead
    step = a
    step[0] = lead[0]
    for _ in range(rounds):  # an even number: the result ends in lead's own buffer
        np.less(lead[:-1], inr[1:], out=step[1:])
        lead, step = step, lead
    if deep is not None:
        begin = np.ones(deep.size, dtype=bool)
        begin[1:] = deep[1:] != deep[:-1] + 1
        k = np.arange(deep.size, dtype=np.intp)
        run = np.where(begin, k, 0)
        np.maximum.accumulate(run, out=run)
        lead[deep] = ((k - run) & 1) == 0  # each block starts at offset 8: a lead
    return lead


def byte_pairs(raw: NDArray[np.uint8], leads: NDArray[np.intp]) -> NDArray[np.uint16]:
    """The two-byte code of each lead byte at ``leads``: ``lead + 256 * trail`` (the two bytes read as a
    little-endian 16-bit number); 0 for a lead that ends ``raw``."""
    m = raw.size
    if leads.size == 0 or m < 2:
        return np.zeros(leads.size, dtype=np.uint16)
    out: NDArray[np.uint16] = np.take(raw[1:], leads, mode="clip").astype(np.uint16)  # (take: faster than indexing)
    out <<= np.uint16(8)
    out |= np.take(raw, leads)
    if leads[-1] == m - 1:
        out[-1] = 0
    return out


def _intervals(table: NDArray[np.bool_]) -> tuple[list[int], list[int]]:
    """The set ``table`` (256) as intervals ``[low, high]`` of byte values, taken round (high may pass 255)."""
    edges = np.flatnonzero(np.diff(np.concatenate(([False], table, [False])).astype(np.int8)))
    lows, highs = edges[0::2].tolist(), (edges[1::2] - 1).tolist()
    if len(lows) > 1 and lows[0] == 0 and highs[-1] == 255:  # join the last interval to the first
        lows, highs = lows[1:], highs[1:]
        highs[-1] = int(highs[-1]) + 1 + int(edges[1] - 1)
    return lows, highs


def byte_count(raw: NDArray[np.uint8], table: NDArray[np.bool_]) -> int:
    """How many bytes' values are in a set (``table[b]``): :func:`byte_set` counted, without its mask.

    The intervals do not overlap: each is counted in one scratch buffer (a subtraction, a
    comparison in place, a count).
    """
    lows, highs = _intervals(table)
    if len(lows) > 6:
        return int(np.count_nonzero(np.take(table, raw)))
    total = 0
    scratch = np.empty(raw.shape, dtype=np.uint8) if lows else None
    for lo, hi in zip(lows, highs, strict=True):
        assert scratch is not None
        hit = scratch.view(np.bool_)
        if hi == lo:
            np.equal(raw, np.uint8(lo), out=hit)
        else:
            np.subtract(raw, np.uint8(lo), out=scratch)  # wraps round
            np.less_equal(scratch, np.uint8((hi - lo) & 0xFF), out=hit)  # in place, element by element
        total += int(np.count_nonzero(hit))
    return total


def byte_set(raw: NDArray[np.uint8], table: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """Whether each byte's value is in a set (``table[b]``), by intervals when the set has few.

    The values are taken round (0xFF is next to 0x00), so that e.g. the control characters and
    0xFD-0xFF are one interval; each interval is one subtraction and one comparison.
    """
    lows, highs = _intervals(table)
    if len(lows) > 6:
        out: NDArray[np.bool_] = np.take(table, raw)
        return out
    out = np.empty(raw.shape, dtype=bool)
    if not lows:
        out[...] = False
        return out
    scratch = np.empty(raw.shape, dtype=np.uint8) if any(hi != lo for lo, hi in zip(lows, highs, strict=True)) \
        else None
    hit = np.empty(raw.shape, dtype=bool) if len(lows) > 1 else out
    for k, (lo, hi) in enumerate(zip(lows, highs, strict=True)):
        into = out if k == 0 else hit
        if hi == lo:
            np.equal(raw, np.uint8(lo), out=into)
        else:
            assert scratch is not None
            np.subtract(raw, np.uint8(lo), out=scratch)  # wraps round
            np.less_equal(scratch, np.uint8((hi - lo) & 0xFF), out=into)
        if k:
            np.logical_or(out, hit, out=out)
    return out


def invalid_byte(raw: NDArray[np.uint8], lead: NDArray[np.bool_], leads: NDArray[np.intp],
                 pairs: NDArray[np.uint16], single_ok: NDArray[np.bool_], pair_ok: NDArray[np.bool_]) -> int:
    """The first position that does not decode (an unmapped pair, a lead cut off, a bad byte), or -1.

    Parameters
    ----------
    raw, lead, leads, pairs
        The bytes, their lead bytes as a mask (:func:`lead_mask`) and as positions, and their
        pairs (:func:`byte_pairs`).
    single_ok
        Whether each byte value is a character by itself, shape ``(256,)`` (lead-range bytes are not).
    pair_ok
        Whether each two-byte code (as :func:`byte_pairs`) is a character, shape ``(65536,)``
        (code 0 is not).
    """
    ok = np.take(pair_ok, pairs)
    first = -1
    if not ok.all():
        first = int(leads[np.argmin(ok)])
    alone_bad = ~single_ok
    alone_bad[0x81:0xA0] = alone_bad[0xE0:0xFD] = False  # lead-range bytes: a lead or a trail
    if alone_bad.any():
        alone = byte_set(raw, alone_bad)
        alone[1:] &= ~lead[:-1]  # a trail byte is part of its pair
        at = np.flatnonzero(alone)
        if at.size and (first < 0 or int(at[0]) < first):
            first = int(at[0])
    return first


def outside_bytes(raw: NDArray[np.uint8], lead: NDArray[np.bool_], doubles: NDArray[np.intp],
                  single_allowed: NDArray[np.bool_], *,
                  gaps: tuple[NDArray[np.int64], NDArray[np.int64]] | None = None) -> NDArray[np.intp]:
    """Positions (sorted) of the characters outside an allowed set: a one-byte one, or a pair's lead byte.

    Parameters
    ----------
    raw, lead
        The bytes (valid CP932) and their lead bytes (:func:`lead_mask`).
    doubles
        The (sorted) positions of the two-byte characters outside the set (their lead bytes).
    single_allowed
        Whether each byte value, as a one-byte character, is allowed, shape ``(256,)``.
    gaps
        Optional spans ``[start, stop)`` of bytes that lie outside every value (e.g. the line
        break after each record), each at most 3 bytes long. [bytes]  When every refused one-byte
        character lies in them (counted, not located: the usual case, where only the line breaks
        are refused), no one-byte character is returned; otherwise those in the gaps may be.
    """
    refused = ~single_allowed
    refused[0x81:0xA0] = refused[0xE0:0xFD] = False  # lead-range bytes: a lead or a trail
    singles = np.zeros(0, dtype=np.intp)
    if refused.any():
        # NUL (which no extract holds: the reader refuses it) joins 0x01-0x1F to 0xFD-0xFF in one
        # interval round 0xFF; NULs found are dropped below
        nul = not refused[0] and bool(refused[1]) and bool(refused[0xFF])
        if nul:
            refused[0] = True
        locate = True
        if gaps is not None:
            g0, g1 = gaps
            width = g1 - g0
            if width.size == 0 or (int(width.min()) >= 0 and int(width.max()) <= 3):
                in_gaps = 0
                for d in range(3):
                    at = g0[width > d] + d
                    in_gaps += int(np.count_nonzero(refused[raw[at]]))
                locate = byte_count(raw, refused) != in_gaps
        if locate:
            singles = np.flatnonzero(byte_set(raw, refused))
            if nul and singles.size:
                singles = singles[raw[singles] != 0]
            if singles.size:
                # a trail byte (0x40-0xFC) is part of its pair, not a character
                singles = singles[(singles == 0) | ~lead[np.maximum(singles - 1, 0)]]
    if doubles.size == 0:
        return singles
    out: NDArray[np.intp] = np.sort(np.concatenate((singles, doubles)))
    return out


def span_sums(marks: NDArray[np.bool_], starts: NDArray[np.intp], stops: NDArray[np.intp]) -> NDArray[np.int64]:
    """How many of the marked positions (e.g. lead bytes) each span ``[start, stop)`` holds.

    The work is in the spans' own bytes (a running sum over them), for a few spans of a long text.
    """
    lengths = stops - starts
    ends = np.cumsum(lengths)
    begins = ends - lengths
    total = int(ends[-1]) if ends.size else 0
    at = np.repeat(starts - begins, lengths) + np.arange(total, dtype=np.intp)
    sums = np.zeros(total + 1, dtype=np.int64)
    np.cumsum(marks[at], out=sums[1:])
    out: NDArray[np.int64] = sums[ends] - sums[begins]
    return out


def span_words(raw: NDArray[np.uint8], starts: NDArray[np.intp], words: int) -> NDArray[np.uint64]:
    """The ``8 * words`` bytes from each span's start as little-endian 64-bit words.

    One unaligned 64-bit read a word (a strided view of ``raw``, no copy of it): short values
    (numbers, dates, codes) are read whole with a few operations a value.  Bytes past a span's end
    are whatever follows it (a separator, the next value; past the end of ``raw``, its last byte):
    the caller masks them (:func:`masked_bytes`) or needs only the span's own.

    Parameters
    ----------
    raw
        The bytes, shape ``(m,)``.
    starts
        Each span's start, any shape. [bytes]
    words
        Words a span (1 for values up to 8 bytes, 2 up to 16 …).

    Returns
    -------
    numpy.ndarray
        ``uint64``, shape ``starts.shape + (words,)``; ``out.view(np.uint8)`` holds the bytes.
    """
    if starts.ndim == 2 and starts.shape[0] > 1:
        # spans given field by field (fields x records) are read record by record, in file order: the
        # reads then follow each other through raw (several times faster than field by field)
        by_record = span_words(raw, np.ascontiguousarray(starts.T).reshape(-1), words)
        return np.ascontiguousarray(by_record.reshape(starts.shape[1], starts.shape[0], words).transpose(1, 0, 2))
    raw = np.ascontiguousarray(raw)
    m = raw.size
    s = starts.reshape(-1)
    out = np.zeros((s.size, words), dtype=np.uint64)
    if s.size == 0 or m == 0:
        return out.reshape(*starts.shape, words)
    last = m - 8  # the last position a whole word can be read from
    whole = np.ndarray(shape=(m - 7,), dtype="<u8", buffer=raw, offset=0, strides=(1,)) if m >= 8 else None
    for w in range(words):
        at = s + 8 * w if w else s
        past = int(at.max()) > last
        if whole is not None:
            out[:, w] = whole[np.minimum(at, last)] if past else whole[at]  # 1-D reads: (np.take would copy
            # the view; an index of 2 or more dimensions reads several times slower)
        if past:  # a word running past the end of raw, read byte by byte
            late = np.flatnonzero(at > last)
            b = np.take(raw, at[late][:, None] + np.arange(8), mode="clip").astype(np.uint64)
            out[late, w] = (b << (np.arange(8, dtype=np.uint64) * np.uint64(8))).sum(axis=1, dtype=np.uint64)
    return out.reshape(*starts.shape, words)


def masked_bytes(w: NDArray[np.uint64], lengths: NDArray[np.intp]) -> NDArray[np.uint8]:
    """The bytes of words from :func:`span_words`, zero past each span's end: shape ``lengths.shape + (8 * words,)``."""
    b = w.view(np.uint8).reshape(*lengths.shape, w.shape[-1] * 8)
    out: NDArray[np.uint8] = b * (np.arange(b.shape[-1]) < lengths[..., None])
    return out


def masked_words(w: NDArray[np.uint64], lengths: NDArray[np.intp]) -> NDArray[np.uint64]:
    """Words from :func:`span_words` with the bytes past each span's end zeroed (:func:`masked_bytes`, a word at a time)."""
    out = np.empty(w.shape, dtype=np.uint64)
    for k in range(w.shape[-1]):
        np.bitwise_and(w[..., k], _low_bytes(np.clip(lengths - 8 * k, 0, 8)), out=out[..., k])
    return out


_HIGH = np.uint64(0x8080808080808080)
_ONES = np.uint64(0x0101010101010101)
_ALL = np.uint64(0xFFFFFFFFFFFFFFFF)


_LOW7 = np.uint64(0x7F7F7F7F7F7F7F7F)


def _zero_bytes(y: NDArray[np.uint64]) -> NDArray[np.uint64]:
    """0x01 in each byte of ``y`` that is zero, 0x00 in the others (exact: no carry crosses a byte)."""
    out: NDArray[np.uint64] = (~(((y & _LOW7) + _LOW7) | y) >> np.uint64(7)) & _ONES
    return out


def _low_bytes(lengths: NDArray[np.intp]) -> NDArray[np.uint64]:
    """A 64-bit mask of the low ``min(length, 8)`` bytes of each word."""
    quarter = np.minimum(lengths, 8).astype(np.uint64) << np.uint64(2)  # 4 bits a byte, shifted twice (<= 32)
    out: NDArray[np.uint64] = ~((_ALL << quarter) << quarter)
    return out


def word_numbers(w: NDArray[np.uint64], lengths: NDArray[np.intp]
                 ) -> tuple[NDArray[np.bool_], NDArray[np.int64]]:
    """Numbers as written (``-12``, ``+3.50``) read from their bytes in 64-bit words (:func:`span_words`).

    The same rule as :func:`~._values.number_parts`: an optional sign first, ASCII digits, at most
    one point with a digit on each side.  Values must fit the words (``lengths <= 8 * words``).

    Returns
    -------
    tuple
        ``(is_number, decimals)``, each of ``lengths``' shape; decimals [digits] after the point
        (0 without one).
    """
    shape, words = w.shape[:-1], w.shape[-1]
    if words == 1:
        return _word_numbers(w[..., 0], lengths)
    b = w.view(np.uint8).reshape(*shape, 8 * words)  # the bytes, then what follows the value
    inside = np.arange(8 * words) < lengths[..., None]
    digit = ((b - np.uint8(48)) < np.uint8(10)) & inside
    dot = (b == 46) & inside
    sign = ((b == 43) | (b == 45)) & inside
    other = inside & ~(digit | dot | sign)

    def words_of(mask: NDArray[np.bool_]) -> NDArray[np.uint64]:
        out: NDArray[np.uint64] = np.ascontiguousarray(mask).view(np.uint64).reshape(*shape, words)
        return out

    def any_of(mask: NDArray[np.bool_]) -> NDArray[np.bool_]:
        out: NDArray[np.bool_] = (words_of(mask) != 0).any(axis=-1)
        return out

    def count(mask: NDArray[np.bool_]) -> NDArray[np.int64]:
        out: NDArray[np.int64] = np.bitwise_count(words_of(mask)).sum(axis=-1, dtype=np.int64)
        return out

    digits, dots = count(digit), count(dot)
    late_sign = sign.copy()
    late_sign[..., 0] = False
    before = np.zeros_like(dot)
    before[..., 1:] = dot[..., 1:] & digit[..., :-1]  # a point after a digit
    after = np.zeros_like(dot)
    after[..., :-1] = dot[..., :-1] & digit[..., 1:]  # a point before a digit
    one = dots == 1
    point_ok = (dots == 0) | (one & any_of(before) & any_of(after))
    is_number = ~any_of(other) & ~any_of(late_sign) & point_ok & (digits > 0) & (lengths > 0)
    # the point's place: the bytes before it, counted in its word (word - 1 sets the bytes below it)
    dw = words_of(dot)
    place = np.zeros(shape, dtype=np.int64)
    found = np.zeros(shape, dtype=bool)
    for k in range(words):
        here = (dw[..., k] != 0) & ~found
        below = np.bitwise_count(dw[..., k] - np.uint64(1)).astype(np.int64) // 8  # 0xFF a byte below
        place = np.where(here, 8 * k + below, place)
        found |= here
    decimals = np.where(one, lengths - place - 1, 0).astype(np.int64)
    return np.asarray(is_number, dtype=bool), decimals


def _word_numbers(w: NDArray[np.uint64], lengths: NDArray[np.intp]) -> tuple[NDArray[np.bool_], NDArray[np.int64]]:
    """:func:`word_numbers` for values of at most 8 bytes: each byte's class, then whole-word operations.

    The classes are found by arithmetic on whole words (each byte's top bit), not by a table.
    """
    ones = _low_bytes(lengths) & _ONES  # 0x01 in each byte of the value
    low = w & _LOW7
    # top bit of each byte: not a digit (>= ':', < '0' or >= 0x80; no carry crosses a byte)
    not_digit = (low + np.uint64(0x4646464646464646)) | ~(low + np.uint64(0x5050505050505050)) | w
    digit = (~not_digit >> np.uint64(7)) & ones
    dot = _zero_bytes(w ^ np.uint64(0x2E2E2E2E2E2E2E2E)) & ones
    sign = (_zero_bytes(w ^ np.uint64(0x2B2B2B2B2B2B2B2B)) | _zero_bytes(w ^ np.uint64(0x2D2D2D2D2D2D2D2D))) & ones
    others = (ones & ~(digit | dot | sign)) != 0
    late_sign = (sign & ~np.uint64(0xFF)) != 0
    digits = np.bitwise_count(digit)
    dots = np.bitwise_count(dot)
    before = (dot & (digit << np.uint64(8))) != 0  # a digit just before the point
    after = (dot & (digit >> np.uint64(8))) != 0  # a digit just after it
    one = dots == 1
    point_ok = (dots == 0) | (one & before & after)
    is_number = ~others & ~late_sign & point_ok & (digits > 0) & (lengths > 0)
    place = np.bitwise_count(dot - np.uint64(1)).astype(np.int64) >> 3  # bytes before the point
    decimals = np.where(one, lengths - place - 1, 0).astype(np.int64)
    return np.asarray(is_number, dtype=bool), decimals


def ascii_words(w: NDArray[np.uint64]) -> NDArray[np.bool_]:
    """Whether each value in words (:func:`span_words`) is ASCII (no byte 0x80 or above)."""
    out: NDArray[np.bool_] = ((w & _HIGH) == 0).all(axis=-1)
    return out
