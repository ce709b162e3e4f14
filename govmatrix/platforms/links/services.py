"""Every write of the platform links: linking (OAuth or a pasted token), unlinking, the sync
health that connector calls leave, pushed messages, and resealing the credentials.

Staff writes record an audit event; no event, message or log line ever holds a secret — the
events name the platform, the platform's user id and name, how and until when, nothing more.
"""

from __future__ import annotations

import hmac
import logging
import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlparse

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from govmatrix.audit.services import event_record
from govmatrix.core.errors import DomainError, NotFound, ValidationFailed
from govmatrix.core.types import Actor, as_user
from govmatrix.matrix.models import Account, Platform
from govmatrix.notifications.services import notify, users_with_role
from govmatrix.org.permissions import UNIT_EDITOR_ROLES, require, scope_for
from govmatrix.platforms.base import (
    AccountRef,
    AuthExpired,
    ConnectorError,
    Interaction,
    RateLimited,
)
from govmatrix.platforms.links import crypto
from govmatrix.platforms.links.linking import Identity
from govmatrix.platforms.links.models import (
    LinkMethod,
    MastodonApp,
    PlatformLink,
    PushedInteraction,
)
from govmatrix.platforms.links.selectors import LINKABLE, warn_before

logger = logging.getLogger(__name__)

# How long an authorisation started in the browser may take to come back.
STATE_TTL_SECONDS = 15 * 60


def _editable_account(actor: Actor, account_id: int) -> Account:
    account = Account.objects.select_related("unit").filter(pk=account_id).first()
    scope = scope_for(actor)
    if account is None or not scope.can_view_unit(account.unit_id):
        raise NotFound(_("账号不存在。"))
    require(
        scope.can_edit_accounts_of(account.unit_id),
        _("只有本单位的运维人员和领导能接入或解除平台账号。"),
    )
    if account.platform not in LINKABLE:
        raise DomainError(
            _("%(platform)s 没有可用的授权接口，不能在这里接入。")
            % {"platform": account.get_platform_display()}
        )
    return account


def _connectors() -> Any:
    from govmatrix.platforms.links import connectors

    return connectors


def _normal_base(raw: str) -> str:
    base = (raw or "").strip().rstrip("/")
    parsed = urlparse(base)
    if (
        parsed.scheme not in ("http", "https")
        or not parsed.hostname
        or parsed.path not in ("", "/")
    ):
        raise ValidationFailed(
            {"api_base": _("请填写实例的网址，例如 https://mastodon.example.gov.cn")}
        )
    if parsed.scheme == "http" and not (
        settings.DEBUG or parsed.hostname in {"127.0.0.1", "localhost", "::1"}
    ):
        raise ValidationFailed({"api_base": _("实例必须使用 https。")})
    normal = f"{parsed.scheme}://{parsed.netloc}"
    # GovMatrix calls out only to the instances the deployment names: no address typed in a
    # form can make the server fetch from elsewhere (an internal host, say).
    allowed = {item.strip().rstrip("/") for item in settings.MASTODON_INSTANCES}
    if normal not in allowed:
        raise ValidationFailed(
            {
                "api_base": _(
                    "该实例不在系统允许的实例（MASTODON_INSTANCES）之中，请联系系统管理员。"
                )
            }
        )
    return normal


# --- linking ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class OAuthStart:
    """Where to send the browser, and what to keep in the session until it comes back."""

    url: str
    pending: dict[str, Any]


def link_start(
    *, actor: Actor, account_id: int, redirect_uri: str, api_base: str = ""
) -> OAuthStart:
    account = _editable_account(actor, account_id)
    crypto.require_keys()  # refuse now, not after the round trip, when no key is configured
    state = secrets.token_urlsafe(24)
    pending: dict[str, Any] = {
        "state": state,
        "account_id": account.pk,
        "platform": account.platform,
        "user_id": actor.pk,
        "started": int(time.time()),
    }
    if account.platform == Platform.WEIBO:
        url = _connectors().weibo_connector().authorize_url(state=state, redirect_uri=redirect_uri)
    else:
        base = _normal_base(api_base or settings.MASTODON_API_BASE)
        app = _mastodon_app(
            actor=actor, api_base=base, redirect_uri=redirect_uri, unit_id=account.unit_id
        )
        pending.update(api_base=base, app_id=app.pk)
        url = (
            _connectors()
            .mastodon_connector()
            .authorize_url(
                base,
                client_id=app.client_id,
                client_secret=crypto.open_text(app.sealed_secret),
                redirect_uri=redirect_uri,
                state=state,
            )
        )
    return OAuthStart(url=url, pending=pending)


def _mastodon_app(*, actor: Actor, api_base: str, redirect_uri: str, unit_id: int) -> MastodonApp:
    """The app GovMatrix registered on the instance, registering it the first time."""
    existing = MastodonApp.objects.filter(api_base=api_base, redirect_uri=redirect_uri).first()
    if existing is not None:
        return existing
    client_id, client_secret = (
        _connectors().mastodon_connector().register_app(api_base, redirect_uri=redirect_uri)
    )
    with transaction.atomic():
        app, created = MastodonApp.objects.get_or_create(
            api_base=api_base,
            redirect_uri=redirect_uri,
            defaults={"client_id": client_id, "sealed_secret": crypto.seal_text(client_secret)},
        )
        if created:
            event_record(
                actor=actor,
                verb="platform_app.registered",
                obj=app,
                unit_id=unit_id,
                data={"api_base": api_base, "redirect_uri": redirect_uri},
            )
    return app


def link_complete(
    *, actor: Actor, pending: dict[str, Any] | None, state: str, code: str, redirect_uri: str
) -> PlatformLink:
    """Finish an authorisation: the `state` must be the one this browser session started."""
    if (
        not pending
        or not state
        or not hmac.compare_digest(str(pending.get("state", "")), state)
        or pending.get("user_id") != actor.pk
    ):
        raise DomainError(_("授权请求无效或不是从本页面发起的，请重新授权。"))
    if time.time() - int(pending.get("started", 0)) > STATE_TTL_SECONDS:
        raise DomainError(_("授权已超时，请重新授权。"))
    if not code:
        raise DomainError(_("平台没有给出授权码：授权被取消或被拒绝。"))
    account = _editable_account(actor, int(pending["account_id"]))
    if account.platform != pending.get("platform"):
        raise DomainError(_("账号的平台在授权期间变了，请重新授权。"))
    try:
        if account.platform == Platform.WEIBO:
            identity = (
                _connectors().weibo_connector().exchange_code(code, redirect_uri=redirect_uri)
            )
        else:
            app = MastodonApp.objects.get(pk=pending["app_id"])
            identity = (
                _connectors()
                .mastodon_connector()
                .exchange_code(
                    str(pending["api_base"]),
                    client_id=app.client_id,
                    client_secret=crypto.open_text(app.sealed_secret),
                    code=code,
                    redirect_uri=redirect_uri,
                )
            )
    except ConnectorError as exc:
        raise DomainError(_("平台拒绝了授权：%(message)s") % {"message": exc.message}) from exc
    return _store(actor=actor, account=account, identity=identity, method=LinkMethod.OAUTH)


def link_complete_with_token(
    *, actor: Actor, account_id: int, api_base: str, access_token: str
) -> PlatformLink:
    """Link a Mastodon account with a token its office made on the instance (设置 → 开发)."""
    account = _editable_account(actor, account_id)
    if account.platform != Platform.MASTODON:
        raise DomainError(_("只有 Mastodon 账号可以填入访问令牌；微博须通过授权接入。"))
    token = access_token.strip()
    if not token:
        raise ValidationFailed({"access_token": _("请填入访问令牌。")})
    crypto.require_keys()
    try:
        identity = _connectors().mastodon_connector().identity(_normal_base(api_base), token)
    except ConnectorError as exc:
        raise ValidationFailed(
            {"access_token": _("实例不认这个令牌：%(message)s") % {"message": exc.message}}
        ) from exc
    return _store(actor=actor, account=account, identity=identity, method=LinkMethod.TOKEN)


def _store(*, actor: Actor, account: Account, identity: Identity, method: str) -> PlatformLink:
    credentials = identity.credentials
    extra = (
        {**credentials.extra, "api_base": identity.api_base}
        if identity.api_base
        else credentials.extra
    )
    sealed = crypto.seal_credentials(
        type(credentials)(
            access_token=credentials.access_token,
            expires_at=credentials.expires_at,
            refresh_token=credentials.refresh_token,
            extra=extra,
        )
    )
    fields = {
        "platform": account.platform,
        "external_id": identity.external_id,
        "external_handle": identity.handle[:100],
        "api_base": identity.api_base,
        "method": method,
        "scopes": identity.scopes[:200],
        "sealed": sealed,
        "token_expires_at": credentials.expires_at,
        "linked_by": as_user(actor),
        "linked_at": timezone.now(),
        "auth_failed_at": None,
        "rate_limited_until": None,
        "expiry_notice": "",
        "last_error_at": None,
        "last_error_kind": "",
        "last_error_code": "",
        "last_error_message": "",
        "last_error_operation": "",
    }
    try:
        with transaction.atomic():
            Account.objects.select_for_update().filter(pk=account.pk).first()
            previous = PlatformLink.objects.filter(account=account).first()
            if previous is not None and previous.external_id != identity.external_id:
                # Another platform user: what was synced for the old one no longer applies.
                fields["interactions_cursor"] = ""
            link, _created = PlatformLink.objects.update_or_create(account=account, defaults=fields)
            event_record(
                actor=actor,
                verb="platform_link.linked",
                obj=account,
                unit_id=account.unit_id,
                data={
                    "platform": account.platform,
                    "external_id": identity.external_id,
                    "external_handle": identity.handle,
                    "api_base": identity.api_base,
                    "method": method,
                    "expires_at": credentials.expires_at,
                    "relinked": previous is not None,
                },
            )
    except IntegrityError as exc:
        other = (
            PlatformLink.objects.filter(platform=account.platform, external_id=identity.external_id)
            .select_related("account")
            .first()
        )
        raise DomainError(
            _("该平台账号（%(handle)s）已接入台账中的另一个账号：%(other)s。")
            % {"handle": identity.handle, "other": other.account if other else "?"}
        ) from exc
    return link


def link_remove(*, actor: Actor, account_id: int) -> bool:
    """Unlink: withdraw the token at the platform (best effort) and forget the credentials."""
    account = _editable_account(actor, account_id)
    link = PlatformLink.objects.filter(account=account).first()
    if link is None:
        return False
    revoked = False
    try:
        credentials = crypto.open_credentials(link.sealed)
        connector = (
            _connectors().weibo_connector()
            if link.platform == Platform.WEIBO
            else _connectors().mastodon_connector()
        )
        connector.revoke(credentials)
        revoked = True
    except (ConnectorError, DomainError) as exc:
        logger.warning(
            "unlinking account %s: the platform did not revoke the token (%s)",
            account.pk,
            type(exc).__name__,
        )
    with transaction.atomic():
        PlatformLink.objects.filter(pk=link.pk).delete()
        event_record(
            actor=actor,
            verb="platform_link.unlinked",
            obj=account,
            unit_id=account.unit_id,
            data={
                "platform": link.platform,
                "external_id": link.external_id,
                "external_handle": link.external_handle,
                "revoked_at_platform": revoked,
            },
        )
    return True


def link_check(*, actor: Actor, account_id: int) -> str:
    """Ask the platform now who the account is; the call records the health as any other."""
    from govmatrix.platforms.registry import account_ref, connector_for

    account = _editable_account(actor, account_id)
    connector: Any = connector_for(account.platform)
    try:
        author = connector.verify(account_ref(account))
    except ConnectorError as exc:
        raise DomainError(_("平台返回：%(message)s") % {"message": exc.message}) from exc
    return str(author.handle)


def link_cursor_save(*, account_id: int, cursor: str) -> None:
    """Where the inbox sync left off (called by the sync, not by a person)."""
    PlatformLink.objects.filter(account_id=account_id).update(interactions_cursor=cursor)


# --- sync health (written by every connector call; no person acts, so no audit event) ------------
def _link_of(account: AccountRef) -> Any:
    return PlatformLink.objects.filter(
        platform=account.platform,
        account__platform=account.platform,
        account__handle=account.handle,
    )


def link_call_succeeded(*, account: AccountRef, operation: str) -> None:
    now = timezone.now()
    changes: dict[str, Any] = {"last_success_at": now, "auth_failed_at": None}
    if operation == "fetch_interactions":
        changes["last_sync_at"] = now
    _link_of(account).update(**changes)


def link_call_failed(*, account: AccountRef, operation: str, error: ConnectorError) -> None:
    now = timezone.now()
    changes: dict[str, Any] = {
        "last_error_at": now,
        "last_error_kind": type(error).__name__[:32],
        "last_error_code": (error.code or "")[:32],
        "last_error_message": error.message[:2000],
        "last_error_operation": operation[:32],
    }
    # Our own hourly budget is not the platform's limit: it refuses one kind of write only.
    if isinstance(error, RateLimited) and error.code != "budget":
        changes["rate_limited_until"] = now + timedelta(seconds=max(1.0, error.retry_after or 60))
    links = _link_of(account)
    links.update(**changes)
    if isinstance(error, AuthExpired):
        newly = list(links.filter(auth_failed_at__isnull=True).select_related("account"))
        links.filter(auth_failed_at__isnull=True).update(auth_failed_at=now)
        for link in newly:
            _tell_operators(
                link.account,
                verb="platform_link.auth_failed",
                text=_("%(account)s 的%(platform)s授权已失效（%(message)s），请重新授权。")
                % {
                    "account": link.account,
                    "platform": link.account.get_platform_display(),
                    "message": error.message[:120],
                },
            )


def _tell_operators(account: Account, *, verb: str, text: str) -> int:
    """Notify the account's operators (or, when it has none, its unit's editors)."""
    operators = [p.user for p in account.operators.select_related("user") if p.user and p.is_active]
    recipients = operators or users_with_role(unit_id=account.unit_id, roles=UNIT_EDITOR_ROLES)
    return notify(
        recipients=recipients,
        verb=verb,
        text=text,
        link=reverse("links:account", args=[account.pk]),
        unit_id=account.unit_id,
    )


def link_expiry_check() -> int:
    """Flag accounts whose authorisation expires soon or has expired, once for each stage."""
    now = timezone.now()
    told = 0
    soon = PlatformLink.objects.filter(
        token_expires_at__isnull=False, token_expires_at__lte=now + warn_before()
    )
    for link in soon.select_related("account").exclude(expiry_notice="expired"):
        stage = "expired" if link.token_expires_at and link.token_expires_at <= now else "expiring"
        if link.expiry_notice == stage:
            continue
        when = (
            timezone.localtime(link.token_expires_at).strftime("%Y-%m-%d %H:%M")
            if link.token_expires_at
            else ""
        )
        text = (
            _("%(account)s 的%(platform)s授权已于 %(when)s 到期，请重新授权。")
            if stage == "expired"
            else _("%(account)s 的%(platform)s授权将于 %(when)s 到期，请提前重新授权。")
        ) % {"account": link.account, "platform": link.account.get_platform_display(), "when": when}
        with transaction.atomic():
            updated = PlatformLink.objects.filter(
                pk=link.pk, expiry_notice=link.expiry_notice
            ).update(expiry_notice=stage)
            if updated:
                told += _tell_operators(link.account, verb=f"platform_link.{stage}", text=text)
    return told


# --- pushed messages -----------------------------------------------------------------------
def pushed_interactions_record(*, platform: str, interactions: Sequence[Interaction]) -> int:
    """Keep what a platform pushed, once each (a repeated push changes nothing)."""
    created = 0
    for item in interactions:
        receiver = str(item.raw.get("receiver_id", item.account_handle))
        link = PlatformLink.objects.filter(platform=platform, external_id=receiver).first()
        _row, made = PushedInteraction.objects.get_or_create(
            platform=platform,
            external_id=item.id.split(":", 1)[-1],
            defaults={
                "receiver_id": receiver,
                "account_id": link.account_id if link else None,
                "kind": item.kind.value,
                "message_type": str(item.raw.get("type", ""))[:16],
                "sender_id": item.author.platform_user_id,
                "sender_name": item.author.display_name
                if item.author.display_name != item.author.platform_user_id
                else "",
                "text": item.text,
                "created_at": item.created_at,
                "raw": dict(item.raw),
            },
        )
        created += int(made)
    return created


# --- key rotation -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Rotation:
    resealed: int
    already_newest: int


@transaction.atomic
def credentials_rotate(*, actor: Actor | None = None) -> Rotation:
    """Reseal every stored secret with the newest key; all or nothing."""
    resealed = already = 0
    for model, field in ((PlatformLink, "sealed"), (MastodonApp, "sealed_secret")):
        for row in model.objects.select_for_update().order_by("pk"):
            token = getattr(row, field)
            if crypto.sealed_with_newest(token):
                already += 1
                continue
            try:
                setattr(row, field, crypto.reseal(token))
            except crypto.CredentialsUnavailable as exc:
                raise crypto.CredentialsUnavailable(
                    _("%(row)s 的凭据用现有密钥都打不开：请把旧密钥放回列表后再轮换。")
                    % {"row": row}
                ) from exc
            row.save(update_fields=[field])
            resealed += 1
    event_record(
        actor=actor,
        actor_name="" if actor is not None else "manage.py",
        verb="platform_credentials.rotated",
        data={"resealed": resealed, "already_newest": already},
    )
    return Rotation(resealed=resealed, already_newest=already)
