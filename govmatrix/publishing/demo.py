"""Demo publishing for 东城街道 (street01) and the main account, through the real services.

Posts in every state: drafts, posts waiting for the leader (one with content-check hits),
a returned one, one edited after approval (its approver sees the diff), scheduled ones, and
published ones — those go through the outbox to the local platform when its connector is
registered (otherwise they stay scheduled and the worker publishes them). Published posts
make report items; the office has acknowledged one and asked for a correction on another.
Running it again adds nothing: a post is recognised by its account and text.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from govmatrix.core.types import Actor
from govmatrix.matrix.models import Account, AccountKind
from govmatrix.matrix.selectors import main_account
from govmatrix.platforms.services import outbox_execute
from govmatrix.publishing import rules, services
from govmatrix.publishing.models import ContentRule, LeaderName, Post, ReportItem, RuleKind, Topic
from govmatrix.publishing.selectors.posts import publish_operation

BANNED = [
    ("北朝鲜", "朝鲜", "新华社新闻报道中的禁用词"),
    ("台湾总统", "台湾地区领导人", ""),
    ("农民工", "进城务工人员", ""),
    ("残废人", "残疾人", ""),
]
RETURN_COMMENT = "请补充活动的具体时间和报名方式，标题前加【】栏目名。"
LEADERS = [("陈建国", "区委书记"), ("林晓华", "区委副书记、区长"), ("周立新", "副区长")]


def _user(username: str) -> Any:
    return get_user_model().objects.filter(username=username).first()


def _topics(*codes: str) -> list[int]:
    return list(Topic.objects.filter(code__in=codes).values_list("pk", flat=True))


def _tomorrow_at(hour: int) -> datetime:
    day = timezone.localdate() + timedelta(days=1)
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


def _post(author: Actor, account: Account, text: str, **kwargs: Any) -> tuple[Post, bool]:
    existing = Post.objects.filter(account=account, text=text).first()
    if existing is not None:
        return existing, False
    return services.post_create(actor=author, account_id=account.pk, text=text, **kwargs), True


def _publish_now(post: Post) -> None:
    """Publish an approved post through the outbox here and now, when a connector serves it."""
    if rules.platform_limits(post.account.platform) is None:
        return  # stays scheduled: a worker publishes it once the platform is connected
    services.post_publish(post_id=post.pk)
    operation = publish_operation(post)
    if operation is not None:
        outbox_execute(operation_id=operation.pk)


def _through(
    author: Actor, approver: Actor, account: Account, text: str, state: str, **kwargs: Any
) -> Post:
    post, new = _post(author, account, text, **kwargs)
    if not new:
        return post
    if state == "draft":
        return post
    services.post_submit(actor=author, post_id=post.pk)
    if state == "submitted":
        return post
    if state == "returned":
        return services.post_return(actor=approver, post_id=post.pk, comment=RETURN_COMMENT)
    services.post_approve(actor=approver, post_id=post.pk, comment="同意发布。")
    if state == "published":
        _publish_now(post)
    return post


def seed(*, actor: Actor) -> None:
    services.topics_ensure_defaults()
    for phrase, suggestion, note in BANNED:
        if not ContentRule.objects.filter(kind=RuleKind.BANNED, phrase=phrase).exists():
            services.content_rule_create(
                actor=actor, kind=RuleKind.BANNED, phrase=phrase, suggestion=suggestion, note=note
            )
    for name, titles in LEADERS:
        if not LeaderName.objects.filter(name=name).exists():
            services.leader_name_create(actor=actor, name=name, titles=titles)

    street = Account.objects.filter(unit__code="street01", kind=AccountKind.SUB).first()
    main = main_account()
    operator, leader = _user("street01_operator"), _user("street01_leader")
    if street is not None and operator is not None and leader is not None:
        _street(street, operator, leader, actor)
    if main is not None:
        _main(main, actor)


def _street(street: Account, operator: Actor, leader: Actor, office: Actor) -> None:
    done = _through(
        operator,
        leader,
        street,
        "【便民服务】东城街道社区事务受理中心即日起延长服务时间，工作日中午不休息，"
        "居民可办理居住证、老年卡、医保登记等事项。咨询电话：12345。",
        "published",
        topic_ids=_topics("policy"),
    )
    important = _through(
        operator,
        leader,
        street,
        "【医疗卫生】东城街道社区卫生服务中心发热门诊已开设夜间门诊，每日18:00至22:00接诊，"
        "请有发热症状的居民佩戴口罩前往就诊。",
        "published",
        topic_ids=_topics("healthcare"),
        important=True,
    )
    for item in ReportItem.objects.filter(post=done, state="new"):
        services.report_item_acknowledge(actor=office, item_id=item.pk, comment="已阅，内容规范。")
    for item in ReportItem.objects.filter(post=important, state="new"):
        services.report_item_request_correction(
            actor=office,
            item_id=item.pk,
            text="请补充发热门诊的具体地址，并说明是否需要提前预约。",
        )
    _through(
        operator,
        leader,
        street,
        "【垃圾分类】本周六上午9点，东城街道将在文化广场开展垃圾分类宣传活动，现场可用可回收物兑换生活用品。",
        "scheduled",
        topic_ids=_topics("key_work"),
        scheduled_at=_tomorrow_at(10),
    )
    _through(
        operator,
        leader,
        street,
        "林晓华副区长今天到东城街道调研老旧小区改造工作，察看了加装电梯和管网更新进展。",
        "submitted",
        topic_ids=_topics("key_work", "housing_security"),
    )
    _through(
        operator,
        leader,
        street,
        "【公共交通】因地铁施工，东城路公交站将临时迁移至建设路口，涉及12路、35路两条线路。",
        "submitted",
        topic_ids=_topics("public_transport"),
        important=True,
    )
    _through(
        operator,
        leader,
        street,
        "东城街道将举办“邻里节”活动，欢迎居民报名参加。",
        "returned",
        topic_ids=_topics("culture"),
    )
    _through(
        operator,
        leader,
        street,
        "【教育】东城街道暑期托管班开始报名，面向辖区小学一至五年级学生。",
        "draft",
        topic_ids=_topics("education"),
    )
    # Approved, then changed: back to draft and submitted again, so the leader sees the diff.
    original = (
        "【住房保障】东城街道本月15日起受理公共租赁住房申请，申请材料可在社区事务受理中心领取。"
    )
    changed = "【住房保障】东城街道本月20日起受理公共租赁住房申请，申请材料可在社区事务受理中心领取，也可网上下载。"
    if not Post.objects.filter(account=street, text=changed).exists():
        post = _through(
            operator,
            leader,
            street,
            original,
            "scheduled",
            topic_ids=_topics("housing_security"),
            scheduled_at=_tomorrow_at(15),
        )
        services.post_update(actor=operator, post_id=post.pk, text=changed)
        services.post_submit(actor=operator, post_id=post.pk)


def _main(main: Account, office: Actor) -> None:
    _through(
        office,
        office,
        main,
        "【权威发布】示范区2026年民生实事项目全部完成：新增公办幼儿园学位1200个，"
        "改造老旧小区42个，新开通公交线路3条。",
        "published",
        topic_ids=_topics("key_work", "education"),
        important=True,
    )
    _through(
        office,
        office,
        main,
        "【通知】区政务服务中心元旦假期期间暂停线下服务，网上办事大厅正常运行。",
        "scheduled",
        topic_ids=_topics("policy"),
        scheduled_at=_tomorrow_at(9),
    )
    _through(
        office,
        office,
        main,
        "【文化】示范区图书馆新馆将于下月开放，新增自助借还、少儿阅读区和24小时自习室。",
        "submitted",
        topic_ids=_topics("culture"),
    )
