"""Which characters a new system can hold (文字コード, 外字), and how many bytes each takes in an encoding.

The default allowed set is what CP932 encodes outside its user-defined area and outside the
vendor extensions: ASCII printable characters, half-width katakana (JIS X 0201) and JIS X 0208
(rows 1-8 and 16-84).  The NEC special characters (row 13: ①, Ⅰ, ㈱ …) and the NEC-selected and
IBM extensions (髙, 﨑 …) are encoded by CP932 but are not JIS X 0208: they are 外字 by default, and
``charset="cp932"`` accepts them.  Private-use code points U+E000–U+F8FF (CP932's user-defined
area, where old systems kept their 外字) are always 外字, and so are control characters.
"""

from __future__ import annotations

import codecs
import functools
from collections.abc import Iterable

import numpy as np
from numpy.typing import NDArray

from ..errors import ValidationError

__all__ = ["CHARSETS", "PAIR_BITS", "allowed_table", "cp932_tables", "pair_bit", "pair_flags", "width_table"]

_SIZE = 0x110000
_PUA = (0xE000, 0xF8FF)

CHARSETS = ("jis", "cp932")
"""Named character sets: ``"jis"`` (default: ASCII, half-width kana, JIS X 0208) and ``"cp932"``
(also the NEC and IBM extensions)."""


def _codec(encoding: str) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise ValidationError(f"unknown encoding {encoding!r}; use e.g. 'cp932' or 'utf-8'") from None


@functools.cache
def _cp932() -> tuple[NDArray[np.uint8], NDArray[np.bool_], NDArray[np.bool_]]:
    """Byte widths in CP932 and the two allowed sets (jis, cp932), for the BMP."""
    width = np.full(0x10000, 2, dtype=np.uint8)
    jis = np.zeros(0x10000, dtype=bool)
    cp = np.zeros(0x10000, dtype=bool)
    for c in range(0x10000):
        if 0xD800 <= c <= 0xDFFF:
            continue
        ch = chr(c)
        try:
            b = ch.encode("cp932")
        except UnicodeEncodeError:
            continue
        if b.decode("cp932") != ch:  # a one-way (best fit) mapping: not this character
            continue
        width[c] = len(b)
        if len(b) == 1:
            ok = 0x20 <= b[0] <= 0x7E or 0xA1 <= b[0] <= 0xDF
            jis[c] = cp[c] = ok
            continue
        code = b[0] << 8 | b[1]
        user = 0xF040 <= code <= 0xF9FC
        cp[c] = not user
        jis[c] = not user and not (0x8740 <= code <= 0x879C) and code < 0xED40
    width[0] = 0
    return width, jis, cp


def width_table(encoding: str) -> NDArray[np.uint8]:
    """Bytes each code point takes in ``encoding`` (index: code point; 0 for the padding NUL). [bytes]

    CP932 (and its aliases shift_jis, ms932 …): 1 for ASCII and half-width kana, 2 otherwise (a
    character CP932 cannot encode counts 2, as a 外字 in the user-defined area does).  UTF-8: 1 to 4.
    Other encodings: each character of the BMP is encoded to count.
    """
    name = _codec(encoding)
    return _width(name)


@functools.cache
def _width(name: str) -> NDArray[np.uint8]:
    out = np.empty(_SIZE, dtype=np.uint8)
    if name in ("cp932", "shift_jis", "shift_jis_2004", "shift_jisx0213", "euc_jp"):
        width, _, _ = _cp932()
        out[:0x10000] = width
        out[0x10000:] = 2
    elif name in ("utf-8", "utf_8"):
        points = np.arange(_SIZE)
        out[:] = np.where(points < 0x80, 1, np.where(points < 0x800, 2, np.where(points < 0x10000, 3, 4)))
    else:
        for c in range(0x10000):
            try:
                out[c] = len(chr(c).encode(name))
            except (UnicodeEncodeError, ValueError):
                out[c] = 2
        out[0x10000:] = 4
    out[0] = 0
    out.flags.writeable = False
    return out


@functools.cache
def _named(name: str) -> NDArray[np.bool_]:
    _, jis, cp = _cp932()
    out = np.zeros(_SIZE, dtype=bool)
    out[:0x10000] = jis if name == "jis" else cp
    out[0] = True  # the padding of a text matrix
    out[_PUA[0]:_PUA[1] + 1] = False
    out.flags.writeable = False
    return out


def allowed_table(charset: str | Iterable[str] | None = None) -> NDArray[np.bool_]:
    """Whether each code point is allowed (index: code point).

    Parameters
    ----------
    charset
        ``None`` or ``"jis"`` (ASCII, half-width kana, JIS X 0208), ``"cp932"`` (also the NEC and
        IBM extensions), or the allowed characters themselves: a string or an iterable of strings
        (e.g. a council's 行政事務標準文字 list); private-use code points are never allowed.
    """
    if charset is None or (isinstance(charset, str) and charset in CHARSETS):
        return _named(charset or "jis")
    text = charset if isinstance(charset, str) else "".join(charset)
    if not isinstance(text, str):
        raise ValidationError(f"charset must be 'jis', 'cp932' or the allowed characters, got {charset!r:.60}")
    out = np.zeros(_SIZE, dtype=bool)
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    out[codes] = True
    out[0] = True
    out[_PUA[0]:_PUA[1] + 1] = False
    out.flags.writeable = False
    return out


@functools.cache
def _cp932_bytes() -> tuple[NDArray[np.bool_], NDArray[np.uint32], NDArray[np.bool_], NDArray[np.uint32],
                            NDArray[np.bool_]]:
    """CP932 by byte, as Python's codec decodes it: lead bytes, one-byte and two-byte characters.

    Returns ``(lead_range, single_char, single_ok, pair_char, pair_ok)``: whether a byte value can
    begin a two-byte character (256); the code point of each byte value as a character by itself
    and whether it is one (256); the code point of each two-byte code ``lead + 256 * trail`` (the
    two bytes read as a little-endian 16-bit number) and whether it is one (65536).
    """
    lead_range = np.zeros(256, dtype=bool)
    single_char = np.zeros(256, dtype=np.uint32)
    single_ok = np.zeros(256, dtype=bool)
    for b in range(256):
        try:
            ch = bytes([b]).decode("cp932")
        except UnicodeDecodeError:
            lead_range[b] = True
            continue
        single_char[b], single_ok[b] = ord(ch), True
    pair_char = np.zeros(1 << 16, dtype=np.uint32)
    pair_ok = np.zeros(1 << 16, dtype=bool)
    for lead in np.flatnonzero(lead_range).tolist():
        for trail in range(256):
            try:
                ch = bytes([lead, trail]).decode("cp932")
            except UnicodeDecodeError:
                continue
            if len(ch) == 1:  # indexed lead + 256 * trail: the two bytes as a little-endian number
                pair_char[lead | trail << 8], pair_ok[lead | trail << 8] = ord(ch), True
    for a in (lead_range, single_char, single_ok, pair_char, pair_ok):
        a.flags.writeable = False
    return lead_range, single_char, single_ok, pair_char, pair_ok


_BYTE_SETS: dict[int, tuple[NDArray[np.bool_], NDArray[np.bool_]]] = {}


def cp932_tables(allowed: NDArray[np.bool_] | None = None) -> tuple[NDArray[np.bool_], NDArray[np.bool_],
                                                                   NDArray[np.bool_], NDArray[np.bool_],
                                                                   NDArray[np.bool_]]:
    """CP932 read from its bytes, without decoding: which bytes lead, which decode, which are allowed.

    Parameters
    ----------
    allowed
        An allowed set by code point (:func:`allowed_table`); default the default set (``"jis"``).

    Returns
    -------
    tuple
        ``(lead_range, single_ok, pair_ok, single_allowed, pair_allowed)``: whether a byte value can
        begin a two-byte character (256); whether a byte value is a character by itself (256);
        whether a two-byte code (``lead + 256 * trail``) is a character (65536); whether the
        character of a byte value (256) or of a two-byte code (65536) is in ``allowed`` (the
        user-defined area F040-F9FC decodes to private-use code points: never allowed).
    """
    lead_range, single_char, single_ok, pair_char, pair_ok = _cp932_bytes()
    table = allowed_table() if allowed is None else allowed
    cached = _BYTE_SETS.get(id(table)) if not table.flags.writeable else None
    if cached is None:
        single_allowed = single_ok & table[single_char]
        pair_allowed = pair_ok & table[pair_char]
        single_allowed.flags.writeable = pair_allowed.flags.writeable = False
        cached = (single_allowed, pair_allowed)
        if table is allowed_table("jis") or table is allowed_table("cp932"):
            _BYTE_SETS[id(table)] = cached
    return lead_range, single_ok, pair_ok, cached[0], cached[1]


PAIR_BITS = {"invalid": 1, "jis": 2, "cp932": 4}
"""The bits of :func:`pair_flags`: a two-byte code that does not decode, or outside a named set."""


@functools.cache
def pair_flags() -> NDArray[np.uint8]:
    """Per two-byte code (``lead + 256 * trail``), what is wrong with it, in one table (65536, ``uint8``).

    Bit 1: not a character (does not decode); bit 2: outside the default set (``"jis"``); bit 4:
    outside ``"cp932"`` (:data:`PAIR_BITS`).  One look-up a character then serves the decoding
    check of the reader and the charset check of the named sets.
    """
    _, _, pair_ok, _, jis = cp932_tables(allowed_table("jis"))
    cp = cp932_tables(allowed_table("cp932"))[4]
    out: NDArray[np.uint8] = ((~pair_ok).astype(np.uint8) * np.uint8(PAIR_BITS["invalid"])
           | (~jis).astype(np.uint8) * np.uint8(PAIR_BITS["jis"])
           | (~cp).astype(np.uint8) * np.uint8(PAIR_BITS["cp932"]))
    out.flags.writeable = False
    return out


def pair_bit(allowed: NDArray[np.bool_]) -> int:
    """The :func:`pair_flags` bit of a named allowed set (:func:`allowed_table`), or 0 for another set."""
    if allowed is allowed_table("jis"):
        return PAIR_BITS["jis"]
    if allowed is allowed_table("cp932"):
        return PAIR_BITS["cp932"]
    return 0
