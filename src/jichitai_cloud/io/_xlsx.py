"""Member lists in Excel: the template a secretariat fills in (openpyxl, the excel extra).

:func:`write_member_template` writes the workbook; :func:`~jichitai_cloud.io.load_council` (and
:func:`~jichitai_cloud.io.load`) read the filled workbook back through
:func:`~jichitai_cloud.io.read_table` and the member list schema of
:mod:`jichitai_cloud.io._members` (:func:`read_member_workbook`, re-exported here).  No cell written
holds a formula; text a spreadsheet could take for one is escaped.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..model import Consortium, Municipality
from ._members import (
    COUNCIL_SETTINGS,
    COUNCIL_SHEET,
    INSTRUCTIONS_SHEET,
    MEMBER_COLUMNS,
    MEMBERS_SHEET,
    read_member_workbook,
)
from ._safe import put_cell
from ._workbook import column_letter as _letter
from ._write import save_workbook

__all__ = [
    "COUNCIL_SHEET",
    "INSTRUCTIONS_SHEET",
    "MEMBERS_SHEET",
    "read_member_workbook",
    "write_member_template",
]

PathLike = str | os.PathLike[str]


def _openpyxl() -> Any:
    try:
        import openpyxl
    except ImportError as exc:  # pragma: no cover - exercised only without openpyxl
        raise ImportError("Excel member lists need openpyxl, an optional extra: "
                          "pip install 'jichitai-cloud[excel]'") from exc
    return openpyxl


# -- the template --------------------------------------------------------------------------------
_WIDTHS = {"code": 16, "name": 18, "population": 16, "current_cost": 20, "penalty": 16,
           "current_system_end": 26, "cloud_start": 20}
_NUMBER = {"population": "#,##0", "current_cost": "#,##0", "penalty": "#,##0"}
_BLANK_ROWS = 50


def _put(ws: Any, row: int, column: int, value: Any, *, number_format: str | None = None) -> Any:
    cell = ws.cell(row=row, column=column)
    put_cell(cell, value)
    if number_format is not None:
        cell.number_format = number_format
    return cell


def _member_values(m: Municipality) -> dict[str, Any]:
    return {
        "code": m.code, "name": m.name, "population": m.population, "current_cost": m.current_cost,
        "penalty": m.penalty,
        "current_system_end": m.current_system_end.era_short() if m.current_system_end else None,
        "cloud_start": m.cloud_start.era_short() if m.cloud_start else None,
        **{f"drivers.{k}": x for k, x in m.drivers.items()},
    }


def write_member_template(path: PathLike, *, council: Consortium | None = None, overwrite: bool = False) -> Path:
    """Write the workbook a secretariat fills in with its council's members.

    Three sheets: ``参加団体 (members)`` with the headings of
    :data:`~jichitai_cloud.io.MEMBER_COLUMNS` in Japanese with the field name beside
    (``人口 (population)``), yen and persons columns formatted ``#,##0`` and month columns as text;
    ``協議会 (council)`` with the council's name and evaluation period; ``説明 (instructions)``
    explaining every column with its unit, limits and an example.  No cell holds a formula.
    :func:`~jichitai_cloud.io.load_council` reads the filled workbook back.

    Parameters
    ----------
    path
        The ``.xlsx`` file to write.
    council
        Fill the sheets with this council's members and settings (default: empty rows).
    overwrite
        Replace an existing file (refused by default); the write is atomic.

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    OutputError
        The file exists (without ``overwrite``) or cannot be written.
    ImportError
        If openpyxl is not installed (``pip install 'jichitai-cloud[excel]'``).
    """
    openpyxl = _openpyxl()
    from openpyxl.styles import Alignment, Font, PatternFill

    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = MEMBERS_SHEET
    members = council.members if council is not None else ()
    drivers: list[str] = []
    for m in members:
        drivers += [k for k in m.drivers if k not in drivers]
    fields = [c.field for c in MEMBER_COLUMNS] + [f"drivers.{k}" for k in drivers]
    headings = [c.heading for c in MEMBER_COLUMNS] + [f"drivers.{k}" for k in drivers]
    for j, (field, heading) in enumerate(zip(fields, headings, strict=True), start=1):
        cell = _put(ws, 1, j, heading)
        cell.font, cell.fill = bold, fill
        ws.column_dimensions[_letter(j)].width = _WIDTHS.get(field, 16)
    for i in range(len(members) + _BLANK_ROWS):
        values = _member_values(members[i]) if i < len(members) else {}
        for j, field in enumerate(fields, start=1):
            fmt = _NUMBER.get(field, "General" if field.startswith("drivers.") else "@")
            _put(ws, i + 2, j, values.get(field), number_format=fmt)
    ws.freeze_panes = "A2"

    wc = wb.create_sheet(COUNCIL_SHEET)
    for j, h in enumerate(("項目 (item)", "値 (value)", "説明 (description)"), start=1):
        cell = _put(wc, 1, j, h)
        cell.font, cell.fill = bold, fill
    settings: dict[str, Any] = {}
    if council is not None:
        settings = {"name": council.name, "period_start": council.period_start.era_short(),
                    "period_months": council.period_months, "fee_period": council.fee_period}
    for i, s in enumerate(COUNCIL_SETTINGS, start=2):
        _put(wc, i, 1, s.heading)
        _put(wc, i, 2, settings.get(s.field), number_format="0" if s.field == "period_months" else "@")
        _put(wc, i, 3, s.description)
    for letter, width in (("A", 26), ("B", 40), ("C", 90)):
        wc.column_dimensions[letter].width = width

    wi = wb.create_sheet(INSTRUCTIONS_SHEET)
    intro = (
        "参加団体シートに1団体1行で記入してください。1行目の見出しは変更しないでください。",
        "Fill in one row per member on the members sheet; keep the headings of row 1.",
        "金額は円単位の整数、人口は人数の整数で記入します (桁区切りは書式で表示されます)。",
        "Money in whole yen, population in persons; thousands separators are only a display format.",
        "年月は H27.07、平成27年7月、2015-07 のいずれの表記でも構いません。",
        "Months in any of H27.07, 平成27年7月, 2015-07. Formulas are not evaluated: type values.",
    )
    for i, line in enumerate(intro, start=1):
        _put(wi, i, 1, line)
    top = len(intro) + 2
    for j, h in enumerate(("列 (column)", "必須 (required)", "単位 (unit)", "説明 (description)", "例 (example)"),
                          start=1):
        cell = _put(wi, top, j, h)
        cell.font, cell.fill = bold, fill
    for i, col in enumerate((*MEMBER_COLUMNS, *COUNCIL_SETTINGS), start=top + 1):
        for j, value in enumerate((col.heading, "必須 required" if col.required else "任意 optional",
                                   col.unit, col.description, col.example), start=1):
            cell = _put(wi, i, j, value)
            cell.alignment = Alignment(wrap_text=j == 4, vertical="top")
    for letter, width in (("A", 30), ("B", 16), ("C", 16), ("D", 90), ("E", 36)):
        wi.column_dimensions[letter].width = width
    return save_workbook(path, wb, overwrite=overwrite)
