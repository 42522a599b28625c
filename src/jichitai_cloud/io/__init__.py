"""Files in and out: readers, schemas and writers; one cattrs converter; formula-safe export.

* Readers: :func:`read_table` reads a table from CSV (UTF-8, UTF-8 with BOM, CP932) or Excel
  (``.xlsx``) keeping the cells' types (an Excel number stays a number); :func:`read_csv` reads CSV
  text; TOML and JSON are parsed by the standard library.
* Schemas map a table or a document to domain objects: member lists (:func:`load_council`,
  :func:`read_member_list`, :func:`load_members`), request registers (:func:`read_requests_csv`),
  operations tables (:func:`read_observations`, :func:`read_outages`, :func:`read_work`), quote
  tables (:func:`load_quote_table`), renewal options (:func:`load_renewal_options`), and every TOML/JSON document (:func:`loads`).
* :func:`load` reads a document of one kind from a file in any format of that kind and returns one
  type per kind: a council file and a member list (``.csv``, ``.xlsx``) both give a
  :class:`~jichitai_cloud.Consortium`.
* Writers: :func:`save`, :func:`dumps`, :func:`write_csv`, :func:`write_member_template`, and what the
  edges share: :func:`write_atomic`, :func:`write_atomic_with`, :func:`check_target`,
  :func:`put_cell`, :func:`escape_cell`.

>>> from jichitai_cloud import io, examples
>>> council = examples.toyama()
>>> text = io.dumps(council)                       # TOML
>>> io.loads(text, type(council)) == council
True
"""

from typing import TYPE_CHECKING

from .._lazy import lazy_attributes
from ._safe import escape_cell, put_cell, unescape_cell
from ._table import TABLE_FORMATS, Cell, Table, read_table, read_tables
from ._write import check_target, save_workbook, write_atomic, write_atomic_with
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

if TYPE_CHECKING:
    from ._allocation import load_plan
    from ._billing import billing_rules_from_data, load_billing_rules, read_rates
    from ._customization import (
        REQUEST_COLUMN_ALIASES,
        load_customization_source,
        load_register,
        read_requests_csv,
    )
    from ._evaluation import load_procurement
    from ._focus import CURRENCIES, FOCUS_MANDATORY, read_focus
    from ._games import cost_model_from_data, load_cost_model, load_quote_table
    from ._members import (
        MEMBER_COLUMNS,
        council_from_members,
        load_council,
        read_member_list,
        read_member_workbook,
    )
    from ._migration import LAYOUT_COLUMNS, MAX_RECORD_BYTES, load_layout, read_extract, read_extracts
    from ._operations import load_operations, read_observations, read_outages, read_work
    from ._renewal import load_renewal_options
    from ._schedule import load_schedule, load_schedules
    from ._selection import load_selection, selection_from_data
    from ._xlsx import write_member_template

_LAZY: dict[str, str] = {
    # name: the module (relative to this package) that defines it; loaded on first use, so reading a
    # council file does not import every topic
    "load_plan": "._allocation",
    "billing_rules_from_data": "._billing",
    "load_billing_rules": "._billing",
    "read_rates": "._billing",
    "CURRENCIES": "._focus",
    "FOCUS_MANDATORY": "._focus",
    "read_focus": "._focus",
    "REQUEST_COLUMN_ALIASES": "._customization",
    "load_customization_source": "._customization",
    "load_register": "._customization",
    "read_requests_csv": "._customization",
    "load_procurement": "._evaluation",
    "cost_model_from_data": "._games",
    "load_cost_model": "._games",
    "load_quote_table": "._games",
    "load_operations": "._operations",
    "read_observations": "._operations",
    "read_outages": "._operations",
    "read_work": "._operations",
    "LAYOUT_COLUMNS": "._migration",
    "MAX_RECORD_BYTES": "._migration",
    "load_layout": "._migration",
    "read_extract": "._migration",
    "read_extracts": "._migration",
    "MEMBER_COLUMNS": "._members",
    "council_from_members": "._members",
    "load_council": "._members",
    "read_member_list": "._members",
    "load_renewal_options": "._renewal",
    "load_schedule": "._schedule",
    "load_schedules": "._schedule",
    "load_selection": "._selection",
    "selection_from_data": "._selection",
    "read_member_workbook": "._members",
    "write_member_template": "._xlsx",
}


__all__ = [
    "CURRENCIES",
    "FOCUS_MANDATORY",
    "LAYOUT_COLUMNS",
    "MAX_RECORD_BYTES",
    "MEMBER_COLUMNS",
    "MEMBER_COLUMN_ALIASES",
    "REQUEST_COLUMN_ALIASES",
    "TABLE_FORMATS",
    "Cell",
    "CsvTable",
    "Table",
    "billing_rules_from_data",
    "check_target",
    "cost_model_from_data",
    "council_from_members",
    "decode",
    "dumps",
    "escape_cell",
    "load",
    "load_billing_rules",
    "load_cost_model",
    "load_council",
    "load_customization_source",
    "load_layout",
    "load_members",
    "load_operations",
    "load_plan",
    "load_procurement",
    "load_quote_table",
    "load_register",
    "load_renewal_options",
    "load_schedule",
    "load_schedules",
    "load_selection",
    "loads",
    "make_converter",
    "problems_of",
    "put_cell",
    "read_csv",
    "read_extract",
    "read_extracts",
    "read_focus",
    "read_member_list",
    "read_member_workbook",
    "read_observations",
    "read_outages",
    "read_rates",
    "read_requests_csv",
    "read_table",
    "read_tables",
    "read_work",
    "records_to_objects",
    "save",
    "save_members",
    "save_workbook",
    "selection_from_data",
    "structure",
    "unescape_cell",
    "unstructure",
    "write_atomic",
    "write_atomic_with",
    "write_csv",
    "write_member_template",
]


__getattr__, __dir__ = lazy_attributes(globals(), _LAZY)
