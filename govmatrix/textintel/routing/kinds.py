"""What kind of message it is: complaint 投诉, inquiry 咨询, suggestion 建议, praise 表扬, other.

Rule-based, from cue words and sentence patterns. Each cue adds weight to a kind; cues in the
title (text before the first "。") count double. Courtesy that closes almost every message
(谢谢, 辛苦了, 望回复) weighs little, so "…严重扰民，谢谢！" stays a complaint; a question
that is really an accusation (难道…吗, 凭什么, 为什么…不) counts for the complaint, not the
inquiry. No cue at all gives `other` with confidence 0.5.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from govmatrix.textintel.routing.normalize import normalize_text, split_title


class MessageKind(StrEnum):
    COMPLAINT = "complaint"
    INQUIRY = "inquiry"
    SUGGESTION = "suggestion"
    PRAISE = "praise"
    OTHER = "other"


@dataclass(frozen=True)
class KindResult:
    kind: MessageKind
    confidence: float
    scores: tuple[tuple[MessageKind, float], ...]


_C, _I, _S, _P = (
    MessageKind.COMPLAINT,
    MessageKind.INQUIRY,
    MessageKind.SUGGESTION,
    MessageKind.PRAISE,
)

# (pattern, kind, weight); patterns run on normalised text (NFKC: "？" is "?", "！" is "!").
_CUES: tuple[tuple[str, MessageKind, float], ...] = (
    # complaint
    (r"投诉", _C, 3.0),
    (r"举报", _C, 3.0),
    (r"反映|反应(?=.{0,6}问题)", _C, 1.5),
    (r"严重", _C, 1.5),
    (r"扰民|噪音|噪声|污染|恶臭", _C, 1.5),
    (r"不作为|乱作为|推诿|踢皮球|敷衍|置之不理|不管不问|无人问津|没人管|无人管|不闻不问", _C, 2.0),
    (r"拖欠|欠薪|克扣|乱收费|强制|强拆|霸王|欺骗|欺诈|坑害|刁难|殴打|威胁", _C, 2.0),
    (r"违法|违规|非法|违章", _C, 1.0),
    (r"难以忍受|忍无可忍|苦不堪言|受不了|痛苦|气愤|愤怒|失望|寒心|无奈", _C, 1.5),
    (r"强烈要求|要求.{0,8}(赔偿|处理|整改|退还|查处)|讨个说法|给个说法|还我", _C, 2.0),
    (r"难道.{0,30}(吗|\?)|凭什么|天理|为什么.{0,20}(不|没|还)", _C, 1.5),
    (r"求助|救救|恳请.{0,10}(查处|处理|解决|主持公道)", _C, 1.5),
    (r"长期|多次|至今|迟迟|一直没有|始终", _C, 0.5),
    # inquiry
    (r"请问", _I, 3.0),
    (r"咨询", _I, 3.0),
    (r"想(了解|知道|问)|问一下|打听", _I, 2.0),
    (r"如何|怎么办|怎样|怎么(办理|申请|处理|才能|查询|缴纳|报销|认定)", _I, 1.5),
    (r"是否|能否|可否|可不可以|能不能|有没有|是不是|需不需要", _I, 1.0),
    (r"什么时候|何时|多久|多长时间|哪里|哪个部门|哪些|什么条件|需要什么|需要哪些", _I, 1.5),
    (r"(吗|呢)\s*\?", _I, 1.5),
    (r"\?", _I, 0.5),
    (r"政策(是|规定)|有关规定|符合.{0,10}条件", _I, 1.0),
    # suggestion
    (r"建议", _S, 3.0),
    (r"提议|倡议|呼吁|献策|进言", _S, 2.5),
    (r"希望(能|可以|政府|有关部门|相关部门|尽快|早日|加快)", _S, 1.5),
    (r"(应该|应当|最好)(增设|设立|开通|修建|建设|增加|出台|完善|加强|考虑)", _S, 2.0),
    (r"(可以|能否|是否可以|能不能)考虑", _S, 2.5),
    (r"增设|开通|延长|延伸|优化|完善|改进", _S, 1.0),
    (r"一点(想法|看法|意见)|几点(想法|意见|建议)|合理化", _S, 2.0),
    # praise
    (r"表扬", _P, 3.0),
    (r"点赞|点个赞|赞扬|称赞|夸赞|好评|锦旗|感谢信", _P, 3.0),
    (r"为.{1,20}(点赞|叫好|鼓掌)", _P, 1.5),
    (r"感谢|感激|致敬|致谢", _P, 1.0),
    (r"(及时|迅速|很快|圆满)(解决|处理|答复|办结)|雷厉风行|尽职尽责|热心|耐心细致|负责任", _P, 1.5),
    (r"满意|给力|好样的|为民办实事|暖心|辛勤", _P, 1.0),
    # courtesy: almost every message has it, so it only tips a message without other cues
    (r"谢谢|辛苦了|望回复|盼复|敬请回复", _P, 0.2),
)
_COMPILED = tuple((re.compile(pattern), kind, weight) for pattern, kind, weight in _CUES)
_TITLE_WEIGHT = 2.0
_MAX_HITS_PER_CUE = 3


def kind_scores(text: str) -> dict[MessageKind, float]:
    title, body = split_title(normalize_text(text))
    scores: dict[MessageKind, float] = {}
    for pattern, kind, weight in _COMPILED:
        hits = min(len(pattern.findall(body)), _MAX_HITS_PER_CUE)
        hits_in_title = min(len(pattern.findall(title)), _MAX_HITS_PER_CUE)
        value = weight * (hits + _TITLE_WEIGHT * hits_in_title)
        if value:
            scores[kind] = scores.get(kind, 0.0) + value
    return scores


def classify_kind(text: str) -> KindResult:
    """The kind of one message, with a confidence in 0..1."""
    scores = kind_scores(text)
    ranked = tuple(sorted(scores.items(), key=lambda item: -item[1]))
    if not ranked or ranked[0][1] < 1.0:
        # No real cue (at most courtesy): nothing to say.
        return KindResult(kind=MessageKind.OTHER, confidence=0.5, scores=ranked)
    kind, top = ranked[0]
    # The winner's share of the evidence, shrunk when there is little evidence at all.
    confidence = top / (sum(scores.values()) + 1.0)
    return KindResult(kind=kind, confidence=round(confidence, 4), scores=ranked)


def classify_kinds(texts: list[str]) -> list[KindResult]:
    return [classify_kind(text) for text in texts]
