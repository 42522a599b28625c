"""CSV text split into a heading row and rows of text cells (the standard library's :mod:`csv`).

Only :mod:`jichitai_cloud.io._table` calls this module: :func:`~jichitai_cloud.io.read_table` and
:func:`~jichitai_cloud.io.read_csv` are the public faces.  Cells stay text (a CSV file has no
types); the schemas turn ``"540,000,000"`` into yen.
"""

from __future__ import annotations

import csv
import io as _io
from collections import Counter

from ..errors import InputError, Problem
from ._read import MAX_CELL_CHARS
from ._safe import unescape_cell

__all__ = ["Grid", "parse_csv"]

Grid = tuple[int, tuple[str, ...], list[tuple[int, dict[str, object]]]]
"""``(heading row number, headings, [(row number, {heading: cell})])``."""


def parse_csv(text: str, *, source: str, max_rows: int) -> Grid:
    """The heading row and rows of CSV text; blank lines skipped, formula escapes undone.

    A row with more cells than the heading row is an error (nothing is dropped); a row with fewer
    leaves the missing cells empty.  Row numbers count CSV records, the heading row included.

    Raises
    ------
    InputError
        Not valid CSV, more than ``max_rows`` rows, an empty file, empty or duplicate headings,
        over-long rows.
    """
    reader = csv.reader(_io.StringIO(text, newline=""))
    problems: list[Problem] = []
    lines: list[list[str]] = []
    try:
        for cells in reader:
            lines.append(cells)
            if len(lines) > max_rows + 1:
                raise InputError([Problem(f"line {reader.line_num}", f"more than {max_rows:,} rows; pass max_rows= "
                                          "to read larger tables")], source=source)
    except csv.Error as exc:
        raise InputError([Problem(f"line {reader.line_num}", f"not valid CSV: {exc}")], source=source) from None
    except MemoryError:
        raise InputError([Problem("", "not enough memory to read the table")], source=source) from None
    numbered = [(i + 1, r) for i, r in enumerate(lines) if "".join(r).strip()]  # C speed: no generator per row
    if not numbered:
        raise InputError([Problem("", "the file is empty: expected a header row")], source=source)
    header_row, header_cells = numbered[0]
    header = tuple(unescape_cell(h.strip()) for h in header_cells)
    for j, h in enumerate(header):
        if not h:
            problems.append(Problem(f"row {header_row}, column {j + 1}", "empty column name"))
    dups = sorted(h for h, n in Counter(header).items() if h and n > 1)  # linear, however wide
    if dups:
        problems.append(Problem(f"row {header_row}", f"duplicate column names {dups}"))
    rows: list[tuple[int, dict[str, object]]] = []
    width = len(header)
    pad = [""] * width
    for row_no, cells in numbered[1:]:
        n = len(cells)
        if n > width and any(c.strip() for c in cells[width:]):
            problems.append(Problem(f"row {row_no}", f"{n} cells but the header has {width} columns"))
            continue
        if max(map(len, cells)) > MAX_CELL_CHARS:
            k = next(k for k, c in enumerate(cells) if len(c) > MAX_CELL_CHARS)
            problems.append(Problem(f"row {row_no}, column {k + 1}", f"a cell of {len(cells[k]):,} characters; a cell "
                                    f"holds at most {MAX_CELL_CHARS:,} (Excel's limit)"))
            continue
        texts = [c.strip() for c in (cells if n == width else (cells + pad)[:width])]
        if any(t.startswith("'") for t in texts):
            texts = [unescape_cell(t) for t in texts]
        rows.append((row_no, dict(zip(header, texts, strict=True))))
    if problems:
        raise InputError(problems, source=source)
    return header_row, header, rows
