"""jichitai_cloud: typed data and exact, vectorised computations for municipal cloud councils.

自治体クラウド(共同利用)の協議会のための型付きデータモデルと、厳密でベクトル化された計算。

The public face (at most 45 names): the council's records, the main entry points and their
results, and the errors.  Everything else lives in a namespace: the topics
(:mod:`~jichitai_cloud.allocation`, :mod:`~jichitai_cloud.games`, :mod:`~jichitai_cloud.evaluation`,
:mod:`~jichitai_cloud.customization`, :mod:`~jichitai_cloud.operations`) and the edges
(:mod:`~jichitai_cloud.io`, :mod:`~jichitai_cloud.examples`, :mod:`~jichitai_cloud.report`,
:mod:`~jichitai_cloud.calendar`, :mod:`~jichitai_cloud.model` for every record type).
"""

from . import calendar as calendar
from . import examples as examples
from . import io as io
from ._version import __version__
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
