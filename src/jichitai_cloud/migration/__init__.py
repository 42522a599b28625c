"""Data migration check (データ移行検証): each member's extract files checked against the council's layout.

Members move their records (住民記録, 固定資産税, 児童手当 …) from the old system to the new one.  A
council checks each extract against the layout it supplies (中間標準レイアウト仕様, or a standard
system's 基本データリスト): records, failing fields and why, characters the new system cannot hold
(外字), duplicated keys, keys missing from another file, and whether the member is ready to cut
over — without the check itself showing residents' data.  (The migration *schedule*, when each
member moves, is :mod:`jichitai_cloud.schedule`.)

Kernels (numpy text columns as code-point matrices): :func:`codepoints`, :func:`char_lengths`,
:func:`byte_lengths`, :func:`outside_charset`, :func:`number_parts`, :func:`valid_dates`,
:func:`duplicated`, :func:`missing_from`.

Domain: :func:`check_extract` → :class:`ExtractCheck` (``records``, ``counts()``); :func:`check_migration`
→ :class:`MigrationCheck` (``ready(member)``); :class:`Extract` / :class:`ExtractBatch`, what the reader
:func:`jichitai_cloud.io.read_extract` hands out; the layout records
(:class:`~jichitai_cloud.model.DataLayout`, :class:`~jichitai_cloud.model.LayoutField`) are in
:mod:`jichitai_cloud.model` and read by :func:`jichitai_cloud.io.load_layout`.

>>> from jichitai_cloud import examples, migration
>>> ex = examples.toyama_migration()
>>> check = migration.check_extract(ex.extract("B", "受給者"))
>>> check.counts()[("<key>", "duplicate")]
2
"""

from ._charset import CHARSETS, allowed_table, width_table
from ._check import RULES, ExtractCheck, RuleFailure, check_extract, mask
from ._extract import Extract, ExtractBatch, extract_from_records
from ._kernels import (
    byte_lengths,
    char_lengths,
    codepoints,
    duplicated,
    missing_from,
    number_parts,
    outside_charset,
    valid_dates,
)
from ._migration import DEFAULT_THRESHOLDS, MigrationCheck, ReferenceCheck, check_migration

__all__ = [
    "CHARSETS",
    "DEFAULT_THRESHOLDS",
    "RULES",
    "Extract",
    "ExtractBatch",
    "ExtractCheck",
    "MigrationCheck",
    "ReferenceCheck",
    "RuleFailure",
    "allowed_table",
    "byte_lengths",
    "char_lengths",
    "check_extract",
    "check_migration",
    "codepoints",
    "duplicated",
    "extract_from_records",
    "mask",
    "missing_from",
    "number_parts",
    "outside_charset",
    "valid_dates",
    "width_table",
]
