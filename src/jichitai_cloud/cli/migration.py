"""The ``jichitai-cloud migration`` subcommand: check extract files against a data layout (データ移行検証).

::

    jichitai-cloud migration 受給者.csv A_受給者.csv
    jichitai-cloud migration layout.xlsx A.csv B.csv --member A --strict -o check.xlsx
    jichitai-cloud migration layout.csv extract.txt --format fixed --encoding cp932 -o check.json

Exit status: 0 when the check ran, whatever it found; 3 with ``--strict`` when any record fails;
1 for bad input (an unreadable layout, an extract not of the layout's shape).  JSON: for one
extract ``{"records": n, "counts": [{"field": id, "rule": rule, "count": n}, ...]}``; for several,
an object with that shape per extract, keyed by the file as given.
"""

from __future__ import annotations

import argparse
from typing import Any

from ._common import add_format_argument, write_result

__all__ = ["register"]


def _json(check: Any) -> dict[str, Any]:
    return {"records": check.records,
            "counts": [{"field": f, "rule": r, "count": n} for (f, r), n in check.counts().items()]}


def _handler(args: argparse.Namespace) -> int:
    from .. import io, migration

    layout = io.load_layout(args.layout)
    kw: dict[str, Any] = {"encoding": args.encoding, "format": args.extract_format, "header": args.header}
    if len(args.extracts) == 1:
        result: Any = migration.check_extract(io.read_extract(args.extracts[0], layout, **kw), examples=args.examples)
        checks = [result]
        data: Any = _json(result)
    else:
        member = args.member or "-"
        paths = list(dict.fromkeys(args.extracts))
        result = migration.check_migration({member: {p: io.read_extract(p, layout, **kw) for p in paths}},
                                           {p: layout for p in paths})
        checks = [result.check(member, p) for p in paths]
        data = {p: _json(c) for p, c in zip(paths, checks, strict=True)}
    write_result(args, result, data=data)
    if args.strict and any(c.failed_records for c in checks):
        return 3
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``migration`` subcommand."""
    p = subparsers.add_parser(
        "migration",
        help="data migration check (データ移行検証): extract files against a layout",
        description="Check each extract (CSV or fixed-width) against the layout (xlsx or CSV with 項目ID, 項目名, 型, "
                    "桁数, …): records, failing records by field and rule, 外字, duplicate keys.  Values are never "
                    "shown unless --examples is given, and then masked.  Exit 0 when the check ran, 3 with --strict "
                    "when any record fails, 1 for bad input.",
    )
    p.add_argument("layout", metavar="LAYOUT", help="the layout (.xlsx, or .csv with code tables beside it)")
    p.add_argument("extracts", nargs="+", metavar="EXTRACT", help="extract file(s) to check")
    p.add_argument("--member", metavar="CODE", help="the member the extracts belong to (shown in the result)")
    p.add_argument("--encoding", default="cp932", help="the extracts' encoding (default cp932; e.g. utf-8)")
    p.add_argument("--extract-format", choices=["csv", "fixed"], default="csv",
                   help="csv (default) or fixed (fixed-width records, field widths in bytes)")
    p.add_argument("--header", action="store_true", help="the extracts start with a header row (skipped)")
    p.add_argument("--examples", type=int, default=0, metavar="K",
                   help="show up to K failing values per field and rule, masked (default 0: none)")
    p.add_argument("--strict", action="store_true", help="exit 3 when any record fails a rule")
    add_format_argument(p, ("table", "json", "csv", "markdown", "html", "xlsx"))
    p.set_defaults(func=_handler)
