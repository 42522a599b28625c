"""Reading and writing councils and tables: TOML, JSON and CSV (UTF-8 with or without BOM, CP932).

Reading a file never executes anything in it: TOML and JSON are parsed by the standard library's
data parsers and CSV by :mod:`csv`; no ``eval``, no pickle, no spreadsheet formulas.  Written
CSV cells that a spreadsheet could take for a formula are escaped (see :mod:`jichitai_cloud.io._safe`).
"""

from __future__ import annotations

import csv
import io as _io
import json
import os
import re
import typing
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import attrs

from .._frozenmap import FrozenMap
from ..errors import ConversionError, InputError, JichitaiCloudError, Problem, ValidationError
from ..model import Consortium, Municipality
from . import _toml
from ._read import MAX_ROWS, parse_document, read_bytes
from ._safe import escape_cell, unescape_cell
from ._write import write_atomic
from .converter import problems_of, structure, unstructure

__all__ = [
    "MEMBER_COLUMN_ALIASES",
    "CsvTable",
    "decode",
    "dumps",
    "load",
    "load_members",
    "loads",
    "read_csv",
    "records_to_objects",
    "save",
    "save_members",
    "write_csv",
]

T = TypeVar("T")
PathLike = str | os.PathLike[str]

MEMBER_COLUMN_ALIASES: Mapping[str, str] = {
    "団体コード": "code",
    "地方公共団体コード": "code",
    "コード": "code",
    "市町村名": "name",
    "団体名": "name",
    "名称": "name",
    "人口": "population",
    "現行経費": "current_cost",
    "違約金": "penalty",
    "現行稼働満了想定": "current_system_end",
    "クラウド開始": "cloud_start",
}
"""Japanese column headings accepted in member CSV files, and the field each stands for."""

_INT_TEXT = re.compile(r"^[+-]?\d{1,3}(,\d{3})+$|^[+-]?\d+$")


# -- decoding ----------------------------------------------------------------------------------
def decode(data: bytes, *, encoding: str = "auto", source: str | None = None) -> str:
    """Decode file bytes: UTF-8 (a BOM is removed) or, failing that, CP932 (Shift_JIS).

    Parameters
    ----------
    data
        The file's bytes.
    encoding
        ``"auto"`` (UTF-8, then CP932), or a codec name such as ``"utf-8"`` or ``"cp932"``.
    source
        File name for error messages.

    Raises
    ------
    InputError
        If the bytes are valid in neither encoding; the message gives the offending byte offset.
    """
    if encoding != "auto":
        try:
            return data.decode(encoding).removeprefix("\ufeff")
        except (UnicodeDecodeError, LookupError) as exc:
            raise InputError([Problem("", f"cannot decode as {encoding}: {exc}")], source=source) from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as utf8_err:
        try:
            return data.decode("cp932")
        except UnicodeDecodeError as sj_err:
            raise InputError(
                [Problem("", f"cannot decode: not UTF-8 (bad byte 0x{data[utf8_err.start]:02x} at offset "
                             f"{utf8_err.start}) and not CP932/Shift_JIS (bad byte at offset {sj_err.start}); "
                             "save the file as UTF-8 or pass encoding=")],
                source=source,
            ) from sj_err


# -- whole objects: TOML and JSON --------------------------------------------------------------
def _format_of(path: PathLike) -> str:
    suffix = Path(path).suffix.lower()
    if suffix in (".toml", ".json", ".csv"):
        return suffix[1:]
    raise InputError([Problem("", f"unknown file type {suffix!r}: expected .toml, .json or .csv")],
                     source=os.fspath(path))


def loads(text: str, cls: type[T], *, format: str = "toml", source: str | None = None) -> T:
    """Parse TOML or JSON text into a domain object.

    Parameters
    ----------
    text
        The document.
    cls
        Type wanted, e.g. :class:`~jichitai_cloud.Consortium`.
    format
        ``"toml"`` or ``"json"``.
    source
        Name for error messages.

    Raises
    ------
    InputError
        Syntax errors (with line and column) or every invalid field (with its path).
    """
    if format not in ("toml", "json"):
        raise ValidationError(f"format must be 'toml' or 'json', got {format!r}")
    data = parse_document(text, format, source=source)
    return structure(data, cls, source=source)


def load(path: PathLike, cls: type[Any] = Consortium, *, encoding: str = "auto",
         max_bytes: int | None = None) -> Any:
    """Read a domain object from a file, chosen by extension.

    Parameters
    ----------
    path
        A ``.toml`` or ``.json`` file (a whole council by default, whose keys are the attribute
        names: ``name = …`` then ``[[members]]`` tables), or a ``.csv`` member list (returns a
        tuple of :class:`~jichitai_cloud.Municipality`).
    cls
        Type to read for TOML/JSON (default :class:`~jichitai_cloud.Consortium`).
    encoding
        Text encoding, ``"auto"`` for UTF-8 (BOM optional) then CP932.
    max_bytes
        Largest file read (default :data:`~jichitai_cloud.io._read.MAX_FILE_BYTES`, 100 MB). [bytes]

    Returns
    -------
    object
        The validated, immutable object.

    Raises
    ------
    InputError
        One error listing every problem, each with its location
        (``council.toml: members[3].population: …``).
    """
    fmt = _format_of(path)
    source = os.fspath(path)
    if fmt == "csv":
        return load_members(path, encoding=encoding, max_bytes=max_bytes)
    raw = read_bytes(path, max_bytes=max_bytes, source=source)
    return loads(decode(raw, encoding=encoding, source=source), cls, format=fmt, source=source)


def dumps(obj: Any, *, format: str = "toml") -> str:
    """Serialise a domain object as TOML or JSON text (loss-free: ``loads(dumps(x)) == x``)."""
    data = unstructure(obj)
    if format == "toml":
        if not isinstance(data, Mapping):
            raise ValidationError(f"only tables can be written as TOML, got {type(obj).__name__}")
        return _toml.dumps(data)
    if format == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    raise ValidationError(f"format must be 'toml' or 'json', got {format!r}")


def save(obj: Any, path: PathLike, *, encoding: str = "utf-8", overwrite: bool = False) -> None:
    """Write a domain object to a file chosen by extension (``.toml``, ``.json``; ``.csv`` for members).

    Parameters
    ----------
    obj
        A domain object; for ``.csv``, a sequence of :class:`~jichitai_cloud.Municipality`
        (or a :class:`~jichitai_cloud.Consortium`, whose members are written).
    path
        Destination.
    encoding
        Text encoding (``"utf-8"``; ``"cp932"`` for old spreadsheets, CSV only).
    overwrite
        Replace an existing file (by default an existing file is refused with an
        :class:`~jichitai_cloud.errors.OutputError`).  The write is atomic.
    """
    fmt = _format_of(path)
    if fmt == "csv":
        members = obj.members if isinstance(obj, Consortium) else obj
        save_members(members, path, encoding=encoding, overwrite=overwrite)
        return
    write_atomic(path, dumps(obj, format=fmt).encode("utf-8"), overwrite=overwrite)


# -- CSV ---------------------------------------------------------------------------------------
@attrs.frozen(slots=True)
class CsvTable:
    """A CSV file read as text: its header and its rows with their spreadsheet row numbers.

    Parameters
    ----------
    source
        File name.
    header
        Column names (whitespace stripped).
    rows
        ``(row number, {column: text})``; the header is row 1.
    """

    source: str
    header: tuple[str, ...]
    rows: tuple[tuple[int, dict[str, str]], ...]


def read_csv(path: PathLike | None = None, *, text: str | None = None, encoding: str = "auto",
             source: str | None = None, max_bytes: int | None = None, max_rows: int | None = None) -> CsvTable:
    """Read a CSV file (or text) into a :class:`CsvTable`; cells stay text, escapes are undone.

    Blank lines are skipped.  A row with more cells than the header is an error (nothing is
    dropped); a row with fewer leaves the missing cells empty.  At most ``max_rows`` rows
    (default :data:`~jichitai_cloud.io._read.MAX_ROWS`) and ``max_bytes`` bytes (default 100 MB).

    Raises
    ------
    InputError
        Undecodable bytes, an empty file, duplicate or empty column names, over-long rows, too many
        rows, a file too large.
    """
    if text is None:
        if path is None:
            raise ValidationError("read_csv needs a path or text")
        source = source or os.fspath(path)
        text = decode(read_bytes(path, max_bytes=max_bytes, source=source), encoding=encoding, source=source)
    source = source or "<csv>"
    limit = MAX_ROWS if max_rows is None else max_rows
    reader = csv.reader(_io.StringIO(text, newline=""))
    problems: list[Problem] = []
    lines: list[list[str]] = []
    try:
        for cells in reader:
            lines.append(cells)
            if len(lines) > limit + 1:
                raise InputError([Problem(f"line {reader.line_num}", f"more than {limit:,} rows; pass max_rows= "
                                          "to read larger tables")], source=source)
    except csv.Error as exc:
        raise InputError([Problem(f"line {reader.line_num}", f"not valid CSV: {exc}")], source=source) from None
    except MemoryError:
        raise InputError([Problem("", "not enough memory to read the table")], source=source) from None
    numbered = [(i + 1, r) for i, r in enumerate(lines) if any(c.strip() for c in r)]
    if not numbered:
        raise InputError([Problem("", "the file is empty: expected a header row")], source=source)
    header_row, header_cells = numbered[0]
    header = tuple(unescape_cell(h.strip()) for h in header_cells)
    for j, h in enumerate(header):
        if not h:
            problems.append(Problem(f"row {header_row}, column {j + 1}", "empty column name"))
    dups = sorted({h for h in header if h and header.count(h) > 1})
    if dups:
        problems.append(Problem(f"row {header_row}", f"duplicate column names {dups}"))
    rows: list[tuple[int, dict[str, str]]] = []
    for row_no, cells in numbered[1:]:
        if len(cells) > len(header):
            extra = [c for c in cells[len(header):] if c.strip()]
            if extra:
                problems.append(Problem(f"row {row_no}",
                                        f"{len(cells)} cells but the header has {len(header)} columns"))
                continue
        values = {h: unescape_cell(cells[j].strip()) if j < len(cells) else "" for j, h in enumerate(header)}
        rows.append((row_no, values))
    if problems:
        raise InputError(problems, source=source)
    return CsvTable(source=source, header=header, rows=tuple(rows))


def _field_types(cls: type) -> dict[str, Any]:
    attrs.resolve_types(cls)
    return {f.name: f.type for f in attrs.fields(cls)}


def _cell_value(text: str, tp: Any) -> Any:
    """Turn a CSV cell into the plain value the converter expects for type ``tp`` (or raise)."""
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if args and type(None) in args and origin is not tuple:
        if text == "":
            return None
        tp = next(a for a in args if a is not type(None))
        origin, args = typing.get_origin(tp), typing.get_args(tp)
    if tp is int:
        if not _INT_TEXT.match(text):
            raise ValidationError(f"must be an integer, got {text!r}")
        return int(text.replace(",", ""))
    if tp is float:
        try:
            x = float(text.replace(",", ""))
        except ValueError:
            raise ValidationError(f"must be a number, got {text!r}") from None
        if x != x or x in (float("inf"), float("-inf")):
            raise ValidationError(f"must be a finite number, got {text!r}")
        return int(x) if _INT_TEXT.match(text) else x
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


def records_to_objects(table: CsvTable, cls: type[T], *, aliases: Mapping[str, str] | None = None,
                       prefixed: Iterable[str] = ()) -> tuple[T, ...]:
    """Turn every row of a CSV table into a ``cls`` object, reporting every problem with row and column.

    Parameters
    ----------
    table
        Rows as read by :func:`read_csv`.
    cls
        An attrs domain type; columns are its field names (or ``aliases`` of them).
    aliases
        Other column headings accepted, ``{heading: field}`` (e.g. Japanese headings).
    prefixed
        Fields of type :class:`FrozenMap` filled from columns ``field.key`` (e.g. ``drivers.staff``).

    Raises
    ------
    InputError
        Naming the file, row and column of every problem, e.g.
        ``members.csv: row 4, column 'population': must be an integer >= 1 [persons], got -5``.
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
            problems.append(Problem(f"column {col!r}", f"unknown column; expected {sorted(types_)}"
                                    + (f" or {', '.join(p + '.NAME' for p in prefixed)}" if prefixed else "")))
    if problems:
        raise InputError(problems, source=table.source)
    out: list[T] = []
    for row_no, values in table.rows:
        data: dict[str, Any] = {}
        where_of: dict[str, str] = {}
        failed: set[str] = set()
        for col, text in values.items():
            field = column_field[col]
            head, _, key = field.partition(".")
            try:
                if head in prefixed and key:
                    if text == "":
                        continue
                    value_type = typing.get_args(types_[head])
                    data.setdefault(head, {})[key] = _cell_value(text, value_type[0] if value_type else float)
                    where_of[f"{head}.{key}"] = col
                    where_of.setdefault(head, col)
                elif text == "" and typing.get_origin(types_[field]) is not tuple:
                    continue  # absent: the field's default applies (or "missing" is reported)
                else:
                    data[field] = _cell_value(text, types_[field])
                    where_of[field] = col
            except JichitaiCloudError as exc:
                problems.append(Problem(f"row {row_no}, column {col!r}", str(exc)))
                failed.add(head if head in prefixed and key else field)
        try:
            out.append(structure(data, cls))
        except ConversionError as exc:
            for p in exc.problems:
                first = p.where.split("[")[0]
                if first.split(".")[0] in failed:
                    continue  # already reported for the cell
                col = where_of.get(p.where) or where_of.get(first.split(".")[0]) or first
                where = f"row {row_no}, column {col!r}" if p.where else f"row {row_no}"
                problems.append(Problem(where, p.message))
        except (JichitaiCloudError, ValueError) as exc:  # pragma: no cover - structure wraps these
            problems += [Problem(f"row {row_no}", q.message) for q in problems_of(exc)]
    if problems:
        raise InputError(problems, source=table.source)
    return tuple(out)


def load_members(path: PathLike | None = None, *, text: str | None = None, encoding: str = "auto",
                 source: str | None = None, max_bytes: int | None = None) -> tuple[Municipality, ...]:
    """Read a member list from CSV (UTF-8 with or without BOM, or CP932/Shift_JIS).

    Columns are :class:`~jichitai_cloud.Municipality` field names (``code, name, population,
    current_cost, penalty, current_system_end, cloud_start``) or their Japanese headings (see
    :data:`MEMBER_COLUMN_ALIASES`); extra cost drivers go in columns ``drivers.NAME``.  Integers may
    carry thousands separators (``920,000,000``); months may be in any notation
    :meth:`~jichitai_cloud.calendar.Month.parse` reads.

    Raises
    ------
    InputError
        Listing every problem with its row and column; a file with a header and no member rows is
        an error (a council has at least one member).
    """
    table = read_csv(path, text=text, encoding=encoding, source=source, max_bytes=max_bytes)
    if not table.rows:
        raise InputError([Problem("", "the file has a header but no member rows; a council has at least one "
                                      "member")], source=table.source)
    members = records_to_objects(table, Municipality, aliases=MEMBER_COLUMN_ALIASES, prefixed=("drivers",))
    codes = [m.code for m in members]
    dup = sorted({c for c in codes if codes.count(c) > 1})
    if dup:
        raise InputError([Problem("column 'code'", f"duplicate member codes {dup}")], source=table.source)
    return members


def _csv_cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ";".join(str(x) for x in value)
    return escape_cell(value)


def write_csv(path: PathLike | None, header: Sequence[str], rows: Iterable[Sequence[Any]], *,
              encoding: str = "utf-8", overwrite: bool = False) -> str:
    """Write a table as CSV with every text cell formula-injection safe; returns the text.

    Parameters
    ----------
    path
        File to write, or ``None`` to only return the text.
    header, rows
        The table.
    encoding
        ``"utf-8"`` (written with a BOM so that Excel opens it correctly) or ``"cp932"``.
    overwrite
        Replace an existing file (refused by default); the write is atomic.
    """
    buf = _io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([_csv_cell(h) for h in header])
    for r in rows:
        w.writerow([_csv_cell(x) for x in r])
    text = buf.getvalue()
    if path is not None:
        data = ("\ufeff" + text).encode("utf-8") if encoding.lower() in ("utf-8", "utf8") else text.encode(encoding)
        write_atomic(path, data, overwrite=overwrite)
    return text


def save_members(members: Iterable[Municipality], path: PathLike | None, *, encoding: str = "utf-8",
                 overwrite: bool = False) -> str:
    """Write a member list as CSV (the columns :func:`load_members` reads); returns the text."""
    members = tuple(members)
    driver_names: list[str] = []
    for m in members:
        driver_names += [k for k in m.drivers if k not in driver_names]
    base = ["code", "name", "population", "current_cost", "penalty", "current_system_end", "cloud_start"]
    header = base + [f"drivers.{k}" for k in driver_names]
    rows = []
    for m in members:
        d = unstructure(m)
        drivers = m.drivers if isinstance(m.drivers, FrozenMap) else FrozenMap(m.drivers)
        rows.append([d.get(k, "") for k in base] + [drivers.get(k, "") for k in driver_names])
    return write_csv(path, header, rows, encoding=encoding, overwrite=overwrite)
