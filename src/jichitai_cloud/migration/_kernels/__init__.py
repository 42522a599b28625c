"""Kernels of the migration check: text columns as code-point matrices, numbers, dates, keys (numpy only)."""

from ._dates import DATE_PATTERNS, valid_dates
from ._keys import duplicated, missing_from
from ._text import byte_lengths, char_lengths, codepoints, outside_charset
from ._values import number_parts

__all__ = [
    "DATE_PATTERNS",
    "byte_lengths",
    "char_lengths",
    "codepoints",
    "duplicated",
    "missing_from",
    "number_parts",
    "outside_charset",
    "valid_dates",
]
