"""Customization registers in the files a secretariat keeps: CSV, TOML, JSON.

A CSV file has one row per request::

    id,subcommittee,title,requesters,adopters,status,quote_1,quote_2,quote_6,willingness_A,willingness_B
    2,選挙人名簿,選挙 入場券生年月日項目追加,A;B;C;D;E;F,A,implemented,700000,800000,1200000,700000,250000

Columns (English field names, or the Japanese headings in :data:`REQUEST_COLUMN_ALIASES`):

* ``id``, ``title`` (required), ``subcommittee``, ``status`` (``implemented`` … or 実施, 標準仕様,
  取下げ, 実施しない), ``rationale``, ``note`` (備考);
* ``requesters``, ``adopters``: member codes separated by ``;`` or ``、`` (``A;C``);
* the quote: columns ``quote_1`` … ``quote_N`` (the total if that many members adopt; a blank cell is
  a count the vendor did not quote), or ``fixed`` and ``per_member``;
* willingness to pay: columns ``willingness_A`` (or ``willing_A``) per member code;
* the decision record: ``should_be_standard``, ``operations_can_absorb``, ``others_cope_without``,
  ``tuning_possible``, ``would_pay_alone``, ``degrades_service`` (``true``/``false``, ``○``/``×``, or
  blank for not answered), ``assessment_note``;
* ``reconstructed``: names of fields that were reconstructed (``title;quote``).

Amounts may carry thousands separators (``1,200,000``).  Files may be UTF-8 (with or without BOM)
or CP932 (Shift_JIS); the reading itself is :func:`~jichitai_cloud.io.read_csv`'s.  Every problem is
reported at once with its file, row and column.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from .._frozenmap import FrozenMap
from ..customization import register_of
from ..errors import InputError, JichitaiCloudError, Problem
from ..model import Assessment, Consortium, CustomizationRegister, CustomizationRequest, Quote
from ._document import loads
from ._read import decode, parse_document, read_bytes
from ._schema import duplicate_problems, records_to_objects
from ._table import table_from

__all__ = [
    "REQUEST_COLUMN_ALIASES",
    "RequestRow",
    "load_customization_source",
    "load_register",
    "read_requests_csv",
]

REQUEST_COLUMN_ALIASES: Mapping[str, str] = {
    "項": "id",
    "番号": "id",
    "No": "id",
    "部会": "subcommittee",
    "要望": "title",
    "件名": "title",
    "要望内容": "title",
    "要望団体": "requesters",
    "対象団体": "adopters",
    "採用団体": "adopters",
    "状態": "status",
    "結果": "status",
    "理由": "rationale",
    "備考": "note",
    "固定額": "fixed",
    "団体あたり": "per_member",
}
"""Japanese column headings accepted in request CSV files, and the field each stands for."""

_QUOTE_COL = re.compile(r"^(?:quote[_.](\d+)|(\d+)(?:自治体|団体))$")
_WILL_COL = re.compile(r"^(?:willingness|willing)[_.](.+)$")

_ASSESSMENT_FIELDS = tuple(f for f, _, _ in Assessment.QUESTIONS)


@attrs.frozen(kw_only=True, slots=True)
class RequestRow:
    """One CSV row of a request register, flat as a spreadsheet holds it (see the module docs)."""

    id: str
    title: str
    subcommittee: str = ""
    requesters: tuple[str, ...] = ()
    adopters: tuple[str, ...] = ()
    status: str = "requested"
    rationale: str = ""
    note: str = ""
    fixed: int | None = None
    per_member: int | None = None
    quote: FrozenMap[int] = attrs.field(factory=FrozenMap)
    willingness: FrozenMap[int] = attrs.field(factory=FrozenMap)
    should_be_standard: bool | None = None
    operations_can_absorb: bool | None = None
    others_cope_without: bool | None = None
    tuning_possible: bool | None = None
    would_pay_alone: bool | None = None
    degrades_service: bool | None = None
    assessment_note: str = ""
    reconstructed: tuple[str, ...] = ()


def _aliases(header: Sequence[str]) -> dict[str, str]:
    out = dict(REQUEST_COLUMN_ALIASES)
    for col in header:
        m = _QUOTE_COL.match(col)
        if m:
            out[col] = f"quote.{m.group(1) or m.group(2)}"
            continue
        w = _WILL_COL.match(col)
        if w:
            out[col] = f"willingness.{w.group(1)}"
    return out


def _field_of_message(message: str) -> str | None:
    if "but lists adopters" in message:
        return "adopters"
    word = message.split(" ", 1)[0].split(".", 1)[0]
    return word if word in {f.name for f in attrs.fields(CustomizationRequest)} else None


def read_requests_csv(path: str | os.PathLike[str] | None = None, *, text: str | None = None,
                      members: Sequence[str] | None = None, encoding: str = "auto", name: str = "",
                      source: str | None = None, max_bytes: int | None = None) -> CustomizationRegister:
    """Read a request register from CSV (see the module docs for the columns).

    Parameters
    ----------
    path
        The CSV file (UTF-8 with or without BOM, or CP932).
    text
        CSV text instead of a file.
    members
        Member codes, the comparison table's columns.  Default: every code the file uses
        (requesters, adopters, willingness columns), sorted.
    encoding
        ``"auto"`` (UTF-8, then CP932) or a codec name.
    name
        Title of the register.
    source
        Name for error messages (default: the path).

    Returns
    -------
    CustomizationRegister

    Raises
    ------
    InputError
        Listing every problem with file, row and column, e.g.
        ``requests.csv: 1 problem found - row 4, column 'quote_2': must be an integer, got '80万'``.
    """
    table = table_from(path, text=text, encoding=encoding, source=source, max_bytes=max_bytes)
    rows = records_to_objects(table, RequestRow, aliases=_aliases(table.header),
                                  prefixed=("quote", "willingness"))
    aliases = _aliases(table.header)
    column_of = {aliases.get(c, c): c for c in table.header}
    problems: list[Problem] = []
    requests: list[CustomizationRequest] = []
    known = set(members) if members is not None else None
    for (row_no, _cells), row in zip(table.rows, rows, strict=True):
        def where(field: str | None, row_no: int = row_no) -> str:
            col = column_of.get(field or "") or next(
                (c for f, c in column_of.items() if field and f.startswith(field + ".")), None)
            return f"row {row_no}, column {col!r}" if col else f"row {row_no}"

        if row.quote and (row.fixed is not None or row.per_member is not None):
            problems.append(Problem(where("fixed"), "give the quote either per count (quote_1 … quote_N) or as "
                                                    "fixed / per_member, not both"))
            continue
        try:
            quote = Quote(by_count=row.quote) if row.quote else Quote(fixed=row.fixed or 0,
                                                                       per_member=row.per_member or 0)
        except JichitaiCloudError as exc:
            problems.append(Problem(where("quote" if row.quote else "fixed"), str(exc)))
            continue
        try:
            assessment = Assessment(**{f: getattr(row, f) for f in _ASSESSMENT_FIELDS}, note=row.assessment_note)
            request = CustomizationRequest(
                id=row.id, title=row.title, subcommittee=row.subcommittee, requesters=row.requesters,
                adopters=row.adopters, status=row.status, rationale=row.rationale, note=row.note,
                quote=quote, willingness=row.willingness, assessment=assessment,
                reconstructed=row.reconstructed,
            )
        except JichitaiCloudError as exc:
            problems.append(Problem(where(_field_of_message(str(exc))), str(exc)))
            continue
        if known is not None:
            for field in ("requesters", "adopters"):
                unknown = [c for c in getattr(request, field) if c not in known]
                if unknown:
                    problems.append(Problem(where(field), f"unknown member code(s) {unknown}; members are "
                                                          f"{list(members or ())}"))
            unknown = [c for c in request.willingness if c not in known]
            if unknown:
                problems.append(Problem(f"row {row_no}", f"willingness for unknown member(s) {unknown}; "
                                                         f"members are {list(members or ())}"))
        top = quote.max_count()
        n_members = len(members) if members is not None else None
        if top is not None and n_members is not None and top > n_members:
            problems.append(Problem(where("quote"), f"quotes {top} adopters but there are {n_members} members"))
        requests.append(request)
    problems += duplicate_problems(((row_no, row.id) for (row_no, _), row in zip(table.rows, rows, strict=True)),
                                   what="request id", column=repr(column_of.get("id", "id")))
    if problems:
        raise InputError(problems, source=table.source)
    if members is None:
        codes: set[str] = set()
        for r in requests:
            codes |= set(r.requesters) | set(r.adopters) | set(r.willingness)
        members = sorted(codes)
        if not members:
            raise InputError([Problem("", "no member codes in the file: give members (e.g. --members A,B,C)")],
                             source=table.source)
    try:
        return CustomizationRegister(name=name, members=tuple(members), requests=tuple(requests))
    except JichitaiCloudError as exc:
        raise InputError([Problem("", str(exc))], source=table.source) from exc


def _peek(path: Path, encoding: str, max_bytes: int | None) -> tuple[str, Any, str]:
    source = os.fspath(path)
    text = decode(read_bytes(path, max_bytes=max_bytes, source=source), encoding=encoding, source=source)
    fmt = path.suffix.lower()[1:]
    try:
        data = parse_document(text, fmt, source=source)
    except InputError:
        data = None  # let io.loads report the problem with its location
    return text, data, fmt


def load_customization_source(path: str | os.PathLike[str], *, members: Sequence[str] | None = None,
                              encoding: str = "auto", max_bytes: int | None = None,
                              ) -> Consortium | CustomizationRegister:
    """Read a council or a customization register from ``.toml``, ``.json`` or ``.csv``.

    A CSV file is a request register (:func:`read_requests_csv`).  A TOML or JSON file is a council
    (:class:`~jichitai_cloud.Consortium`, recognised by its ``[[members]]`` tables) or a register
    (:class:`~jichitai_cloud.CustomizationRegister`: ``members = ["A", …]`` and ``[[requests]]``).

    Raises
    ------
    InputError
        Every problem, located (file, row and column, or the path of the field).
    """
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix == ".csv":
        return read_requests_csv(p, members=members, encoding=encoding, max_bytes=max_bytes)
    if suffix not in (".toml", ".json"):
        raise InputError([Problem("", f"unknown file type {suffix!r}: expected .toml, .json or .csv")],
                         source=os.fspath(p))
    text, data, fmt = _peek(p, encoding, max_bytes)
    is_council = isinstance(data, Mapping) and isinstance(data.get("members"), list) and any(
        isinstance(m, Mapping) for m in data["members"])
    cls: type[Any] = Consortium if is_council else CustomizationRegister
    obj = loads(text, cls, format=fmt, source=os.fspath(p))
    if members is not None:
        return register_of(obj, members)
    result: Consortium | CustomizationRegister = obj
    return result


def load_register(path: str | os.PathLike[str], *, members: Sequence[str] | None = None,
                  encoding: str = "auto", max_bytes: int | None = None) -> CustomizationRegister:
    """Read a customization register from any file :func:`load_customization_source` reads (a council's
    requests too); ``max_bytes`` is the largest file read (default 100 MB). [bytes]"""
    return register_of(load_customization_source(path, members=members, encoding=encoding, max_bytes=max_bytes))
