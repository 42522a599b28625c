"""Rows of a :class:`~jichitai_cloud.io.Table` turned into domain objects, one per row.

The topic schemas (member lists, request registers, observations, outages, work records) declare
which columns stand for which field; :func:`records_to_objects` types every cell for its field and
hands the row to the cattrs converter, reporting every problem with the file, sheet, row and column.

A cell is read for its field's type:

* integers: an ``int`` (an Excel number), a ``float`` or ``Decimal`` only if it is whole
  (``12345.0`` is 12345 persons, ``12345.5`` is refused), or text with optional thousands
  separators (``"540,000,000"``);
* numbers: an ``int`` or a finite ``float``, or text (``"1,234.5"``);
* numbers written in text are read the same in CSV and Excel, full-width (全角) digits and
  separators as their ASCII forms (``"５４０，０００，０００"`` is 540,000,000, see
  :func:`number_text`); any other character (a superscript ``²``, another script's digits) is
  refused with the cell's row and column;
* flags: ``True``/``False``, ``1``/``0``, or text (``true``/``yes``/``○``/``はい`` …);
* lists (codes): text separated by ``;`` or ``、``;
* text: a text cell, or a number as written (``162019``; a whole ``float`` without ``.0``);
* months, dates and times: text in any notation the converter reads, or an Excel date.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
import typing
import unicodedata
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, TypeVar

import attrs

from ..errors import ConversionError, InputError, JichitaiCloudError, Problem, ValidationError
from ._table import Cell, Table
from .converter import problems_of, structure

__all__ = ["TOTAL_WORDS", "cell_value", "duplicate_problems", "is_total_text", "number_text", "records_to_objects"]

T = TypeVar("T")

_INT_TEXT = re.compile(r"^[+-]?[0-9]{1,3}(,[0-9]{3})+$|^[+-]?[0-9]+$")
_FLOAT_TEXT = re.compile(r"^[+-]?([0-9]{1,3}(,[0-9]{3})+|[0-9]*)(\.[0-9]*)?([eE][+-]?[0-9]+)?$")

_FULL_WIDTH = {0xFF01 + i: 0x21 + i for i in range(0x5E)} | {0x3000: 0x20}
"""Full-width (全角) ASCII forms and the ideographic space, to their ASCII forms."""

TOTAL_WORDS = frozenset({"合計", "総計", "計", "小計", "総合計", "合計額", "total", "grandtotal", "subtotal", "sum"})
"""Cell texts that mark a total row (合計行), compared without spaces and case."""


def number_text(text: str) -> str:
    """A number written in a cell, as ASCII: full-width digits, signs and separators made half-width.

    ``"５４０，０００，０００"`` -> ``"540,000,000"``; ``"－５"`` -> ``"-5"``.  Other characters are kept
    (so ``"1²"`` stays and is refused by the number's pattern); surrounding spaces are removed.
    """
    return text.translate(_FULL_WIDTH).strip()


def is_total_text(value: object) -> bool:
    """Whether a cell reads like the label of a total row (``合計``, ``総計``, ``Total`` …)."""
    if not isinstance(value, str) or len(value) > 20:
        return False
    return "".join(number_text(value).split()).lower().rstrip(":：") in TOTAL_WORDS

_FORMULA_HINT = "; the cell is empty (or holds a formula Excel has not calculated: type the value)"


def _field_types(cls: type) -> dict[str, Any]:
    attrs.resolve_types(cls)
    return {f.name: f.type for f in attrs.fields(cls)}


def _empty(value: Cell) -> bool:
    return value is None or value == ""


def _number_text(value: Cell) -> str:
    """A non-text cell as text, the way a spreadsheet shows it (``162019``, not ``162019.0``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, _dt.datetime | _dt.date | _dt.time):
        return value.isoformat()
    return str(value)


def _whole(value: float | Decimal) -> int | None:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, Decimal) and not value.is_finite():
        return None
    return int(value) if value == int(value) else None


def cell_value(value: Cell, tp: Any) -> Any:
    """The plain value the converter expects for a field of type ``tp`` from one cell (or raise).

    Raises
    ------
    ValidationError
        The cell cannot stand for the type (``must be an integer, got 12345.5``).
    """
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if args and type(None) in args and origin is not tuple:
        if _empty(value):
            return None
        tp = next(a for a in args if a is not type(None))
        origin, args = typing.get_origin(tp), typing.get_args(tp)
    if isinstance(value, str):
        return _text_value(value, tp, origin)
    if tp is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        whole = _whole(value) if isinstance(value, float | Decimal) and not isinstance(value, bool) else None
        if whole is None:
            raise ValidationError(f"must be an integer, got {value!r}")
        return whole
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            raise ValidationError(f"must be a number, got {value!r}")
        x = float(value)
        if not math.isfinite(x):
            raise ValidationError(f"must be a finite number, got {value!r}")
        return int(x) if x.is_integer() and abs(x) < 2**53 else x
    if tp is bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        raise ValidationError(f"must be true or false, got {value!r}")
    if origin is tuple:
        return [] if value is None else [_number_text(value)]
    if tp is str:
        return "" if value is None else _number_text(value)
    return value  # months, dates, date-times: the converter reads an Excel date as it is


def _digits_hint(digits: str) -> str:
    odd = next((c for c in digits if not c.isascii() and unicodedata.digit(c, None) is not None), None)
    if odd is None:
        return ""
    return (f" written with the digits 0-9 (full-width ０-９ are read too; {odd!r}, U+{ord(odd):04X}, "
            "is not a digit here)")


def _text_value(text: str, tp: Any, origin: Any) -> Any:
    if tp is int:
        digits = number_text(text)
        if not _INT_TEXT.match(digits):
            raise ValidationError(f"must be an integer{_digits_hint(digits)}, got {text!r}")
        return int(digits.replace(",", ""))
    if tp is float:
        digits = number_text(text)
        low = digits.lower()
        if not (_FLOAT_TEXT.match(digits) and any(c.isdigit() for c in digits)) and low not in ("nan", "inf", "-inf",
                                                                                                 "+inf", "infinity"):
            raise ValidationError(f"must be a number{_digits_hint(digits)}, got {text!r}")
        try:
            x = float(digits.replace(",", ""))
        except ValueError:
            raise ValidationError(f"must be a number, got {text!r}") from None
        if x != x or x in (float("inf"), float("-inf")):
            raise ValidationError(f"must be a finite number, got {text!r}")
        return int(digits.replace(",", "")) if _INT_TEXT.match(digits) else x
    if tp is bool:
        low = text.lower()
        if low in ("true", "yes", "1", "○", "はい"):
            return True
        if low in ("false", "no", "0", "×", "いいえ", ""):
            return False
        raise ValidationError(f"must be true or false, got {text!r}")
    if origin is tuple:
        return [p.strip() for p in re.split(r"[;、]", text) if p.strip()] if text else []
    return text


def duplicate_problems(keyed: Iterable[tuple[int, Any]], *, what: str, column: str = "") -> list[Problem]:
    """One problem per key given on more than one row, naming every row: ``code '16201' in rows 3 and 7``.

    Parameters
    ----------
    keyed
        ``(row number in the file, key)`` for every row.
    what
        What the key is, for the message (``"member code"``).
    column
        How the message names the column (``"C '団体コード (code)'"``), if any.
    """
    rows_of: dict[Any, list[int]] = {}
    for row_no, key in keyed:
        rows_of.setdefault(key, []).append(row_no)
    out = []
    for key, rows in rows_of.items():
        if len(rows) > 1:
            where = f"rows {', '.join(map(str, rows[:-1]))} and {rows[-1]}"
            shown = key if isinstance(key, str) else " ".join(sorted(map(str, key)))
            out.append(Problem(f"{where}" + (f", column {column}" if column else ""),
                               f"duplicate {what} {shown!r}: given on {where}; each may appear once"))
    return out


def _required(cls: type) -> list[str]:
    return [f.name for f in attrs.fields(cls) if f.default is attrs.NOTHING and f.init]


def records_to_objects(table: Table, cls: type[T], *, aliases: Mapping[str, str] | None = None,
                       prefixed: Iterable[str] = (), headings: Mapping[str, str] | None = None) -> tuple[T, ...]:
    """Turn every row of a table into a ``cls`` object, reporting every problem with row and column.

    Parameters
    ----------
    table
        Rows as read by :func:`~jichitai_cloud.io.read_table` (CSV or a workbook's sheet).
    cls
        An attrs domain type; columns are its field names (or ``aliases`` of them).
    aliases
        Other column headings accepted, ``{heading: field}`` (e.g. Japanese headings).
    prefixed
        Fields of type :class:`FrozenMap` filled from columns ``field.key`` (e.g. ``drivers.staff``).
    headings
        How a message names a field's column when it is missing, ``{field: heading}``
        (``{"population": "人口 (population)"}``); default the field name.

    A column a required field needs and the table lacks is one problem naming the heading (not one
    per row); a row whose cell reads ``合計`` / ``Total`` (:data:`TOTAL_WORDS`) is one problem,
    "row 8 looks like a total row (合計); remove it", and its cells are not checked further.

    Raises
    ------
    InputError
        Naming the file, sheet, row and column of every problem, e.g.
        ``members.csv: row 4, column 'population': must be an integer >= 1 [persons], got -5`` or
        ``m.xlsx [sheet '参加団体 (members)']: row 4, column C '人口 (population)': …``.
    """
    types_ = _field_types(cls)
    aliases = dict(aliases or {})
    prefixed = tuple(prefixed)
    column_field: dict[str, str] = {}
    problems: list[Problem] = []
    for col in table.header:
        field = aliases.get(col, col)
        head, _, _rest = field.partition(".")
        if field in types_ or (head in prefixed and _rest):
            column_field[col] = field
        else:
            problems.append(Problem(f"column {table.column(col)}", f"unknown column; expected {sorted(types_)}"
                                    + (f" or {', '.join(p + '.NAME' for p in prefixed)}" if prefixed else "")))
    present = set(column_field.values())
    for field in _required(cls):
        if field not in present and field not in prefixed:
            name = (headings or {}).get(field, field)
            problems.append(Problem(f"row {table.header_row}", f"missing column {name!r}: every row needs it"))
    if problems:
        raise InputError(problems, source=table.source)
    heading_of = {field: col for col, field in column_field.items()}
    in_sheet = table.sheet is not None
    out: list[T] = []
    for row_no, values in table.rows:
        label = next((v for v in values.values() if is_total_text(v)), None)
        if label is not None:
            problems.append(Problem(f"row {row_no}", f"looks like a total row ({label}); remove it: "
                                                     "only one row per record"))
            continue
        data: dict[str, Any] = {}
        where_of: dict[str, str] = {}
        failed: set[str] = set()
        for col, value in values.items():
            field = column_field[col]
            head, _, key = field.partition(".")
            try:
                if head in prefixed and key:
                    if _empty(value):
                        continue
                    value_type = typing.get_args(types_[head])
                    data.setdefault(head, {})[key] = cell_value(value, value_type[0] if value_type else float)
                    where_of[f"{head}.{key}"] = col
                    where_of.setdefault(head, col)
                elif _empty(value) and typing.get_origin(types_[field]) is not tuple:
                    continue  # absent: the field's default applies (or "missing" is reported)
                else:
                    data[field] = cell_value(value, types_[field])
                    where_of[field] = col
            except JichitaiCloudError as exc:
                problems.append(Problem(f"row {row_no}, column {table.column(col)}", str(exc)))
                failed.add(head if head in prefixed and key else field)
        try:
            out.append(structure(data, cls))
        except ConversionError as exc:
            for p in exc.problems:
                first = p.where.split("[")[0]
                if first.split(".")[0] in failed:
                    continue  # already reported for the cell
                col = (where_of.get(p.where) or where_of.get(first.split(".")[0]) or heading_of.get(first)
                       or first)
                where = f"row {row_no}, column {table.column(col)}" if p.where else f"row {row_no}"
                message = p.message
                if in_sheet and message.startswith("missing"):
                    message += _FORMULA_HINT
                problems.append(Problem(where, message))
        except (JichitaiCloudError, ValueError) as exc:  # pragma: no cover - structure wraps these
            problems += [Problem(f"row {row_no}", q.message) for q in problems_of(exc)]
    if problems:
        raise InputError(problems, source=table.source)
    return tuple(out)
