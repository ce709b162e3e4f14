"""People's-Daily-style competitiveness index (人民网 / 微博《政务微博影响力报告》, 竞争力指数).

What is known (assessment-methods.md §1):
- The reports score 传播力 propagation, 服务力 service, 互动力 interaction and (since about 2021)
  认同度 recognition. Sub-indicators, normalisation and weights are NOT published.
- The 2023 Q3 city table fits 竞争力指数 = 0.30·传播力 + 0.35·服务力 + 0.35·互动力 (least squares
  over 30 rows: 0.2997 / 0.3502 / 0.3501, intercept ≈ 0, max residual 0.008 from rounding).
  认同度 is not used at city level. The weights change between editions: the 2015 H1 昆明 row
  does not fit them (81.73 computed vs 83.59 published).

Two schemes share those dimension weights, recorded with a range and a note:
- `people_daily_published` aggregates the three dimension scores as published (0–100 each).
  It reproduces the published 竞争力指数 (the §1.3 test vector) and is what the formula is
  really known to do.
- `people_daily` builds the three dimension scores from the platform's own metrics, following
  the reports' qualitative descriptions (propagation = audience and reach; service = answering
  citizens; interaction = own replies weighted above received comments and likes). The
  sub-indicators and their weights are the platform's proxy, not People's Daily's.
"""

from __future__ import annotations

from typing import Any

_NOTE = (
    "Inferred, not published: least-squares fit to the 2023 Q3 city table "
    "(0.2997 / 0.3502 / 0.3501, max residual 0.008); pinned to that edition."
)
_DIMENSIONS = [
    {"key": "propagation", "label_zh": "传播力", "label_en": "propagation", "weight": 0.30,
     "weight_range": [0.295, 0.305], "note": _NOTE},
    {"key": "service", "label_zh": "服务力", "label_en": "service", "weight": 0.35,
     "weight_range": [0.345, 0.355], "note": _NOTE},
    {"key": "interaction", "label_zh": "互动力", "label_en": "interaction", "weight": 0.35,
     "weight_range": [0.345, 0.355], "note": _NOTE},
]  # fmt: skip
_NOTES = [
    "Dimension weights 0.30 / 0.35 / 0.35 are inferred from the 2023 Q3 city table; the "
    "weight_range of each dimension is the fit's uncertainty for that edition only.",
    "Other editions used other weights (2015 H1 昆明: 0.30/0.35/0.35 gives 81.73, published "
    "83.59). Treat cross-edition comparisons as unreliable.",
    "认同度 (recognition) is named in the reports but undefined and unused at city level; it is "
    "left out.",
]
_RELATIVE = {"method": "minmax", "on_constant": "mid"}
_RATE = {"method": "fixed_scale", "min": 0.0, "max": 1.0}

PUBLISHED_SCHEME: dict[str, Any] = {
    "name": "people_daily_published",
    "version": "2023Q3-city",
    "title_zh": "人民网政务微博竞争力指数（按已发布维度得分汇总）",
    "title_en": "People's Daily competitiveness index from published dimension scores",
    "description": "竞争力指数 = 0.30·传播力 + 0.35·服务力 + 0.35·互动力（2023年第三季度城市榜拟合）。",
    "scale": 1.0,
    "dimensions": _DIMENSIONS,
    "indicators": [
        {"key": "propagation_index", "label_zh": "传播力", "label_en": "propagation index",
         "dimension": "propagation", "metrics": ["pd_propagation_index"],
         "normalisation": {"method": "none"}, "weight": 1.0},
        {"key": "service_index", "label_zh": "服务力", "label_en": "service index",
         "dimension": "service", "metrics": ["pd_service_index"],
         "normalisation": {"method": "none"}, "weight": 1.0},
        {"key": "interaction_index", "label_zh": "互动力", "label_en": "interaction index",
         "dimension": "interaction", "metrics": ["pd_interaction_index"],
         "normalisation": {"method": "none"}, "weight": 1.0},
    ],
    "vetoes": [],
    "veto_action": {"kind": "zero"},
    "missing": {"policy": "no_score", "min_coverage": 1.0},
    "ranking": {"precision": 2, "vetoed_last": True},
    "unit_aggregation": "mean",
    "notes": _NOTES,
    "sources": ["assessment-methods.md §1.3 (test vector)"],
}  # fmt: skip

SCHEME: dict[str, Any] = {
    "name": "people_daily",
    "version": "2023Q3-weights.proxy-1",
    "title_zh": "人民网式政务微博竞争力指数（平台代理指标）",
    "title_en": "People's-Daily-style competitiveness index (platform proxy indicators)",
    "description": (
        "维度权重取自人民网 2023 年第三季度城市榜拟合（0.30/0.35/0.35）；各维度下的子指标为本平台"
        "依据报告文字描述自拟的代理指标，人民网子指标与权重未公开。"
    ),
    "scale": 100.0,
    "dimensions": _DIMENSIONS,
    "indicators": [
        # 传播力: audience and reach ("credible, active followers who read the posts").
        {"key": "followers", "label_zh": "粉丝数", "label_en": "followers",
         "dimension": "propagation", "metrics": ["followers"], "transform": "ln1p",
         "normalisation": _RELATIVE, "weight": 0.40},
        {"key": "reposts", "label_zh": "被转发量", "label_en": "reposts received",
         "dimension": "propagation", "metrics": ["reposts_received"], "transform": "ln1p",
         "normalisation": _RELATIVE, "weight": 0.30},
        {"key": "original_reposts", "label_zh": "原创被转发量",
         "label_en": "reposts of original posts", "dimension": "propagation",
         "metrics": ["original_reposts_received"], "transform": "ln1p",
         "normalisation": _RELATIVE, "weight": 0.30},
        # 服务力: responding to public concerns, solving citizens' problems.
        {"key": "reply_rate", "label_zh": "留言答复率", "label_en": "share of messages answered",
         "dimension": "service", "metrics": ["messages_answered", "messages_received"],
         "combine": "ratio", "normalisation": _RATE, "weight": 0.35},
        {"key": "within_sla_rate", "label_zh": "按时答复率",
         "label_en": "share of messages answered within the SLA", "dimension": "service",
         "metrics": ["messages_answered_within_sla", "messages_received"], "combine": "ratio",
         "normalisation": _RATE, "weight": 0.35},
        {"key": "response_time", "label_zh": "答复用时（中位数）",
         "label_en": "median time to answer", "dimension": "service",
         "metrics": ["median_response_hours"],
         "normalisation": {"method": "fixed_scale", "min": 0.0, "max": 40.0},
         "direction": "lower", "weight": 0.30},
        # 互动力: own replies weighted above passive interaction (comments and likes received).
        {"key": "own_replies", "label_zh": "主动回复量", "label_en": "own replies",
         "dimension": "interaction", "metrics": ["replies_sent"], "transform": "ln1p",
         "normalisation": _RELATIVE, "weight": 0.60},
        {"key": "comments", "label_zh": "被评论量", "label_en": "comments received",
         "dimension": "interaction", "metrics": ["comments_received"], "transform": "ln1p",
         "normalisation": _RELATIVE, "weight": 0.25},
        {"key": "likes", "label_zh": "被点赞量", "label_en": "likes received",
         "dimension": "interaction", "metrics": ["likes_received"], "transform": "ln1p",
         "normalisation": _RELATIVE, "weight": 0.15},
    ],
    "vetoes": [],
    "veto_action": {"kind": "zero"},
    "missing": {"policy": "reweight", "min_coverage": 0.5},
    "ranking": {"precision": 2, "vetoed_last": True},
    "unit_aggregation": "mean",
    "notes": [
        *_NOTES,
        "Sub-indicators and their weights are the platform's proxy for the unpublished "
        "People's Daily construction; the resulting numbers are not comparable with the "
        "published 竞争力指数.",
    ],
    "sources": ["assessment-methods.md §1.1–§1.3"],
}  # fmt: skip
