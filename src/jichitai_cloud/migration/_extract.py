"""An extract (移行データ) as the checks see it: batches of records, each batch one text array per field.

:func:`jichitai_cloud.io.read_extract` opens a file and hands out an :class:`Extract`; the checks of
this package read only its batches, so they never open a file themselves and never hold a whole
extract in memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

import attrs
import numpy as np
from numpy.typing import NDArray

from ..errors import ValidationError
from ..model import DataLayout
from ._charset import PAIR_BITS, cp932_tables, pair_flags
from ._kernels import byte_pairs, cut, cut_many, invalid_byte, lead_mask

__all__ = ["Extract", "ExtractBatch", "decode_spans", "extract_from_records"]


@attrs.frozen(kw_only=True, slots=True)
class ExtractBatch:
    """Consecutive records of an extract, by field.

    A batch holds its values either as one text array per field (``columns=``), or flat, as the
    readers hand them out (``text=``, ``starts=``, ``stops=``): the code points of the whole batch
    in one array and each value's span in it, so that lengths and characters are checked over the
    batch at once and no per-field text array is built unless a rule needs the values themselves.
    A CP932 file is handed out flat in its own bytes (``raw=``, ``leads=``; see
    :meth:`from_cp932`): the checks then read lengths, characters, numbers and dates from the bytes
    and decode only the values they show or compare as text (keys, examples).

    Parameters
    ----------
    first
        The record number (1-based, counting records after any header) of the batch's first record.
    columns
        One array of text (``dtype='<U…'``) per field of the layout, in layout order, all of one
        length (or, for a flat batch, built on demand).
    text
        Flat form: the batch's code points, ``uint32``, shape ``(m,)``.
    starts, stops
        Flat form: value ``(record, field)`` is ``text[starts[r, f]:stops[r, f]]``; ``int64``, shape
        ``(records, fields)``. [positions]
    sizes
        Flat form, optional: each value's length in bytes of the layout's encoding, ``int64``, shape
        ``(records, fields)``, when the reader took it from the file's own bytes (a file in the
        layout's encoding, CP932 or UTF-8, without quotes); otherwise the checks count it. [bytes]
    raw
        Flat form in bytes: the batch's CP932 bytes, ``uint8``, shape ``(m,)`` (instead of
        ``text``); ``starts``/``stops`` are then byte positions. [bytes]
    leads
        With ``raw``: whether each byte is a lead byte (the first of a two-byte character), ``bool``,
        shape ``(m,)``.
    pairs
        With ``raw``: the two-byte code (lead + 256 * trail) of each lead byte in order, ``uint16``.
    flags
        With ``raw``, optional: what is wrong with each pair (:func:`~._charset.pair_flags`: outside
        the named character sets), ``uint8``, as ``pairs``; the checks then look no pair up again.
    """

    first: int
    _columns: tuple[NDArray[np.str_], ...] = ()
    text: NDArray[np.uint32] | None = None
    starts: NDArray[np.int64] | None = None
    stops: NDArray[np.int64] | None = None
    sizes: NDArray[np.int64] | None = None
    raw: NDArray[np.uint8] | None = None
    leads: NDArray[np.bool_] | None = None
    pairs: NDArray[np.uint16] | None = None
    flags: NDArray[np.uint8] | None = None

    def __attrs_post_init__(self) -> None:
        if isinstance(self.first, bool) or not isinstance(self.first, int) or self.first < 1:
            raise ValidationError(f"first must be a record number >= 1, got {self.first!r}")
        if self.raw is not None and (self.text is not None or self.leads is None or self.pairs is None):
            raise ValidationError("a batch in bytes (raw) comes with its lead bytes and without text: "
                                  "use ExtractBatch.from_cp932")
        if self.flags is not None and (self.pairs is None or self.flags.shape != self.pairs.shape):
            raise ValidationError("a batch's pair flags must have the shape of its pairs (one a two-byte code)")
        if self.text is not None or self.raw is not None:
            if self._columns:
                raise ValidationError("a batch is given either as columns or flat (text, starts, stops), not both")
            if self.starts is None or self.stops is None or self.starts.shape != self.stops.shape \
                    or self.starts.ndim != 2:
                raise ValidationError("a flat batch needs starts and stops of one shape (records, fields)")
            if self.sizes is not None and self.sizes.shape != self.starts.shape:
                raise ValidationError("a flat batch's sizes must have the shape of its starts (records, fields)")
            return
        sizes = {int(np.shape(c)[0]) for c in self._columns}
        if len(sizes) > 1:
            raise ValidationError(f"the columns of a batch must have one length, got {sorted(sizes)}")

    @classmethod
    def from_cp932(cls, *, first: int, raw: NDArray[np.uint8], starts: NDArray[np.int64],
                   stops: NDArray[np.int64]) -> ExtractBatch | None:
        """A flat batch held in its CP932 bytes, or ``None`` when the bytes are not valid CP932.

        Parameters
        ----------
        first
            The record number of the batch's first record.
        raw
            The bytes, ``uint8``, starting on a record; every value's span lies within them.
        starts, stops
            Each value's span in ``raw``, shape ``(records, fields)``. [bytes]

        Returns
        -------
        ExtractBatch or None
            ``None`` when some byte does not decode in CP932 as Python's codec decodes it (the
            reader then decodes the batch, and says where).
        """
        _, single_ok, pair_ok, _, _ = cp932_tables()
        lead = lead_mask(raw)
        at = np.flatnonzero(lead)
        pairs = byte_pairs(raw, at)
        flags = np.take(pair_flags(), pairs)  # one look-up a pair: decodes? in the named sets?
        alone = ~single_ok
        alone[0x81:0xA0] = alone[0xE0:0xFD] = False  # bytes that are no character alone, outside the lead range
        if (alone.any() or (flags.any() and (flags & np.uint8(PAIR_BITS["invalid"])).any())) and \
                invalid_byte(raw, lead, at, pairs, single_ok, pair_ok) >= 0:
            return None
        return cls(first=first, raw=raw, leads=lead, pairs=pairs, flags=flags, starts=starts, stops=stops)

    @property
    def flat(self) -> bool:
        """Whether the batch is held flat (``text`` or ``raw``, ``starts``, ``stops``)."""
        return self.text is not None or self.raw is not None

    def decoded(self) -> tuple[NDArray[np.uint32], NDArray[np.int64], NDArray[np.int64]]:
        """A flat batch's code points and spans (for a batch in bytes: its values decoded)."""
        if self.raw is not None and self.leads is not None and self.starts is not None and self.stops is not None:
            return decode_spans(self.raw, self.leads, self.starts, self.stops)
        if self.text is None or self.starts is None or self.stops is None:
            raise ValidationError("not a flat batch")
        return self.text, self.starts, self.stops

    @property
    def width(self) -> int:
        """Number of fields."""
        return int(self.starts.shape[1]) if self.starts is not None else len(self._columns)

    @property
    def size(self) -> int:
        """Number of records in the batch."""
        if self.starts is not None:
            return int(self.starts.shape[0])
        return int(self._columns[0].shape[0]) if self._columns else 0

    def column(self, j: int) -> NDArray[np.str_]:
        """The values of field ``j`` (0-based) as a text array."""
        if not self.flat:
            return self._columns[j]
        if self.raw is not None:
            assert self.leads is not None and self.starts is not None and self.stops is not None
            text, s, e = decode_spans(self.raw, self.leads, self.starts[:, [j]], self.stops[:, [j]])
            (mat,) = cut_many(text, s, e, (0,))
            return np.ascontiguousarray(mat).view(f"<U{mat.shape[1]}").reshape(mat.shape[0])
        assert self.text is not None and self.starts is not None and self.stops is not None
        mat = cut(self.text, self.starts[:, j], self.stops[:, j])
        return np.ascontiguousarray(mat).view(f"<U{mat.shape[1]}").reshape(mat.shape[0])

    @property
    def columns(self) -> tuple[NDArray[np.str_], ...]:
        """One text array per field, in layout order."""
        if not self.flat:
            return self._columns
        return tuple(self.column(j) for j in range(self.width))


def decode_spans(raw: NDArray[np.uint8], leads: NDArray[np.bool_], starts: NDArray[np.int64],
                 stops: NDArray[np.int64]) -> tuple[NDArray[np.uint32], NDArray[np.int64], NDArray[np.int64]]:
    """The values of spans of CP932 bytes decoded: their code points one after another, and their spans.

    Only the spans' own bytes are decoded (by Python's codec), in the order of ``starts``
    (records, then fields).  ``leads`` marks the lead bytes of ``raw`` (:func:`~._kernels.lead_mask`):
    a span's characters are its bytes less its lead bytes.  The spans returned have the shape of
    ``starts``.
    """
    lengths = (stops - starts).reshape(-1)
    ends = np.cumsum(lengths)
    begins = ends - lengths
    total = int(ends[-1]) if ends.size else 0
    at = np.repeat(starts.reshape(-1) - begins, lengths) + np.arange(total, dtype=np.int64)
    text = np.frombuffer(raw[at].tobytes().decode("cp932").encode("utf-32-le"), dtype=np.uint32)
    sums = np.zeros(total + 1, dtype=np.int64)
    np.cumsum(leads[at], out=sums[1:])
    char_starts, char_ends = begins - sums[begins], ends - sums[ends]
    return text, char_starts.reshape(starts.shape), char_ends.reshape(starts.shape)


@attrs.frozen(kw_only=True, slots=True, repr=False)
class Extract:
    """An extract file read against a layout: its batches, read again each time they are iterated.

    Parameters
    ----------
    source
        The file's name for messages (never its content).
    layout
        The layout the records follow.
    batches
        A function giving a fresh iterator over the batches (the reader re-opens the file).
    """

    source: str
    layout: DataLayout
    batches: Callable[[], Iterator[ExtractBatch]]

    def __iter__(self) -> Iterator[ExtractBatch]:
        return self.batches()

    def __repr__(self) -> str:
        return f"Extract(source={self.source!r}, layout={self.layout.name!r})"


def extract_from_records(records: Iterable[Iterable[str]], layout: DataLayout, *, source: str = "<records>",
                         batch_records: int = 65536) -> Extract:
    """An :class:`Extract` from records held in memory (tests, notebooks); each record one text per field.

    Raises
    ------
    ValidationError
        A record with another number of values than the layout has fields (naming the record number).
    """
    rows = [tuple(r) for r in records]
    n = len(layout.fields)
    for i, r in enumerate(rows):
        if len(r) != n or not all(isinstance(x, str) for x in r):
            raise ValidationError(f"{source}: record {i + 1} must hold {n} text values, got {len(r)}")
    if isinstance(batch_records, bool) or not isinstance(batch_records, int) or batch_records < 1:
        raise ValidationError(f"batch_records must be an integer >= 1, got {batch_records!r}")

    def batches() -> Iterator[ExtractBatch]:
        for start in range(0, len(rows), batch_records):
            part = rows[start:start + batch_records]
            cols = tuple(np.array(c, dtype=str) for c in zip(*part, strict=True))
            yield ExtractBatch(first=start + 1, columns=cols)

    return Extract(source=source, layout=layout, batches=batches)
