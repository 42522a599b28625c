"""jichitai_cloud: typed data and exact, vectorised computations for municipal cloud councils.

自治体クラウド(共同利用)の協議会のための型付きデータモデルと、厳密でベクトル化された計算。

The public face: the domain types, the errors, and the topic namespaces
(:mod:`jichitai_cloud.calendar`, :mod:`jichitai_cloud.io`, :mod:`jichitai_cloud.examples`).
"""

from . import calendar, examples, io
from ._version import __version__
from .calendar import Month
from .customization import ComparisonTable, StableAdoption
from .errors import (
    ConversionError,
    InfeasibleAllocation,
    InputError,
    JichitaiCloudError,
    ParseError,
    Problem,
    QuoteError,
    UnknownMemberError,
    ValidationError,
    ValidationWarning,
)
from .evaluation import EvaluationResult, evaluate
from .model import (
    Aggregation,
    Assessment,
    Component,
    ComponentKind,
    Consortium,
    Criterion,
    CustomizationRegister,
    CustomizationRequest,
    Direction,
    EvaluationScheme,
    Finding,
    FitGapItem,
    Meeting,
    MeetingRecord,
    MetricKind,
    Municipality,
    Procurement,
    Proposal,
    PublishedFigures,
    Quote,
    RequestStatus,
    Resolution,
    Scores,
    SLAMetric,
    Subcommittee,
    Window,
)
from .operations import (
    MonthlyReport,
    Observation,
    OperationsData,
    Outage,
    ServiceCalendar,
)

__all__ = [
    "Aggregation",
    "Assessment",
    "ComparisonTable",
    "Component",
    "ComponentKind",
    "Consortium",
    "ConversionError",
    "Criterion",
    "CustomizationRegister",
    "CustomizationRequest",
    "Direction",
    "EvaluationResult",
    "EvaluationScheme",
    "Finding",
    "FitGapItem",
    "InfeasibleAllocation",
    "InputError",
    "JichitaiCloudError",
    "Meeting",
    "MeetingRecord",
    "MetricKind",
    "Month",
    "MonthlyReport",
    "Municipality",
    "Observation",
    "OperationsData",
    "Outage",
    "ParseError",
    "Problem",
    "Procurement",
    "Proposal",
    "PublishedFigures",
    "Quote",
    "QuoteError",
    "RequestStatus",
    "Resolution",
    "SLAMetric",
    "Scores",
    "ServiceCalendar",
    "StableAdoption",
    "Subcommittee",
    "UnknownMemberError",
    "ValidationError",
    "ValidationWarning",
    "Window",
    "__version__",
    "calendar",
    "evaluate",
    "examples",
    "io",
]
