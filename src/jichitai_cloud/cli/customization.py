"""The ``jichitai-cloud customization`` subcommand: comparison table and who stays in.

::

    jichitai-cloud customization requests.csv --members A,B,C,D,E,F
    jichitai-cloud customization council.toml --format json
    jichitai-cloud customization --example toyama --show all
    jichitai-cloud customization --example toyama --format xlsx --output 比較一覧表.xlsx
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ..errors import JichitaiCloudError
from ..model import Consortium, CustomizationRegister

__all__ = ["register"]

_SHOW = ("comparison", "stable", "decisions", "subcommittees")


def _load(args: argparse.Namespace) -> tuple[Consortium | None, CustomizationRegister]:
    from ..customization._files import example_register, load_source

    members = [c.strip() for c in args.members.split(",") if c.strip()] if args.members else None
    if (args.file is None) == (args.example is None):
        raise JichitaiCloudError("give either FILE (.csv, .toml or .json) or --example NAME (e.g. --example toyama)")
    if args.example is not None:
        from .. import examples

        reg = example_register(args.example)
        council = reg.apply_to(examples.load(args.example))
        if members is not None:
            reg = CustomizationRegister.from_council(council, members=tuple(members), meetings=reg.meetings,
                                                     fit_gap=reg.fit_gap)
        return council, reg
    obj = load_source(args.file, members=members, encoding=args.encoding)
    if isinstance(obj, Consortium):
        return obj, CustomizationRegister.from_council(obj)
    return None, obj


def _shown(args: argparse.Namespace) -> tuple[str, ...]:
    parts = [p.strip() for p in args.show.split(",") if p.strip()]
    if parts == ["all"]:
        return _SHOW
    bad = [p for p in parts if p not in _SHOW]
    if bad or not parts:
        raise JichitaiCloudError(f"--show takes a comma-separated list of {', '.join(_SHOW)} (or 'all'), "
                                 f"got {args.show!r}")
    return tuple(parts)


def _handler(args: argparse.Namespace) -> int:
    from ..customization._domain import comparison_table, decision_summary, stable_adoption
    from ..customization._subcommittees import subcommittee_summary

    council, reg = _load(args)
    show = _shown(args)
    table = comparison_table(reg, basis=args.basis)
    stable = stable_adoption(reg)
    decisions = decision_summary(council if council is not None else reg)
    subs = subcommittee_summary(council, reg) if council is not None and "subcommittees" in show else None
    if "subcommittees" in show and council is None:
        raise JichitaiCloudError("--show subcommittees needs a council file (.toml/.json with [[members]]) "
                                 "or --example")
    fmt = args.format
    if fmt == "xlsx":
        if not args.output:
            raise JichitaiCloudError("--format xlsx needs --output PATH (e.g. --output 比較一覧表.xlsx)")
        from ..report.workbook import write_xlsx

        sheets: dict[str, tuple[list[str], list[list[Any]]]] = {
            "比較一覧表": (table.header(), table.rows()),
            "団体別合計": (["member", "total"], [[m, t] for m, t in zip(table.members, table.member_totals, strict=True)]
                                          + [["合計", table.grand_total]]),
            "継続団体": (stable.header(), stable.rows()),
            "脱退": stable.dropout_table(),
            "状態別": decisions.by_status(),
            "部会別": decisions.by_subcommittee(),
            "団体別": decisions.by_member(),
            "検討項目": decisions.assessments(),
        }
        if subs is not None:
            sheets["部会"] = (subs.header(), subs.table_rows())
        write_xlsx(args.output, sheets)
        sys.stdout.write(f"wrote {args.output}: {len(table.ids)} requests x {len(table.members)} members\n")
        return 0
    if fmt == "csv":
        from ..io import write_csv

        header = [*table.header(), "stable_adopters", "dropped"]
        stable_of = {rid: row for rid, row in zip(stable.ids, stable.rows(), strict=True)}
        rows = [[*r, *(stable_of[r[0]][6:8] if r[0] in stable_of else ["", ""])] for r in table.rows()]
        text = write_csv(args.output, header, rows)
        if args.output:
            sys.stdout.write(f"wrote {args.output}\n")
        else:
            sys.stdout.write(text.replace("\r\n", "\n"))
        return 0
    findings = list(decisions.findings) + (list(subs.findings) if subs is not None else [])
    if fmt == "json":
        data: dict[str, Any] = {}
        if "comparison" in show:
            data["comparison"] = table.to_dict()
        if "stable" in show:
            data["stable_adopters"] = stable.to_dict()
        if "decisions" in show:
            data["decisions"] = {"outcomes": decisions.outcome_counts(),
                                 "contradictions": list(decisions.contradictions())}
        if subs is not None:
            data["subcommittees"] = {"header": subs.header(), "rows": subs.table_rows()}
        data["warnings"] = [str(f) for f in findings]
        text = json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"
    else:
        parts = []
        if "comparison" in show:
            parts.append(table.to_text())
        if "stable" in show:
            parts.append(stable.to_text())
        if "decisions" in show:
            parts.append(decisions.to_text())
        if subs is not None:
            parts.append(subs.to_text())
        if findings and "decisions" not in show and "subcommittees" not in show:
            parts.append("warnings:\n" + "\n".join(f"  - {f}" for f in findings))
        text = "\n\n".join(parts) + "\n"
    if args.output:
        from pathlib import Path

        Path(args.output).write_text(text, encoding="utf-8")
        sys.stdout.write(f"wrote {args.output}\n")
    else:
        sys.stdout.write(text)
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``customization`` subcommand."""
    p = subparsers.add_parser(
        "customization",
        help="customization comparison table (カスタマイズ要望比較一覧表) and who stays in",
        description="Print the customization comparison table (each member's share of each request) and "
                    "the stable adopters (who still adopts when each pays its equal share).",
    )
    p.add_argument("file", nargs="?", metavar="FILE",
                   help="request register (.csv, one row per request) or council/register (.toml, .json)")
    p.add_argument("--example", metavar="NAME", help="use a bundled example instead of FILE (e.g. toyama)")
    p.add_argument("--members", metavar="CODES", help="member codes, the table's columns, e.g. A,B,C,D,E,F")
    p.add_argument("--basis", choices=["adopters", "requesters"], default="adopters",
                   help="who shares each cost: the decided adopters (default) or every requester")
    p.add_argument("--show", default="comparison,stable",
                   help=f"what to print: a comma-separated list of {', '.join(_SHOW)}, or all "
                        "(default: comparison,stable)")
    p.add_argument("--format", choices=["table", "json", "csv", "xlsx"], default="table", help="output format")
    p.add_argument("--output", metavar="PATH", help="write to PATH instead of standard output (needed for xlsx)")
    p.add_argument("--encoding", default="auto", help="encoding of a CSV FILE: auto (UTF-8, then CP932), "
                                                      "utf-8 or cp932")
    p.set_defaults(func=_handler)
