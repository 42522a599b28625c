"""Kernels of the migration check: text columns as code-point matrices, numbers, dates, keys (numpy only)."""

from ._dates import DATE_PATTERNS, valid_dates
from ._keys import duplicated, missing_from
from ._text import (
    byte_lengths,
    char_lengths,
    codepoints,
    cut,
    cut_many,
    outside_charset,
    span_bytes,
    span_counts,
    spans_holding,
)
from ._values import number_parts

__all__ = [
    "DATE_PATTERNS",
    "byte_lengths",
    "char_lengths",
    "codepoints",
    "cut",
    "cut_many",
    "duplicated",
    "missing_from",
    "number_parts",
    "outside_charset",
    "span_bytes",
    "span_counts",
    "spans_holding",
    "valid_dates",
]
