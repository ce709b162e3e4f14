"""Harm categories, and how the source lexicons' own categories map onto them.

The screening reports the four categories the content policy names, plus four practical ones:

=========================  ===================================================================
``national_security``      subversion, separatism, terrorism, cults, state secrets
``ethnic_unity``           attacks on ethnic groups or religions, ethnic separatism
``party_government_image`` insults to and smears of the Party, the government, its leaders
``social_stability``       calls to gather, riot or strike; rumours about epidemics
``abuse``                  insults, slurs, sexist or regional hate, threats
``obscenity``              sexual and pornographic content
``advertising``            spam: contact numbers, fake certificates, sex services, URLs
``illegal``                drugs, gambling, weapons and explosives, other crime offers
=========================  ===================================================================

Mapping of the sources (see README.md beside this file):

* houbb tags: 0 政治 → *political* (below), 1 毒品 → illegal, 2 色情 → obscenity,
  3 赌博 → illegal, 4 违法犯罪 → illegal; the first tag of a multi-tag term wins;
  untagged terms → *untyped*.
* konsheng files: 反动词库 → *political*; 政治类型 and 贪腐词库 → party_government_image;
  暴恐词库 → national_security; 涉枪涉爆 → illegal; 色情类型 and 色情词库 → obscenity;
  广告类型 and 非法网址 → advertising; COVID-19词库 → social_stability;
  新思想启蒙 (gender-war slurs) → abuse; the untyped dumps (其他词库, 补充词库, GFW补充词库,
  零时-Tencent, 网易前端过滤敏感词库) → *untyped*. 民生词库 is left out: it lists ordinary
  complaint words (拆迁, 打人).
* SWSR SexHateLex → abuse.

*political* terms are routed by keyword: ethnic markers → ethnic_unity, Party/government
markers → party_government_image, gathering/protest markers → social_stability, anything
else → national_security. *untyped* terms are first tried against the abuse, obscenity,
advertising and illegal markers, then routed as *political*. Obscenity and abuse-source
terms that carry an abuse marker (傻逼, 草泥马 …) are reported as abuse.
"""

from __future__ import annotations

NATIONAL_SECURITY = "national_security"
ETHNIC_UNITY = "ethnic_unity"
PARTY_GOVERNMENT_IMAGE = "party_government_image"
SOCIAL_STABILITY = "social_stability"
ABUSE = "abuse"
OBSCENITY = "obscenity"
ADVERTISING = "advertising"
ILLEGAL = "illegal"

CATEGORIES: tuple[str, ...] = (
    NATIONAL_SECURITY,
    ETHNIC_UNITY,
    PARTY_GOVERNMENT_IMAGE,
    SOCIAL_STABILITY,
    ABUSE,
    OBSCENITY,
    ADVERTISING,
    ILLEGAL,
)

#: Pseudo-categories of the sources that are routed by keyword.
POLITICAL = "political"
UNTYPED = "untyped"

HOUBB_TAGS: dict[str, str] = {
    "0": POLITICAL,
    "1": ILLEGAL,
    "2": OBSCENITY,
    "3": ILLEGAL,
    "4": ILLEGAL,
}

#: konsheng file name (without .txt) → category. Files not listed are not loaded.
KONSHENG_FILES: dict[str, str] = {
    "反动词库": POLITICAL,
    "政治类型": PARTY_GOVERNMENT_IMAGE,
    "贪腐词库": PARTY_GOVERNMENT_IMAGE,
    "暴恐词库": NATIONAL_SECURITY,
    "涉枪涉爆": ILLEGAL,
    "色情类型": OBSCENITY,
    "色情词库": OBSCENITY,
    "广告类型": ADVERTISING,
    "非法网址": ADVERTISING,
    "COVID-19词库": SOCIAL_STABILITY,
    "新思想启蒙": ABUSE,
    "其他词库": UNTYPED,
    "补充词库": UNTYPED,
    "GFW补充词库": UNTYPED,
    "零时-Tencent": UNTYPED,
    "网易前端过滤敏感词库": UNTYPED,
}

#: Left out on purpose: ordinary complaint words.
KONSHENG_EXCLUDED: frozenset[str] = frozenset({"民生词库"})

ABUSE_MARKERS = (
    "傻",
    "sb",
    "煞笔",
    "沙比",
    "你妈",
    "他妈",
    "尼玛",
    "妈的",
    "妈逼",
    "草泥马",
    "操你",
    "脑残",
    "贱",
    "狗日",
    "婊",
    "智障",
    "畜生",
    "杂种",
    "王八",
    "白痴",
    "混蛋",
    "nmsl",
    "死全家",
    "去死",
    "废物",
    "人渣",
    "滚蛋",
    "狗娘",
    "龟儿子",
    "蠢",
)
OBSCENITY_MARKERS = (
    "乳",
    "奸",
    "淫",
    "妓",
    "嫖",
    "裸",
    "性交",
    "做爱",
    "口交",
    "勃起",
    "阴道",
    "阴茎",
    "鸡巴",
    "屄",
    "肏",
    "色情",
    "黄片",
    "av",
    "约炮",
    "一夜情",
    "性爱",
    "自慰",
    "处女",
)
ADVERTISING_MARKERS = (
    "加微",
    "薇信",
    "加v",
    "qq",
    "代开",
    "办证",
    "订购",
    "折起",
    "兼职",
    "刷单",
    "代办",
    "www",
    "http",
)
ILLEGAL_MARKERS = (
    "毒品",
    "冰毒",
    "海洛因",
    "摇头丸",
    "大麻",
    "k粉",
    "枪",
    "炸药",
    "雷管",
    "赌",
    "六合彩",
    "百家乐",
    "走私",
    "假币",
    "窃听",
    "拦截器",
    "迷药",
    "迷幻",
    "催情",
)
ETHNIC_MARKERS = (
    "藏独",
    "疆独",
    "东突",
    "维吾尔",
    "维族",
    "维汉",
    "达赖",
    "热比娅",
    "西藏独立",
    "新疆独立",
    "蒙独",
    "回族",
    "回回",
    "汉人",
    "满清",
    "民族分裂",
    "穆斯林",
    "绿绿",
    "黑鬼",
)
SEPARATISM_MARKERS = (
    "藏独",
    "疆独",
    "东突",
    "台独",
    "港独",
    "蒙独",
    "独立建国",
    "分裂国家",
    "推翻",
    "打倒",
    "灭共",
    "反共",
    "共匪",
    "邪党",
    "法轮",
    "大法弟子",
    "全能神",
    "李洪志",
)
PARTY_GOVERNMENT_MARKERS = (
    "共产党",
    "中共",
    "共党",
    "共匪",
    "党",
    "政府",
    "官",
    "主席",
    "总理",
    "书记",
    "习",
    "胡锦涛",
    "江泽民",
    "温家宝",
    "李鹏",
    "毛泽东",
    "邓小平",
    "中南海",
    "政权",
    "公安",
    "警察",
)
SOCIAL_STABILITY_MARKERS = (
    "游行",
    "示威",
    "上访",
    "罢工",
    "罢课",
    "集会",
    "静坐",
    "暴动",
    "暴乱",
    "维权",
    "请愿",
    "群体事件",
    "起义",
    "革命",
    "肺炎",
    "疫情",
    "病毒",
)


def _has(term: str, markers: tuple[str, ...]) -> bool:
    return any(marker in term for marker in markers)


def harm_marked(term: str) -> bool:
    """Whether a term carries a marker of an offending expression (not just of a topic)."""
    return (
        _has(term, ABUSE_MARKERS)
        or _has(term, OBSCENITY_MARKERS)
        or _has(term, ILLEGAL_MARKERS)
        or _has(term, SEPARATISM_MARKERS)
    )


def route_political(term: str) -> str:
    if _has(term, ETHNIC_MARKERS):
        return ETHNIC_UNITY
    if _has(term, PARTY_GOVERNMENT_MARKERS):
        return PARTY_GOVERNMENT_IMAGE
    if _has(term, SOCIAL_STABILITY_MARKERS):
        return SOCIAL_STABILITY
    return NATIONAL_SECURITY


def route(term: str, source_category: str) -> str:
    """The category of a normalised `term` that a source filed under `source_category`."""
    if source_category in (OBSCENITY, ABUSE) and _has(term, ABUSE_MARKERS):
        return ABUSE
    if source_category == POLITICAL:
        return route_political(term)
    if source_category == UNTYPED:
        for markers, category in (
            (ABUSE_MARKERS, ABUSE),
            (OBSCENITY_MARKERS, OBSCENITY),
            (ADVERTISING_MARKERS, ADVERTISING),
            (ILLEGAL_MARKERS, ILLEGAL),
        ):
            if _has(term, markers):
                return category
        return route_political(term)
    if source_category not in CATEGORIES:
        raise ValueError(f"unknown category {source_category!r}")
    return source_category
