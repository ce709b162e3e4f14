"""The manual connector: for platforms without a usable write API (WeChat official accounts,
Douyin, any other platform in the registry).

It makes no call itself. `publish`, `repost` and `reply` open a manual task (one per
idempotency key) for the account's operators and answer `WaitingForPerson`, which the outbox
keeps as a `waiting` operation: an operator posts the approved text on the platform and pastes
the link back, GovMatrix checks the live page, and `services` finish the operation with the
link as its result — so publishing, reposting and replying need no special case anywhere.
A call whose task is already done answers with what the person published.

Everything else (reading the inbox, moderation, deleting, metrics) is `Unsupported`, with what
to do instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from django.utils import timezone
from django.utils.translation import gettext as _

from govmatrix.matrix.models import Platform
from govmatrix.platforms.base import (
    AccountMetrics,
    AccountRef,
    ActionContext,
    Author,
    Capability,
    Interaction,
    InteractionKind,
    InvalidRequest,
    Limits,
    MediaFile,
    ModerationAction,
    ModerationResult,
    Page,
    PostMetrics,
    PublishedPost,
    Unsupported,
)
from govmatrix.platforms.models import OutboxKind
from govmatrix.platforms.services import WaitingForPerson

# GovMatrix's own cap on a post's length and images: the platform checks its own rules when
# the operator posts there.
MAX_CHARS = 5000
MAX_IMAGES = 9

CAPABILITIES = frozenset(
    {Capability.PUBLISH, Capability.REPOST, Capability.REPOST_WITH_COMMENT, Capability.REPLY}
)
_MODERATION = {
    ModerationAction.DELETE: Capability.DELETE_COMMENT,
    ModerationAction.HIDE: Capability.HIDE_COMMENT,
    ModerationAction.REPORT: Capability.REPORT,
    ModerationAction.BLOCK_AUTHOR: Capability.BLOCK_AUTHOR,
}


class ManualConnector:
    """One subclass per platform; see the module's docstring."""

    platform: ClassVar[str] = Platform.OTHER.value

    def capabilities(self) -> frozenset[Capability]:
        return CAPABILITIES

    def limits(self) -> Limits:
        return Limits(max_chars=MAX_CHARS, max_images=MAX_IMAGES)

    # --- handed to a person -------------------------------------------------------------------
    def _hand_over(
        self,
        account: AccountRef,
        ctx: ActionContext,
        *,
        kind: str,
        text: str,
        target: str = "",
        images: int = 0,
    ) -> dict[str, str]:
        from govmatrix.platforms.manual.models import TaskState
        from govmatrix.platforms.manual.services import manual_task_open

        task = manual_task_open(
            platform=self.platform,
            handle=account.handle,
            idempotency_key=ctx.idempotency_key,
            kind=kind,
            text=text,
            target=target,
            images=images,
        )
        if task.state == TaskState.DONE:
            return {
                "id": task.external_id,
                "url": task.url,
                "created_at": (task.completed_at or timezone.now()).isoformat(),
            }
        if task.state == TaskState.ABANDONED:
            raise InvalidRequest(
                _("该手工任务已放弃：%(reason)s") % {"reason": task.reason},
                platform=self.platform,
            )
        raise WaitingForPerson(
            _("已交给运维人员在「%(platform)s」上手工完成（任务 #%(task)d），等待回填链接。")
            % {"platform": Platform(self.platform).label, "task": task.pk}
        )

    def publish(
        self,
        account: AccountRef,
        text: str,
        ctx: ActionContext,
        *,
        media: Sequence[MediaFile] = (),
        in_reply_to_id: str | None = None,
    ) -> PublishedPost:
        done = self._hand_over(
            account,
            ctx,
            kind=OutboxKind.PUBLISH,
            text=text,
            target=in_reply_to_id or "",
            images=len(media),
        )
        return self._post(account, done, text=text, in_reply_to_id=in_reply_to_id)

    def repost(
        self, account: AccountRef, post_id: str, ctx: ActionContext, *, comment: str | None = None
    ) -> PublishedPost:
        done = self._hand_over(
            account, ctx, kind=OutboxKind.REPOST, text=comment or "", target=str(post_id)
        )
        return self._post(account, done, text=comment or "", repost_of_id=str(post_id))

    def reply(
        self, account: AccountRef, interaction_id: str, text: str, ctx: ActionContext
    ) -> Interaction:
        done = self._hand_over(
            account, ctx, kind=OutboxKind.REPLY, text=text, target=str(interaction_id)
        )
        return Interaction(
            platform=self.platform,
            id=done["id"],
            kind=InteractionKind.COMMENT,
            account_handle=account.handle,
            post_id=None,
            parent_id=str(interaction_id),
            author=Author(
                platform_user_id=account.external_id or account.handle,
                handle=account.handle,
                display_name=account.handle,
            ),
            text=text,
            created_at=timezone.now(),
            url=done["url"],
        )

    def _post(
        self,
        account: AccountRef,
        done: dict[str, str],
        *,
        text: str,
        repost_of_id: str | None = None,
        in_reply_to_id: str | None = None,
    ) -> PublishedPost:
        return PublishedPost(
            platform=self.platform,
            id=done["id"],
            account_handle=account.handle,
            text=text,
            url=done["url"],
            created_at=timezone.now(),
            repost_of_id=repost_of_id,
            in_reply_to_id=in_reply_to_id,
        )

    # --- what a person does on the platform itself -------------------------------------------------
    def _unsupported(self, capability: Capability, instead: str) -> Unsupported:
        return Unsupported(capability, instead=instead, platform=self.platform)

    def delete_post(self, account: AccountRef, post_id: str, ctx: ActionContext) -> None:
        raise self._unsupported(
            Capability.DELETE_OWN_POST,
            _("该平台没有可用的接口：请在平台的管理后台手工删除，并在稿件中注明。"),
        )

    def fetch_interactions(
        self, account: AccountRef, *, since_cursor: str | None, limit: int = 50
    ) -> Page[Interaction]:
        raise self._unsupported(
            Capability.READ_INBOX,
            _("该平台没有可用的接口读取评论和私信：请在平台的管理后台查看并答复。"),
        )

    def moderate(
        self,
        account: AccountRef,
        interaction_id: str,
        action: ModerationAction,
        ctx: ActionContext,
        *,
        reason: str,
        fallback: Sequence[ModerationAction] = (),
    ) -> ModerationResult:
        raise self._unsupported(
            _MODERATION[action],
            _("该平台没有可用的处置接口：请在平台的管理后台处理该评论，并在系统中登记处置结果。"),
        )

    def post_metrics(self, account: AccountRef, post_ids: Sequence[str]) -> dict[str, PostMetrics]:
        raise self._unsupported(
            Capability.POST_METRICS,
            _("该平台没有可用的数据接口：请在平台的数据统计页面查看阅读、转发和评论数。"),
        )

    def account_metrics(self, account: AccountRef) -> AccountMetrics:
        raise self._unsupported(
            Capability.ACCOUNT_METRICS,
            _("该平台没有可用的数据接口：请在平台的数据统计页面查看粉丝数和发布数。"),
        )


class WechatConnector(ManualConnector):
    platform: ClassVar[str] = Platform.WECHAT.value


class DouyinConnector(ManualConnector):
    platform: ClassVar[str] = Platform.DOUYIN.value


class OtherPlatformConnector(ManualConnector):
    platform: ClassVar[str] = Platform.OTHER.value


CONNECTORS: tuple[type[ManualConnector], ...] = (
    WechatConnector,
    DouyinConnector,
    OtherPlatformConnector,
)
