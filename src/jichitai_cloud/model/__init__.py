"""The domain model: the council, its members and subcommittees, requests, proposals, SLA items and
operations records (observations, outages, service hours, work, issues, improvement requests),
migration schedules.

Every type is an immutable attrs class (``frozen``, ``slots``, keyword-only) holding tuples and
scalars; validators reject bad values with the field, the value and what was expected.  Use
:func:`attrs.evolve` for changed copies.
"""

from ._council import Consortium, Finding, Meeting, Municipality, PublishedFigures, Subcommittee, check_digit
from ._customization import Assessment, CustomizationRegister, CustomizationRequest, Quote, RequestStatus
from ._evaluation import Component, ComponentKind, Criterion, EvaluationScheme, Procurement, Proposal, Scores
from ._fitgap import FitGapItem, MeetingRecord, Resolution
from ._migration import DATE_FORMATS, DataLayout, FieldType, LayoutField, LengthUnit
from ._operations import Aggregation, Direction, MetricKind, SLAMetric, Window
from ._operations_records import ALL, Observation, Outage, OutageCause, ServiceCalendar
from ._operations_work import (
    ImprovementRequest,
    Issue,
    ItemStatus,
    LegalChange,
    ScheduledWork,
    WorkCategory,
    WorkRecord,
)
from ._schedule import MigrationSchedule, MigrationTerms, Milestone
from ._selection import Candidate, CandidatePool, SelectionConstraints

__all__ = [
    "ALL",
    "DATE_FORMATS",
    "Aggregation",
    "Assessment",
    "Candidate",
    "CandidatePool",
    "Component",
    "ComponentKind",
    "Consortium",
    "Criterion",
    "CustomizationRegister",
    "CustomizationRequest",
    "DataLayout",
    "Direction",
    "EvaluationScheme",
    "FieldType",
    "Finding",
    "FitGapItem",
    "ImprovementRequest",
    "Issue",
    "ItemStatus",
    "LayoutField",
    "LegalChange",
    "LengthUnit",
    "Meeting",
    "MeetingRecord",
    "MetricKind",
    "MigrationSchedule",
    "MigrationTerms",
    "Milestone",
    "Municipality",
    "Observation",
    "Outage",
    "OutageCause",
    "Procurement",
    "Proposal",
    "PublishedFigures",
    "Quote",
    "RequestStatus",
    "Resolution",
    "SLAMetric",
    "ScheduledWork",
    "Scores",
    "SelectionConstraints",
    "ServiceCalendar",
    "Subcommittee",
    "Window",
    "WorkCategory",
    "WorkRecord",
    "check_digit",
]
