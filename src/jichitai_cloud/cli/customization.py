"""The ``jichitai-cloud customization`` subcommand: comparison table and who stays in.

::

    jichitai-cloud customization requests.csv --members A,B,C,D,E,F
    jichitai-cloud customization council.toml --format json
    jichitai-cloud customization --example toyama --show all
    jichitai-cloud customization --example toyama --format xlsx --output 比較一覧表.xlsx
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

import attrs

from .._display import DataTable, Lang
from ..errors import JichitaiCloudError
from ..model import Consortium, CustomizationRegister
from ._common import add_format_argument, add_source_arguments, lang_of, records, write_result

if TYPE_CHECKING:  # pragma: no cover
    from ..customization import ComparisonTable, StableAdoption

__all__ = ["register"]

_SHOW = ("comparison", "stable", "decisions", "subcommittees")

_EXAMPLES = ("toyama",)
"""Bundled councils with a customization register (``examples.<name>()``, ``examples.<name>_customization()``)."""


@attrs.frozen
class _Sheets:
    """The tables the subcommand assembles from several results (the comparison, the stable
    adopters, the decisions, the subcommittees), for :mod:`jichitai_cloud.report`."""

    tables: tuple[DataTable, ...]

    def views(self) -> tuple[DataTable, ...]:
        return self.tables

    def summary(self, lang: Lang = "ja") -> str:
        return ""


def _comparison_with_stable(table: ComparisonTable, stable: StableAdoption) -> DataTable:
    """The comparison table with each request's stable adopters and drop-outs beside it (the CSV)."""
    comparison, adopters = table.view("comparison"), stable.view("stable")
    extra = (adopters.column("stable_adopters"), adopters.column("dropped"))
    at = [adopters.position(c.key) for c in extra]
    of = {r[adopters.position("id")]: tuple(r[j] for j in at) for r in adopters.rows}
    rows = [(*r, *of.get(r[comparison.position("id")], (None, None))) for r in comparison.rows]
    return attrs.evolve(comparison, columns=(*comparison.columns, *extra), rows=rows)


def _load(args: argparse.Namespace) -> tuple[Consortium | None, CustomizationRegister]:
    from .. import examples, io

    members = [c.strip() for c in args.members.split(",") if c.strip()] if args.members else None
    if (args.file is None) == (args.example is None):
        raise JichitaiCloudError("give either FILE (.csv, .toml or .json) or --example NAME (e.g. --example toyama)")
    if args.example is not None:
        if args.example not in _EXAMPLES:
            raise JichitaiCloudError(f"no bundled customization register {args.example!r}; "
                                     f"there are {sorted(_EXAMPLES)}")
        reg = examples.toyama_customization()
        council = reg.apply_to(examples.toyama())
        if members is not None:
            reg = CustomizationRegister.from_council(council, members=tuple(members), meetings=reg.meetings,
                                                     fit_gap=reg.fit_gap)
        return council, reg
    obj = io.load_customization_source(args.file, members=members, encoding=args.encoding)
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
    from .. import customization

    council, reg = _load(args)
    show = _shown(args)
    table = customization.comparison_table(reg, basis=args.basis)
    if council is not None:  # the members shown by name (the register knows only their codes)
        known = {m.code: m.name for m in council.members}
        table = attrs.evolve(table, names=tuple(known.get(c, c) for c in table.members))
    stable = customization.stable_adoption(council if council is not None else reg)  # members by name
    decisions = customization.decision_summary(council if council is not None else reg)
    subs = (customization.subcommittee_summary(council, reg)
            if council is not None and "subcommittees" in show else None)
    if "subcommittees" in show and council is None:
        raise JichitaiCloudError("--show subcommittees needs a council file (.toml/.json with [[members]]) "
                                 "or --example")
    fmt = args.format
    sheets = (*table.views(), *stable.views(), *decisions.views(),
              *((subs.view("subcommittees"),) if subs is not None else ()))
    findings = list(decisions.findings) + (list(subs.findings) if subs is not None else [])
    data: dict[str, Any] = {}
    if fmt == "json":
        if "comparison" in show:
            data["comparison"] = table.to_dict()
        if "stable" in show:
            data["stable_adopters"] = stable.to_dict()
        if "decisions" in show:
            data["decisions"] = {"outcomes": decisions.outcome_counts(),
                                 "contradictions": list(decisions.contradictions())}
        if subs is not None:
            data["subcommittees"] = records(subs.view("subcommittees"))
    lang = lang_of(args)
    if fmt == "json":
        data["warnings"] = [f.line(lang) for f in findings]
    parts = []
    if "comparison" in show:
        parts.append(table.to_text(lang))
    if "stable" in show:
        parts.append(stable.to_text(lang))
    if "decisions" in show:
        parts.append(decisions.to_text(lang))
    if subs is not None:
        parts.append(subs.to_text(lang))
    if findings and "decisions" not in show and "subcommittees" not in show:
        parts.append(("注意:\n" if lang == "ja" else "warnings:\n") + "\n".join(f"  - {f.line(lang)}" for f in findings))
    write_result(args, _Sheets(sheets), text="\n\n".join(parts), data=data,
                 table=_comparison_with_stable(table, stable), title="カスタマイズ要望比較一覧表")
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``customization`` subcommand."""
    p = subparsers.add_parser(
        "customization",
        help="customization comparison table (カスタマイズ要望比較一覧表) and who stays in",
        description="Print the customization comparison table (each member's share of each request) and "
                    "the stable adopters (who still adopts when each pays its equal share).",
    )
    add_source_arguments(p, "request register (.csv, one row per request) or council/register (.toml, .json)")
    p.add_argument("--members", metavar="CODES", help="member codes, the table's columns, e.g. A,B,C,D,E,F")
    p.add_argument("--basis", choices=["adopters", "requesters"], default="adopters",
                   help="who shares each cost: the decided adopters (default) or every requester")
    p.add_argument("--show", default="comparison,stable",
                   help=f"what to print: a comma-separated list of {', '.join(_SHOW)}, or all "
                        "(default: comparison,stable)")
    add_format_argument(p, ("table", "json", "csv", "markdown", "html", "xlsx"))
    p.add_argument("--encoding", default="auto", help="encoding of a CSV FILE: auto (UTF-8, then CP932), "
                                                      "utf-8 or cp932")
    p.set_defaults(func=_handler)
