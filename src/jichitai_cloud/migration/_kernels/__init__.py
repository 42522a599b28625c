"""Kernels of the migration check: text columns as code-point matrices, numbers, dates, keys (numpy only)."""

from ._bytes import byte_pairs, byte_set, invalid_byte, lead_mask, outside_bytes, span_sums
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
    "byte_pairs",
    "byte_set",
    "byte_lengths",
    "char_lengths",
    "codepoints",
    "cut",
    "cut_many",
    "duplicated",
    "invalid_byte",
    "lead_mask",
    "missing_from",
    "number_parts",
    "outside_bytes",
    "outside_charset",
    "short_keys",
    "span_bytes",
    "span_counts",
    "span_dates",
    "span_gather",
    "span_numbers",
    "span_sums",
    "span_text",
    "spans_holding",
    "text_keys",
    "valid_dates",
]
