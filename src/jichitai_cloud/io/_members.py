"""The member list schema: a council from the list a secretariat keeps (CSV, Excel) or TOML/JSON.

Every subcommand that takes a council reads it through :func:`load_council`, so a member list
that ``validate`` accepts feeds ``allocate``, ``members``, ``fairness`` and ``report`` alike.
A member list is read by :func:`~jichitai_cloud.io.read_table` (CSV and Excel alike, cells keeping
their types: a population typed as a number in Excel arrives as a number) and mapped to
:class:`~jichitai_cloud.Municipality` objects by :func:`members_from_table`.

Column headings may be the field names (``population``), the Japanese headings of
:data:`MEMBER_COLUMN_ALIASES` (``人口``), or both as the template writes them
(``人口 (population)``).
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import os
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

import attrs

from ..calendar import Month
from ..errors import InputError, ParseError, Problem
from ..model import Consortium, Municipality
from ._document import load_object
from ._schema import cell_value, duplicate_problems, number_text, records_to_objects
from ._table import TABLE_FORMATS, Table, read_csv, read_sheet_tables, read_tables
from ._workbook import SheetIndex

__all__ = [
    "COUNCIL_SETTINGS",
    "COUNCIL_SHEET",
    "INSTRUCTIONS_SHEET",
    "MAX_MEMBERS",
    "MEMBERS_SHEET",
    "MEMBER_COLUMNS",
    "MEMBER_COLUMN_ALIASES",
    "MemberColumn",
    "council_from_members",
    "load_council",
    "load_members",
    "member_aliases",
    "members_from_table",
    "read_member_list",
    "read_member_workbook",
]

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
"""Japanese column headings accepted in member lists, and the field each stands for."""

MEMBERS_SHEET = "参加団体 (members)"
"""The workbook sheet with one row per member."""
COUNCIL_SHEET = "協議会 (council)"
"""The workbook sheet with the council's own settings (name, evaluation period)."""
INSTRUCTIONS_SHEET = "説明 (instructions)"
"""The workbook sheet explaining every column, with units and limits."""

MAX_MEMBERS = 50_000
"""Most member rows in a member list (CSV or Excel): read and checked within 20 s on 2 cores.

Japan has 1,741 municipalities; the limit is for what a reader can answer in time (see docs/limits.md)."""

_MEMBER_NAMES = ("参加団体", "参加市町村", "members", "構成団体")
_COUNCIL_NAMES = ("協議会", "council")
_INSTRUCTION_NAMES = ("説明", "instructions")


@attrs.frozen(kw_only=True, slots=True)
class MemberColumn:
    """One column of a member list, as the template shows and explains it.

    Parameters
    ----------
    field
        The :class:`~jichitai_cloud.Municipality` field (``population``).
    ja
        The Japanese heading (``人口``).
    required
        Whether every row must fill it.
    unit
        Unit of the values (``人``, ``円``), "" for text.
    description
        What to enter, with limits, in Japanese and English.
    example
        A value as the secretariat would type it.
    """

    field: str
    ja: str
    required: bool
    unit: str
    description: str
    example: str

    @property
    def heading(self) -> str:
        """The template's heading: Japanese with the field name beside (``人口 (population)``)."""
        return f"{self.ja} ({self.field})"


MEMBER_COLUMNS: tuple[MemberColumn, ...] = (
    MemberColumn(field="code", ja="団体コード", required=True, unit="",
                 description="6桁の全国地方公共団体コード (検査数字付き, 例 162019) または英字で始まる短い記号 "
                             "(A, B …); 重複不可. 6-digit local government code with check digit, or a short "
                             "id starting with a letter; unique.",
                 example="162116"),
    MemberColumn(field="name", ja="市町村名", required=True, unit="",
                 description="団体名. Name of the municipality.", example="射水市"),
    MemberColumn(field="population", ja="人口", required=True, unit="人 [persons]",
                 description="人口 (0以上の整数; 人口割の基礎). Population, a whole number from 0 to 130,000,000 (the 人口割 driver).",
                 example="94684"),
    MemberColumn(field="current_cost", ja="現行経費", required=True, unit="円 [yen]",
                 description="評価期間 (5年) の現行システム経費 (0以上の整数, 円単位; 最低保障の基準). Current "
                             "system cost over the evaluation period, integer yen >= 0 (the guarantee's base).",
                 example="920000000"),
    MemberColumn(field="penalty", ja="違約金", required=False, unit="円 [yen]",
                 description="現行契約の途中解約に伴う違約金 (0以上の整数, 空欄は0). Cancellation penalty of the "
                             "current contract, integer yen >= 0; blank means 0.",
                 example="0"),
    MemberColumn(field="current_system_end", ja="現行稼働満了想定", required=False, unit="年月 [month]",
                 description="現行システムの稼働満了 (最終月). H27.06, 平成27年6月, 2015-06 などで記入; 空欄可. "
                             "Last month of the current system, e.g. H27.06 or 2015-06; may be blank.",
                 example="H27.06"),
    MemberColumn(field="cloud_start", ja="クラウド開始", required=False, unit="年月 [month]",
                 description="クラウド利用開始月. H27.07, 平成27年7月, 2015-07 などで記入; 空欄は評価期間の"
                             "初月から. First month on the cloud, e.g. H27.07 or 2015-07; blank means from "
                             "the start of the evaluation period.",
                 example="H27.07"),
)
"""The member columns the template writes and the readers accept, in order."""

COUNCIL_SETTINGS: tuple[MemberColumn, ...] = (
    MemberColumn(field="name", ja="協議会名", required=False, unit="",
                 description="協議会の名称 (空欄はファイル名). Name of the council; blank: the file name.",
                 example="富山県情報システム共同利用推進協議会"),
    MemberColumn(field="period_start", ja="評価期間開始", required=False, unit="年月 [month]",
                 description="評価期間 (5年試算) の初月 (空欄は最も早いクラウド開始月). First month of the "
                             "evaluation period; blank: the earliest cloud start.",
                 example="H27.04"),
    MemberColumn(field="period_months", ja="評価期間月数", required=False, unit="月 [months]",
                 description="評価期間の月数 (1〜1200, 空欄は60). Length of the evaluation period in months, "
                             "1 to 1200; blank: 60.",
                 example="60"),
    MemberColumn(field="fee_period", ja="料金期間", required=False, unit="",
                 description="利用料を按分する期間: council (協議会の評価期間) または member (各団体のクラウド開始から"
                             "評価期間月数); 空欄は council. Whose months the fee is split over: 'council' (the "
                             "council's evaluation period) or 'member' (each member's own months from its cloud "
                             "start); blank: council.",
                 example="member"),
)
"""The council's own settings, a sheet of item/value rows in the workbook."""

_BILINGUAL = re.compile(r"^(?P<a>.+?)\s*[(（](?P<b>[^()（）]+)[)）]\s*$")


def _field_of(heading: str, fields: Mapping[str, str]) -> str | None:
    """The field a heading stands for: a field name, a Japanese alias, or ``日本語 (field)``."""
    text = heading.strip()
    candidates = [text]
    m = _BILINGUAL.match(text)
    if m:
        candidates += [m["b"].strip(), m["a"].strip()]
    for c in candidates:
        if c in fields:
            return fields[c]
    return None


def member_aliases(header: Sequence[str]) -> dict[str, str]:
    """``{heading: field}`` for every heading of ``header`` that names a member field.

    Accepts field names (``population``), Japanese headings (``人口``; see
    :data:`~jichitai_cloud.io.MEMBER_COLUMN_ALIASES`) and both together (``人口 (population)``);
    ``drivers.NAME`` columns pass through.  Unknown headings are left out (the reader reports them).
    """
    fields = {f.name: f.name for f in attrs.fields(Municipality)}
    fields.update(MEMBER_COLUMN_ALIASES)
    out: dict[str, str] = {}
    for h in header:
        field = _field_of(h, fields)
        m = _BILINGUAL.match(h)
        if field is None and m and m["b"].strip().startswith("drivers."):
            field = m["b"].strip()
        if field is not None and field != h:
            out[h] = field
    return out


def members_from_table(table: Table) -> tuple[Municipality, ...]:
    """The members of a table read from CSV or a worksheet; every problem with its row and column.

    Parameters
    ----------
    table
        A member list as :func:`~jichitai_cloud.io.read_table` reads it: headings as in
        :func:`member_aliases`, one row per member.

    Raises
    ------
    InputError
        Unknown columns, invalid cells, an empty list, duplicate codes; located as
        ``FILE [sheet 'S']: row R, column C 'heading': …`` (no sheet and letter for CSV).
    """
    if not table.rows:
        raise InputError([Problem("", "the file has a header but no member rows; a council has at least one "
                                      "member")], source=table.source)
    aliases = member_aliases(table.header)
    members = records_to_objects(table, Municipality, aliases=aliases, prefixed=("drivers",),
                                 headings={c.field: c.heading for c in MEMBER_COLUMNS})
    heading = next((h for h in table.header if aliases.get(h, h) == "code"), "code")
    dups = duplicate_problems(((row_no, m.code) for (row_no, _), m in zip(table.rows, members, strict=True)),
                              what="member code", column=table.column(heading))
    if dups:
        raise InputError(dups, source=table.source)
    return members


def load_members(path: PathLike | None = None, *, text: str | None = None, encoding: str = "auto",
                 source: str | None = None, max_bytes: int | None = None) -> tuple[Municipality, ...]:
    """Read the members of a CSV member list (UTF-8 with or without BOM, or CP932/Shift_JIS).

    Columns are :class:`~jichitai_cloud.Municipality` field names (``code, name, population,
    current_cost, penalty, current_system_end, cloud_start``) or their Japanese headings (see
    :data:`MEMBER_COLUMN_ALIASES`), or both (``人口 (population)``); extra cost drivers go in
    columns ``drivers.NAME``.  Integers may carry thousands separators (``920,000,000``); months
    may be in any notation :meth:`~jichitai_cloud.calendar.Month.parse` reads.  For a whole council
    from a member list (CSV or Excel), see :func:`load_council` and :func:`~jichitai_cloud.io.load`.

    Parameters
    ----------
    path
        The CSV file, or ``None`` with ``text``.
    text
        CSV text instead of a file.
    encoding
        ``"auto"`` (UTF-8, then CP932) or a codec name.
    source
        Name for error messages (default: the path).
    max_bytes
        Largest file read (default 100 MB). [bytes]

    Raises
    ------
    InputError
        Listing every problem with its row and column; a file with a header and no member rows is
        an error (a council has at least one member).
    """
    return members_from_table(read_csv(path, text=text, encoding=encoding, source=source, max_bytes=max_bytes))


def council_from_members(members: Sequence[Municipality], *, name: str, period_start: Month | str | None = None,
                         period_months: int | None = None, fee_period: str | None = None,
                         source: str | None = None,
                         source_rows: Mapping[str, tuple[str, str | None, int]] | None = None) -> Consortium:
    """A council of ``members`` alone (no subcommittees, requests or published figures).

    Parameters
    ----------
    members
        The member municipalities.
    name
        The council's name.
    period_start
        First month of the evaluation period; by default the earliest cloud start of a member.
    period_months
        Length of the evaluation period (default 60). [months]
    fee_period
        ``"council"`` (the default) or ``"member"``: see :attr:`Consortium.fee_period`.
    source
        File name for error messages.
    source_rows
        ``{code: (file, sheet, row)}``: where each member was read (see
        :attr:`~jichitai_cloud.Consortium.source_rows`), so that warnings name the file row.

    Raises
    ------
    InputError
        No period start given and no member has a cloud start, or a setting is invalid.
    """
    members = tuple(members)
    if period_start is None:
        starts = [m.cloud_start for m in members if m.cloud_start is not None]
        if not starts:
            raise InputError([Problem("period_start", "no evaluation period start: give the council's "
                                                      "評価期間開始 (period_start) or a クラウド開始 (cloud_start) "
                                                      "month for at least one member")], source=source)
        period_start = min(starts)
    try:
        return Consortium(name=name, members=members, period_start=period_start,
                          period_months=60 if period_months is None else period_months,
                          fee_period="council" if fee_period is None else cast(Any, fee_period),
                          source_rows=source_rows)
    except (ValueError, TypeError) as exc:
        raise InputError([Problem("council", str(exc))], source=source) from exc


def load_council(path: PathLike, *, name: str | None = None, period_start: Month | str | None = None,
                 period_months: int | None = None, encoding: str = "auto", max_bytes: int | None = None,
                 sheet: str | None = None) -> Consortium:
    """Read a council from a council file or from a member list.

    Parameters
    ----------
    path
        ``.toml`` / ``.json``: a whole council.  ``.csv``: a member list (UTF-8 with or without BOM,
        or CP932).  ``.xlsx``: a workbook as :func:`~jichitai_cloud.io.write_member_template` writes
        it (the excel extra), whose 協議会 sheet may give the council's name and period.
    name
        The council's name for a member list (default: the workbook's 協議会名, else the file name).
    period_start
        First month of the evaluation period for a member list (default: the workbook's
        評価期間開始, else the earliest cloud start).
    period_months
        Length of the evaluation period for a member list (default: the workbook's, else 60). [months]
    encoding
        Text encoding of a CSV or TOML/JSON file, ``"auto"`` for UTF-8 then CP932.
    max_bytes
        Largest file read (default 100 MB, :data:`~jichitai_cloud.io._read.MAX_FILE_BYTES`); every
        format is read through :func:`~jichitai_cloud.io._read.read_bytes`. [bytes]
    sheet
        For a workbook, the members sheet by name (a hidden sheet is read only when named here);
        default: the visible sheet whose headings are a member list's (see :func:`read_member_workbook`).

    Returns
    -------
    Consortium
        The validated council.

    Raises
    ------
    InputError
        Every problem, with file, sheet, row and column.
    """
    source = os.fspath(path)
    if Path(path).suffix.lower() in (".toml", ".json"):
        return load_object(path, Consortium, encoding=encoding, max_bytes=max_bytes)
    members, settings, rows = _read_member_list(path, encoding=encoding, max_bytes=max_bytes, sheet=sheet)
    return council_from_members(
        members,
        name=name if name is not None else settings.get("name") or Path(path).stem,
        period_start=period_start if period_start is not None else settings.get("period_start"),
        period_months=period_months if period_months is not None else settings.get("period_months"),
        fee_period=settings.get("fee_period"),
        source=source,
        source_rows=rows,
    )


def read_member_list(path: PathLike, *, encoding: str = "auto", max_bytes: int | None = None,
                     sheet: str | None = None) -> tuple[tuple[Municipality, ...], dict[str, Any]]:
    """The members of a ``.csv`` or ``.xlsx`` member list, and the council settings the file gives.

    Parameters
    ----------
    path
        A CSV file (UTF-8 with or without BOM, or CP932) or an Excel workbook (the excel extra).
    encoding
        Text encoding of a CSV file, ``"auto"`` for UTF-8 then CP932.
    max_bytes
        Largest file read (default 100 MB, :data:`~jichitai_cloud.io._read.MAX_FILE_BYTES`). [bytes]
    sheet
        For a workbook, the members sheet by name (default: the visible sheet whose headings are a
        member list's); ignored for CSV.

    Returns
    -------
    tuple
        ``(members, settings)``; ``settings`` holds the workbook's ``name``, ``period_start``,
        ``period_months`` and ``fee_period`` where given (always empty for CSV).

    Raises
    ------
    InputError
        Every problem, with file, sheet, row and column.
    """
    members, settings, _rows = _read_member_list(path, encoding=encoding, max_bytes=max_bytes, sheet=sheet)
    return members, settings


def _read_member_list(path: PathLike, *, encoding: str = "auto", max_bytes: int | None = None,
                      sheet: str | None = None) -> tuple[tuple[Municipality, ...], dict[str, Any],
                                                         dict[str, tuple[str, str | None, int]]]:
    """:func:`read_member_list` and each member's ``(file, sheet, row)``."""
    fmt = TABLE_FORMATS.get(Path(path).suffix.lower())
    if fmt is None:
        raise InputError([Problem("", f"unknown file type {Path(path).suffix.lower()!r}: expected a council "
                                      "(.toml, .json) or a member list (.csv, .xlsx)")], source=os.fspath(path))
    if fmt == "xlsx":
        return _read_member_workbook(path, max_bytes=max_bytes, sheet=sheet)
    with _member_limit():
        (table,) = read_tables(path, encoding=encoding, max_bytes=max_bytes, max_rows=MAX_MEMBERS)
    members = members_from_table(table)
    return members, {}, _rows_of(table, members, os.fspath(path))


def _rows_of(table: Table, members: tuple[Municipality, ...], file: str) -> dict[str, tuple[str, str | None, int]]:
    """Each member's ``(file, sheet, row)``: the row of the file or sheet it was read from."""
    return {m.code: (file, table.sheet, row_no) for (row_no, _), m in zip(table.rows, members, strict=True)}


@contextlib.contextmanager
def _member_limit() -> Iterator[None]:
    """Say "member rows" and :data:`MAX_MEMBERS` where the table reader says "rows; pass max_rows="."""
    try:
        yield
    except InputError as exc:
        if not any(p.message.startswith(f"more than {MAX_MEMBERS:,} rows") for p in exc.problems):
            raise
        raise InputError([Problem(p.where, f"more than {MAX_MEMBERS:,} member rows, the limit of a member list "
                                           "(io.MAX_MEMBERS: what is read and checked within 20 s)")
                          if p.message.startswith(f"more than {MAX_MEMBERS:,} rows") else p
                          for p in exc.problems], source=exc.source) from None


def _sheet_kind(name: str) -> str:
    low = name.lower()
    for kind, names in (("members", _MEMBER_NAMES), ("council", _COUNCIL_NAMES),
                        ("instructions", _INSTRUCTION_NAMES)):
        if any(n.lower() in low for n in names):
            return kind
    return ""


def _is_member_heading(heading: tuple[str, ...]) -> bool:
    """Whether a sheet's first row is a member list's: a code column and another member column."""
    fields = set(member_aliases(heading).values()) | {h for h in heading if h in _MEMBER_FIELDS}
    return "code" in fields and len(fields & _MEMBER_FIELDS) >= 2


_MEMBER_FIELDS = frozenset(c.field for c in MEMBER_COLUMNS)


def _member_sheets(source: str, sheet: str | None = None) -> Callable[[SheetIndex], list[str]]:
    """The sheets of a member workbook to read: the members sheet, then the council sheet if any.

    The members sheet is ``sheet`` if given (hidden or not), else the one visible sheet whose
    headings are a member list's; two such sheets are an error naming both.
    """

    def pick(index: SheetIndex) -> list[str]:
        visible = index.visible
        council = next((n for n in visible if _sheet_kind(n) == "council"), None)
        if sheet is not None:
            if sheet not in index.names:
                raise InputError([Problem("", f"no sheet {sheet!r}; the workbook has {list(index.names)}")],
                                 source=source)
            return [sheet] if council is None or council == sheet else [sheet, council]
        matching = [n for n in visible if _sheet_kind(n) not in ("council", "instructions")
                    and _is_member_heading(index.heading(n))]
        if len(matching) > 1:
            raise InputError([Problem("", f"two visible sheets hold a member list, {matching[0]!r} and "
                                          f"{matching[1]!r}; delete or hide one, or name it (sheet=)")],
                             source=source)
        if not matching:
            named = [n for n in visible if _sheet_kind(n) == "members"] or \
                [n for n in visible if _sheet_kind(n) == ""]
            if len(named) == 1:  # the one sheet it can be: read it, and say which headings are missing
                return [named[0]] if council is None else [named[0], council]
            hidden = [n for n in index.hidden if _is_member_heading(index.heading(n))]
            note = (f"; hidden sheets {hidden} are read only when named (sheet=)" if hidden else "")
            raise InputError([Problem("", f"no members sheet: expected a visible sheet (such as {MEMBERS_SHEET!r}) "
                                          "whose first row holds the member headings "
                                          f"({', '.join(c.heading for c in MEMBER_COLUMNS[:4])}); the visible "
                                          f"sheets are {list(visible)}{note}")], source=source)
        return [matching[0]] if council is None else [matching[0], council]

    return pick


def read_member_workbook(path: PathLike, *, max_bytes: int | None = None, sheet: str | None = None,
                         ) -> tuple[tuple[Municipality, ...], dict[str, Any]]:
    """Read the members (and the council's settings, if given) from an ``.xlsx`` workbook.

    The workbook is read by :func:`~jichitai_cloud.io.read_table`'s reader (whatever the file's
    extension): the file's bytes through :func:`~jichitai_cloud.io._read.read_bytes` (a regular
    file no larger than 100 MB), opened by openpyxl read-only with the values Excel last stored,
    never formulas.  The members sheet is the one *visible* sheet whose first non-empty row holds
    the member headings (a code column and at least one other member column; see
    :func:`load_council`); hidden and very hidden sheets are read only when named with ``sheet``;
    two visible member sheets are an error naming both.  The optional ``協議会 (council)`` sheet gives
    ``協議会名`` (name), ``評価期間開始`` (period_start), ``評価期間月数`` (period_months) and ``料金期間``
    (fee_period) as item/value rows under a heading row.

    Parameters
    ----------
    path
        The workbook (a regular file).
    max_bytes
        Largest file read (default 100 MB, :data:`~jichitai_cloud.io._read.MAX_FILE_BYTES`). [bytes]
    sheet
        The members sheet by name (default: the visible sheet with the member headings).

    Returns
    -------
    tuple
        ``(members, settings)``: the members in row order and ``{field: value}`` of the council sheet.

    Raises
    ------
    InputError
        Every problem, located as ``FILE [sheet 'S']: row R, column C 'heading': …``; a file that is
        missing, not a regular file, too large or not a readable workbook.
    ImportError
        If openpyxl is not installed (``pip install 'jichitai-cloud[excel]'``).
    """
    members, settings, _rows = _read_member_workbook(path, max_bytes=max_bytes, sheet=sheet)
    return members, settings


def _read_member_workbook(path: PathLike, *, max_bytes: int | None = None, sheet: str | None = None,
                          ) -> tuple[tuple[Municipality, ...], dict[str, Any], dict[str, tuple[str, str | None, int]]]:
    """:func:`read_member_workbook` and each member's ``(file, sheet, row)``."""
    source = os.fspath(path)
    with _member_limit():
        tables = read_sheet_tables(path, pick=_member_sheets(source, sheet), max_bytes=max_bytes,
                                   max_rows=MAX_MEMBERS)
    members = members_from_table(tables[0])
    settings = _settings(tables[1]) if len(tables) > 1 else {}
    return members, settings, _rows_of(tables[0], members, source)


def _settings(table: Table) -> dict[str, Any]:
    """The council sheet's item/value rows as ``{field: value}`` (blank values left out)."""
    fields = {c.field: c.field for c in COUNCIL_SETTINGS} | {c.ja: c.field for c in COUNCIL_SETTINGS}
    expected = [c.heading for c in COUNCIL_SETTINGS]
    problems: list[Problem] = []
    if _field_of(table.header[0], fields) is not None or len(table.header) < 2:
        raise InputError([Problem(f"row {table.header_row}", "the first row must hold the headings "
                                  "項目 (item) and 値 (value), and the settings the rows below")],
                         source=table.source)
    item_col, value_col = table.header[0], table.header[1]
    out: dict[str, Any] = {}
    for row_no, cells in table.rows:
        item, value = cells[item_col], cells[value_col]
        if item is None or (isinstance(item, str) and not item.strip()):
            continue
        field = _field_of(str(item), fields)
        if field is None:
            problems.append(Problem(f"row {row_no}, column A", f"unknown item {item!r}; expected one of {expected}"))
            continue
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        where = f"row {row_no}, column B ({field})"
        if field == "period_months":
            months = _whole_months(value)
            if months is None:
                problems.append(Problem(where, f"must be a whole number of months 1..1200, got {value!r}"))
            else:
                out[field] = months
        elif field == "period_start":
            try:
                out[field] = (Month.from_date(value) if isinstance(value, _dt.date)
                              else Month.parse(cell_value(value, str)))
            except (ParseError, ValueError) as exc:
                problems.append(Problem(where, str(exc)))
        else:
            out[field] = cell_value(value, str)
    if problems:
        raise InputError(problems, source=table.source)
    return out


def _whole_months(value: object) -> int | None:
    if isinstance(value, str):
        text = number_text(value).replace(",", "")  # ６０ is 60; ² and other digits are refused
        return int(text) if text.isascii() and text.isdigit() else None
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    try:
        months = cell_value(value, int)
    except ValueError:
        return None
    return months if isinstance(months, int) and months >= 0 else None
