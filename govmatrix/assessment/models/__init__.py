"""The assessment app's tables: snapshots, schemes, runs and inspections."""

from govmatrix.assessment.models.inspections import (
    ChecklistItem,
    Finding,
    FindingMetric,
    FindingSource,
    FindingStatus,
    InspectionPlan,
    InspectionTarget,
    PlanStatus,
    Sampling,
    Severity,
)
from govmatrix.assessment.models.runs import (
    FINAL_RUN_STATUSES,
    OPEN_RUN_STATUSES,
    AssessmentRun,
    RunAccountResult,
    RunNotice,
    RunStatus,
    RunUnitResult,
)
from govmatrix.assessment.models.schemes import SchemeVersion
from govmatrix.assessment.models.snapshots import AccountSnapshot, PostObservation, SnapshotSource

__all__ = [
    "FINAL_RUN_STATUSES",
    "OPEN_RUN_STATUSES",
    "AccountSnapshot",
    "AssessmentRun",
    "ChecklistItem",
    "Finding",
    "FindingMetric",
    "FindingSource",
    "FindingStatus",
    "InspectionPlan",
    "InspectionTarget",
    "PlanStatus",
    "PostObservation",
    "RunAccountResult",
    "RunNotice",
    "RunStatus",
    "RunUnitResult",
    "Sampling",
    "SchemeVersion",
    "Severity",
    "SnapshotSource",
]
