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
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from .._frozenmap import FrozenMap
from ..errors import InputError, Problem, ValidationError
from ..model import Consortium, CustomizationRegister, Municipality
from . import _toml
from ._document import DOCUMENT_FORMATS, load_object, loads
from ._members import MEMBER_COLUMN_ALIASES, load_council, load_members
from ._read import decode
from ._safe import escape_cell
from ._schema import records_to_objects
from ._table import TABLE_FORMATS, CsvTable, read_csv
from ._write import write_atomic
from .converter import unstructure

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

PathLike = str | os.PathLike[str]


# -- whole objects: TOML and JSON; a document of any kind ----------------------------------------
def _kind(cls: type[Any]) -> tuple[str, tuple[str, ...]]:
    """The kind of document ``cls`` is, and the extensions of its table formats."""
    if cls is Consortium:
        return "council", tuple(TABLE_FORMATS)
    if cls is CustomizationRegister:
        return "register", (".csv",)
    if getattr(cls, "__module__", "").startswith("jichitai_cloud.games") and cls.__name__ == "QuoteTable":
        return "quotes", (".csv",)
    return "", ()


def load(path: PathLike, cls: type[Any] = Consortium, *, encoding: str = "auto",
         max_bytes: int | None = None) -> Any:
    """Read a document of one kind from a file in any format of that kind; one type per kind.

    The kind is ``cls``; the format is the file's extension.  A member list (``.csv`` or
    ``.xlsx``) is a council like a council file: ``io.load("members.xlsx")`` and
    ``io.load("council.toml")`` both return a :class:`~jichitai_cloud.Consortium`.

    Parameters
    ----------
    path
        The file; see the table of kinds and formats below.
    cls
        The kind of document (default :class:`~jichitai_cloud.Consortium`).
    encoding
        Text encoding of a text file, ``"auto"`` for UTF-8 (BOM optional) then CP932.
    max_bytes
        Largest file read (default :data:`~jichitai_cloud.io._read.MAX_FILE_BYTES`, 100 MB). [bytes]

    Returns
    -------
    object
        The validated, immutable object, of type ``cls``.

    Raises
    ------
    InputError
        An extension that is not a format of the kind, or one error listing every problem, each
        with its location (``council.toml: members[3].population: …``,
        ``members.xlsx [sheet '参加団体 (members)']: row 4, column C '人口 (population)': …``).

    Notes
    -----
    Kinds and their formats:

    ======================  ============================================  ===========================
    kind (``cls``)          formats                                       returns
    ======================  ============================================  ===========================
    council (the default)   ``.toml``, ``.json`` (a whole council);       :class:`~jichitai_cloud.Consortium`
                            ``.csv``, ``.xlsx``, ``.xlsm`` (a member
                            list, as :func:`load_council` reads it)
    customization register  ``.toml``, ``.json``; ``.csv`` (one row per  :class:`~jichitai_cloud.CustomizationRegister`
                            request, as :func:`read_requests_csv`)
    coalition quote table   ``.toml``, ``.json``; ``.csv`` (as            :class:`~jichitai_cloud.games.QuoteTable`
                            :func:`load_quote_table`)
    any other type          ``.toml``, ``.json``                          ``cls`` (a procurement, a
                                                                          plan, a schedule, …)
    ======================  ============================================  ===========================

    A member list read as a council takes the council's name, evaluation period and fee period
    from the workbook's 協議会 (council) sheet, else the file name and the earliest cloud start
    (:func:`~jichitai_cloud.io.load_council` takes them as arguments).  :func:`load_members` reads
    only the members of a CSV list.
    """
    source = os.fspath(path)
    suffix = Path(path).suffix.lower()
    kind, tables = _kind(cls)
    if suffix in DOCUMENT_FORMATS:
        return load_object(path, cls, encoding=encoding, max_bytes=max_bytes)
    if suffix not in tables:
        formats = ", ".join((*DOCUMENT_FORMATS, *tables))
        raise InputError([Problem("", f"unknown file type {suffix!r}: expected {formats} for "
                                      f"{getattr(cls, '__name__', cls)}")], source=source)
    if kind == "council":
        return load_council(path, encoding=encoding, max_bytes=max_bytes)
    if kind == "register":
        from ._customization import read_requests_csv  # the customization topic, only when asked for

        return read_requests_csv(path, encoding=encoding, max_bytes=max_bytes)
    from ._games import load_quote_table  # the games topic, only when asked for

    return load_quote_table(path, max_bytes=max_bytes)


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
    suffix = Path(path).suffix.lower()
    if suffix not in (".toml", ".json", ".csv"):
        raise InputError([Problem("", f"unknown file type {suffix!r}: expected .toml, .json or .csv")],
                         source=os.fspath(path))
    fmt = suffix[1:]
    if fmt == "csv":
        members = obj.members if isinstance(obj, Consortium) else obj
        save_members(members, path, encoding=encoding, overwrite=overwrite)
        return
    write_atomic(path, dumps(obj, format=fmt).encode("utf-8"), overwrite=overwrite)


# -- CSV ---------------------------------------------------------------------------------------
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
