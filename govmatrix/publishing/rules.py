"""Who may do what to a post, and the rules a post's content must follow on every way in."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from govmatrix.core.errors import NotAllowed
from govmatrix.core.types import Actor, as_user
from govmatrix.matrix.models import OPEN_STATUSES, Account, AccountKind
from govmatrix.org.models import Role
from govmatrix.org.permissions import UNIT_EDITOR_ROLES, Scope
from govmatrix.platforms.base import Limits, text_length
from govmatrix.platforms.registry import connector_for

PRINCIPAL = frozenset({Role.PRINCIPAL_LEADER})

# Accounts that publish: the main account and the sub-accounts, while they are open.
PUBLISHING_KINDS = (AccountKind.MAIN, AccountKind.SUB)

MAX_TEXT = 5000  # a hard cap whatever the platform: no platform takes more
MAX_IMAGES = 9
MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
IMAGE_FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "GIF": ("gif", "image/gif"),
    "WEBP": ("webp", "image/webp"),
}


# --- permissions -----------------------------------------------------------------------------
def acting_user(actor: Actor) -> User:
    """The actor as a stored user; an anonymous actor may write nothing."""
    user = as_user(actor)
    if user is None or not user.is_authenticated:
        raise NotAllowed(_("请先登录。"))
    return user


def can_draft(scope: Scope, account: Account) -> bool:
    """Operators and leaders of the account's unit write its posts; the office writes any."""
    return scope.is_office_admin or scope.has_role(account.unit_id, UNIT_EDITOR_ROLES)


def can_approve(scope: Scope, account: Account) -> bool:
    """R5.1: the principal leader of the account's unit; for the main account, also the office."""
    if scope.has_role(account.unit_id, PRINCIPAL):
        return True
    return account.kind == AccountKind.MAIN and scope.is_office_admin


def can_review_reports(scope: Scope) -> bool:
    return scope.is_office_admin


def can_answer_for_unit(scope: Scope, unit_id: int) -> bool:
    return scope.has_role(unit_id, UNIT_EDITOR_ROLES)


def account_problem(account: Account) -> str:
    if account.kind not in PUBLISHING_KINDS:
        return _("只有主账号和子账号发布稿件。")
    if account.status not in OPEN_STATUSES:
        return _("账号「%(name)s」未在运行，不能发布。") % {"name": account.display_name}
    return ""


# --- text ------------------------------------------------------------------------------------
def platform_limits(platform: str) -> Limits | None:
    """The platform's length rule, or None when no connector serves the platform yet."""
    try:
        return connector_for(platform).limits()
    except Exception:  # Unsupported, or a connector that cannot start: no rule to apply
        return None


def text_problem(text: str, account: Account) -> str:
    if not text.strip():
        return _("正文不能为空。")
    limits = platform_limits(account.platform)
    if limits is not None:
        length = text_length(text, limits)
        if length > limits.max_chars:
            return _("正文 %(n)d 字，超过平台上限 %(max)d 字。") % {
                "n": length,
                "max": limits.max_chars,
            }
    elif len(text) > MAX_TEXT:
        return _("正文不能超过 %(max)d 字。") % {"max": MAX_TEXT}
    return ""


# --- images ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class CheckedImage:
    content: bytes
    extension: str
    content_type: str
    width: int
    height: int
    original_name: str


def check_image(name: str, content: bytes) -> CheckedImage:
    """Decode the image to learn what it really is; its name and declared type are not trusted."""
    if len(content) > MAX_IMAGE_BYTES:
        raise ValueError(
            _("图片「%(name)s」超过 %(mb)d MB。")
            % {"name": name, "mb": MAX_IMAGE_BYTES // 1024 // 1024}
        )
    try:
        with Image.open(io.BytesIO(content)) as image:
            image_format = image.format or ""
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise ValueError(_("图片「%(name)s」尺寸过大。") % {"name": name})
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValueError(_("「%(name)s」不是可识别的图片。") % {"name": name}) from exc
    if image_format not in IMAGE_FORMATS:
        raise ValueError(_("图片「%(name)s」须为 JPEG、PNG、GIF 或 WebP 格式。") % {"name": name})
    extension, content_type = IMAGE_FORMATS[image_format]
    return CheckedImage(content, extension, content_type, width, height, name[:200])
