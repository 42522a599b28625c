"""jichitai_cloud: typed data and exact, vectorised computations for municipal cloud councils.

自治体クラウド(共同利用)の協議会のための型付きデータモデルと、厳密でベクトル化された計算。

The public face: the domain types, the errors, and the topic namespaces
(:mod:`jichitai_cloud.calendar`, :mod:`jichitai_cloud.io`, :mod:`jichitai_cloud.examples`).
"""

from ._version import __version__
from .calendar import Month
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
from .model import (
    Aggregation,
    Component,
    ComponentKind,
    Consortium,
    Criterion,
    CustomizationRequest,
    Direction,
    EvaluationScheme,
    Finding,
    Meeting,
    MetricKind,
    Municipality,
    Proposal,
    PublishedFigures,
    Quote,
    RequestStatus,
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
    "Component",
    "ComponentKind",
    "Consortium",
    "ConversionError",
    "Criterion",
    "CustomizationRequest",
    "Direction",
    "EvaluationScheme",
    "Finding",
    "InfeasibleAllocation",
    "InputError",
    "JichitaiCloudError",
    "Meeting",
    "MetricKind",
    "Month",
    "MonthlyReport",
    "Municipality",
    "Observation",
    "OperationsData",
    "Outage",
    "ParseError",
    "Problem",
    "Proposal",
    "PublishedFigures",
    "Quote",
    "QuoteError",
    "RequestStatus",
    "SLAMetric",
    "Scores",
    "ServiceCalendar",
    "Subcommittee",
    "UnknownMemberError",
    "ValidationError",
    "ValidationWarning",
    "Window",
    "__version__",
]
