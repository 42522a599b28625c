"""The ``jichitai-cloud report`` subcommand: one report for the council (協議会報告), Excel or HTML.

::

    jichitai-cloud report --example toyama --output council.xlsx
    jichitai-cloud report --example toyama --output council.html --lang en
    jichitai-cloud report members.xlsx --total 1390000000 --ratio 3:7 --min-reduction 0.3 --output council.xlsx
    jichitai-cloud report council.toml --total 1390000000 --customization requests.csv \\
        --operations operations.toml --operations observations.csv --month H28.03 \\
        --schedule schedule.toml --procurement procurement.toml --renewal-options options.toml \\
        --output council.html

The council's own files make the report's sections: each file is read with the loader of
:mod:`jichitai_cloud.io` and its result computed here (the allocation with ``--total`` …, the
customization comparison and decisions, the monthly operations report, the migration plan, the
evaluation, the continue-or-switch comparison), then laid out by :func:`jichitai_cloud.report.council_report`.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..errors import JichitaiCloudError
from ._common import add_format_argument, write_result
from ._council import add_council_arguments, add_rule_arguments, lang_of, load_council, rule_and_total

__all__ = ["register"]


def _customization(args: argparse.Namespace, council: Any) -> tuple[Any, Any]:
    from .. import customization, examples, io

    if args.customization is not None:
        reg = io.load_register(args.customization, members=list(council.codes), encoding=args.encoding)
    else:
        reg = examples.toyama_customization()
    applied = reg.apply_to(council)
    # the council as source: the comparison shows the members by name, as the decisions do
    return customization.comparison_table(applied), customization.decision_summary(applied)


def _operations(args: argparse.Namespace, council: Any) -> Any:
    from .. import examples, io
    from ..calendar import Month

    data = io.load_operations(*args.operations) if args.operations else examples.toyama_operations()
    month = data.end if args.month is None else Month.parse(args.month)
    if not data.start <= month <= data.end:
        raise JichitaiCloudError(f"--month {args.month}: outside the operations records "
                                 f"({data.start.iso()} .. {data.end.iso()})")
    return data.monthly_report(month, council=council)  # the council's members by name


def _schedule(args: argparse.Namespace) -> Any:
    from .. import examples, io, schedule

    sch = io.load_schedule(args.schedule, name=args.table) if args.schedule is not None \
        else examples.toyama_schedule(args.table or "core")
    return schedule.plan_migration(sch, starts=None if args.best_starts else "planned")


def _renewal(args: argparse.Namespace, council: Any) -> Any:
    from .. import examples, io

    plan = io.load_renewal_options(args.renewal_options) if args.renewal_options is not None \
        else examples.toyama_renewal()
    return plan.compare(council)


def _results(args: argparse.Namespace) -> dict[str, Any]:
    """The council and every result the arguments ask for, keyed as :func:`council_report` takes them."""
    from .. import examples, io
    from ..allocation import allocate
    from ..evaluation import evaluate

    council = load_council(args)
    out: dict[str, Any] = {"council": council}
    has_total = (args.total is not None or args.example is not None
                 or (council.published is not None and council.published.total_cloud_fee is not None))
    if has_total:
        planned, rule, total = rule_and_total(args, council)
        out["council"] = council = planned
        out["allocation"] = allocate(planned, total, rule)
    bundled = args.example == "toyama"  # the bundled example's own records, unless a file is given
    if args.customization is not None or bundled:
        out["customization"] = _customization(args, council)
    if args.procurement is not None:
        out["evaluation"] = evaluate(io.load_procurement(args.procurement))
    elif bundled:
        out["evaluation"] = evaluate(examples.toyama_evaluation())
    if args.operations or bundled:
        out["operations"] = _operations(args, council)
    if args.schedule is not None or bundled:
        out["schedule"] = _schedule(args)
    if args.renewal_options is not None or bundled:
        out["renewal"] = _renewal(args, council)
    return out


def _handler(args: argparse.Namespace) -> int:
    from ..report import council_report

    lang = lang_of(args)
    results = _results(args)
    report = council_report(**results, lang=lang)
    if args.format == "xlsx":  # the council report's own workbook: yen and percent formats, 合計 lines
        report.to_excel(args.output, overwrite=args.force)
        args.output_written = True
        sheets = ", ".join(s.name for s in report.sheets)
        what = "表" if lang == "ja" else "tables"
        sys.stdout.write(f"wrote {args.output}: {len(report.sheets)} {what} ({sheets})\n")
    else:
        page = report.to_html(None, charts=not args.no_charts)
        write_result(args, html=page, text=page)
    if "allocation" not in results:
        sys.stderr.write("note: 費用按分・導入効果はありません (give the fee with --total YEN to add them)\n"
                         if lang == "ja" else
                         "note: no allocation (give the fee with --total YEN to add 費用按分 and 導入効果)\n")
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``report`` subcommand."""
    p = subparsers.add_parser(
        "report",
        help="write one report for the council (.xlsx workbook or .html page with charts)",
        description="Lay the council's results out as one report: members, cost allocation, five-year effect, "
                    "and from the council's own files the customization requests, the procurement evaluation, "
                    "the monthly operations report, the migration plan and continue or switch (with "
                    "--example: the bundled example's); a workbook with a sheet per table (yen and percent formats, a 合計 line under "
                    "each money table) or an HTML page with the same tables and the charts.",
    )
    add_council_arguments(p)
    add_rule_arguments(p)
    p.add_argument("--customization", metavar="FILE",
                   help="customization requests (.csv, one row per request; or a register/council .toml/.json): "
                        "adds the comparison table (比較一覧表) and the decisions")
    p.add_argument("--encoding", default="auto",
                   help="encoding of a CSV requests file: auto (UTF-8, then CP932), utf-8 or cp932")
    p.add_argument("--operations", metavar="FILE", action="append", default=[],
                   help="operations records: the definitions (.toml/.json) and CSV tables (observations, outages, "
                        "work); repeat for each file; adds the monthly report (月次報告)")
    p.add_argument("--month", metavar="MONTH",
                   help="month of the monthly report, e.g. H28.03 or 2016-03 (default: the last month recorded)")
    p.add_argument("--schedule", metavar="FILE", help="migration schedule (.toml or .json): adds the migration "
                                                      "plan (移行スケジュール) and its chart")
    p.add_argument("--table", metavar="NAME", help="which schedule of the --schedule file (default: the first)")
    p.add_argument("--best-starts", action="store_true",
                   help="plan the cheapest starts within the capacity (default: the schedule's planned starts)")
    p.add_argument("--procurement", metavar="FILE", help="procurement with its proposals (.toml or .json): adds "
                                                         "the evaluation (総合評価)")
    p.add_argument("--renewal-options", metavar="FILE",
                   help="renewal options (.toml or .json with [[options]] tables, the first the incumbent): adds "
                        "continue or switch (継続・切替の判断) priced for the council, and its chart")
    p.add_argument("--no-charts", action="store_true", help="HTML without charts")
    add_format_argument(p, ("xlsx", "html"))
    p.set_defaults(func=_handler)
