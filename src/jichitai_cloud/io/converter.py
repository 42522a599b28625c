"""The one cattrs converter of the package, and the translation of its errors into located problems.

Validation and serialisation happen at the edges (cattrs' motto): :func:`make_converter` builds
a converter that turns plain data (from TOML, JSON or CSV) into the immutable domain types and
back.  Unlike a plain converter it

* checks types strictly (``"12"`` is not an integer, ``true`` is not a number, ``1.5`` is not yen);
* rejects unknown keys (a misspelt field is an error, not silently ignored);
* runs each field's validator on its own, so one call reports *every* bad field of a file with
  its path (``members[3].population``), not only the first.

Use :func:`structure` / :func:`unstructure` for the common case; they raise
:class:`~jichitai_cloud.errors.ConversionError` listing every problem.
"""

from __future__ import annotations

import datetime as _dt
import enum
import functools
import math
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import attrs
import cattrs
from cattrs.errors import ClassValidationError, IterableValidationError
from cattrs.gen import make_dict_unstructure_fn, override

from .._frozenmap import FrozenMap
from ..calendar import Month, parse_datetime, to_jst
from ..errors import ConversionError, JichitaiCloudError, Problem, ValidationError

__all__ = ["make_converter", "problems_of", "structure", "unstructure"]

T = TypeVar("T")

ABSENT = "absent"
"""How a missing value inside a list (an absent judge's score) is written in TOML, which has no null."""


def _type_name(tp: Any) -> str:
    return getattr(tp, "__name__", None) or str(tp).replace("typing.", "")


def _strict_int(value: Any, _tp: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"must be an integer, got {value!r}")
    return value


def _strict_float(value: Any, _tp: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(f"must be a number, got {value!r}")
    if not math.isfinite(value):
        raise ValidationError(f"must be a finite number, got {value!r}")
    return float(value) if isinstance(value, float) else value  # keep ints exact


def _strict_str(value: Any, _tp: Any) -> str:
    if not isinstance(value, str):
        raise ValidationError(f"must be text, got {value!r}")
    return value


def _strict_bool(value: Any, _tp: Any) -> bool:
    if not isinstance(value, bool):
        raise ValidationError(f"must be true or false, got {value!r}")
    return value


def _month(value: Any, _tp: Any) -> Month:
    if isinstance(value, Month):
        return value
    if isinstance(value, str):
        return Month.parse(value)
    if isinstance(value, _dt.date):
        return Month.from_date(value)
    raise ValidationError(f"must be a month such as 'H27.04' or '2015-04', got {value!r}")


def _datetime(value: Any, _tp: Any) -> _dt.datetime:
    if isinstance(value, _dt.datetime):
        return to_jst(value)
    if isinstance(value, str):
        return parse_datetime(value)
    raise ValidationError(f"must be a date and time such as '2015-10-05 09:30' (Japan time), got {value!r}")


def _date(value: Any, _tp: Any) -> _dt.date:
    if isinstance(value, _dt.datetime):
        raise ValidationError(f"must be a date such as 2014-05-20 (no time), got {value!r}")
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValidationError(f"must be a date such as 2014-05-20, got {value!r}")


def _is_frozenmap(tp: Any) -> bool:
    return typing.get_origin(tp) is FrozenMap or tp is FrozenMap


def _is_optional_scalar(tp: Any) -> bool:
    args = typing.get_args(tp)
    return (typing.get_origin(tp) in (typing.Union, types.UnionType) and type(None) in args
            and len(args) == 2)


def _is_scalar_or_map(tp: Any) -> bool:
    """``int | FrozenMap[int]`` and the like: one amount, or a table of them (a fee for the council or per member)."""
    if typing.get_origin(tp) not in (typing.Union, types.UnionType):
        return False
    args = typing.get_args(tp)
    return (len(args) == 2 and sum(_is_frozenmap(a) for a in args) == 1
            and sum(a in (int, float, str) for a in args) == 1)


def _is_tuple_type(tp: Any) -> bool:
    origin: Any = typing.get_origin(tp)
    return origin is tuple or tp is tuple


def _is_enum(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, enum.Enum)


def _is_ours(tp: Any) -> bool:
    return attrs.has(tp) and getattr(tp, "__module__", "").startswith("jichitai_cloud.") and tp is not Month \
        and not _is_frozenmap(tp)


def _attribute_note(cls: type, name: str, tp: Any) -> Any:
    from cattrs.errors import AttributeValidationNote

    return AttributeValidationNote(f"Structuring class {cls.__qualname__} @ attribute {name}", name, tp)


def _make_attrs_structure(conv: cattrs.Converter, cls: type) -> Callable[[Any, Any], Any]:
    attrs.resolve_types(cls)
    fields = {f.alias or f.name: f for f in attrs.fields(cls) if not f.metadata.get("transient")}

    def structure_attrs(data: Any, _tp: Any) -> Any:
        if isinstance(data, cls):
            return data
        if not isinstance(data, Mapping):
            raise ValidationError(f"must be a table of {cls.__name__} fields, got {data!r:.80}")
        errors: list[Exception] = []
        kwargs: dict[str, Any] = {}
        for key in data:
            if key not in fields:
                e: Exception = ValidationError(f"unknown field; {cls.__name__} has {sorted(fields)}")
                e.add_note(_attribute_note(cls, str(key), None))
                errors.append(e)
        for name, f in fields.items():
            if name not in data:
                if f.default is attrs.NOTHING:
                    e = ValidationError(f"missing (required field of {cls.__name__})")
                    e.add_note(_attribute_note(cls, name, f.type))
                    errors.append(e)
                continue
            try:
                value = conv.structure(data[name], f.type)
                if f.converter is not None:
                    value = f.converter(value)
                if f.validator is not None:
                    f.validator(None, f, value)
            except Exception as exc:
                exc.add_note(_attribute_note(cls, name, f.type))
                errors.append(exc)
                continue
            kwargs[name] = value
        if errors:
            raise ClassValidationError(f"While structuring {cls.__name__}", errors, cls)
        return cls(**kwargs)

    return structure_attrs


def _make_frozenmap_structure(conv: cattrs.Converter, tp: Any) -> Callable[[Any, Any], Any]:
    args = typing.get_args(tp)
    value_type = args[0] if args else Any

    def structure_map(data: Any, _tp: Any) -> Any:
        if isinstance(data, FrozenMap):
            return data
        if not isinstance(data, Mapping):
            raise ValidationError(f"must be a table of name = value, got {data!r:.80}")
        errors: list[Exception] = []
        items: list[tuple[str, Any]] = []
        for k, x in data.items():
            try:
                items.append((str(k), x if value_type is Any else conv.structure(x, value_type)))
            except Exception as exc:
                exc.add_note(_attribute_note(FrozenMap, str(k), value_type))
                errors.append(exc)
        if errors:
            raise ClassValidationError("While structuring a table", errors, FrozenMap)
        return FrozenMap(items)

    return structure_map


def _make_optional_structure(conv: cattrs.Converter, tp: Any) -> Callable[[Any, Any], Any]:
    inner = next(a for a in typing.get_args(tp) if a is not type(None))

    def structure_optional(data: Any, _tp: Any) -> Any:
        if data is None or (isinstance(data, str) and data == ABSENT and inner in (int, float)):
            return None
        return conv.structure(data, inner)

    return structure_optional


def _make_scalar_or_map_structure(conv: cattrs.Converter, tp: Any) -> Callable[[Any, Any], Any]:
    args = typing.get_args(tp)
    table = next(a for a in args if _is_frozenmap(a))
    scalar = next(a for a in args if not _is_frozenmap(a))
    what = {int: "an integer", float: "a number", str: "text"}[scalar]

    def structure_either(data: Any, _tp: Any) -> Any:
        if isinstance(data, Mapping):
            return conv.structure(data, table)
        try:
            return conv.structure(data, scalar)
        except ValidationError:
            raise ValidationError(f"must be {what} or a table of member code = value, got {data!r:.80}") from None

    return structure_either


def _make_enum_structure(tp: type[enum.Enum]) -> Callable[[Any, Any], Any]:
    def structure_enum(data: Any, _tp: Any) -> Any:
        try:
            return tp(data)
        except ValueError:
            allowed = ", ".join(repr(m.value) for m in tp)
            raise ValidationError(f"must be one of {allowed}, got {data!r}") from None

    return structure_enum


def _make_tuple_structure(conv: cattrs.Converter, tp: Any) -> Callable[[Any, Any], Any]:
    args = typing.get_args(tp)
    homogeneous = len(args) == 2 and args[1] is Ellipsis

    def structure_tuple(data: Any, _tp: Any) -> Any:
        if isinstance(data, str | bytes | Mapping) or not isinstance(data, list | tuple):
            raise ValidationError(f"must be a list, got {data!r:.80}")
        if not homogeneous:
            if len(data) != len(args):
                raise ValidationError(f"must be a list of {len(args)} items, got {len(data)}")
            return tuple(conv.structure(x, a) for x, a in zip(data, args, strict=True))
        errors: list[Exception] = []
        out = []
        from cattrs.errors import IterableValidationNote

        for i, x in enumerate(data):
            try:
                out.append(conv.structure(x, args[0]))
            except Exception as exc:
                exc.add_note(IterableValidationNote(f"Structuring {tp} @ index {i}", i, args[0]))
                errors.append(exc)
        if errors:
            raise IterableValidationError(f"While structuring {_type_name(tp)}", errors, tp)
        return tuple(out)

    return structure_tuple


def _date_or_token(data: Any, _tp: Any) -> Any:
    """A date, or the token ``"JP"`` (Japan's public holidays, in a service calendar's ``holidays``)."""
    if isinstance(data, str) and data.strip().upper() == "JP":
        return "JP"
    return _date(data, _dt.date)


def make_converter() -> cattrs.Converter:
    """A new converter for the package's types (never the global cattrs converter).

    Returns
    -------
    cattrs.Converter
        Structures plain data (dicts, lists, strings, numbers, dates) into domain objects and
        unstructures them into plain data fit for TOML, JSON or CSV.  Months become ``"2015-04"``,
        dates ISO strings, dates and times ISO strings in Japan time (a naive time read in is taken
        to be Japan time), enums their values, tuples lists; fields that are ``None`` are left out
        (TOML has no null; they default to ``None`` when read back).
    """
    conv = cattrs.Converter()
    conv.register_structure_hook(int, _strict_int)
    conv.register_structure_hook(float, _strict_float)
    conv.register_structure_hook(str, _strict_str)
    conv.register_structure_hook(bool, _strict_bool)
    conv.register_structure_hook(Month, _month)
    conv.register_structure_hook(_dt.date, _date)
    conv.register_structure_hook_func(lambda t: t == (_dt.date | str), _date_or_token)
    conv.register_structure_hook(_dt.datetime, _datetime)
    conv.register_unstructure_hook(_dt.datetime, lambda t: to_jst(t).isoformat())
    conv.register_unstructure_hook(Month, lambda m: m.iso())
    conv.register_unstructure_hook(_dt.date, lambda d: d.isoformat())
    conv.register_unstructure_hook_func(_is_frozenmap, lambda m: {k: conv.unstructure(x) for k, x in m.items()})
    conv.register_structure_hook_factory(_is_frozenmap, functools.partial(_make_frozenmap_structure, conv))
    conv.register_structure_hook_factory(_is_scalar_or_map, functools.partial(_make_scalar_or_map_structure, conv))
    conv.register_structure_hook_factory(_is_optional_scalar, functools.partial(_make_optional_structure, conv))
    conv.register_structure_hook_factory(_is_enum, _make_enum_structure)
    conv.register_structure_hook_factory(
        _is_tuple_type, functools.partial(_make_tuple_structure, conv)
    )
    conv.register_structure_hook_factory(_is_ours, functools.partial(_make_attrs_structure, conv))

    def unstructure_factory(cls: Any) -> Callable[[Any], dict[str, Any]]:
        attrs.resolve_types(cls)
        # fields marked transient (where an object was read from) are never written
        omit: dict[str, Any] = {f.name: override(omit=True) for f in attrs.fields(cls) if f.metadata.get("transient")}
        base = make_dict_unstructure_fn(cls, conv, **omit)

        def unstructure_attrs(obj: Any) -> dict[str, Any]:
            return {k: x for k, x in base(obj).items() if x is not None}

        return unstructure_attrs

    conv.register_unstructure_hook_factory(_is_ours, unstructure_factory)
    conv.register_unstructure_hook_func(_is_tuple_type,
                                        lambda t: [conv.unstructure(x) for x in t])
    return conv


_CONVERTER: cattrs.Converter | None = None


def _converter() -> cattrs.Converter:
    global _CONVERTER
    if _CONVERTER is None:
        _CONVERTER = make_converter()
    return _CONVERTER


def problems_of(exc: BaseException, path: str = "") -> list[Problem]:
    """Flatten a structuring error into located problems (``members[3].population: must be …``)."""
    from cattrs.errors import AttributeValidationNote, IterableValidationNote

    def located(e: BaseException) -> str:
        for note in getattr(e, "__notes__", ()):
            if isinstance(note, AttributeValidationNote):
                return f"{path}.{note.name}" if path else note.name
            if isinstance(note, IterableValidationNote):
                return f"{path}[{note.index}]"
        return path

    if isinstance(exc, ClassValidationError | IterableValidationError | BaseExceptionGroup):
        out: list[Problem] = []
        for sub in exc.exceptions:
            out += problems_of(sub, located(sub))
        return out
    inner = getattr(exc, "problems", None)
    if inner:
        return [Problem(f"{path}.{p.where}" if path and p.where else (p.where or path), p.message) for p in inner]
    message = str(exc)
    if isinstance(exc, KeyError) and not isinstance(exc, JichitaiCloudError):
        message = f"missing key {message}"
    return [Problem(path, message)]


def structure(data: Any, cls: type[T], *, source: str | None = None) -> T:
    """Turn plain data into a domain object, reporting every problem at once.

    Parameters
    ----------
    data
        Plain data (as read from TOML or JSON).
    cls
        The domain type wanted, e.g. :class:`~jichitai_cloud.Consortium`.
    source
        Where the data came from (a file name), used in the error message.

    Raises
    ------
    ConversionError
        Listing every problem with its path, e.g. ``members[3].population: must be an integer
        >= 1 [persons], got -5``.
    """
    try:
        return _converter().structure(data, cls)
    except (ClassValidationError, IterableValidationError, JichitaiCloudError, ValueError, TypeError,
            KeyError) as exc:
        raise ConversionError(problems_of(exc), source=source) from exc


def unstructure(obj: Any) -> Any:
    """Turn a domain object into plain data (dicts, lists, text, numbers) for TOML, JSON or CSV."""
    return _converter().unstructure(obj)
