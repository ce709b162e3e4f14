"""The demo's Weibo and Mastodon accounts, linked to the Weibo simulator and the Mastodon mock
that `manage.py serve_demo` starts beside the app — through the linking services, as a person
would link them: OAuth against the simulator (the seeder plays the browser on the simulator's
authorisation page, picking the Weibo account named like the registry's handle), a pasted token
for the mock (`<username>_token`, from `mastodon/demo-mock.toml`). Credentials are sealed like
any others.

Both doubles keep their state in memory, so each start is a new platform. Run again, the seeder
asks the platform about each stored link and links again what it no longer knows (a token the
simulator forgot, an account id the mock gave out anew); a link the platform still accepts is
left alone, which makes running it twice change nothing. After a (re)link it has a citizen ask
the account a question there, so the inbox has something to reply to.

A double that does not answer is skipped with a printed note; the links stay as they were, and
their sync health shows what the platform says when it is called.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import httpx
from django.conf import settings
from django.db.models import QuerySet

from govmatrix.core.errors import DomainError
from govmatrix.core.types import Actor
from govmatrix.matrix.models import Account, AccountKind, AccountStatus, Platform
from govmatrix.org.models import UnitKind
from govmatrix.platforms.base import AccountRef, Author, ConnectorError
from govmatrix.platforms.links import connectors, services
from govmatrix.platforms.links.models import PlatformLink
from govmatrix.platforms.registry import account_ref

# The callback the demo's app answers on (the simulator only checks that it stays the same).
DEMO_CALLBACK = "http://127.0.0.1:8000/platforms/oauth/callback/"
# The mock's accounts (demo-mock.toml) for the demo's main account, a street and a department.
MASTODON_USERS: dict[str, str] = {
    AccountKind.MAIN.value: "sfq_fabu",
    UnitKind.STREET_TOWN.value: "sfq_street",
    UnitKind.DEPARTMENT.value: "sfq_dept",
}
WEIBO_CITIZEN = "热心市民小王"
MASTODON_CITIZEN = "citizen_wang"
QUESTION = "请问{place}周末的便民服务点还开放吗？"
_TIMEOUT = 3.0

Say = Callable[[str], None]


def _accounts(platform: str) -> QuerySet[Account]:
    return (
        Account.objects.filter(
            platform=platform,
            kind__in=[AccountKind.MAIN, AccountKind.SUB],
            status=AccountStatus.ACTIVE,
        )
        .select_related("unit")
        .order_by("pk")
    )


def _local(base: str) -> bool:
    """The demo's doubles run on this machine; a real platform is never linked by a seeder."""
    return urlsplit(base).hostname in {"127.0.0.1", "localhost", "::1"}


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=_TIMEOUT).status_code == 200
    except httpx.HTTPError:
        return False


def _still_linked(account: Account, verify: Callable[[AccountRef], Author]) -> bool:
    """Whether the platform still knows the stored credentials as the same user (asked without
    recording sync health: a restarted double is not an account's failure)."""
    if not PlatformLink.objects.filter(account=account).exists():
        return False
    ref = account_ref(account)
    try:
        return verify(ref).platform_user_id == ref.external_id
    except ConnectorError:
        return False


# --- Weibo: OAuth against the simulator -------------------------------------------------------------
def _weibo_oauth(actor: Actor, account: Account, base: str) -> None:
    start = services.link_start(actor=actor, account_id=account.pk, redirect_uri=DEMO_CALLBACK)
    query = parse_qs(urlsplit(start.url).query)
    # What the operator does in the browser: pick the account on the authorisation page.
    answer = httpx.post(
        f"{base}/oauth2/authorize",
        data={
            "client_id": query["client_id"][0],
            "redirect_uri": query["redirect_uri"][0],
            "state": query["state"][0],
            "screen_name": account.handle,
        },
        timeout=_TIMEOUT,
    )
    back = parse_qs(urlsplit(answer.headers.get("location", "")).query)
    if "code" not in back:
        raise DomainError(f"the simulator did not authorise {account.handle}: {answer.text[:200]}")
    services.link_complete(
        actor=actor,
        pending=start.pending,
        state=back["state"][0],
        code=back["code"][0],
        redirect_uri=DEMO_CALLBACK,
    )


def _weibo_question(base: str, account: Account) -> None:
    """A citizen's post, and a comment on it that @-mentions the account (comments/mentions)."""
    control = f"{base}/_sim"
    post = httpx.post(
        f"{control}/posts",
        json={"screen_name": WEIBO_CITIZEN, "text": "周末带孩子出去转转。"},
        timeout=_TIMEOUT,
    ).json()
    httpx.post(
        f"{control}/comments",
        json={
            "screen_name": WEIBO_CITIZEN,
            "status_id": post["idstr"],
            "text": f"@{account.handle} " + QUESTION.format(place=account.unit.name),
        },
        timeout=_TIMEOUT,
    )


def link_weibo(*, actor: Actor, say: Say = print) -> int:
    accounts = list(_accounts(Platform.WEIBO))
    if not accounts:
        return 0
    base = settings.WEIBO_API_BASE.rstrip("/")
    if not (settings.WEIBO_APP_KEY and settings.WEIBO_APP_SECRET):
        say("Demo: Weibo accounts not linked (WEIBO_APP_KEY / WEIBO_APP_SECRET are not set).")
        return 0
    if not _local(base) or not _answers(f"{base}/_sim/config"):
        say(f"Demo: Weibo accounts not linked (no Weibo simulator answers at {base}).")
        return 0
    connector = connectors.weibo_connector()
    linked = 0
    for account in accounts:
        if _still_linked(account, connector.verify):
            continue
        try:
            _weibo_oauth(actor, account, base)
            _weibo_question(base, account)
        except (DomainError, httpx.HTTPError, KeyError, ValueError) as exc:
            say(f"Demo: {account.handle} not linked to the Weibo simulator ({exc}).")
            continue
        linked += 1
    return linked


# --- Mastodon: a pasted token for the mock ------------------------------------------------------------
def _mastodon_user(account: Account) -> str | None:
    if account.kind == AccountKind.MAIN:
        return MASTODON_USERS[AccountKind.MAIN.value]
    return MASTODON_USERS.get(str(account.unit.kind))


def _mastodon_question(base: str, username: str, account: Account) -> None:
    httpx.post(
        f"{base}/api/v1/statuses",
        headers={"Authorization": f"Bearer {MASTODON_CITIZEN}_token"},
        data={"status": f"@{username} " + QUESTION.format(place=account.unit.name)},
        timeout=_TIMEOUT,
    ).raise_for_status()


def link_mastodon(*, actor: Actor, say: Say = print) -> int:
    accounts = list(_accounts(Platform.MASTODON))
    if not accounts:
        return 0
    base = (settings.MASTODON_API_BASE or "").rstrip("/")
    if not base:
        say("Demo: Mastodon accounts not linked (MASTODON_API_BASE is not set).")
        return 0
    if not _local(base) or not _answers(f"{base}/api/v1/instance"):
        say(f"Demo: Mastodon accounts not linked (no Mastodon mock answers at {base}).")
        return 0
    connector = connectors.mastodon_connector()
    taken: set[str] = set()
    linked = 0
    for account in accounts:
        username = _mastodon_user(account)
        if username is None or username in taken:
            say(
                f"Demo: {account.handle} not linked (the Mastodon mock has no account left for it)."
            )
            continue
        taken.add(username)
        if _still_linked(account, connector.verify):
            continue
        try:
            services.link_complete_with_token(
                actor=actor, account_id=account.pk, api_base=base, access_token=f"{username}_token"
            )
            _mastodon_question(base, username, account)
        except (DomainError, httpx.HTTPError) as exc:
            say(f"Demo: {account.handle} not linked to the Mastodon mock ({exc}).")
            continue
        linked += 1
    return linked


def seed(*, actor: Actor, say: Say = print) -> None:
    """Link what the running doubles can take; say what was skipped (see the module's docstring)."""
    weibo = link_weibo(actor=actor, say=say)
    mastodon = link_mastodon(actor=actor, say=say)
    if weibo or mastodon:
        say(f"Demo: linked {weibo} Weibo and {mastodon} Mastodon accounts to the local doubles.")
