"""Files in and out: one cattrs converter; TOML, JSON and CSV (UTF-8 or CP932); formula-safe export.

>>> from jichitai_cloud import io, examples
>>> council = examples.toyama()
>>> text = io.dumps(council)                       # TOML
>>> io.loads(text, type(council)) == council
True
"""

from ._operations import load_operations, read_observations, read_outages, read_work
from ._safe import escape_cell, unescape_cell
from .converter import make_converter, problems_of, structure, unstructure
from .files import (
    MEMBER_COLUMN_ALIASES,
    CsvTable,
    decode,
    dumps,
    load,
    load_members,
    loads,
    read_csv,
    records_to_objects,
    save,
    save_members,
    write_csv,
)

__all__ = [
    "MEMBER_COLUMN_ALIASES",
    "CsvTable",
    "decode",
    "dumps",
    "escape_cell",
    "load",
    "load_members",
    "load_operations",
    "loads",
    "make_converter",
    "problems_of",
    "read_csv",
    "read_observations",
    "read_outages",
    "read_work",
    "records_to_objects",
    "save",
    "save_members",
    "structure",
    "unescape_cell",
    "unstructure",
    "write_csv",
]
