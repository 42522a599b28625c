"""The data layout of a migration extract (データ移行のレイアウト): fields, types, lengths, keys, code tables.

A council checks every member's extract files against a layout: the 中間標準レイアウト仕様 of the
source document, or the 基本データリスト of a standard system today.  A layout lists, for each field
(項目), its id (項目ID), Japanese name (項目名), type (型: 文字 text, 数値 number, 日付 date, コード code),
length (桁数) in characters (文字) or bytes (バイト) of the layout's encoding (CP932 counts a
full-width character as 2 bytes), decimals (小数桁) for numbers, whether it is required (必須), the
date format (書式) and the code table (コード表) it draws from; the fields marked キー form the
record key.  :func:`jichitai_cloud.io.load_layout` reads a layout from the spreadsheet a council
has; :func:`jichitai_cloud.migration.check_extract` checks an extract against it.
"""

from __future__ import annotations

import codecs
import enum
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from .. import _validators as v
from .._frozenmap import FrozenMap
from ..errors import ValidationError

__all__ = ["DATE_FORMATS", "DataLayout", "FieldType", "LayoutField", "LengthUnit"]


class FieldType(enum.StrEnum):
    """A field's type (型)."""

    TEXT = "文字"
    NUMBER = "数値"
    DATE = "日付"
    CODE = "コード"


class LengthUnit(enum.StrEnum):
    """What a field's length (桁数) counts: characters (文字) or bytes of the layout's encoding (バイト)."""

    CHARS = "文字"
    BYTES = "バイト"


DATE_FORMATS: tuple[str, ...] = ("YYYYMMDD", "YYYY-MM-DD", "GYY.MM.DD", "GYYMMDD")
"""Date formats (書式) a 日付 field may state: ``YYYYMMDD`` (``20250401``), ``YYYY-MM-DD``
(``2025-04-01``), ``GYY.MM.DD`` (和暦 with the era letter M/T/S/H/R, ``R07.04.01``) and ``GYYMMDD``
(和暦 with the era digit 1-5 for 明治-令和, ``5070401``)."""

_TYPE_ALIASES = {"text": FieldType.TEXT, "number": FieldType.NUMBER, "date": FieldType.DATE,
                 "code": FieldType.CODE, "文字列": FieldType.TEXT, "数字": FieldType.NUMBER}
_UNIT_ALIASES = {"": LengthUnit.CHARS, "chars": LengthUnit.CHARS, "char": LengthUnit.CHARS,
                 "characters": LengthUnit.CHARS, "bytes": LengthUnit.BYTES, "byte": LengthUnit.BYTES}


def _to_type(value: Any) -> Any:
    if isinstance(value, FieldType):
        return value
    if isinstance(value, str):
        text = value.strip()
        for t in FieldType:
            if text == t.value:
                return t
        if text.lower() in _TYPE_ALIASES:
            return _TYPE_ALIASES[text.lower()]
    raise ValidationError(f"type must be one of 文字, 数値, 日付, コード (text, number, date, code), got {value!r:.60}")


def _to_unit(value: Any) -> Any:
    if value is None:
        return LengthUnit.CHARS
    if isinstance(value, LengthUnit):
        return value
    if isinstance(value, str):
        text = value.strip()
        for u in LengthUnit:
            if text == u.value:
                return u
        if text.lower() in _UNIT_ALIASES:
            return _UNIT_ALIASES[text.lower()]
    raise ValidationError(f"unit must be 文字 or バイト (chars, bytes; blank: 文字), got {value!r:.60}")


def _field_id(_inst: Any, attribute: Any, value: Any) -> None:
    v.check_text(value, attribute.name, empty=False)
    if value != value.strip() or "\x1f" in value:
        raise ValidationError(f"{attribute.name} must be an id without surrounding spaces, got {value!r:.60}")


@attrs.frozen(kw_only=True, slots=True)
class LayoutField:
    """One field (項目) of a data layout.

    Parameters
    ----------
    field_id
        The field's id (項目ID), e.g. ``"A001"``; unique in the layout.
    name
        Japanese name (項目名), e.g. ``"宛名番号"``.
    type
        :class:`FieldType`: ``文字``, ``数値``, ``日付`` or ``コード`` (``"text"`` etc. accepted).
    length
        Largest length (桁数), >= 1, in ``unit``. [characters or bytes]
    unit
        :class:`LengthUnit`: ``文字`` (characters, default) or ``バイト`` (bytes of the layout's
        encoding: in CP932 a full-width character is 2 bytes).
    decimals
        Most digits after the decimal point (小数桁) of a 数値 field (0: whole numbers). [digits]
    required
        Whether the field must be filled (必須).
    key
        Whether the field is part of the record key (キー); key fields are required.
    format
        The date format (書式) of a 日付 field, one of :data:`DATE_FORMATS` (default ``YYYYMMDD``).
    code_table
        The name of the code table (コード表) of a コード field.
    """

    field_id: str = attrs.field(validator=_field_id)
    name: str = attrs.field(default="", validator=v.text(multiline=False))
    type: FieldType = attrs.field(default=FieldType.TEXT, converter=_to_type)
    length: int = attrs.field(default=1, validator=v.integer(min=1, unit="characters or bytes"))
    unit: LengthUnit = attrs.field(default=LengthUnit.CHARS, converter=_to_unit)
    decimals: int = attrs.field(default=0, validator=v.integer(min=0, unit="digits"))
    required: bool = attrs.field(default=False)
    key: bool = attrs.field(default=False)
    format: str | None = attrs.field(default=None)
    code_table: str | None = attrs.field(default=None)

    def __attrs_post_init__(self) -> None:
        for name in ("required", "key"):
            if not isinstance(getattr(self, name), bool):
                raise ValidationError(f"{name} of field {self.field_id!r} must be true or false, "
                                      f"got {getattr(self, name)!r}")
        if self.type is FieldType.DATE:
            fmt = self.format or "YYYYMMDD"
            if fmt not in DATE_FORMATS:
                raise ValidationError(f"format of field {self.field_id!r} must be one of {list(DATE_FORMATS)}, "
                                      f"got {self.format!r:.40}")
            object.__setattr__(self, "format", fmt)
        elif self.format not in (None, ""):
            raise ValidationError(f"format of field {self.field_id!r} is for 日付 fields; it is {self.type.value}")
        else:
            object.__setattr__(self, "format", None)
        if self.type is FieldType.CODE:
            if not isinstance(self.code_table, str) or not self.code_table.strip():
                raise ValidationError(f"code_table of コード field {self.field_id!r} must name a code table, "
                                      f"got {self.code_table!r}")
        elif self.code_table not in (None, ""):
            raise ValidationError(f"code_table of field {self.field_id!r} is for コード fields; it is "
                                  f"{self.type.value}")
        else:
            object.__setattr__(self, "code_table", None)
        if self.decimals and self.type is not FieldType.NUMBER:
            raise ValidationError(f"decimals of field {self.field_id!r} is for 数値 fields; it is {self.type.value}")
        if self.key and not self.required:
            object.__setattr__(self, "required", True)


def _to_fields(value: Any) -> Any:
    if isinstance(value, Iterable) and not isinstance(value, str | bytes | Mapping):
        return tuple(LayoutField(**x) if isinstance(x, Mapping) else x for x in value)
    return value


def _to_tables(value: Any) -> Any:
    if isinstance(value, Mapping):
        return FrozenMap({str(k): tuple(c) for k, c in value.items()})
    return value


def _encoding(_inst: Any, attribute: Any, value: Any) -> None:
    try:
        codecs.lookup(value)
    except (LookupError, TypeError):
        raise ValidationError(f"{attribute.name} must be a text encoding such as 'cp932' or 'utf-8', "
                              f"got {value!r:.40}") from None


@attrs.frozen(kw_only=True, slots=True)
class DataLayout:
    """A data layout (レイアウト): the fields of one kind of extract file, in file order, and its code tables.

    Parameters
    ----------
    name
        The layout's name, e.g. ``"児童手当 受給者"``.
    fields
        The :class:`LayoutField` objects in the order of the file's columns (at least one; ids unique).
    code_tables
        Code table (コード表) name -> the valid codes.  Every コード field's table must be here.
    encoding
        The encoding byte lengths are counted in (default ``"cp932"``).

    Examples
    --------
    >>> layout = DataLayout(name="例", fields=[LayoutField(field_id="A1", name="宛名番号", length=15, key=True)])
    >>> layout.key
    ('A1',)
    """

    name: str = attrs.field(validator=v.text(multiline=False))
    fields: tuple[LayoutField, ...] = attrs.field(converter=_to_fields)
    code_tables: FrozenMap[tuple[str, ...]] = attrs.field(factory=lambda: FrozenMap({}), converter=_to_tables)
    encoding: str = attrs.field(default="cp932", validator=_encoding)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.fields, tuple) or not self.fields or \
                not all(isinstance(f, LayoutField) for f in self.fields):
            raise ValidationError(f"fields of layout {self.name!r} must be a non-empty list of LayoutField, "
                                  f"got {self.fields!r:.80}")
        seen: set[str] = set()
        for f in self.fields:
            if f.field_id in seen:
                raise ValidationError(f"field id {f.field_id!r} is given twice in layout {self.name!r}")
            seen.add(f.field_id)
        for name, codes in self.code_tables.items():
            if not all(isinstance(c, str) for c in codes):
                raise ValidationError(f"code table {name!r} of layout {self.name!r} must hold text codes")
        for f in self.fields:
            if f.code_table is not None and f.code_table not in self.code_tables:
                raise ValidationError(f"field {f.field_id!r} of layout {self.name!r} refers to code table "
                                      f"{f.code_table!r}, which the layout does not have; it has "
                                      f"{list(self.code_tables)}")

    @property
    def ids(self) -> tuple[str, ...]:
        """The field ids in file order."""
        return tuple(f.field_id for f in self.fields)

    @property
    def key(self) -> tuple[str, ...]:
        """The ids of the record key's fields (キー), in file order (empty: no key)."""
        return tuple(f.field_id for f in self.fields if f.key)

    def field(self, field_id: str) -> LayoutField:
        """The field with id ``field_id``."""
        for f in self.fields:
            if f.field_id == field_id:
                return f
        raise ValidationError(f"layout {self.name!r} has no field {field_id!r}; it has {list(self.ids)}")

    def index(self, field_id: str) -> int:
        """The 0-based column of field ``field_id``."""
        return self.ids.index(self.field(field_id).field_id)
