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
    GameError,
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
from .games import (
    FairnessReport,
    JoiningReport,
    LeavingReport,
    fairness_report,
    joining_report,
    leaving_report,
)
from .model import (
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
    Municipality,
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

__all__ = [
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
    "EvaluationScheme",
    "FairnessReport",
    "Finding",
    "FitGapItem",
    "GameError",
    "InfeasibleAllocation",
    "InputError",
    "JichitaiCloudError",
    "JoiningReport",
    "LeavingReport",
    "Meeting",
    "MeetingRecord",
    "Month",
    "Municipality",
    "ParseError",
    "Problem",
    "Proposal",
    "PublishedFigures",
    "Quote",
    "QuoteError",
    "RequestStatus",
    "Resolution",
    "SLAMetric",
    "Scores",
    "StableAdoption",
    "Subcommittee",
    "UnknownMemberError",
    "ValidationError",
    "ValidationWarning",
    "Window",
    "__version__",
    "calendar",
    "examples",
    "fairness_report",
    "io",
    "joining_report",
    "leaving_report",
]
