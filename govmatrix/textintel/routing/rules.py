"""The router the product ships with: hand-written keywords for the seven first-level classes.

The keywords below were written by hand from how Chinese local government divides the work
(住建/城管/自然资源规划, 生态环境, 交通运输, 教育/文旅体, 人社, 市场监管/商务/文旅,
卫健), not learned from any data set, so they may ship. Districts add their own topics with
`extra_topics={topic: [keywords]}`; a topic with an existing name extends that class.

Scoring: keywords are found leftmost-longest without overlap, so the more specific phrase wins
(`医疗保险` is social security, not health; `噪音污染` counts once). A class scores the sum of
its keyword hits, each keyword counted at most three times, hits in the title (text before the
first "。") twice. Confidence grows with the winner's share of the evidence and with how much
evidence there is; a message without any keyword goes to `fallback` with confidence 0, i.e. to
the triage queue.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import ahocorasick_rs

from govmatrix.textintel.routing.normalize import normalize_text, split_title
from govmatrix.textintel.routing.prediction import MessageRouter, Prediction

URBAN = "城乡建设"
ENVIRONMENT = "环境保护"
TRANSPORT = "交通运输"
EDUCATION = "教育文体"
LABOUR = "劳动和社会保障"
COMMERCE = "商贸旅游"
HEALTH = "卫生计生"


def _words(*lines: str) -> tuple[str, ...]:
    """Keywords written as space-separated lines (one line per sub-area)."""
    return tuple(word for line in lines for word in line.split())


KEYWORDS: dict[str, tuple[str, ...]] = {
    URBAN: _words(
        # 征收拆迁与安置
        "拆迁 强拆 征收 征地拆迁 安置房 安置补偿 回迁 回迁房 棚改",
        "棚户区 城中村 危房 危房改造 拆迁款 补偿标准",
        # 规划与违建
        "违建 违章建筑 违法建筑 违章搭建 私搭乱建 加层 规划局 城乡规划",
        "规划许可 容积率 采光 挡光 日照 楼间距",
        # 住房与物业
        "物业 物业费 物业公司 物业管理 业主 业委会 业主委员会 小区",
        "开发商 楼盘 商品房 房产证 不动产证 不动产登记 产权证 交房",
        "延期交房 烂尾 烂尾楼 购房 房价 房屋质量 墙体开裂 漏水 渗水",
        "公租房 廉租房 保障房 保障性住房 经适房 经济适用房 人才公寓",
        "住房公积金 公积金贷款 房管局 住建局 住建部门 装修 老旧小区",
        "提质改造 加装电梯 停车位 车位 地下车库 消防通道",
        # 市政与公用事业
        "城管 占道经营 流动摊贩 路灯 下水道 排水 积水 内涝 井盖",
        "市政 市政道路 人行道 自来水 停水 水压 供水 水费 天然气",
        "燃气 管道燃气 停电 供电 电费 电网 供暖 暖气 公园 绿化",
        "绿化带 公厕 公共厕所 环卫 垃圾清运 垃圾站 公交 公交车",
        "公交线路 公交站 地铁 轨道交通 道路施工 修路",
        # 建筑市场、工程与村镇建设
        "工地 施工方 建筑工地 塔吊 工程质量 工程款 拖欠工程款 招投标",
        "安全隐患 新农村建设 美丽乡村 农村建房 自建房",
    ),
    ENVIRONMENT: _words(
        "污染 环境污染 水污染 大气污染 土壤污染 噪音 噪声 噪音污染",
        "噪声污染 排放 超标排放 偷排 排污 排污口 污水 废水 废气",
        "臭气 恶臭 臭味 异味 刺鼻 粉尘 扬尘 烟尘 油烟 黑烟 雾霾",
        "pm2.5 空气质量 水质 黑臭 焚烧 垃圾焚烧 露天焚烧 化工厂",
        "危险废物 危废 固废 重金属 镉 辐射 电磁辐射 基站辐射 环评",
        "环境影响评价 环保 环保局 环保部门 生态环境 生态环境局 生态破坏",
        "乱砍滥伐 非法采砂 采砂 采石场 石场 搅拌站 养猪场 养殖场",
        "畜禽养殖 污水处理厂 河道污染 死鱼 环境监测 在线监测",
    ),
    TRANSPORT: _words(
        "出租车 的士 网约车 滴滴 拒载 绕路 打表 议价 客运 客运站",
        "汽车站 班车 长途汽车 大巴 客车 中巴 货运 货车 物流 快递",
        "快递员 邮政 邮局 包裹 公路 国道 省道 县道 乡道 村道",
        "农村公路 村村通 高速公路 高速 收费站 过路费 通行费 etc",
        "路政 运政 运管 运管所 运输管理 道路运输 超载 超限 治超",
        "交通局 交通运输局 营运证 运输证 驾校 驾驶培训 渡口 渡船",
        "航道 码头 船舶 公路养护 桥梁 危桥 机场",
    ),
    EDUCATION: _words(
        "学校 学生 老师 教师 教育 教育局 小学 中学 初中 高中",
        "幼儿园 大学 高校 职校 中职 学位 入学 招生 升学 中考",
        "高考 学籍 转学 择校 划片 学区 补课 有偿补课 补习 辅导班",
        "培训机构 校外培训 作业 减负 学费 校服 教材 教辅 校车",
        "班主任 校长 特岗教师 代课教师 民办教师 教师工资 乡村教师 教师编制",
        "义务教育 课程 上课 毕业证 文凭 体育 体育馆 健身器材 运动场",
        "文化馆 图书馆 博物馆 文物 古建筑 非遗 非物质文化遗产 文化市场",
        "网吧 演出 广播电视 寒假 暑假 开学",
    ),
    LABOUR: _words(
        "社保 社会保险 养老保险 养老金 退休金 退休 退休工资 退休待遇",
        "医保 医疗保险 新农合 合作医疗 城乡居民医保 失业保险 失业金 工伤",
        "工伤认定 工伤保险 生育保险 生育津贴 工资 拖欠工资 欠薪 讨薪",
        "农民工 劳动合同 劳动仲裁 仲裁 劳动争议 劳务派遣 辞退 解除劳动合同",
        "经济补偿金 加班 加班费 年假 年休假 最低工资 社保卡 社会保障卡",
        "人社局 人社部门 人力资源 劳动监察 就业 再就业 失业 创业补贴",
        "职业培训 技能鉴定 职业资格 五险一金 缴费年限 视同缴费 工龄 下岗",
        "买断工龄 改制 编制 事业单位 招聘 公务员 高温补贴 转移接续",
        "断缴 补缴 企业职工 用人单位 劳动者 员工 离职 试用期",
    ),
    COMMERCE: _words(
        "旅游 景区 景点 门票 导游 旅行社 游客 市场监管 市场监督",
        "工商 工商局 消费者 维权 假冒 假货 伪劣 商品质量",
        "产品质量 售后 退款 退货 虚假宣传 广告 传销 直销 物价",
        "物价局 价格 涨价 哄抬 明码标价 商场 超市 商户 商家 店铺",
        "门面 个体户 营业执照 商标 垄断 不正当竞争 特种设备 计量",
        "缺斤少两 预付卡 会员卡 办卡 充值 网购 电商 农贸市场 菜市场",
        "批发市场 招商 外贸 进出口 加油站 油价 酒店 宾馆 民宿",
        "质监 质监局 检验检疫 商务局 营商环境",
    ),
    HEALTH: _words(
        "医院 医生 护士 医疗 看病 就医 住院 门诊 手术 医疗事故",
        "医患纠纷 医疗纠纷 误诊 卫生院 卫生室 村医 乡村医生 诊所 药店",
        "药品 假药 疫苗 接种 预防接种 防疫 疫情 传染病 疾控",
        "疾控中心 狂犬 体检 计划生育 计生 二胎 二孩 准生证 生育证",
        "生育登记 社会抚养费 独生子女 失独 超生 出生证 出生医学证明",
        "卫生局 卫健委 卫计委 卫生计生 食品安全 食品 过期食品 餐馆",
        "餐饮 无证行医 非法行医 黑诊所 保健品 化妆品 医疗器械 家庭医生",
        "急救 献血 血站 妇幼 孕妇 艾滋病 精神病 乙肝",
    ),
}

_TITLE_WEIGHT = 2.0
_MAX_HITS_PER_KEYWORD = 3


class RuleRouter:
    """Keyword router; `predict` has the same shape as the learned `Router.predict`."""

    def __init__(
        self,
        extra_topics: Mapping[str, Iterable[str]] | None = None,
        *,
        keywords: Mapping[str, Iterable[str]] | None = None,
        fallback: str = URBAN,
        top_k: int = 3,
    ) -> None:
        table: dict[str, set[str]] = defaultdict(set)
        for source in (KEYWORDS if keywords is None else keywords, extra_topics or {}):
            for topic, words in source.items():
                if isinstance(words, str):
                    raise TypeError(f"keywords of {topic!r} must be a list, not one string")
                for word in words:
                    normalised = normalize_text(word)
                    if normalised:
                        table[topic].add(normalised)
                table.setdefault(topic, set())
        self.labels: tuple[str, ...] = tuple(table)
        self.fallback = fallback
        self.top_k = top_k
        owners: dict[str, list[str]] = defaultdict(list)
        for topic, words in table.items():
            for word in words:
                owners[word].append(topic)
        self._patterns = sorted(owners)
        self._owners = [owners[p] for p in self._patterns]
        self._automaton = (
            ahocorasick_rs.AhoCorasick(
                self._patterns, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest
            )
            if self._patterns
            else None
        )

    def scores(self, text: str) -> dict[str, float]:
        """Evidence per label for one message (labels without any hit are left out)."""
        if self._automaton is None:
            return {}
        title, body = split_title(normalize_text(text))
        hits: dict[int, float] = defaultdict(float)
        for part, weight in ((title, _TITLE_WEIGHT), (body, 1.0)):
            for index, _start, _end in self._automaton.find_matches_as_indexes(part):
                hits[index] = min(hits[index] + weight, _MAX_HITS_PER_KEYWORD * weight)
        out: dict[str, float] = defaultdict(float)
        for index, value in hits.items():
            owners = self._owners[index]
            for topic in owners:
                out[topic] += value / len(owners)
        return dict(out)

    def predict_one(self, text: str) -> Prediction:
        scores = self.scores(text)
        if not scores:
            return Prediction(label=self.fallback, confidence=0.0, ranked=((self.fallback, 0.0),))
        ranked = sorted(scores.items(), key=lambda item: (-item[1], self.labels.index(item[0])))
        top = ranked[0][1]
        share = top / sum(scores.values())
        # share: how clearly one class wins; amount: 1 keyword ≈ 0.39, 3 ≈ 0.78, 6 ≈ 0.95.
        amount = 1.0 - math.exp(-top / 2.0)
        confidence = round(share * amount, 4)
        return Prediction(
            label=ranked[0][0],
            confidence=confidence,
            ranked=tuple((label, round(score, 2)) for label, score in ranked[: self.top_k]),
        )

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        return [self.predict_one(text) for text in texts]


def default_router(
    model_path: str | Path | None = None,
    *,
    extra_topics: Mapping[str, Iterable[str]] | None = None,
) -> MessageRouter:
    """The router the product uses: the rules, or a trained model file when one is given.

    A model file is the district's own, trained on messages it may use (`Router.save`); the
    shared research data may not be shipped, so no trained model ships with the product.
    """
    if model_path is not None:
        from govmatrix.textintel.routing.model import Router

        return Router.load(model_path)
    return RuleRouter(extra_topics)
