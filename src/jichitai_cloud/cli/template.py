"""The ``jichitai-cloud template`` subcommand: write the member workbook a secretariat fills in.

::

    jichitai-cloud template members.xlsx                 # empty sheets to fill in
    jichitai-cloud template members.xlsx --example toyama --force
    jichitai-cloud allocate members.xlsx --total 1390000000 --ratio 3:7 --min-reduction 0.3
"""

from __future__ import annotations

import argparse
import sys

from ._common import add_format_argument

__all__ = ["register"]


def _handler(args: argparse.Namespace) -> int:
    from .. import examples, io

    path = args.output  # an .xlsx name, or any name with --format xlsx (the format is checked up front)
    council = examples.load(args.example) if args.example is not None else None
    io.write_member_template(path, council=council, overwrite=args.force)
    args.output_written = True
    filled = f" with the {len(council.members)} members of {args.example}" if council is not None else ""
    sys.stdout.write(f"wrote {path}{filled}: fill in the sheet 参加団体 (members), see 説明 "
                     f"(instructions); then e.g. jichitai-cloud allocate {path} --total YEN\n")
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``template`` subcommand."""
    p = subparsers.add_parser(
        "template",
        help="write an Excel member list to fill in (参加団体, 協議会, 説明)",
        description="Write the workbook a secretariat fills in with its council's members: a members sheet "
                    "with the headings 団体コード, 市町村名, 人口, 現行経費, 違約金, 現行稼働満了想定, "
                    "クラウド開始 (Japanese with English beside), the council's name and evaluation period, and "
                    "a sheet explaining each column.  Every subcommand that takes a council reads it back.",
    )
    p.add_argument("path", nargs="?", metavar="FILE", help="the workbook to write (.xlsx); or --output FILE")
    p.add_argument("--example", metavar="NAME", help="fill it with a bundled example's members (e.g. toyama)")
    add_format_argument(p, ("xlsx",))
    p.set_defaults(output_from="path")
    p.set_defaults(func=_handler)
