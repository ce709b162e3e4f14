"""Who may do what to a message and a reply.

* The office sees and works every message; the triage queue is the office's.
* A unit's people see the messages their unit answers for and those that reached its accounts;
  its operators and leaders work the ones it answers for.
* A reply is approved by the principal leader of the unit that answers for the message
  (R5.1); when the message stays with the unit that owns the account, publishing's rule
  applies as it is (the main account's replies may also be approved by the office).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from govmatrix.inbox.models import Message
from govmatrix.matrix.models import Account
from govmatrix.org.models import Role, UnitKind
from govmatrix.org.permissions import UNIT_EDITOR_ROLES, UNIT_LEADER_ROLES, Scope
from govmatrix.platforms.base import text_length
from govmatrix.publishing import rules as publishing_rules

PRINCIPAL = publishing_rules.PRINCIPAL
acting_user = publishing_rules.acting_user


def can_view(scope: Scope, message: Message) -> bool:
    return scope.can_view_unit(message.unit_id) or scope.can_view_unit(message.account.unit_id)


def can_work(scope: Scope, message: Message) -> bool:
    """Assign, note, merge, close and draft replies."""
    return scope.is_office_admin or (
        message.unit_id is not None and scope.has_role(message.unit_id, UNIT_EDITOR_ROLES)
    )


def can_route(scope: Scope, message: Message) -> bool:
    """The office routes anything; a unit passes on what it answers for (with a reason)."""
    return can_work(scope, message)


def can_triage(scope: Scope) -> bool:
    return scope.is_office_admin


def can_assign_others(scope: Scope, unit_id: int | None) -> bool:
    return scope.is_office_admin or (
        unit_id is not None and scope.has_role(unit_id, UNIT_LEADER_ROLES)
    )


def can_approve_reply(scope: Scope, message: Message) -> bool:
    if message.unit_id is None:
        return False
    if scope.has_role(message.unit_id, PRINCIPAL):
        return True
    unit = message.unit
    if unit is not None and unit.kind == UnitKind.OFFICE and scope.is_office_admin:
        return True
    if message.unit_id == message.account.unit_id:
        return publishing_rules.can_approve(scope, message.account)
    return False


def can_keep_wordings(scope: Scope, unit_id: int | None) -> bool:
    """The office keeps the district's wordings; a principal leader keeps the unit's own."""
    if scope.is_office_admin:
        return True
    return unit_id is not None and scope.has_role(unit_id, frozenset({Role.PRINCIPAL_LEADER}))


def may_approve_any_reply(scope: Scope) -> bool:
    return scope.is_office_admin or any(role == Role.PRINCIPAL_LEADER for _u, role in scope.roles)


# --- reply text ------------------------------------------------------------------------------
LOCAL_COMMENT_LIMIT = 500  # the local platform's comments and official replies under them
LOCAL_MESSAGE_LIMIT = 1000  # its messages (留言) and the answers to them


def reply_limit(message: Message, account: Account) -> int | None:
    if account.platform == "local":
        return LOCAL_MESSAGE_LIMIT if message.external_id.startswith("m") else LOCAL_COMMENT_LIMIT
    limits = publishing_rules.platform_limits(account.platform)
    return limits.max_chars if limits else publishing_rules.MAX_TEXT


def reply_text_problem(text: str, message: Message) -> str:
    if not text.strip():
        return _("答复不能为空。")
    limit = reply_limit(message, message.account)
    limits = publishing_rules.platform_limits(message.account.platform)
    length = text_length(text.strip(), limits) if limits else len(text.strip())
    if limit is not None and length > limit:
        return _("答复 %(n)d 字，超过平台上限 %(max)d 字。") % {"n": length, "max": limit}
    return ""
