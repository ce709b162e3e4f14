"""The moderation app's tables: the office's lexicon edits, harmful-comment cases with their
documents and platform actions, and the content inspection with its findings and typo list."""

from govmatrix.moderation.models.cases import (
    OPEN_CASE_STATES,
    ActionState,
    CaseAction,
    CaseDocument,
    CaseOutcome,
    CaseState,
    DocumentKind,
    FlagSource,
    HarmCase,
    ScreeningCursor,
)
from govmatrix.moderation.models.inspection import (
    OPEN_FINDING_STATUSES,
    OPEN_RUN_STATES,
    POST_RULES,
    ContentFinding,
    FindingRule,
    FindingSeverity,
    FindingStatus,
    InspectionRun,
    RunState,
    RunTrigger,
    TypoPair,
)
from govmatrix.moderation.models.lexicon import (
    CATEGORISED,
    CATEGORY_CHOICES,
    CATEGORY_LABELS,
    LexiconAction,
    LexiconEntry,
)

__all__ = [
    "CATEGORISED",
    "CATEGORY_CHOICES",
    "CATEGORY_LABELS",
    "OPEN_CASE_STATES",
    "OPEN_FINDING_STATUSES",
    "OPEN_RUN_STATES",
    "POST_RULES",
    "ActionState",
    "CaseAction",
    "CaseDocument",
    "CaseOutcome",
    "CaseState",
    "ContentFinding",
    "DocumentKind",
    "FindingRule",
    "FindingSeverity",
    "FindingStatus",
    "FlagSource",
    "HarmCase",
    "InspectionRun",
    "LexiconAction",
    "LexiconEntry",
    "RunState",
    "RunTrigger",
    "ScreeningCursor",
    "TypoPair",
]
