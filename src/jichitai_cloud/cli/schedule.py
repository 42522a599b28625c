"""The ``jichitai-cloud schedule`` subcommand: the migration plan (移行スケジュール) and its checks.

::

    jichitai-cloud schedule --example toyama
    jichitai-cloud schedule --example toyama --table update --planned
    jichitai-cloud schedule --example toyama --capacity 2 --per quarter --blackout H28.03,H28.04
    jichitai-cloud schedule schedule.toml --format json
"""

from __future__ import annotations

import argparse
from typing import Any

from ..calendar import Month
from ..errors import JichitaiCloudError
from ._common import add_format_argument, add_source_arguments, count_argument, lang_of, records, write_result

__all__ = ["MAX_CAPACITY", "register"]

MAX_CAPACITY = 100_000
"""``--capacity``: most cutovers a month or quarter (far above any council's 1,741 members). [members]"""

_EXAMPLES = ("toyama",)


def _blackout(text: str | None) -> list[Month] | None:
    if text is None:
        return None
    parts = [p.strip() for p in text.split(",") if p.strip()]
    return [Month.parse(p) for p in parts]


def _handler(args: argparse.Namespace) -> int:
    from .. import examples, io, schedule

    if (args.file is None) == (args.example is None):
        raise JichitaiCloudError("give either FILE (.toml or .json) or --example NAME (e.g. --example toyama)")
    if args.example is not None:
        if args.example not in _EXAMPLES:
            raise JichitaiCloudError(f"no bundled migration schedule {args.example!r}; there are {list(_EXAMPLES)}")
        sch = examples.toyama_schedule(args.table or "core")
    else:
        sch = io.load_schedule(args.file, name=args.table)
    if args.capacity is not None and args.capacity < 1:
        raise JichitaiCloudError(f"--capacity must be an integer >= 1, got {args.capacity}")
    plan = schedule.plan_migration(sch, starts="planned" if args.planned else None, capacity=args.capacity,
                                   per=args.per, blackout=_blackout(args.blackout))
    table = plan.view()
    findings = plan.findings()
    data: dict[str, Any] = {
        "schedule": sch.name, "basis": plan.basis, "capacity": plan.capacity, "per": plan.per,
        "blackout": [b.era_short() for b in plan.blackout], "total": plan.total, "own_total": plan.own_total,
        "members": records(table),
        "checks": [{"where": f.where, "finding": f.message, "finding_en": f.text("en")} for f in findings],
    }
    lang = lang_of(args)
    parts = [plan.to_text(lang)]
    if not args.no_grid and args.format in (None, "table"):
        parts.append(plan.quarter_grid().to_text(lang))
    # one call for every format, so --output writes the table text too (not only JSON and CSV)
    write_result(args, plan, text="\n\n".join(parts), data=data, table=table)
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``schedule`` subcommand."""
    p = subparsers.add_parser(
        "schedule",
        help="migration schedule (移行スケジュール): cloud starts, cost of timing, checks",
        description="Plan each member's cloud start (the council's cheapest months within the vendor's cutover "
                    "capacity) or price the planned starts; list every check and print the quarter table.",
    )
    add_source_arguments(p, "schedule file (.toml or .json)")
    p.add_argument("--table", metavar="NAME", help="which schedule of the file: e.g. core (基幹系, default for the "
                                                   "example) or update (次期システム更新予定)")
    p.add_argument("--planned", action="store_true", help="price the planned starts instead of optimising")
    p.add_argument("--capacity", type=count_argument(1, MAX_CAPACITY, "a number of cutovers"), metavar="N",
                   help=f"most cutovers a month (or quarter), 1 to {MAX_CAPACITY:,}, overriding the file's")
    p.add_argument("--per", choices=["month", "quarter"], help="count the capacity per month or fiscal quarter")
    p.add_argument("--blackout", metavar="MONTHS", help="months with no cutover, comma-separated, e.g. H28.03,H28.04")
    p.add_argument("--no-grid", action="store_true", help="leave out the quarter table (table format)")
    add_format_argument(p)
    p.set_defaults(func=_handler)
