"""Demo traffic: a realistic stream of citizens' comments and messages on the local platform.

The texts come from our own templates — complaints, inquiries, suggestions and praise about
roads, noise, schools, housing, buses, water, food, wages — filled with the demo district's
street names, communities and bus lines, so that routing has something true to find. With a
CSV path (e.g. the research set `../shared/data/gov_messages/messages.csv`, columns `title`
and `detail`, or `text`) the texts are read from it instead; nothing of it is stored in the
product beyond the comments the demo writes.

Everything is written through the local platform's own services, as a citizen's form would.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from govmatrix.inbox.routing import short_place_name
from govmatrix.matrix.models import OFFICIAL_KINDS, Account, AccountStatus, Platform
from govmatrix.org.models import Unit, UnitKind
from govmatrix.platforms.local import services as local
from govmatrix.platforms.local.models import LocalPost
from govmatrix.platforms.local.rules import COMMENT_MAX_CHARS, visitor_hash

COMMUNITIES = ("花园", "新村", "家园", "小区", "佳苑", "西里")
ROAD_ITEMS = ("路灯", "井盖", "红绿灯", "人行道地砖", "下水道")
BUS_LINES = ("101", "108", "23", "56", "K7")
NICKNAMES = (
    "居民王先生",
    "热心市民",
    "老张",
    "李女士",
    "上班族小刘",
    "宝妈一枚",
    "退休教师",
    "陈阿姨",
    "小区业主",
    "骑车的小赵",
    "路过的网友",
    "家长周女士",
    "外卖小哥",
    "老街坊",
    "夜跑爱好者",
)

# (kind, text): {place} is a street or town, {community} a community in it.
TEMPLATES: tuple[tuple[str, str], ...] = (
    (
        "complaint",
        "{place}{community}门口的{road_item}坏了好几天了，晚上出行很不方便，请尽快修复。",
    ),
    (
        "complaint",
        "{place}{community}附近的工地每天晚上十点以后还在施工，噪音扰民严重，老人孩子都睡不好。",
    ),
    ("complaint", "{place}菜市场旁边的垃圾站气味很大，臭味刺鼻，希望环卫部门及时清运。"),
    ("complaint", "{place}{community}物业不作为，电梯坏了一个月没人修，业主多次反映没有结果。"),
    ("complaint", "{place}站的{bus}路公交车经常不按时到站，早高峰等了四十分钟都没来。"),
    ("complaint", "{place}有一家餐馆油烟直排，附近居民家里全是油烟味，投诉多次没人管。"),
    ("complaint", "我在{place}一家公司上班，老板拖欠工资三个月了，请劳动监察部门帮忙讨薪。"),
    ("complaint", "{place}一家超市卖过期食品还不给退货，请市场监管部门查处。"),
    ("complaint", "{place}{community}的自来水这两天发黄，还有异味，不敢喝，请有关部门检测水质。"),
    ("inquiry", "请问{place}的孩子上小学怎么划片？今年什么时候可以报名？"),
    ("inquiry", "请问在{place}办理居住证需要什么材料？去哪里办理？"),
    ("inquiry", "请问{place}{community}老旧小区改造什么时候开始？能申请加装电梯吗？"),
    ("inquiry", "请问{place}社区卫生服务中心周末能接种流感疫苗吗？"),
    ("inquiry", "咨询一下，{place}的公租房怎么申请？需要什么条件？"),
    ("inquiry", "请问{bus}路公交车{place}站什么时候恢复停靠？"),
    ("inquiry", "请问{place}的养老保险断缴了可以补缴吗？去哪里办？"),
    ("suggestion", "建议在{place}{community}附近增设一个公交站，方便老年人出行。"),
    ("suggestion", "希望{place}能多建一些停车位，晚上车都停到人行道上了，很不安全。"),
    ("suggestion", "建议{place}的公园延长开放时间，晚上散步锻炼的居民很多。"),
    ("praise", "为{place}社区工作人员点赞！上次反映的{road_item}问题第二天就修好了。"),
    ("praise", "感谢{place}及时清理了{community}门口的积水，服务很暖心。"),
    ("other", "{place}今天的邻里节活动很热闹，下次还想参加。"),
)


@dataclass(frozen=True)
class Written:
    account: str
    kind: str
    text: str
    comment: bool


def _places() -> list[tuple[Unit, str]]:
    units = Unit.objects.filter(kind=UnitKind.STREET_TOWN, is_active=True).order_by("sort_order")
    return [(unit, short_place_name(unit.name)) for unit in units]


def compose(rng: random.Random, place: str, *, template: str | None = None) -> tuple[str, str]:
    """(kind, text) from one of our templates, for a citizen of `place`."""
    kind, pattern = (
        next(t for t in TEMPLATES if t[1] == template) if template else rng.choice(TEMPLATES)
    )
    text = pattern.format(
        place=place,
        community=f"{place}{rng.choice(COMMUNITIES)}" if rng.random() < 0.5 else "",
        road_item=rng.choice(ROAD_ITEMS),
        bus=rng.choice(BUS_LINES),
    )
    return kind, text.replace(f"{place}{place}", place)


def read_csv_texts(path: str | Path) -> list[str]:
    """Texts of a CSV (`title`+`detail`, or `text`), each cut to a comment's length."""
    csv.field_size_limit(2**31 - 1)
    with Path(path).open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    texts = []
    for row in rows:
        text = row.get("text") or "。".join(
            part.strip() for part in (row.get("title", ""), row.get("detail", "")) if part
        )
        text = " ".join(text.split())
        if text:
            texts.append(text[:COMMENT_MAX_CHARS])
    if not texts:
        raise ValueError(f"{path}: no rows with a text (columns title and detail, or text)")
    return texts


def endless(texts: list[str], rng: random.Random) -> Iterator[str]:
    """The texts in a random order, again and again."""
    while True:
        rng.shuffle(texts)
        yield from texts


class Traffic:
    """Writes citizens' comments (mostly) and messages to the local platform's open accounts."""

    def __init__(self, *, seed: int | None = None, csv_path: str | Path | None = None) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - demo data, not security
        self.csv = endless(read_csv_texts(csv_path), self.rng) if csv_path else None
        self.accounts = list(
            Account.objects.filter(
                platform=Platform.LOCAL,
                status=AccountStatus.ACTIVE,
                kind__in=OFFICIAL_KINDS,
            ).select_related("unit")
        )
        self.places = _places()
        if not self.accounts:
            raise ValueError("no open official account on the local platform")
        self.count = 0

    def _account(self) -> Account:
        weights = [
            3.0 if a.kind == "main" else 2.0 if a.unit.kind == UnitKind.STREET_TOWN else 1.0
            for a in self.accounts
        ]
        return self.rng.choices(self.accounts, weights=weights)[0]

    def place_for(self, account: Account) -> str:
        own = [short for unit, short in self.places if unit.pk == account.unit_id]
        if own and self.rng.random() < 0.8:
            return own[0]
        return self.rng.choice(self.places)[1] if self.places else "本区"

    def citizen(self) -> tuple[str, str]:
        """(nickname, visitor pseudonym) from a pool of 300 citizens: some write again."""
        number = self.rng.randrange(300)
        return self.rng.choice(NICKNAMES), visitor_hash(f"demo-traffic-{number}")

    def write(
        self,
        *,
        account: Account | None = None,
        text: str | None = None,
        at: datetime | None = None,
    ) -> Written:
        account = account or self._account()
        kind = "csv"
        if text is None:
            if self.csv is not None:
                text = next(self.csv)
            else:
                kind, text = compose(self.rng, self.place_for(account))
        nickname, visitor = self.citizen()
        post = (
            LocalPost.objects.filter(
                account=account, deleted_at__isnull=True, repost_of__isnull=True
            )
            .order_by("-created_at")
            .values_list("pk", flat=True)[:5]
        )
        posts = list(post)
        self.count += 1
        if posts and self.rng.random() < 0.85:
            live = LocalPost.objects.get(pk=self.rng.choice(posts))
            local.comment_submit(
                post=live, nickname=nickname, text=text, visitor_hash=visitor, at=at
            )
            return Written(account.handle, kind, text, comment=True)
        local.message_submit(
            account=account, nickname=nickname, text=text, visitor_hash=visitor, at=at
        )
        return Written(account.handle, kind, text, comment=False)

    def burst(self, *, count: int, at: datetime | None = None) -> list[Written]:
        return [self.write(at=at) for _n in range(count)]
