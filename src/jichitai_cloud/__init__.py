"""jichitai_cloud: typed data and exact, vectorised computations for municipal cloud councils.

自治体クラウド(共同利用)の協議会のための型付きデータモデルと、厳密でベクトル化された計算。

The public face: the domain types, the errors, and the topic namespaces
(:mod:`jichitai_cloud.calendar`, :mod:`jichitai_cloud.io`, :mod:`jichitai_cloud.examples`).
"""

from ._version import __version__
from .calendar import Month
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
    Component,
    ComponentKind,
    Consortium,
    Criterion,
    CustomizationRequest,
    Direction,
    EvaluationScheme,
    Finding,
    Meeting,
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

__all__ = [
    "Component",
    "ComponentKind",
    "Consortium",
    "ConversionError",
    "Criterion",
    "CustomizationRequest",
    "Direction",
    "EvaluationScheme",
    "FairnessReport",
    "Finding",
    "GameError",
    "InfeasibleAllocation",
    "InputError",
    "JichitaiCloudError",
    "JoiningReport",
    "LeavingReport",
    "Meeting",
    "Month",
    "Municipality",
    "ParseError",
    "Problem",
    "Proposal",
    "PublishedFigures",
    "Quote",
    "QuoteError",
    "RequestStatus",
    "SLAMetric",
    "Scores",
    "Subcommittee",
    "UnknownMemberError",
    "ValidationError",
    "ValidationWarning",
    "Window",
    "__version__",
    "fairness_report",
    "joining_report",
    "leaving_report",
]
