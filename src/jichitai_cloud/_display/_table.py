"""The declared table: columns with their Japanese and English headings, kind, unit and decimals.

Every result of the package hands out its content as :class:`DataTable` objects; every renderer
(text, notebook HTML, Markdown, pandas, and the exports of :mod:`jichitai_cloud.report`: xlsx, HTML
pages, CSV, JSON) reads the declaration and nothing else, so a column's heading, unit and format are
written once.

A value is stored as what it is: integer yen, an exact rate (:class:`~fractions.Fraction`, or a
float where the result only has one), a :class:`~jichitai_cloud.calendar.Month`, a ``bool``, text.
Rounding happens only when a value is shown (:mod:`._format`).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any, Literal, get_args

import attrs

from ..errors import ValidationError

__all__ = ["KINDS", "NUMERIC_KINDS", "Column", "DataTable", "Kind", "Lang", "check_lang", "sheet_name_ok"]

Kind = Literal["yen", "oku_yen", "persons", "months", "month", "percent", "ratio", "points", "count",
               "number", "text", "code", "name", "flag", "date"]
"""What a column holds; it fixes the unit, the default decimals and the spreadsheet format."""

KINDS: tuple[Kind, ...] = get_args(Kind)

Lang = Literal["ja", "en"]
"""The language of headings, captions and explanations: Japanese first, English on request."""

LANGS: tuple[Lang, ...] = get_args(Lang)

NUMERIC_KINDS: frozenset[str] = frozenset(
    {"yen", "oku_yen", "persons", "months", "percent", "ratio", "points", "count", "number"})
"""Kinds whose values are numbers (right-aligned, stored as numbers in a spreadsheet)."""

# kind -> (unit ja, unit en, default decimals)
_UNITS: dict[str, tuple[str, str, int]] = {
    "yen": ("円", "yen", 0),
    "oku_yen": ("億円", "100 million yen", 1),
    "persons": ("人", "persons", 0),
    "months": ("か月", "months", 0),
    "month": ("", "", 0),
    "percent": ("%", "%", 1),
    "ratio": ("", "", 4),
    "points": ("点", "points", 2),
    "count": ("件", "count", 0),
    "number": ("", "", 2),
    "text": ("", "", 0),
    "code": ("", "", 0),
    "name": ("", "", 0),
    "flag": ("", "", 0),
    "date": ("", "", 0),
}

_BAD_SHEET = frozenset("[]:*?/\\'")


def check_lang(lang: object) -> Lang:
    """``lang`` if it is ``"ja"`` or ``"en"``; a :class:`ValidationError` naming it otherwise."""
    if lang not in LANGS:
        raise ValidationError(f"lang must be one of {list(LANGS)}, got {lang!r}")
    return lang


def sheet_name_ok(name: str) -> bool:
    """Whether ``name`` is a valid spreadsheet sheet name (1-31 characters, none of ``[]:*?/\\'``)."""
    return 0 < len(name) <= 31 and not (set(name) & _BAD_SHEET) and name.strip() == name


def _check_kind(_obj: Any, _a: attrs.Attribute[str], value: str) -> None:
    if value not in KINDS:
        raise ValidationError(f"Column.kind must be one of {list(KINDS)}, got {value!r}")


def _check_column_lang(_obj: Any, _a: attrs.Attribute[Lang | None], value: object) -> None:
    if value is not None and value not in LANGS:
        raise ValidationError(f"Column.lang must be None or one of {list(LANGS)}, got {value!r}")


def _check_decimals(_obj: Any, _a: attrs.Attribute[int | None], value: int | None) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10):
        raise ValidationError(f"Column.decimals must be an integer 0-10 or None, got {value!r}")


@attrs.frozen(slots=True)
class Column:
    """One declared column.

    Parameters
    ----------
    key
        The machine name (``"share"``): the DataFrame column, the CSV/JSON key.
    ja
        The Japanese heading (``"負担額"``).
    en
        The English heading (``"Share"``).
    kind
        What the column holds (:data:`Kind`): it fixes the unit, the default decimals and the
        spreadsheet number format.
    decimals
        Decimals shown (default: by kind; yen 0, 億円 1, percent 1, ratio 4, points 2).
    total
        Whether a 合計 line sums this column (money, persons, counts).
    bilingual
        Whether the Japanese heading carries the key in parentheses (``負担額 (share)``); off for
        columns whose heading is itself a name (a member's name as a column).
    lang
        ``None`` (default): shown in both languages; ``"ja"`` or ``"en"``: a column of text written
        in that language, shown only in it (a finding in Japanese beside the same in English). The
        data (pandas, JSON, CSV with key headings) keeps both.
    """

    key: str
    ja: str
    en: str
    kind: Kind = attrs.field(default="text", validator=_check_kind)
    decimals: int | None = attrs.field(default=None, validator=_check_decimals)
    total: bool = False
    bilingual: bool = True
    lang: Lang | None = attrs.field(default=None, validator=_check_column_lang)

    @property
    def places(self) -> int:
        """Decimals shown (the declared ones, or the kind's default)."""
        return _UNITS[self.kind][2] if self.decimals is None else self.decimals

    def unit(self, lang: Lang = "ja") -> str:
        """The unit of the column in ``lang`` (``円``/``yen``; ``""`` where none)."""
        ja, en, _ = _UNITS[self.kind]
        return ja if lang == "ja" else en

    @property
    def numeric(self) -> bool:
        """Whether the values are numbers (right-aligned; stored as numbers)."""
        return self.kind in NUMERIC_KINDS

    def heading(self, lang: Lang = "ja") -> str:
        """The heading as shown: ``負担額 (share)`` in Japanese, ``Share`` in English; a 億円 column
        names its unit (``金額 (億円)``)."""
        if lang == "en":
            return f"{self.en} ({self.unit('en')})" if self.kind == "oku_yen" else self.en
        if self.kind == "oku_yen":
            return f"{self.ja} (億円)"
        key = self.key.removesuffix("_ja") if self.lang == "ja" else self.key  # 単位 (unit), not (unit_ja)
        return f"{self.ja} ({key})" if self.bilingual and self.ja != key else self.ja

    def renamed(self, key: str | None = None, *, ja: str | None = None, en: str | None = None) -> Column:
        """A copy with another key or headings (the same kind and format)."""
        return attrs.evolve(self, key=self.key if key is None else key, ja=self.ja if ja is None else ja,
                            en=self.en if en is None else en)


def _to_columns(value: Iterable[Column]) -> tuple[Column, ...]:
    return tuple(value)


def _to_texts(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


def _tuple_rows(rows: Iterable[Sequence[Any]]) -> tuple[tuple[Any, ...], ...]:
    return tuple(tuple(r) for r in rows)


def _check_value(table: str, row: int, col: Column, value: Any) -> None:
    if value is None:
        return
    kind = col.kind
    bad = False
    if kind in {"yen", "persons", "months", "count"}:
        bad = isinstance(value, bool) or not isinstance(value, int)
        if bad and kind != "yen" and isinstance(value, float) and value.is_integer():
            bad = False
    elif kind == "oku_yen":
        bad = isinstance(value, bool) or not isinstance(value, int | Fraction)
    elif kind in {"percent", "ratio", "points", "number"}:
        bad = isinstance(value, bool) or not isinstance(value, int | float | Fraction)
    elif kind == "flag":
        bad = not isinstance(value, bool)
    elif kind == "month":
        bad = not (hasattr(value, "era_short") and hasattr(value, "first_day"))
    elif kind == "date":
        bad = not isinstance(value, _dt.date)
    else:
        bad = not isinstance(value, str)
    if bad:
        raise ValidationError(f"table {table!r}, row {row + 1}, column {col.key!r} ({kind}): "
                              f"got {type(value).__name__} {value!r}")


def _sums_converter(value: Mapping[str, Sequence[str]] | Iterable[tuple[str, Sequence[str]]]
                    ) -> tuple[tuple[str, tuple[str, ...]], ...]:
    items = value.items() if isinstance(value, Mapping) else value
    return tuple((str(k), tuple(parts)) for k, parts in items)


@attrs.frozen(slots=True)
class DataTable:
    """One declared table: its columns, its rows of stored values, and how it is titled.

    Parameters
    ----------
    key
        Machine name of the table (``"allocation"``): the JSON key and the default sheet name.
    title
        The caption in Japanese (the name under which :meth:`TableView.tables` lists it).
    title_en
        The caption in English.
    columns
        The declared columns.
    rows
        One tuple of stored values per row, in column order.
    sheet, sheet_en
        Whole-word spreadsheet sheet names (at most 31 characters; default: ``key``).
    index
        The key of the column a DataFrame is indexed by, if any.
    totals
        Whether renderings show a 合計 line summing the columns declared ``total=True`` (the rows,
        :meth:`TableView.tables` and DataFrames never hold it).
    sums
        Row-wise totals shown beside their parts, ``{total key: (part keys)}``: the shown parts are
        rounded so that they add up to the shown total (largest remainder), and a note says so.
    notes, notes_en
        Lines shown under the table, in Japanese and in English.
    """

    key: str
    title: str
    title_en: str
    columns: tuple[Column, ...] = attrs.field(converter=_to_columns)
    rows: tuple[tuple[Any, ...], ...] = attrs.field(converter=_tuple_rows)
    sheet: str = ""
    sheet_en: str = ""
    index: str | None = None
    totals: bool = False
    sums: tuple[tuple[str, tuple[str, ...]], ...] = attrs.field(default=(), converter=_sums_converter)
    notes: tuple[str, ...] = attrs.field(default=(), converter=_to_texts)
    notes_en: tuple[str, ...] = attrs.field(default=(), converter=_to_texts)

    def __attrs_post_init__(self) -> None:
        keys = [c.key for c in self.columns]
        if len(set(keys)) != len(keys):
            dup = sorted({k for k in keys if keys.count(k) > 1})
            raise ValidationError(f"table {self.key!r}: column keys repeat: {dup}")
        for name, value in (("sheet", self.sheet), ("sheet_en", self.sheet_en)):
            if value and not sheet_name_ok(value):
                raise ValidationError(f"table {self.key!r}: {name} must be 1-31 characters without []:*?/\\', "
                                      f"got {value!r}")
        if self.index is not None and self.index not in keys:
            raise ValidationError(f"table {self.key!r}: index {self.index!r} is not a column; columns are {keys}")
        for total, parts in self.sums:
            missing = [k for k in (total, *parts) if k not in keys]
            if missing:
                raise ValidationError(f"table {self.key!r}: sums name unknown columns {missing}")
        for i, row in enumerate(self.rows):
            if len(row) != len(self.columns):
                raise ValidationError(f"table {self.key!r}, row {i + 1}: {len(row)} values for "
                                      f"{len(self.columns)} columns")
            for col, value in zip(self.columns, row, strict=True):
                _check_value(self.key, i, col, value)

    # -- access -----------------------------------------------------------------------------------
    @property
    def keys(self) -> tuple[str, ...]:
        """The column keys, in order."""
        return tuple(c.key for c in self.columns)

    def position(self, key: str) -> int:
        """Position of the column ``key``."""
        try:
            return self.keys.index(key)
        except ValueError:
            raise ValidationError(f"table {self.key!r} has no column {key!r}; it has {list(self.keys)}") from None

    def column(self, key: str) -> Column:
        """The column ``key``."""
        return self.columns[self.position(key)]

    def values(self, key: str) -> tuple[Any, ...]:
        """The stored values of column ``key``."""
        j = self.position(key)
        return tuple(r[j] for r in self.rows)

    def caption(self, lang: Lang = "ja") -> str:
        """The caption in ``lang``."""
        return self.title if lang == "ja" else self.title_en

    def headings(self, lang: Lang = "ja") -> tuple[str, ...]:
        """The shown headings in ``lang``."""
        return tuple(c.heading(lang) for c in self.columns)

    def sheet_name(self, lang: Lang = "ja") -> str:
        """The sheet name in ``lang`` (declared, else the key; a spreadsheet writer shortens a key
        longer than 31 characters by whole words)."""
        name = self.sheet if lang == "ja" else (self.sheet_en or self.sheet)
        return name or self.key

    def in_lang(self, lang: Lang = "ja") -> DataTable:
        """The table as shown in ``lang``: without the columns written in the other language
        (:attr:`Column.lang`); the table itself when it has none."""
        keep = [j for j, c in enumerate(self.columns) if c.lang is None or c.lang == lang]
        if len(keep) == len(self.columns):
            return self
        kept = {self.columns[j].key for j in keep}
        return attrs.evolve(
            self, columns=[self.columns[j] for j in keep], rows=[[r[j] for j in keep] for r in self.rows],
            index=self.index if self.index in kept else None,
            sums=[(t, parts) for t, parts in self.sums if t in kept and set(parts) <= kept])

    def note_lines(self, lang: Lang = "ja") -> tuple[str, ...]:
        """The notes in ``lang``, with the rounding note when shown parts are apportioned."""
        lines = list(self.notes if lang == "ja" else self.notes_en)
        if self.sums or (self.totals and any(c.total and c.kind in {"oku_yen", "points", "number", "percent"}
                                             for c in self.columns)):
            lines.append("表示上の端数は最大剰余法で調整し、内訳の表示値の和が表示した合計と一致するようにしています。"
                         if lang == "ja" else
                         "Shown parts are rounded by largest remainder so that they add up to the shown total.")
        return tuple(lines)

    def total_row(self) -> tuple[Any, ...] | None:
        """The 合計 line: exact sums of the columns declared ``total=True`` (``None`` elsewhere and
        when the table shows no totals). [yen, persons, counts]"""
        if not self.totals or not any(c.total for c in self.columns):
            return None
        out: list[Any] = []
        for j, c in enumerate(self.columns):
            if not c.total:
                out.append(None)
                continue
            vals = [r[j] for r in self.rows if r[j] is not None]
            out.append(sum(vals, Fraction(0)) if any(isinstance(v, Fraction | float) for v in vals) else sum(vals))
        return tuple(out)

    def records(self) -> list[dict[str, Any]]:
        """The rows as ``{key: stored value}`` dictionaries."""
        keys = self.keys
        return [dict(zip(keys, r, strict=True)) for r in self.rows]
