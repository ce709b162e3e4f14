"""Who may do what to a post, and the rules a post's content must follow on every way in."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth.models import User
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from govmatrix.core.errors import NotAllowed
from govmatrix.core.types import Actor, as_user
from govmatrix.matrix.models import OPEN_STATUSES, Account, AccountKind
from govmatrix.org.models import Role
from govmatrix.org.permissions import UNIT_EDITOR_ROLES, Scope
from govmatrix.platforms.base import Limits, text_length
from govmatrix.platforms.registry import connector_for

if TYPE_CHECKING:
    from govmatrix.publishing.models import Post

PRINCIPAL = frozenset({Role.PRINCIPAL_LEADER})
# A Weibo topic: #话题# (two hashes around a few characters, no line break).
HASHTAG = re.compile(r"#[^#\n]{1,64}#")

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


# --- other approval authorities --------------------------------------------------------------
@dataclass(frozen=True)
class ApprovalAuthority:
    """Someone other than the unit's principal leader who decides on some posts.

    Another app registers one for the posts it governs (emergency: a statement of an incident
    is approved by the incident's on-site commander, R5.2). For a governed post only the
    authority decides: the default rule of R5.1 does not apply to it.
    """

    key: str
    # The posts it governs, and among them those the scope may approve (and so also read).
    governed: Callable[[], Q]
    approvable: Callable[[Scope], Q]
    approvers: Callable[[Post], list[User]]
    refusal: str | Promise
    # Where the approver decides (None: publishing's own review page).
    review_url: Callable[[Post], str] | None = None
    # Governed posts go out even while the office has paused scheduled publishing.
    publishes_while_paused: bool = False


_AUTHORITIES: dict[str, ApprovalAuthority] = {}


def register_approval_authority(authority: ApprovalAuthority) -> None:
    _AUTHORITIES[authority.key] = authority


def authority_for(post: Post) -> ApprovalAuthority | None:
    from govmatrix.publishing.models import Post

    for authority in _AUTHORITIES.values():
        if Post.objects.filter(authority.governed(), pk=post.pk).exists():
            return authority
    return None


def _approvable_by(authority: ApprovalAuthority, scope: Scope, post: Post) -> bool:
    from govmatrix.publishing.models import Post

    if scope.user_id is None:
        return False
    return Post.objects.filter(authority.approvable(scope), pk=post.pk).exists()


def can_approve_post(scope: Scope, post: Post) -> bool:
    """R5.1, unless another authority governs the post (then only it decides)."""
    authority = authority_for(post)
    if authority is not None:
        return _approvable_by(authority, scope, post)
    return can_approve(scope, post.account)


def approval_refusal(post: Post) -> str:
    authority = authority_for(post)
    if authority is not None:
        return str(authority.refusal)
    return _("只有本单位的主要领导可以审核本单位的稿件（主账号的稿件由管理办公室审核）。")


def review_url(post: Post) -> str:
    """Where the post's approver decides on it."""
    from django.urls import reverse

    authority = authority_for(post)
    if authority is not None and authority.review_url is not None:
        return authority.review_url(post)
    return reverse("publishing:review", args=[post.pk])


def can_view_post(scope: Scope, post: Post) -> bool:
    if scope.can_view_unit(post.account.unit_id):
        return True
    return any(_approvable_by(a, scope, post) for a in _AUTHORITIES.values())


def governed_q() -> Q:
    """Posts that some authority governs (excluded from the default approvers' lists)."""
    condition = Q(pk__in=[])
    for authority in _AUTHORITIES.values():
        condition |= authority.governed()
    return condition


def authorities_approvable_q(scope: Scope) -> Q:
    condition = Q(pk__in=[])
    if scope.user_id is not None:
        for authority in _AUTHORITIES.values():
            condition |= authority.approvable(scope)
    return condition


def pause_exempt_q() -> Q:
    """Posts that go out even while scheduled publishing is paused."""
    condition = Q(pk__in=[])
    for authority in _AUTHORITIES.values():
        if authority.publishes_while_paused:
            condition |= authority.governed()
    return condition


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


def images_problem(count: int, account: Account) -> str:
    """Why the account's platform cannot publish `count` images, or ""."""
    limits = platform_limits(account.platform)
    if limits is not None and count > limits.max_images:
        if limits.max_images == 0:
            return _("该平台只能发布文字，不能带图片。")
        return _("该平台一条微博最多 %(n)d 张图片。") % {"n": limits.max_images}
    return ""


def text_problem(text: str, account: Account) -> str:
    if not text.strip():
        return _("正文不能为空。")
    limits = platform_limits(account.platform)
    if limits is not None:
        length = text_length(text, limits)
        room = limits.max_chars - limits.reserved_chars
        if length > room:
            if limits.reserved_chars:
                return _(
                    "正文 %(n)d 字，超过平台上限 %(max)d 字（平台另需附加 %(r)d 字的链接）。"
                ) % {
                    "n": length,
                    "max": room,
                    "r": limits.reserved_chars,
                }
            return _("正文 %(n)d 字，超过平台上限 %(max)d 字。") % {"n": length, "max": room}
        if limits.forbids_hashtags and HASHTAG.search(text):
            return _("该平台的发布接口不接受 #话题#，请去掉话题标记。")
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
