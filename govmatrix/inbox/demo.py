"""Demo of the inbox, loaded through the same services people use (called by `demo.seed`).

* the topic → unit map for the demo district's departments, two extra place names, the SLA
  targets, and a wording library;
* four weeks of citizens' comments and messages on the local platform (our own templates, see
  `traffic.py`), synced into the inbox; older ones were handled (closed), the last two days'
  are open in every state; a burst about discoloured tap water in 南湖 in the last day makes
  the opinion-trend view show a spike;
* for 东城街道 (street01): a reply published under the citizen's comment, one waiting for the
  leader, and a message waiting in the office's triage queue.

Running it again adds nothing: the traffic is written only once (recognised by its pseudonyms).
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from govmatrix.core.types import Actor
from govmatrix.inbox import services
from govmatrix.inbox.models import (
    Message,
    MessageKind,
    MessageState,
    MessageTopic,
    PlaceName,
    ReplyState,
    SlaTarget,
    Wording,
)
from govmatrix.inbox.services.ingest import sync_account, syncable_accounts
from govmatrix.inbox.traffic import TEMPLATES, Traffic, compose
from govmatrix.matrix.models import Account, Platform
from govmatrix.org.models import Unit
from govmatrix.platforms.local.models import LocalComment
from govmatrix.platforms.local.rules import visitor_hash
from govmatrix.platforms.models import OutboxOperation
from govmatrix.platforms.services import outbox_execute

TOPIC_UNITS = {
    "urban": "dept11",  # 区住房城乡建设委
    "environment": "dept10",  # 区生态环境局
    "transport": "dept12",  # 区交通委
    "education": "dept02",  # 区教育局
    "labour": "dept08",  # 区人力资源社会保障局
    "commerce": "dept19",  # 区市场监管局
    "health": "dept17",  # 区卫生健康委
}
PLACES = [("street01", "东城花园"), ("street03", "南湖新城")]

WORDINGS: list[tuple[str, str | None, str | None, str]] = [
    # (title, topic code, unit code or None for the district, text)
    (
        "夜间施工噪声",
        "environment",
        None,
        "您好，感谢您的反映。我们已将情况转交城管执法和生态环境部门，夜间22:00至次日6:00禁止高噪声作业，"
        "确需连续施工的须取得夜间施工许可并公示。执法人员将于近日到现场核查，核查结果将及时回复您。",
    ),
    (
        "路灯、井盖等设施损坏",
        "urban",
        None,
        "您好，您反映的设施损坏问题已收到，我们已通知养护单位于24小时内到现场查看维修。"
        "维修完成后将在此回复您，如仍有问题请继续留言。",
    ),
    (
        "小学入学划片咨询",
        "education",
        None,
        "您好，本区义务教育阶段施教区划分将于每年4月初在区教育局网站公布，适龄儿童家长可于4月15日至30日"
        "登录网站进行信息登记。具体问题也可拨打区教育局招生咨询电话咨询。",
    ),
    (
        "公交线路与站点",
        "transport",
        None,
        "您好，感谢您的建议。我们已将您的意见转交区交通委，线路和站点调整需综合客流、道路条件等因素论证，"
        "有进展将及时公布。",
    ),
    (
        "拖欠工资",
        "labour",
        None,
        "您好，对拖欠劳动报酬的行为，您可携带劳动合同、工资条等材料到区劳动保障监察大队投诉，"
        "或拨打12333咨询。我们已将您的情况转交区人力资源社会保障局核查处理。",
    ),
    (
        "食品安全与消费维权",
        "commerce",
        None,
        "您好，感谢您的监督。我们已将线索转交区市场监管局，执法人员将对涉事商户进行检查，"
        "依法处理并告知您结果。您也可拨打12315投诉举报。",
    ),
    (
        "自来水水质",
        "urban",
        None,
        "您好，您反映的水质问题我们高度重视，已通知供水企业立即到场取样检测并排查管网。"
        "检测结果出来前建议暂不直接饮用，结果将第一时间公布。",
    ),
    (
        "东城街道：事实先报",
        None,
        "street01",
        "您好，东城街道已收到您的反映，工作人员正在现场核实情况。核实清楚后我们会在这里继续回复您。",
    ),
    (
        "感谢表扬",
        None,
        None,
        "感谢您的肯定与支持！我们将继续做好服务，欢迎您继续监督、多提宝贵意见。",
    ),
]

# The accounts whose units have logins in the demo, where the history is written.
DEMO_UNITS = ("news_office", "street01", "street02", "street03", "dept01", "dept02", "dept03")
HISTORY_DAYS = 28
HISTORY_PER_DAY = 3
WATER = "{place}{community}的自来水这两天发黄，还有异味，不敢喝，请有关部门检测水质。"


def _user(username: str) -> Any:
    return get_user_model().objects.filter(username=username).first()


def _sync_local() -> int:
    stored = 0
    local = set(Account.objects.filter(platform=Platform.LOCAL).values_list("pk", flat=True))
    for account_id in syncable_accounts():
        if account_id not in local:
            continue
        while True:
            result = sync_account(account_id=account_id)
            stored += result.stored
            if not result.more:
                break
    return stored


def _office_lists(actor: Actor) -> None:
    services.topics_ensure_defaults()
    units = {u.code: u for u in Unit.objects.all()}
    for code, unit_code in TOPIC_UNITS.items():
        topic = MessageTopic.objects.filter(code=code).first()
        if topic is not None and topic.unit_id is None and unit_code in units:
            services.topic_update(actor=actor, topic_id=topic.pk, unit_id=units[unit_code].pk)
    for unit_code, name in PLACES:
        if unit_code in units and not PlaceName.objects.filter(name=name).exists():
            services.place_name_add(actor=actor, unit_id=units[unit_code].pk, name=name)
    for kind in MessageKind.values:
        if not SlaTarget.objects.filter(kind=kind).exists():
            services.sla_target_set(
                actor=actor, kind=kind, ack_hours=Decimal("4"), resolve_days=Decimal("5")
            )
    topics = {t.code: t for t in MessageTopic.objects.all()}
    for title, topic_code, wording_unit, text in WORDINGS:
        if Wording.objects.filter(title=title).exists():
            continue
        unit = units.get(wording_unit) if wording_unit else None
        author = actor if unit is None else (_user(f"{wording_unit}_leader") or actor)
        services.wording_create(
            actor=author,
            title=title,
            text=text,
            topic_id=topics[topic_code].pk if topic_code else None,
            unit_id=unit.pk if unit else None,
        )


def _history(rng: random.Random) -> None:
    """Four weeks of ordinary traffic (the trends' baseline) and a burst in the last day."""
    accounts = list(
        Account.objects.filter(
            platform=Platform.LOCAL, status="active", unit__code__in=DEMO_UNITS
        ).select_related("unit")
    )
    if not accounts:
        return
    traffic = Traffic(seed=rng.randrange(10**6))
    now = timezone.now()
    for day in range(HISTORY_DAYS, 0, -1):
        for slot in range(HISTORY_PER_DAY):
            at = now - timedelta(days=day, hours=rng.randrange(1, 10), minutes=slot * 7)
            account = rng.choice(accounts)
            template = rng.choice([t for _k, t in TEMPLATES if t != WATER])
            _kind, text = compose(rng, traffic.place_for(account), template=template)
            traffic.write(account=account, text=text, at=at)
    main = Account.objects.filter(platform=Platform.LOCAL, kind="main").first()
    for n in range(9):
        at = now - timedelta(hours=20 - 2 * n)
        _kind, text = compose(rng, "南湖", template=WATER)
        traffic.write(account=main or rng.choice(accounts), text=text, at=at)


def _handle_history(office: Actor) -> None:
    """Messages older than two days were handled; their unit closed them."""
    cutoff = timezone.now() - timedelta(days=2)
    old = Message.objects.filter(
        received_at__lt=cutoff, state__in=[MessageState.OPEN, MessageState.TRIAGE]
    )
    for message in old.order_by("pk"):
        services.message_close(
            actor=office, message_id=message.pk, note="已电话联系网民并现场处理（演示数据）"
        )


def _street01_story(office: Actor) -> None:
    operator, leader = _user("street01_operator"), _user("street01_leader")
    account = Account.objects.filter(platform=Platform.LOCAL, unit__code="street01").first()
    if operator is None or leader is None or account is None:
        return
    traffic = Traffic(seed=11)
    now = timezone.now()
    texts = [
        ("东城花园3号楼门口的井盖松动了，踩上去哐哐响，晚上很危险，请尽快修复。", 5),
        ("请问东城街道社区卫生服务中心周末能打流感疫苗吗？", 3),
        ("东城路施工的围挡占了半条人行道，老人推车过不去，希望能调整一下。", 1),
    ]
    for text, hours in texts:
        traffic.write(account=account, text=text, at=now - timedelta(hours=hours))
    _sync_local()
    rows = {
        m.text: m for m in Message.objects.filter(account=account, text__in=[t for t, _h in texts])
    }
    first = rows.get(texts[0][0])
    if first is not None and first.state == MessageState.OPEN and not first.replies.exists():
        wording = Wording.objects.filter(title="路灯、井盖等设施损坏").first()
        reply = services.reply_create(
            actor=operator,
            message_id=first.pk,
            text=wording.text if wording else "您好，已收到。",
            wording_id=wording.pk if wording else None,
        )
        services.reply_submit(actor=operator, reply_id=reply.pk)
        services.reply_approve(actor=leader, reply_id=reply.pk)
        operation = OutboxOperation.objects.filter(
            subject_type="inbox.reply", subject_id=str(reply.pk)
        ).first()
        if operation is not None:
            outbox_execute(operation_id=operation.pk)
    second = rows.get(texts[1][0])
    if second is not None and second.state == MessageState.OPEN and not second.replies.exists():
        services.message_assign(actor=operator, message_id=second.pk, assignee_id=operator.pk)
        reply = services.reply_create(
            actor=operator,
            message_id=second.pk,
            text="您好，东城街道社区卫生服务中心周六上午8:00—11:30可接种流感疫苗，请携带身份证和医保卡。",
            closes=True,
        )
        services.reply_submit(actor=operator, reply_id=reply.pk)


def seed(*, actor: Actor) -> dict[str, int]:
    _office_lists(actor)
    written = LocalComment.objects.filter(
        visitor_hash__in=[visitor_hash(f"demo-traffic-{n}") for n in range(300)]
    ).exists()
    if not written:
        _history(random.Random(2026))  # noqa: S311 - demo data
        _sync_local()
        _handle_history(actor)
        _street01_story(actor)
    return {
        "messages": Message.objects.count(),
        "open": Message.objects.filter(state=MessageState.OPEN).count(),
        "replies_waiting": Message.objects.filter(replies__state=ReplyState.SUBMITTED).count(),
    }
