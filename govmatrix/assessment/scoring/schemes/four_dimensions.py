"""The default scheme: the four dimensions the district's document names, with process metrics.

The document (区政务微博实施意见, 一) says the quarterly assessment covers 政务信息发布量,
政民互动, 活跃度 and 传播力. No published method scores exactly these four, so the weights are
the platform's own choice (see README.md, "four_dimensions"):

- 政民互动 interaction 0.30: the largest share. The document gives the response mechanism a
  whole section (三(二)); People's Daily weights 服务力 + 互动力 at 0.70 together; the entropy
  study of Shanghai accounts found 互动力 carries the highest weight.
- 信息发布量 volume 0.25 and 传播力 propagation 0.25: the two outcomes GSDATA's BCI measures
  (its W1 and W2).
- 活跃度 activity 0.20: steadiness of operation (active days, longest gap), emergency reposts
  (R6.2), inspection findings (R1.4) and training attendance (R7.2, optional).

Counts are compared with ln(x+1) and min-max across the district's accounts (relative); rates
and times use fixed published scales (absolute), so a unit can see what a full mark needs.
Veto items are the national new-media veto items (国办秘函〔2019〕19号, §3.2 of
assessment-methods.md) plus the >3-month unanswered message rule; a vetoed account is capped at
59 points (不合格: it can never reach the 60 line) and ranks after every account without a veto.
"""

from __future__ import annotations

from typing import Any

RELATIVE = {"method": "minmax", "on_constant": "mid"}
RATE = {"method": "fixed_scale", "min": 0.0, "max": 1.0}

SCHEME: dict[str, Any] = {
    "name": "four_dimensions",
    "version": "2026.1",
    "title_zh": "政务微博季度考核（四维度）",
    "title_en": "Quarterly assessment of government microblogs (four dimensions)",
    "description": (
        "按区政务微博实施意见的四个考核范围（政务信息发布量、政民互动、活跃度、传播力）评分，"
        "报送、答复时限、转发任务、有害信息处置、检查和培训等过程数据并入相应维度；"
        "国家政务新媒体单项否决项一票否决（最高 59 分）。"
    ),
    "scale": 100.0,
    "dimensions": [
        {"key": "volume", "label_zh": "政务信息发布量", "label_en": "information published",
         "weight": 0.25},
        {"key": "interaction", "label_zh": "政民互动", "label_en": "government–citizen interaction",
         "weight": 0.30},
        {"key": "activity", "label_zh": "活跃度", "label_en": "activity", "weight": 0.20},
        {"key": "propagation", "label_zh": "传播力", "label_en": "propagation", "weight": 0.25},
    ],
    "indicators": [
        # 信息发布量 -------------------------------------------------------------------------
        {"key": "original_posts", "label_zh": "原创发布量", "label_en": "original posts",
         "dimension": "volume", "metrics": ["posts_original"], "transform": "ln1p",
         "normalisation": RELATIVE, "weight": 0.35},
        {"key": "government_information", "label_zh": "政务信息发布量",
         "label_en": "government-information posts", "dimension": "volume",
         "metrics": ["posts_government_affairs"], "transform": "ln1p",
         "normalisation": RELATIVE, "weight": 0.35,
         "note": "Posts tagged policy / key work / livelihood topics (R3.1)."},
        {"key": "reported_on_time_rate", "label_zh": "按时报送率",
         "label_en": "share of posts reported to the office on time", "dimension": "volume",
         "metrics": ["posts_reported_on_time", "posts_reportable"], "combine": "ratio",
         "normalisation": RATE, "weight": 0.30, "note": "R3.2"},
        # 政民互动 ---------------------------------------------------------------------------
        {"key": "reply_rate", "label_zh": "留言答复率", "label_en": "share of messages answered",
         "dimension": "interaction", "metrics": ["messages_answered", "messages_received"],
         "combine": "ratio", "normalisation": RATE, "weight": 0.25,
         "note": "No messages received → no data (re-weighted), never 0 %."},
        {"key": "within_sla_rate", "label_zh": "按时答复率",
         "label_en": "share of messages answered within the SLA", "dimension": "interaction",
         "metrics": ["messages_answered_within_sla", "messages_received"], "combine": "ratio",
         "normalisation": RATE, "weight": 0.25},
        {"key": "response_time", "label_zh": "答复用时（中位数）",
         "label_en": "median time to answer", "dimension": "interaction",
         "metrics": ["median_response_hours"],
         "normalisation": {"method": "fixed_scale", "min": 0.0, "max": 40.0},
         "direction": "lower", "weight": 0.15,
         "note": "Working hours; 40 h = 5 working days, the common local maximum (§5.2)."},
        {"key": "own_replies", "label_zh": "主动回复量", "label_en": "own replies",
         "dimension": "interaction", "metrics": ["replies_sent"], "transform": "ln1p",
         "normalisation": RELATIVE, "weight": 0.20},
        {"key": "harm_case_report_time", "label_zh": "有害信息上报用时",
         "label_en": "time to report harmful comments", "dimension": "interaction",
         "metrics": ["median_harm_case_report_hours"],
         "normalisation": {"method": "fixed_scale", "min": 0.0, "max": 24.0},
         "direction": "lower", "weight": 0.15,
         "note": "R5.3 'report at once'; accounts without cases read no data."},
        # 活跃度 ------------------------------------------------------------------------------
        {"key": "active_day_share", "label_zh": "发布天数占比",
         "label_en": "share of days with a post", "dimension": "activity",
         "metrics": ["active_days", "period_days"], "combine": "ratio", "normalisation": RATE,
         "weight": 0.30},
        {"key": "longest_gap", "label_zh": "最长断更天数", "label_en": "longest gap without a post",
         "dimension": "activity", "metrics": ["max_gap_days"],
         "normalisation": {"method": "fixed_scale", "min": 0.0, "max": 14.0},
         "direction": "lower", "weight": 0.20,
         "note": "14 days is the national dormancy (veto) line."},
        {"key": "repost_compliance", "label_zh": "转发任务按时完成率",
         "label_en": "repost orders carried out on time", "dimension": "activity",
         "metrics": ["repost_orders_on_time", "repost_orders"], "combine": "ratio",
         "normalisation": RATE, "weight": 0.20, "note": "R6.2"},
        {"key": "repost_latency", "label_zh": "转发用时（中位数）",
         "label_en": "median repost latency", "dimension": "activity",
         "metrics": ["median_repost_latency_minutes"],
         "normalisation": {"method": "fixed_scale", "min": 0.0, "max": 120.0},
         "direction": "lower", "weight": 0.10, "note": "Minutes; full marks at once, none after 2 h."},
        {"key": "inspection_findings", "label_zh": "检查发现问题",
         "label_en": "inspection findings", "dimension": "activity",
         "metrics": ["inspection_findings"],
         "normalisation": {"method": "fixed_scale", "min": 0.0, "max": 5.0},
         "direction": "lower", "weight": 0.15, "note": "R1.4; 5 or more findings score 0."},
        {"key": "training_attendance", "label_zh": "培训参加率", "label_en": "training attendance",
         "dimension": "activity", "metrics": ["training_attended", "training_expected"],
         "combine": "ratio", "normalisation": RATE, "weight": 0.05,
         "note": "R7.2; optional: no training expected → no data (re-weighted)."},
        # 传播力 ------------------------------------------------------------------------------
        {"key": "reposts", "label_zh": "被转发量", "label_en": "reposts received",
         "dimension": "propagation", "metrics": ["reposts_received"], "transform": "ln1p",
         "normalisation": RELATIVE, "weight": 0.30},
        {"key": "comments", "label_zh": "被评论量", "label_en": "comments received",
         "dimension": "propagation", "metrics": ["comments_received"], "transform": "ln1p",
         "normalisation": RELATIVE, "weight": 0.25},
        {"key": "likes", "label_zh": "被点赞量", "label_en": "likes received",
         "dimension": "propagation", "metrics": ["likes_received"], "transform": "ln1p",
         "normalisation": RELATIVE, "weight": 0.15},
        {"key": "original_reposts", "label_zh": "原创被转发量",
         "label_en": "reposts of original posts", "dimension": "propagation",
         "metrics": ["original_reposts_received"], "transform": "ln1p",
         "normalisation": RELATIVE, "weight": 0.15},
        {"key": "followers", "label_zh": "粉丝数", "label_en": "followers",
         "dimension": "propagation", "metrics": ["followers"], "transform": "ln1p",
         "normalisation": RELATIVE, "weight": 0.15},
    ],
    "vetoes": [
        {"key": "dormant", "label_zh": "内容不更新（检查时点前2周无更新）",
         "label_en": "no update in the 2 weeks before the check time",
         "rule": "days_since_last_post >= 14"},
        {"key": "interaction_disabled", "label_zh": "未提供有效互动功能",
         "label_en": "no effective interaction function", "rule": "interaction_enabled == 0"},
        {"key": "unanswered_over_3_months", "label_zh": "超过3个月未回应有效留言",
         "label_en": "valid message unanswered for more than 3 months",
         "rule": "messages_unanswered_over_3_months > 0",
         "note": "National website veto applied to new media (assessment-methods.md §5.2)."},
        {"key": "serious_wording_error", "label_zh": "严重表述错误",
         "label_en": "serious wording error", "rule": "serious_wording_errors > 0"},
        {"key": "secret_leak", "label_zh": "泄露国家秘密", "label_en": "state secret leaked",
         "rule": "secret_leaks > 0"},
        {"key": "illegal_content", "label_zh": "发布或链接违法有害内容",
         "label_en": "reactionary, violent or pornographic content", "rule": "illegal_content > 0"},
        {"key": "serious_negative_opinion", "label_zh": "内容不当引发严重负面舆情",
         "label_en": "content that caused serious negative public opinion",
         "rule": "serious_negative_opinion > 0"},
        {"key": "fake_followers_or_forced_likes", "label_zh": "购买粉丝或强制点赞",
         "label_en": "bought followers or forced likes",
         "rule": "fake_followers_or_forced_likes > 0"},
    ],
    "veto_action": {"kind": "cap", "value": 59.0},
    "missing": {"policy": "reweight", "min_coverage": 0.5},
    "ranking": {"precision": 2, "vetoed_last": True},
    "unit_aggregation": "mean",
    "notes": [
        "Weights are the platform's choice, not a published standard; review them each year.",
        "min-max indicators are relative to the accounts scored together: scores of different "
        "runs are comparable as ranks, not as absolute points.",
        "A vetoed account is 不合格 whatever its points; its score is capped at 59.",
    ],
    "sources": [
        "区政务微博实施意见 一、三、四 (docs/requirements.md R1.5, R3.2, R4, R5.3, R6.2, R7.2)",
        "国办秘函〔2019〕19号 new-media veto items (assessment-methods.md §3.2)",
        "Response-time norms (assessment-methods.md §5)",
    ],
}  # fmt: skip
