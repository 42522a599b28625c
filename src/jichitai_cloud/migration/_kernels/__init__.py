"""Kernels of the migration check: text columns as code-point matrices, numbers, dates, keys (numpy only)."""

from ._dates import DATE_PATTERNS, span_dates, valid_dates
from ._keys import SHORT, duplicated, missing_from, short_keys, text_keys
from ._text import (
    byte_lengths,
    char_lengths,
    codepoints,
    cut,
    cut_many,
    outside_charset,
    span_bytes,
    span_counts,
    span_gather,
    span_text,
    spans_holding,
)
from ._values import number_parts, span_numbers

__all__ = [
    "DATE_PATTERNS",
    "SHORT",
    "byte_lengths",
    "char_lengths",
    "codepoints",
    "cut",
    "cut_many",
    "duplicated",
    "missing_from",
    "number_parts",
    "outside_charset",
    "short_keys",
    "span_bytes",
    "span_counts",
    "span_dates",
    "span_gather",
    "span_numbers",
    "span_text",
    "spans_holding",
    "text_keys",
    "valid_dates",
]
