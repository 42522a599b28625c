"""The ``fairness`` subcommand: is the council's allocation fair and stable, and what if a member leaves?

::

    jichitai-cloud fairness --example toyama
    jichitai-cloud fairness council.toml --costs quotes.csv --shares rule --ratio 3:7 --leave A
    jichitai-cloud fairness council.toml --costs quotes.csv --ratio 3:7 --min-reduction 0.3

With ``--min-reduction`` (or ``--fee-period``) the shares analysed are those the members actually
pay under the council's rule as :func:`jichitai_cloud.allocate` applies it: the guaranteed minimum
reduction (members held at their cap, the excess carried by the others), the months each member is
on the cloud and the fee period; the leaving reports apply the same rule to the smaller council.
"""

from __future__ import annotations

import argparse
from typing import Any

from .. import examples, io
from ..errors import JichitaiCloudError
from ._common import add_format_argument, lang_of, records, write_result
from ._council import add_council_arguments, load_council, rate_argument

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``fairness`` subcommand."""
    p = subparsers.add_parser(
        "fairness",
        help="is the allocation fair and stable? (Shapley value, nucleolus, SCRB, core; leaving members)",
        description="Compare the council's allocation with the Shapley value (シャープレイ値), the nucleolus "
                    "(仁) and the SCRB method, test whether any group of members would gain by procuring "
                    "on its own (コア), and show what happens if a member leaves.",
    )
    add_council_arguments(p)
    p.add_argument("--costs", metavar="FILE",
                   help="coalition cost model (.toml, .json or a .csv of quotes for groups); "
                        "with --example, the bundled model by default")
    p.add_argument("--shares", choices=("published", "rule"), default=None,
                   help="allocation to analyse: the council's published cloud fees, or the rule's split "
                        "of the cost model's whole-council cost (default: published if every member has one)")
    p.add_argument("--ratio", default="3:7", metavar="RATIO",
                   help="the council's rule, equal:population (default 3:7, 均等割:人口割) or "
                        "'equal=3,population=7'")
    p.add_argument("--min-reduction", type=rate_argument, metavar="RATE",
                   help="the council's guaranteed minimum reduction, e.g. 0.3 or 30%% (最低3割削減): analyse the "
                        "shares the members pay under it (implies --shares rule)")
    p.add_argument("--leave", metavar="CODE", action="append", default=[],
                   help="also show the others' new costs if member CODE leaves (repeatable)")
    p.add_argument("--coalitions", action="store_true", help="also list every coalition's cost")
    add_format_argument(p, ("table", "json", "csv", "markdown", "html", "xlsx"))
    p.set_defaults(func=_cmd_fairness)


def _cost_model(args: argparse.Namespace) -> Any:
    if args.costs is not None:
        return io.load_cost_model(args.costs)
    if args.example is not None:
        try:
            return io.load_cost_model(examples.data_path(f"{args.example}_games.toml"))
        except JichitaiCloudError:
            pass
    raise JichitaiCloudError("give the coalition cost model with --costs FILE (.toml, .json or .csv of quotes)")


def _cmd_fairness(args: argparse.Namespace) -> int:
    # the topics load when the subcommand runs, not when the program's parser is built
    from ..allocation import AllocationRule, parse_ratio
    from ..games import fairness_report, leaving_report

    lang = lang_of(args)
    council = load_council(args)
    model = _cost_model(args)
    ratio: Any = parse_ratio(args.ratio)
    guaranteed = args.min_reduction is not None
    if guaranteed or args.fee_period is not None:  # the rule as allocate applies it: guarantee, months, fee period
        ratio = AllocationRule(ratios=ratio, min_reduction=args.min_reduction)
    pub = council.published
    has_published = pub is not None and all(c in pub.cloud_fees for c in council.codes)
    use = args.shares or ("rule" if guaranteed or not has_published else "published")
    if use == "published" and guaranteed:
        raise JichitaiCloudError("--min-reduction applies to the rule's shares: use --shares rule (the published "
                                 "cloud fees are what the members pay already)")
    if use == "published":
        if not has_published or pub is None:
            raise JichitaiCloudError("the council has no published cloud fee for every member: use --shares rule")
        allocation: Any = {c: pub.cloud_fees[c] for c in council.codes}
        report = fairness_report(council, allocation, model)
        basis = ("公表されたクラウド利用料 (published cloud fees)" if lang == "ja"
                 else "published cloud fees (クラウド利用料)")
    else:  # the rule applied to the cost model's cost of the whole council
        report = fairness_report(council, None, model, rule=ratio)
        allocation = report.shares
        if lang == "ja":
            basis = f"按分規則 {args.ratio} (均等割:人口割) でコストモデルの全体費用 {report.model_total:,} 円を按分"
            if guaranteed:
                basis += f"、最低保障 (削減率 {args.min_reduction:.0%} 以上) を適用した各団体の実際の負担額"
        else:
            basis = f"the rule {args.ratio} (equal:population) applied to the cost model's {report.model_total:,} yen"
            if guaranteed:
                basis += (f" with the guaranteed minimum reduction of {args.min_reduction:.0%} (最低保障): the "
                          "shares the members pay")
    leaving = [leaving_report(council, code, model, rule=ratio, allocation=allocation) for code in args.leave]

    data: dict[str, Any] | None = None
    if args.format == "json":
        data = {
            "council": report.council,
            "allocation": basis,
            "members": records(report.view()),
            "total": report.total,
            "model_total": report.model_total,
            "in_core": report.in_core,
            "worst_coalition": list(report.worst_coalition),
            "worst_excess": report.worst_excess,
            "method_excess": [{"method": m, "excess": e, "coalition": list(c)} for m, e, c in report.method_excess],
            "cost_model": report.costs.rule, "cost_model_en": report.costs.rule_in("en"),
            "notes": list(report.notes), "notes_en": list(report.notes_en or report.notes),
            "leaving": [{
                "leaver": lv.leaver, "leaver_share": lv.leaver_share, "leaver_standalone": lv.leaver_standalone,
                "total_before": lv.total_before, "total_after": lv.total_after,
                "members": records(lv.view()),
                "in_core_after": lv.in_core_after, "worst_coalition_after": list(lv.worst_coalition_after),
                "worst_excess_after": lv.worst_excess_after,
            } for lv in leaving],
        }
    head = ("分析した負担額", "提携ごとの費用 (coalition costs)") if lang == "ja" else ("allocation analysed",
                                                                                  "coalition costs")
    out = [f"{head[0]}: {basis}", f"{head[1]}: {report.costs.rule_in(lang)}", "",
           report.to_text(lang)]
    for lv in leaving:
        out += ["", lv.to_text(lang)]
    if args.coalitions:
        out += ["", report.costs.to_text(lang, limit=None)]
    write_result(args, report, text="\n".join(out), data=data, table=report.view())
    return 0
