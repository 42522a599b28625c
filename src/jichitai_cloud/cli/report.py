"""The ``jichitai-cloud report`` subcommand: one report for the council (協議会報告), Excel or HTML.

::

    jichitai-cloud report --example toyama --output council.xlsx
    jichitai-cloud report --example toyama --output council.html
    jichitai-cloud report members.xlsx --total 1390000000 --ratio 3:7 --min-reduction 0.3 --output council.xlsx
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ._common import add_format_argument, add_source_arguments, load_source, write_result, yen_argument

__all__ = ["register"]


class _RuleArguments(argparse.Namespace):
    """The arguments of ``allocate``'s rule builder; those ``report`` does not take are ``None``."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return None


def _results(args: argparse.Namespace) -> dict[str, Any]:
    from .. import customization, examples, io
    from ..allocation import allocate
    from ..evaluation import evaluate
    from .allocate import _rule_and_total

    council = load_source(args)
    out: dict[str, Any] = {"council": council}
    rule_args = _RuleArguments(**vars(args))
    has_total = (args.total is not None or args.example is not None
                 or (council.published is not None and council.published.total_cloud_fee is not None))
    if has_total:
        planned, rule, total = _rule_and_total(rule_args, council)
        out["council"] = council = planned
        out["allocation"] = allocate(planned, total, rule)
    if args.example == "toyama":  # the bundled example's other records
        reg = examples.toyama_customization()
        applied = reg.apply_to(council)
        out["customization"] = (customization.comparison_table(reg), customization.decision_summary(applied))
        out["evaluation"] = evaluate(examples.toyama_evaluation())
        ops = examples.toyama_operations()
        out["operations"] = ops.monthly_report(ops.end)
    if args.procurement is not None:
        out["evaluation"] = evaluate(io.load_procurement(args.procurement))
    return out


def _handler(args: argparse.Namespace) -> int:
    from ..report import council_report

    results = _results(args)
    report = council_report(**results)
    if args.format == "xlsx":  # the council report's own workbook: yen and percent formats, 合計 lines
        report.to_excel(args.output, overwrite=args.force)
        args.output_written = True
        sheets = ", ".join(s.name for s in report.sheets)
        sys.stdout.write(f"wrote {args.output}: {len(report.sheets)} tables ({sheets})\n")
    else:
        page = report.to_html(None, charts=not args.no_charts)
        write_result(args, html=page, text=page)
    if "allocation" not in results:
        sys.stderr.write("note: no allocation (give the fee with --total YEN to add 費用按分 and 導入効果)\n")
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``report`` subcommand."""
    from .allocate import _rate

    p = subparsers.add_parser(
        "report",
        help="write one report for the council (.xlsx workbook or .html page with charts)",
        description="Lay the council's results out as one report: members, cost allocation, five-year effect, "
                    "and with --example also customization, evaluation and the monthly SLA report; a workbook "
                    "with a sheet per table (yen and percent formats, a 合計 line under each money table) or an "
                    "HTML page with the same tables and the charts.",
    )
    add_source_arguments(p)
    p.add_argument("--total", type=yen_argument, metavar="YEN", help="the fee to split over the evaluation period [yen]")
    p.add_argument("--ratio", metavar="R", help="driver ratio, '3:7' (均等割:人口割) or 'equal=3,population=7'")
    p.add_argument("--min-reduction", type=_rate, metavar="RATE", help="guaranteed minimum reduction, e.g. 0.3")
    p.add_argument("--no-guarantee", action="store_true", help="no guaranteed minimum reduction")
    p.add_argument("--procurement", metavar="FILE", help="also evaluate this procurement (.toml or .json)")
    p.add_argument("--no-charts", action="store_true", help="HTML without charts")
    add_format_argument(p, ("xlsx", "html"))
    p.set_defaults(func=_handler)
