"""Text held as CP932 bytes: characters found without decoding.

In CP932 a character is one byte, or two when its first byte is a lead byte (0x81-0x9F,
0xE0-0xFC).  A trail byte (0x40-0xFC) may itself lie in the lead range, so which bytes lead is
read from runs: a byte outside the lead range always ends a character, so a run of lead-range bytes
starts on a character and alternates lead, trail, lead ….  Every separator of a CSV record (comma,
line feed, carriage return, double quote) is below 0x40, never part of a two-byte character, so the
spans of values are the same in the bytes as in the text.

From the lead bytes: a span's length in characters is its bytes less its lead bytes; the characters
themselves are looked up by byte (one-byte characters) or by byte pair (two-byte characters) in
tables built from the codec.  No Python loop over records or bytes (a loop of a few rounds over
the whole batch, one per byte of the longest run of lead-range bytes, up to a bound).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["byte_pairs", "byte_set", "invalid_byte", "lead_mask", "outside_bytes", "span_sums"]

_ROUNDS = 8
"""Runs of lead-range bytes up to this long are read in rounds over the whole batch; longer
runs (rare: long strings of kanji whose trail bytes are also in the lead range) by a running
maximum over the run starts."""


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
    inr = _lead_range(raw)
    lead = inr.copy()
    if raw.size < 2:
        return lead
    cont = inr[1:] & inr[:-1]  # position p + 1 continues a run of lead-range bytes
    lead[1:] &= ~inr[:-1]  # run starts: offset 0, a lead
    cur = lead
    for k in range(1, _ROUNDS + 1):
        nxt = np.zeros_like(inr)
        np.logical_and(cur[:-1], cont, out=nxt[1:])  # offset k in its run
        if not nxt.any():
            return lead
        if k % 2 == 0:
            lead |= nxt
        cur = nxt
    # a run longer than the rounds: offsets from each run's start (a running maximum)
    p = np.flatnonzero(inr)
    begin = np.ones(p.size, dtype=bool)
    begin[1:] = p[1:] != p[:-1] + 1
    k_ = np.arange(p.size, dtype=np.intp)
    run = np.where(begin, k_, 0)
    np.maximum.accumulate(run, out=run)
    out = np.zeros_like(inr)
    out[p[((k_ - run) & 1) == 0]] = True
    return out


def byte_pairs(raw: NDArray[np.uint8], leads: NDArray[np.intp]) -> NDArray[np.uint16]:
    """The two-byte code (lead * 256 + trail) of each lead byte at ``leads``; 0 for a lead that ends ``raw``."""
    m = raw.size
    if leads.size == 0 or m < 2:
        return np.zeros(leads.size, dtype=np.uint16)
    inside = leads[-1] < m - 1
    at = leads if inside else leads[:-1]
    pair = raw[at].astype(np.uint16) << np.uint16(8)
    pair |= raw[at + 1]
    if not inside:
        pair = np.append(pair, np.uint16(0))
    return pair


def byte_set(raw: NDArray[np.uint8], table: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """Whether each byte's value is in a set (``table[b]``), by intervals when the set has few."""
    edges = np.flatnonzero(np.diff(np.concatenate(([False], table, [False])).astype(np.int8)))
    lows, highs = edges[0::2], edges[1::2] - 1
    if lows.size > 6:
        out: NDArray[np.bool_] = table[raw]
        return out
    out = np.zeros(raw.shape, dtype=bool)
    for lo, hi in zip(lows.tolist(), highs.tolist(), strict=True):
        if lo == hi:
            out |= raw == np.uint8(lo)
        else:
            out |= (raw - np.uint8(lo)) <= np.uint8(hi - lo)
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
        Whether each two-byte code is a character, shape ``(65536,)`` (code 0 is not).
    """
    bad = leads[~pair_ok[pairs]]
    first = int(bad[0]) if bad.size else -1
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
                  single_allowed: NDArray[np.bool_]) -> NDArray[np.intp]:
    """Positions (sorted) of the characters outside an allowed set: a one-byte one, or a pair's lead byte.

    Parameters
    ----------
    raw, lead
        The bytes (valid CP932) and their lead bytes (:func:`lead_mask`).
    doubles
        The (sorted) positions of the two-byte characters outside the set (their lead bytes).
    single_allowed
        Whether each byte value, as a one-byte character, is allowed, shape ``(256,)``.
    """
    refused = ~single_allowed
    refused[0x81:0xA0] = refused[0xE0:0xFD] = False  # lead-range bytes: a lead or a trail
    singles = np.zeros(0, dtype=np.intp)
    if refused.any():
        singles = np.flatnonzero(byte_set(raw, refused))
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
