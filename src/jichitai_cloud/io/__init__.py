"""Files in and out: one cattrs converter; TOML, JSON and CSV (UTF-8 or CP932); formula-safe export.

>>> from jichitai_cloud import io, examples
>>> council = examples.toyama()
>>> text = io.dumps(council)                       # TOML
>>> io.loads(text, type(council)) == council
True
"""

from ._allocation import load_plan
from ._customization import (
    REQUEST_COLUMN_ALIASES,
    load_customization_source,
    load_register,
    read_requests_csv,
)
from ._evaluation import load_procurement
from ._games import cost_model_from_data, load_cost_model, load_quote_table
from ._operations import load_operations, read_observations, read_outages, read_work
from ._safe import escape_cell, unescape_cell
from ._selection import load_selection, selection_from_data
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
    "REQUEST_COLUMN_ALIASES",
    "CsvTable",
    "cost_model_from_data",
    "decode",
    "dumps",
    "escape_cell",
    "load",
    "load_cost_model",
    "load_customization_source",
    "load_members",
    "load_operations",
    "load_plan",
    "load_procurement",
    "load_quote_table",
    "load_register",
    "load_selection",
    "loads",
    "make_converter",
    "problems_of",
    "read_csv",
    "read_observations",
    "read_outages",
    "read_requests_csv",
    "read_work",
    "records_to_objects",
    "save",
    "save_members",
    "selection_from_data",
    "structure",
    "unescape_cell",
    "unstructure",
    "write_csv",
]
