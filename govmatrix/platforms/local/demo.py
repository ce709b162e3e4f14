"""Demo content of the local platform: posts, reposts, citizen comments and official replies.

Called by `govmatrix.demo.seed` after the base district. Everything goes through the local
platform's services with fixed keys, so running it again adds nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from govmatrix.core.types import Actor
from govmatrix.matrix.models import OFFICIAL_KINDS, Account, AccountStatus, Platform
from govmatrix.platforms.local import services
from govmatrix.platforms.local.models import LocalComment, LocalMessage, LocalPost
from govmatrix.platforms.local.rules import comment_ref, visitor_hash

# Posts per unit code, newest last; "hours ago" spreads them over the last fortnight.
POSTS: dict[str, list[tuple[int, str]]] = {
    "news_office": [
        (
            300,
            "【政策解读】《示范区老旧小区综合改造三年行动方案》正式印发。今年计划改造小区42个、"
            "惠及居民1.8万户，改造内容包括屋面防水、管网更新、加装电梯和无障碍设施等。"
            "各街道将逐一入户征求意见，欢迎居民留言提出建议。",
        ),
        (
            150,
            "【便民提示】即日起，区政务服务中心推行“周末不打烊”服务，每周六上午9:00—12:00"
            "办理户籍、社保、不动产登记等高频事项。地址：示范区人民路88号，咨询电话12345。",
        ),
        (
            60,
            "【民生】今年我区新增公办幼儿园学位1200个，新建的南湖第二幼儿园、"
            "清河镇中心幼儿园将于9月1日开园，具体招生安排请关注@示范区教育局。",
        ),
        (
            2,
            "【权威发布】区气象台今日10时发布暴雨黄色预警信号：预计未来6小时我区将出现50毫米以上降水。"
            "请市民减少不必要外出，远离低洼地带和地下空间，驾车注意避开积水路段。"
            "如遇险情请拨打110、119求助。",
        ),
    ],
    "street01": [
        (
            200,
            "【社区活动】“邻里守望·平安东城”志愿服务活动本周六在东城文化广场举行，"
            "现场提供义诊、法律咨询和小家电维修，欢迎居民参加。",
        ),
        (
            96,
            "【疫苗接种】东城街道社区卫生服务中心本周开展秋冬季流感疫苗接种，60岁以上户籍老人免费。"
            "请携带身份证和医保卡，于工作日8:00—11:30到二楼预防接种门诊登记。",
        ),
        (
            20,
            "【道路施工公告】因雨污分流改造工程需要，东城路（建设路至和平路段）将于11月30日至"
            "12月20日实行半幅封闭施工，期间请过往车辆绕行解放路。施工给您带来不便，敬请谅解。",
        ),
    ],
    "street02": [
        (
            120,
            "【垃圾分类】西城街道12个小区已完成“定时定点”投放改造，每天7:00—9:00、18:00—20:00"
            "开放投放，感谢居民朋友的理解和配合。",
        ),
        (
            30,
            "【停水通知】因供水管网检修，12月2日（周二）8:00—18:00，幸福里、和平里小区暂停供水，"
            "请居民提前储水。如有特殊困难请联系所在社区居委会。",
        ),
    ],
    "dept02": [
        (
            170,
            "【温馨提示】寒假即将来临，请家长加强对孩子的安全教育，注意防溺水、防火、"
            "防交通事故，合理安排作息时间。",
        ),
        (
            48,
            "【入学通知】2027年示范区义务教育阶段招生工作将于4月启动，适龄儿童家长可于4月15日至"
            "30日登录区教育局网站进行信息登记，各学校施教区划分将于4月初公布。",
        ),
    ],
    "dept12": [
        (
            72,
            "【公交调整】为方便南湖新城居民出行，公交101路、108路自12月1日起延伸至南湖地铁站，"
            "首末班时间不变。",
        ),
    ],
    "dept13": [
        (
            90,
            "【防汛】区水务局已对全区32处易积水点位完成排查，汛期每处点位安排专人值守、"
            "配备移动泵车。发现道路积水可拨打12345反映。",
        ),
    ],
}

GENERIC = "【工作动态】{unit}召开政务微博工作推进会，部署信息发布、政民互动和舆情回应工作，持续提升服务群众水平。"

# Sub-accounts that reposted the main account's rainstorm statement (R6.2), with a comment.
REPOSTS = {
    "street01": "请东城街道居民注意防范，各社区已安排人员值守。",
    "street02": "西城街道防汛值班电话：0571-86000000。",
    "street03": "",
}

# (unit code, index of the post, nickname, text, the account's official reply or "").
COMMENTS: list[tuple[str, int, str, str, str]] = [
    (
        "street01",
        2,
        "东城居民",
        "请问晚上施工到几点？家里有老人休息。",
        "您好，夜间22:00后不进行高噪声作业，如有扰民请拨打街道城管科电话反映。",
    ),
    ("street01", 2, "热心市民王先生", "支持改造，希望早日完工。", ""),
    (
        "street01",
        1,
        "学生家长李女士",
        "户籍不在本街道的老人可以打吗？",
        "您好，非户籍老人也可接种，需自费，费用请咨询接种门诊。",
    ),
    (
        "news_office",
        0,
        "老张",
        "我们小区没有电梯，能申请加装吗？@示范区东城街道 东城的小区在名单里吗？",
        "",
    ),
    ("news_office", 3, "西城小陈", "收到，已经提醒家里人。", ""),
    (
        "dept02",
        1,
        "一年级新生家长",
        "施教区什么时候能查到？",
        "施教区划分预计4月初公布，请关注本账号。",
    ),
]

MESSAGES: list[tuple[str, str, str]] = [
    ("news_office", "居民刘女士", "人民路与解放路路口的红绿灯坏了两天，早高峰很危险，请尽快处理。"),
    ("street01", "东城居民", "东城花园3号楼下的路灯一直不亮，晚上出行不方便。"),
]


def _at(hours_ago: int, now: datetime) -> datetime:
    return now - timedelta(hours=hours_ago)


def seed(*, actor: Actor) -> dict[str, int]:
    """Give the active local official accounts a little history; safe to run again."""
    accounts = {
        account.unit.code: account
        for account in Account.objects.filter(
            platform=Platform.LOCAL, status=AccountStatus.ACTIVE, kind__in=OFFICIAL_KINDS
        ).select_related("unit")
    }
    now = timezone.now()
    posts: dict[tuple[str, int], LocalPost] = {}
    for code, account in accounts.items():
        entries = POSTS.get(code) or [
            (240 + len(posts) * 7, GENERIC.format(unit=account.unit.name))
        ]
        for index, (hours_ago, text) in enumerate(entries):
            posts[(code, index)] = services.post_publish(
                account=account,
                text=text,
                idempotency_key=f"demo:{account.handle}:{index}",
                at=_at(hours_ago, now),
            )
    statement = posts.get(("news_office", len(POSTS["news_office"]) - 1))
    if statement is not None:
        for code, remark in REPOSTS.items():
            if code in accounts:
                services.post_repost(
                    account=accounts[code],
                    original_id=statement.pk,
                    comment=remark,
                    idempotency_key=f"demo:{accounts[code].handle}:repost",
                    at=statement.created_at + timedelta(minutes=20),
                )
    if not LocalComment.objects.filter(post__idempotency_key__startswith="demo:").exists():
        for number, (code, index, nickname, text, reply) in enumerate(COMMENTS):
            post = posts.get((code, index))
            if post is None:
                continue
            comment = services.comment_submit(
                post=post,
                nickname=nickname,
                text=text,
                visitor_hash=visitor_hash(f"demo-{number}"),
                at=post.created_at + timedelta(minutes=35 + number),
            )
            if reply:
                services.interaction_reply(
                    account=post.account,
                    interaction_id=comment_ref(comment.pk),
                    text=reply,
                    idempotency_key=f"demo:reply:{number}",
                    at=comment.created_at + timedelta(minutes=50),
                )
    if not LocalMessage.objects.filter(visitor_hash=visitor_hash("demo-message")).exists():
        for code, nickname, text in MESSAGES:
            if code in accounts:
                services.message_submit(
                    account=accounts[code],
                    nickname=nickname,
                    text=text,
                    visitor_hash=visitor_hash("demo-message"),
                    at=now - timedelta(hours=5),
                )
    return {
        "posts": LocalPost.objects.count(),
        "comments": LocalComment.objects.count(),
        "messages": LocalMessage.objects.count(),
    }
