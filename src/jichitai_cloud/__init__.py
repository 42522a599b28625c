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
from .evaluation import EvaluationResult, evaluate
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
    Procurement,
    Proposal,
    PublishedFigures,
    Quote,
    RequestStatus,
    Scores,
    SLAMetric,
    Subcommittee,
    Window,
)

__all__ = [  # noqa: RUF022 - sorted with private names last (tests/test_package.py)
    "Component",
    "ComponentKind",
    "Consortium",
    "ConversionError",
    "Criterion",
    "CustomizationRequest",
    "Direction",
    "EvaluationResult",
    "EvaluationScheme",
    "Finding",
    "InfeasibleAllocation",
    "InputError",
    "JichitaiCloudError",
    "Meeting",
    "Month",
    "Municipality",
    "ParseError",
    "Problem",
    "Procurement",
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
    "evaluate",
    "__version__",
]
