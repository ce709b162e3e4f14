"""R5.2 in publishing's terms: a statement's post is approved by its incident's on-site
commander — not by the principal leader, not by the office — and goes out even while the
office has paused scheduled publishing. The statement's copies (published by the main account
of each other platform under that same approval) are governed alike. Registered in
`EmergencyConfig.ready`."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy

from govmatrix.org.permissions import Scope
from govmatrix.publishing.rules import ApprovalAuthority, register_approval_authority


def _governed() -> Q:
    return Q(emergency_statement__isnull=False) | Q(emergency_copy__isnull=False)


def _approvable(scope: Scope) -> Q:
    return Q(emergency_statement__incident__commander__user_id=scope.user_id) | Q(
        emergency_copy__statement__incident__commander__user_id=scope.user_id
    )


def _statement(post: Any) -> Any:
    copy = getattr(post, "emergency_copy", None)
    return copy.statement if copy is not None else post.emergency_statement


def _approvers(post: Any) -> list[User]:
    user = _statement(post).incident.commander.user
    return [user] if user is not None and user.is_active else []


def _review_url(post: Any) -> str:
    return reverse("emergency:statement", args=[_statement(post).pk])


AUTHORITY = ApprovalAuthority(
    key="emergency.onsite_commander",
    governed=_governed,
    approvable=_approvable,
    approvers=_approvers,
    refusal=gettext_lazy("突发事件的应对口径只能由该事件的现场最高领导审核（R5.2）。"),
    review_url=_review_url,
    publishes_while_paused=True,
)


def register() -> None:
    register_approval_authority(AUTHORITY)
