"""The metrics a scheme may read: one name per measured quantity of one account in one period.

The Django side computes these per account and quarter (from daily snapshots, the event log,
inbox SLA clocks, repost orders, harmful-comment cases, inspections and training records) and
passes them to `score()`. A value of `None` (or a name left out) means "no data", never zero.

Schemes are validated against this catalogue, so a typo in a metric name is refused at load
time instead of silently scoring every account as "no data". A deployment that measures more
can pass its own catalogue to `Scheme.from_dict(..., metrics=...)`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

MetricKind = Literal["count", "rate", "hours", "minutes", "days", "flag", "index"]


@dataclass(frozen=True)
class MetricSpec:
    key: str
    label_zh: str
    label_en: str
    kind: MetricKind
    note: str = ""


_SPECS: tuple[MetricSpec, ...] = (
    # Publishing volume (GSDATA X1, X2) and government-information share.
    MetricSpec(
        "posts_total",
        "发博数（含转发）",
        "posts published, reposts included",
        "count",
        "GSDATA BCI X1",
    ),
    MetricSpec("posts_original", "原创微博数", "original posts", "count", "GSDATA BCI X2"),
    MetricSpec(
        "posts_government_affairs",
        "政务信息发布数",
        "posts tagged as government information",
        "count",
        "posts with a topic tag: policy, key work, healthcare, education, housing, "
        "transport … (R3.1)",
    ),
    MetricSpec(
        "posts_reportable",
        "应报送稿件数",
        "posts that had to be reported to the office",
        "count",
        "R3.2",
    ),
    MetricSpec(
        "posts_reported_on_time",
        "按时报送稿件数",
        "posts reported to the office on time",
        "count",
        "R3.2",
    ),
    # Propagation (GSDATA X3..X7) and audience.
    MetricSpec(
        "reposts_received", "转发数", "reposts received (all posts)", "count", "GSDATA BCI X3"
    ),
    MetricSpec(
        "comments_received", "评论数", "comments received (all posts)", "count", "GSDATA BCI X4"
    ),
    MetricSpec(
        "original_reposts_received",
        "原创微博转发数",
        "reposts received by original posts",
        "count",
        "GSDATA BCI X5",
    ),
    MetricSpec(
        "original_comments_received",
        "原创微博评论数",
        "comments received by original posts",
        "count",
        "GSDATA BCI X6",
    ),
    MetricSpec("likes_received", "点赞数", "likes received", "count", "GSDATA BCI X7"),
    MetricSpec("followers", "粉丝数", "followers at the end of the period", "count"),
    # Activity.
    MetricSpec("period_days", "考核期天数", "days in the period", "days"),
    MetricSpec("active_days", "有发布天数", "days with at least one post", "days"),
    MetricSpec("max_gap_days", "最长断更天数", "longest run of days without a post", "days"),
    MetricSpec(
        "days_since_last_post",
        "距最近发布天数",
        "days from the last post to the check time",
        "days",
        "national veto: no update in the 2 weeks before the check time",
    ),
    # Government–citizen interaction (R4).
    MetricSpec(
        "messages_received",
        "网民留言数",
        "citizen messages received (complaints, inquiries)",
        "count",
    ),
    MetricSpec("messages_answered", "已答复留言数", "citizen messages answered", "count"),
    MetricSpec(
        "messages_answered_within_sla", "时限内答复数", "messages answered within the SLA", "count"
    ),
    MetricSpec(
        "median_response_hours",
        "答复用时中位数（工作小时）",
        "median time to answer, in working hours",
        "hours",
    ),
    MetricSpec(
        "p90_response_hours",
        "答复用时90分位（工作小时）",
        "90th-percentile time to answer, in working hours",
        "hours",
    ),
    MetricSpec(
        "messages_unanswered_over_3_months",
        "超3个月未答复留言数",
        "valid messages left unanswered for more than 3 months",
        "count",
    ),
    MetricSpec(
        "replies_sent", "主动回复数", "the account's own replies to comments and mentions", "count"
    ),
    MetricSpec(
        "effective_interactions", "有效互动数", "answered messages plus own replies", "count"
    ),
    MetricSpec(
        "interaction_enabled",
        "互动功能可用",
        "comments or messages are open (1) or not (0)",
        "flag",
    ),
    # Emergency reposts (R6.2).
    MetricSpec("repost_orders", "转发任务数", "repost orders addressed to the account", "count"),
    MetricSpec(
        "repost_orders_on_time",
        "按时转发数",
        "repost orders carried out before the deadline",
        "count",
    ),
    MetricSpec(
        "median_repost_latency_minutes",
        "转发用时中位数（分钟）",
        "median minutes from repost order to repost",
        "minutes",
    ),
    # Harmful comments (R5.3).
    MetricSpec("harm_cases", "有害信息处置件数", "harmful-comment cases of the account", "count"),
    MetricSpec(
        "median_harm_case_report_hours",
        "有害信息上报用时中位数（小时）",
        "median hours from flagging a harmful comment to reporting it to the office",
        "hours",
    ),
    # Inspections (R1.4) and training (R7.2).
    MetricSpec(
        "inspection_findings",
        "检查发现问题数",
        "problems found by the office's inspections",
        "count",
    ),
    MetricSpec(
        "training_expected",
        "应参加培训次数",
        "training events the unit was expected to attend",
        "count",
    ),
    MetricSpec("training_attended", "实际参加培训次数", "training events attended", "count"),
    # Manual veto flags (national veto items for government new media).
    MetricSpec("serious_wording_errors", "严重表述错误", "serious wording errors", "count"),
    MetricSpec("secret_leaks", "泄露国家秘密", "leaks of state secrets", "count"),
    MetricSpec(
        "illegal_content",
        "违法有害内容",
        "reactionary, violent or pornographic content posted or linked",
        "count",
    ),
    MetricSpec(
        "serious_negative_opinion",
        "引发严重负面舆情",
        "inappropriate content that caused serious negative public opinion",
        "count",
    ),
    MetricSpec(
        "fake_followers_or_forced_likes",
        "购买粉丝或强制点赞",
        "bought followers or forced likes",
        "count",
    ),
    # Dimension indices published by People's Daily Online / Weibo (0–100, construction unpublished).
    MetricSpec(
        "pd_propagation_index", "传播力（人民网发布）", "propagation index as published", "index"
    ),
    MetricSpec("pd_service_index", "服务力（人民网发布）", "service index as published", "index"),
    MetricSpec(
        "pd_interaction_index", "互动力（人民网发布）", "interaction index as published", "index"
    ),
    MetricSpec(
        "pd_recognition_index",
        "认同度（人民网发布）",
        "recognition index as published",
        "index",
        "definition unpublished",
    ),
)

METRICS: Mapping[str, MetricSpec] = MappingProxyType({spec.key: spec for spec in _SPECS})
