"""GSDATA (清博指数) BCI, the Weibo communication index, exactly as in assessment-methods.md §2.

Full 7-input version (§2.1):
    W1 = 0.30·ln(X1+1) + 0.70·ln(X2+1)
    W2 = 0.20·ln(X3+1) + 0.20·ln(X4+1) + 0.25·ln(X5+1) + 0.25·ln(X6+1) + 0.10·ln(X7+1)
    BCI = (0.20·W1 + 0.80·W2) × 160
Simplified 4-input version (§2.2):
    W1 = ln(发博数+1)
    W2 = 0.40·ln(转发数+1) + 0.40·ln(评论数+1) + 0.20·ln(点赞数+1)
    BCI = (0.20·W1 + 0.80·W2) × 160

In scheme terms: transform ln1p, normalisation none, the inner weights as indicator weights,
0.20 / 0.80 as dimension weights, and 160 as the scale. A missing input leaves the account
without a BCI (policy no_score): re-weighting would give a number that is not a BCI.
The inputs are period totals, so BCI values of periods of different length are not comparable.
"""

from __future__ import annotations

from typing import Any

NONE = {"method": "none"}

_DIMENSIONS = [
    {"key": "activity", "label_zh": "活跃度 W1", "label_en": "activity W1", "weight": 0.20},
    {"key": "propagation", "label_zh": "传播度 W2", "label_en": "propagation W2", "weight": 0.80},
]

_COMMON: dict[str, Any] = {
    "scale": 160.0,
    "vetoes": [],
    "veto_action": {"kind": "zero"},
    "missing": {"policy": "no_score", "min_coverage": 1.0},
    "ranking": {"precision": 2, "vetoed_last": True},
    "unit_aggregation": "mean",
}

SCHEME: dict[str, Any] = {
    "name": "gsdata_bci",
    "version": "7-input",
    "title_zh": "清博微博传播指数 BCI（7 项输入）",
    "title_en": "GSDATA Weibo communication index BCI (7 inputs)",
    "description": "BCI = (0.20·W1 + 0.80·W2) × 160；W1、W2 为各项 ln(x+1) 的加权和。",
    **_COMMON,
    "dimensions": _DIMENSIONS,
    "indicators": [
        {"key": "x1_posts", "label_zh": "发博数 X1", "label_en": "posts incl. reposts X1",
         "dimension": "activity", "metrics": ["posts_total"], "transform": "ln1p",
         "normalisation": NONE, "weight": 0.30},
        {"key": "x2_original_posts", "label_zh": "原创微博数 X2", "label_en": "original posts X2",
         "dimension": "activity", "metrics": ["posts_original"], "transform": "ln1p",
         "normalisation": NONE, "weight": 0.70},
        {"key": "x3_reposts", "label_zh": "转发数 X3", "label_en": "reposts received X3",
         "dimension": "propagation", "metrics": ["reposts_received"], "transform": "ln1p",
         "normalisation": NONE, "weight": 0.20},
        {"key": "x4_comments", "label_zh": "评论数 X4", "label_en": "comments received X4",
         "dimension": "propagation", "metrics": ["comments_received"], "transform": "ln1p",
         "normalisation": NONE, "weight": 0.20},
        {"key": "x5_original_reposts", "label_zh": "原创微博转发数 X5",
         "label_en": "reposts of original posts X5", "dimension": "propagation",
         "metrics": ["original_reposts_received"], "transform": "ln1p", "normalisation": NONE,
         "weight": 0.25},
        {"key": "x6_original_comments", "label_zh": "原创微博评论数 X6",
         "label_en": "comments on original posts X6", "dimension": "propagation",
         "metrics": ["original_comments_received"], "transform": "ln1p", "normalisation": NONE,
         "weight": 0.25},
        {"key": "x7_likes", "label_zh": "点赞数 X7", "label_en": "likes received X7",
         "dimension": "propagation", "metrics": ["likes_received"], "transform": "ln1p",
         "normalisation": NONE, "weight": 0.10},
    ],
    "notes": [
        "Confidence medium-high: the official GSDATA page was not retrieved; the formula rests "
        "on recollection plus one corroborating public code file (assessment-methods.md §2.1).",
        "Period totals: weekly, monthly and quarterly BCI are not comparable.",
    ],
    "sources": ["assessment-methods.md §2.1, §2.5 (test vectors)"],
}  # fmt: skip

SIMPLE_SCHEME: dict[str, Any] = {
    "name": "gsdata_bci_simple",
    "version": "4-input",
    "title_zh": "清博微博传播指数 BCI（简化 4 项输入）",
    "title_en": "GSDATA Weibo communication index BCI (simplified, 4 inputs)",
    "description": "BCI = (0.20·W1 + 0.80·W2) × 160；W1 = ln(发博数+1)。",
    **_COMMON,
    "dimensions": _DIMENSIONS,
    "indicators": [
        {"key": "posts", "label_zh": "发博数", "label_en": "posts", "dimension": "activity",
         "metrics": ["posts_total"], "transform": "ln1p", "normalisation": NONE, "weight": 1.0},
        {"key": "reposts", "label_zh": "转发数", "label_en": "reposts received",
         "dimension": "propagation", "metrics": ["reposts_received"], "transform": "ln1p",
         "normalisation": NONE, "weight": 0.40},
        {"key": "comments", "label_zh": "评论数", "label_en": "comments received",
         "dimension": "propagation", "metrics": ["comments_received"], "transform": "ln1p",
         "normalisation": NONE, "weight": 0.40},
        {"key": "likes", "label_zh": "点赞数", "label_en": "likes received",
         "dimension": "propagation", "metrics": ["likes_received"], "transform": "ln1p",
         "normalisation": NONE, "weight": 0.20},
    ],
    "notes": [
        "Published in the 各省微博影响力指数数据 dataset descriptions (assessment-methods.md §2.2); "
        "a different variant from the 7-input BCI, same outer weights and ×160.",
    ],
    "sources": ["assessment-methods.md §2.2, §2.5 (test vector)"],
}  # fmt: skip
