"""Every write of the moderation app (`<entity>_<verb>(*, actor, …)`)."""

from govmatrix.moderation.services.actions import harm_case_action_run
from govmatrix.moderation.services.cases import (
    harm_case_close,
    harm_case_flag,
    harm_case_report,
    harm_cases_open_flagged,
    harm_cases_open_for,
    harm_cases_report_pending,
)
from govmatrix.moderation.services.documents import (
    harm_case_application_file,
    harm_case_application_return,
    harm_case_application_update,
    harm_case_escalate,
    harm_case_letter_update,
)
from govmatrix.moderation.services.findings import (
    content_finding_dismiss,
    content_finding_reject,
    content_finding_report_rectified,
    content_finding_verify,
)
from govmatrix.moderation.services.inspection import (
    inspection_run_execute,
    inspection_run_schedule,
    inspection_run_start,
    inspection_runs_sweep,
)
from govmatrix.moderation.services.lexicon import (
    lexicon_entry_create,
    lexicon_entry_update,
    typo_pair_create,
    typo_pair_update,
    typo_pairs_ensure_defaults,
)

__all__ = [
    "content_finding_dismiss",
    "content_finding_reject",
    "content_finding_report_rectified",
    "content_finding_verify",
    "harm_case_action_run",
    "harm_case_application_file",
    "harm_case_application_return",
    "harm_case_application_update",
    "harm_case_close",
    "harm_case_escalate",
    "harm_case_flag",
    "harm_case_letter_update",
    "harm_case_report",
    "harm_cases_open_flagged",
    "harm_cases_open_for",
    "harm_cases_report_pending",
    "inspection_run_execute",
    "inspection_run_schedule",
    "inspection_run_start",
    "inspection_runs_sweep",
    "lexicon_entry_create",
    "lexicon_entry_update",
    "typo_pair_create",
    "typo_pair_update",
    "typo_pairs_ensure_defaults",
]
