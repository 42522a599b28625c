"""The domain model: the council, its members and subcommittees, requests, proposals and SLA items.

Every type is an immutable attrs class (``frozen``, ``slots``, keyword-only) holding tuples and
scalars; validators reject bad values with the field, the value and what was expected.  Use
:func:`attrs.evolve` for changed copies.
"""

from ._council import Consortium, Finding, Meeting, Municipality, PublishedFigures, Subcommittee, check_digit
from ._customization import Assessment, CustomizationRegister, CustomizationRequest, Quote, RequestStatus
from ._evaluation import Component, ComponentKind, Criterion, EvaluationScheme, Procurement, Proposal, Scores
from ._fitgap import FitGapItem, MeetingRecord, Resolution
from ._operations import Aggregation, Direction, MetricKind, SLAMetric, Window

__all__ = [
    "Aggregation",
    "Assessment",
    "Component",
    "ComponentKind",
    "Consortium",
    "Criterion",
    "CustomizationRegister",
    "CustomizationRequest",
    "Direction",
    "EvaluationScheme",
    "Finding",
    "FitGapItem",
    "Meeting",
    "MeetingRecord",
    "MetricKind",
    "Municipality",
    "Procurement",
    "Proposal",
    "PublishedFigures",
    "Quote",
    "RequestStatus",
    "Resolution",
    "SLAMetric",
    "Scores",
    "Subcommittee",
    "Window",
    "check_digit",
]
