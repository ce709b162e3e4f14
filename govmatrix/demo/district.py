"""The demo district 示范区: its units, people, accounts, budgets and targets, as plain data."""

from __future__ import annotations

STREETS = [
    "东城街道",
    "西城街道",
    "南湖街道",
    "北苑街道",
    "新华街道",
    "人民路街道",
    "清河镇",
    "柳林镇",
    "桃园镇",
    "石桥镇",
    "青山镇",
    "白沙镇",
]
DEPARTMENTS = [
    "区发展改革委",
    "区教育局",
    "区科委",
    "区公安分局",
    "区民政局",
    "区司法局",
    "区财政局",
    "区人力资源社会保障局",
    "区规划资源局",
    "区生态环境局",
    "区住房城乡建设委",
    "区交通委",
    "区水务局",
    "区农业农村委",
    "区商务委",
    "区文化旅游局",
    "区卫生健康委",
    "区应急管理局",
    "区市场监管局",
    "区城管执法局",
]
MEDIA = [("media01", "区融媒体中心"), ("media02", "示范区报社")]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = [
    "伟",
    "敏",
    "静",
    "磊",
    "洋",
    "艳",
    "勇",
    "军",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀英",
    "华",
    "平",
    "刚",
    "桂英",
    "建华",
    "晓东",
    "海燕",
    "志强",
    "丽华",
    "文博",
    "雪梅",
    "国庆",
    "春梅",
    "立新",
    "红霞",
    "建国",
]

# Which platform and status each street/department account has (index → (platform, status)).
# The Weibo and Mastodon accounts are linked to the Weibo simulator and the Mastodon mock that
# `make demo` starts (`platforms/links/demo.py`); the WeChat one is published to by hand.
STREET_ACCOUNTS = {
    **{i: ("local", "active") for i in range(0, 8)},
    8: ("weibo", "active"),  # 桃园镇 (street09)
    9: ("weibo", "planned"),  # 石桥镇 (street10); planned, so the group target stays unmet
    10: ("mastodon", "active"),  # 青山镇 (street11)
    11: ("local", "dormant"),
}
DEPARTMENT_ACCOUNTS = {
    **{i: ("local", "active") for i in range(0, 14)},
    14: ("weibo", "active"),  # 区商务委 (dept15)
    15: ("mastodon", "active"),  # 区文化旅游局 (dept16)
    16: ("local", "planned"),
    17: ("local", "dormant"),
    18: ("weibo", "closed"),
    19: ("wechat", "active"),  # 区城管执法局 (dept20)
}
# Units whose leaders and operators get a login (others are people on record without one).
UNITS_WITH_LOGINS = {
    "news_office",
    "street01",
    "street02",
    "street03",
    "dept01",
    "dept02",
    "dept03",
    # One street and one department on each of Weibo and Mastodon, and the WeChat department.
    "street09",
    "street11",
    "dept15",
    "dept16",
    "dept20",
}

# Modules with a `seed(*, actor)` function that add their part of the demo, in this order.
LATER_SEEDERS = [
    "govmatrix.platforms.local.demo",
    "govmatrix.platforms.links.demo",
    "govmatrix.publishing.demo",
    "govmatrix.inbox.demo",
    "govmatrix.moderation.demo",
    "govmatrix.emergency.demo",
    "govmatrix.training.demo",
    "govmatrix.assessment.demo",
]

DEMO_PASSWORD = "govmatrix-demo"  # noqa: S105 - the published demo password


def person_name(index: int) -> str:
    return SURNAMES[index % len(SURNAMES)] + GIVEN[(index * 7) % len(GIVEN)]
