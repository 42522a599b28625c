"""jichitai_cloud: typed data and exact, vectorised computations for municipal cloud councils.

自治体クラウド(共同利用)の協議会のための型付きデータモデルと、厳密でベクトル化された計算。

The public face (at most 45 names): the council's records, the main entry points and their
results, and the errors.  Everything else lives in a namespace: the topics
(:mod:`~jichitai_cloud.allocation`, :mod:`~jichitai_cloud.games`, :mod:`~jichitai_cloud.evaluation`,
:mod:`~jichitai_cloud.customization`, :mod:`~jichitai_cloud.operations`) and the edges
(:mod:`~jichitai_cloud.io`, :mod:`~jichitai_cloud.examples`, :mod:`~jichitai_cloud.report`,
:mod:`~jichitai_cloud.calendar`, :mod:`~jichitai_cloud.model` for every record type).

``import jichitai_cloud`` is light: the names below and the subpackages are loaded on first use
(PEP 562 ``__getattr__``), so a CLI call or a script pays only for the topics it touches.  To add a
root name, add it to ``_LAZY`` (name → module that defines it), to the ``TYPE_CHECKING`` block (so
type checkers and IDEs see it) and to ``__all__``; ``tests/test_package.py`` checks all three agree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._lazy import lazy_attributes
from ._version import __version__

if TYPE_CHECKING:
    from . import allocation as allocation
    from . import calendar as calendar
    from . import customization as customization
    from . import evaluation as evaluation
    from . import examples as examples
    from . import games as games
    from . import io as io
    from . import model as model
    from . import operations as operations
    from . import report as report
    from . import schedule as schedule
    from . import selection as selection
    from .allocation import Allocation, AllocationRule, CostItem, EffectTable, Statement, allocate, statement
    from .calendar import Month
    from .errors import (
        InfeasibleAllocation,
        InputError,
        JichitaiCloudError,
        OutputError,
        ParseError,
        Problem,
        UnknownMemberError,
        ValidationError,
        ValidationWarning,
    )
    from .evaluation import EvaluationResult, evaluate
    from .games import FairnessReport, fairness_report
    from .model import (
        Consortium,
        CustomizationRegister,
        CustomizationRequest,
        EvaluationScheme,
        Meeting,
        Municipality,
        Observation,
        Outage,
        Procurement,
        Proposal,
        PublishedFigures,
        Quote,
        Scores,
        ServiceCalendar,
        SLAMetric,
        Subcommittee,
    )
    from .operations import MonthlyReport, OperationsData

_SUBPACKAGES: frozenset[str] = frozenset({
    "allocation", "calendar", "customization", "errors", "evaluation", "examples", "games", "io",
    "model", "operations", "report", "schedule", "selection",
})
"""Namespaces reachable as attributes (``jichitai_cloud.io``), imported on first use."""

_LAZY: dict[str, str] = {
    # name: the module (relative to this package) that defines it
    "Allocation": ".allocation",
    "AllocationRule": ".allocation",
    "CostItem": ".allocation",
    "EffectTable": ".allocation",
    "Statement": ".allocation",
    "statement": ".allocation",
    "allocate": ".allocation",
    "Month": ".calendar",
    "InfeasibleAllocation": ".errors",
    "InputError": ".errors",
    "JichitaiCloudError": ".errors",
    "OutputError": ".errors",
    "ParseError": ".errors",
    "Problem": ".errors",
    "UnknownMemberError": ".errors",
    "ValidationError": ".errors",
    "ValidationWarning": ".errors",
    "EvaluationResult": ".evaluation",
    "evaluate": ".evaluation",
    "FairnessReport": ".games",
    "fairness_report": ".games",
    "Consortium": ".model",
    "CustomizationRegister": ".model",
    "CustomizationRequest": ".model",
    "EvaluationScheme": ".model",
    "Meeting": ".model",
    "Municipality": ".model",
    "Observation": ".model",
    "Outage": ".model",
    "Procurement": ".model",
    "Proposal": ".model",
    "PublishedFigures": ".model",
    "Quote": ".model",
    "Scores": ".model",
    "ServiceCalendar": ".model",
    "SLAMetric": ".model",
    "Subcommittee": ".model",
    "MonthlyReport": ".operations",
    "OperationsData": ".operations",
}
"""Root names loaded on first use: name → the module that defines it."""

__all__ = [
    "Allocation",
    "AllocationRule",
    "Consortium",
    "CostItem",
    "CustomizationRegister",
    "CustomizationRequest",
    "EffectTable",
    "EvaluationResult",
    "EvaluationScheme",
    "FairnessReport",
    "InfeasibleAllocation",
    "InputError",
    "JichitaiCloudError",
    "Meeting",
    "Month",
    "MonthlyReport",
    "Municipality",
    "Observation",
    "OperationsData",
    "Outage",
    "OutputError",
    "ParseError",
    "Problem",
    "Procurement",
    "Proposal",
    "PublishedFigures",
    "Quote",
    "SLAMetric",
    "Scores",
    "ServiceCalendar",
    "Statement",
    "Subcommittee",
    "UnknownMemberError",
    "ValidationError",
    "ValidationWarning",
    "__version__",
    "allocate",
    "evaluate",
    "fairness_report",
    "statement",
]


__getattr__, __dir__ = lazy_attributes(globals(), _LAZY, _SUBPACKAGES)
