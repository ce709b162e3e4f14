"""Demo of the emergency flow: an on-site commander with a login, and one past incident that
was stood down — its first statement, a rolling update, the repost orders with their proofs
and latencies, an exemption, two accounts that never reposted, a press conference — so the
incident page, its timeline and the board are not empty. The main accounts on Weibo and
Mastodon publish copies of its statements, reposted there through the connectors.

Everything goes through the services and the outbox. The past times come from the local
platform, as they would in life: each post and repost is made on the local platform first at
its past moment with the very key the outbox then uses, so the outbox finds it there and
records the platform's own time (the event log keeps the real time of the seeding). Running it
again adds nothing: the incident is recognised by its title, the commander by the login.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from govmatrix.core.types import Actor
from govmatrix.emergency import services
from govmatrix.emergency.models import Incident, RepostOrder, Statement, StatementKind
from govmatrix.emergency.services.orders import order_key
from govmatrix.matrix.models import Account, AccountKind, AccountStatus
from govmatrix.matrix.selectors import main_account
from govmatrix.org.models import Membership, Person, Role, Unit
from govmatrix.org.services import person_create
from govmatrix.platforms.local import services as local
from govmatrix.platforms.models import OutboxOperation
from govmatrix.platforms.services import outbox_execute
from govmatrix.publishing import services as publishing
from govmatrix.publishing.selectors.posts import publish_operation

COMMANDER = "commander"  # the demo login of the on-site commander (password: the demo's)
TITLE = "南湖街道燃气管道泄漏"
FIRST = (
    "【权威发布】今天14时许，南湖街道湖滨路一处施工工地挖断燃气管道，造成燃气泄漏。"
    "接报后，区应急、燃气、消防、公安等部门迅速到场处置，已疏散周边居民120余人，"
    "15时20分泄漏点完成封堵，未造成人员伤亡。湖滨路（建设路至南湖路段）临时交通管制，"
    "请过往车辆绕行。"
)
UPDATE = (
    "【续报】经燃气部门检测，湖滨路周边空气中燃气浓度已恢复正常，疏散居民已于18时前全部返回家中。"
    "湖滨路交通管制已解除。事故原因正在调查，后续情况将及时发布。"
)
COMMENT = "请以@示范区发布的权威信息为准，不信谣、不传谣。"
# The last accounts in the list never repost (they stay overdue on the board).
NEVER_REPOSTED = 2


def _latency(index: int) -> float:
    """Minutes from publication to the index-th manual repost: most within the 30 minutes."""
    return 2.5 + index * 1.25 if index < 16 else 22 + (index - 16) * 4.5


def _user(username: str) -> Any:
    return get_user_model().objects.filter(username=username).first()


def _commander(actor: Actor) -> Person:
    existing = Person.objects.filter(user__username=COMMANDER).first()
    if existing is not None:
        return existing
    from govmatrix.demo.district import DEMO_PASSWORD

    return person_create(
        actor=actor,
        name="赵振华",
        title="副区长（现场指挥部总指挥）",
        phone="0571-87000001",
        username=COMMANDER,
        password=DEMO_PASSWORD,
    )


def _operator_of(unit_id: int, fallback: Actor) -> Actor:
    membership = (
        Membership.objects.filter(
            unit_id=unit_id, role=Role.OPERATOR, ended_on__isnull=True, person__user__isnull=False
        )
        .select_related("person__user")
        .first()
    )
    return membership.person.user if membership and membership.person.user else fallback


def _publish_at(statement: Statement, at: datetime) -> None:
    """The main account publishes the approved statement; the platform says when: at `at`."""
    post = statement.post
    publishing.post_publish(post_id=post.pk)
    operation = publish_operation(post)
    if operation is None:
        return
    local.post_publish(
        account=post.account, text=post.text, idempotency_key=operation.idempotency_key, at=at
    )
    outbox_execute(operation_id=operation.pk)


def _repost_at(order: RepostOrder, statement: Statement, at: datetime) -> None:
    """Run the order's repost call, which the local platform already made at `at`."""
    order.refresh_from_db()
    operation = OutboxOperation.objects.filter(idempotency_key=order_key(order)).first()
    if operation is None:
        return
    local.post_repost(
        account=order.account,
        original_id=int(statement.post.external_id),
        comment=statement.repost_comment or None,
        idempotency_key=operation.idempotency_key,
        at=at,
    )
    outbox_execute(operation_id=operation.pk)


def _statement(
    actor: Actor, commander: Actor, incident: Incident, text: str, kind: str, at: datetime
) -> Statement | None:
    statement = services.statement_create(
        actor=actor, incident_id=incident.pk, text=text, kind=kind, repost_comment=COMMENT
    )
    services.statement_submit(actor=actor, statement_id=statement.pk)
    services.statement_approve(actor=commander, statement_id=statement.pk, comment="同意发布。")
    _publish_at(statement, at)
    statement.refresh_from_db()
    if statement.published_at is None:  # no connector for the main account's platform
        return None
    _copies(actor, statement)
    services.repost_orders_create(statement_id=statement.pk, now=at + timedelta(seconds=40))
    return statement


def _copies(actor: Actor, statement: Statement) -> None:
    """The main accounts on Weibo and Mastodon publish the statement too (its copies), and the
    sub-accounts there repost their platform's copy with one click, through the connectors.
    The doubles keep no past, so this happens at the time of seeding; a double that does not
    answer leaves its copy retrying or failed, as the incident page then shows."""
    for copy in statement.copies.select_related("post"):
        publishing.post_publish(post_id=copy.post_id)
        operation = publish_operation(copy.post)
        if operation is not None:
            outbox_execute(operation_id=operation.pk)
        copy.refresh_from_db()
        if copy.published_at is None:
            continue
        services.repost_orders_create(statement_id=statement.pk, copy_id=copy.pk)
        for order in RepostOrder.objects.filter(copy=copy):
            order = services.repost_order_repost(
                actor=_operator_of(order.unit_id, actor), order_id=order.pk
            )
            repost = OutboxOperation.objects.filter(idempotency_key=order_key(order)).first()
            if repost is not None:
                outbox_execute(operation_id=repost.pk)


def _reposts(actor: Actor, statement: Statement, *, exempt: bool) -> None:
    """Automatic reposts first, then one-click ones, links given by hand, an exemption."""
    published = statement.published_at
    assert published is not None
    services.auto_reposts_dispatch(statement_id=statement.pk, now=published + timedelta(minutes=1))
    orders = list(
        RepostOrder.objects.filter(statement=statement, copy__isnull=True).select_related(
            "account", "unit"
        )
    )
    autos = sum(1 for o in orders if o.auto)
    exempted = sum(
        1 for o in orders if exempt and not o.auto and o.account.status == AccountStatus.DORMANT
    )
    manual = 0
    for order in sorted(orders, key=lambda o: (not o.auto, o.unit.sort_order, o.pk)):
        if order.auto:
            _repost_at(order, statement, published + timedelta(minutes=1.5))
            continue
        if exempt and order.account.status == AccountStatus.DORMANT:
            services.repost_order_exempt(
                actor=actor, order_id=order.pk, reason="账号处于休眠整改期，本次免于转发"
            )
            continue
        if manual >= len(orders) - NEVER_REPOSTED - autos - exempted:
            continue  # never reposted: overdue on the board
        minutes = _latency(manual)
        manual += 1
        at = published + timedelta(minutes=minutes)
        if order.account.platform == statement.post.account.platform:
            services.repost_order_repost(
                actor=_operator_of(order.unit_id, actor), order_id=order.pk
            )
            _repost_at(order, statement, at)
        else:
            services.repost_order_record(
                actor=actor,
                order_id=order.pk,
                url=f"https://weibo.com/{order.account.handle}/demo{statement.pk}",
                reposted_at=at,
            )


def seed(*, actor: Actor) -> None:
    commander = _commander(actor)
    commander_user = commander.user
    assert commander_user is not None, "the demo's commander is created with a login"
    main = main_account()
    if main is None or Incident.objects.filter(title=TITLE).exists():
        return
    for code in ("dept05", "dept06", "dept07"):  # departments that repost automatically
        account = Account.objects.filter(
            unit__code=code, kind=AccountKind.SUB, platform=main.platform, status="active"
        ).first()
        if account is not None:
            services.auto_repost_set(actor=actor, account_id=account.pk, enabled=True)
    day = timezone.localdate() - timedelta(days=6)
    declared = datetime.combine(day, time(14, 5), tzinfo=timezone.get_current_timezone())
    units = Unit.objects.filter(code__in=["street03", "dept18"]).values_list("pk", flat=True)
    incident = services.incident_declare(
        actor=actor,
        title=TITLE,
        level="III",
        commander_id=commander.pk,
        unit_ids=list(units),
        summary="湖滨路施工挖断燃气管道，燃气泄漏，疏散周边居民；无人员伤亡。",
        declared_at=declared,
    )
    first = _statement(
        actor,
        commander_user,
        incident,
        FIRST,
        StatementKind.FIRST,
        declared + timedelta(minutes=38),
    )
    if first is not None:
        _reposts(actor, first, exempt=True)
    update = _statement(
        actor,
        commander_user,
        incident,
        UPDATE,
        StatementKind.UPDATE,
        declared + timedelta(hours=3, minutes=10),
    )
    if update is not None:
        _reposts(actor, update, exempt=False)
    services.incident_press_conference_record(
        actor=actor,
        incident_id=incident.pk,
        held_at=declared + timedelta(hours=20),
        note="区政府新闻办召开新闻发布会，通报事故处置和原因调查进展。",
    )
    services.incident_stand_down(
        actor=actor,
        incident_id=incident.pk,
        note="现场处置完毕，应急响应结束。",
        at=declared + timedelta(days=2),
    )
