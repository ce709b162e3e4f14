"""A post must fit its platform as the connector will really send it."""

from __future__ import annotations

import pytest

from govmatrix.platforms.base import Limits
from govmatrix.publishing import rules
from tests.conftest import District

WEIBO = Limits(
    max_chars=140, counts_latin_as_half=True, forbids_hashtags=True, max_images=1, reserved_chars=12
)


@pytest.fixture
def on_weibo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rules, "platform_limits", lambda platform: WEIBO)


def test_the_link_weibo_appends_counts_against_the_limit(
    district: District, on_weibo: None
) -> None:
    assert rules.text_problem("字" * 128, district.street01_account) == ""
    problem = rules.text_problem("字" * 129, district.street01_account)
    assert "128" in problem and "12" in problem


def test_a_topic_mark_is_refused_where_the_platform_forbids_it(
    district: District, on_weibo: None
) -> None:
    assert "话题" in rules.text_problem("关注 #垃圾分类# 新规", district.street01_account)
    assert rules.text_problem("今天 # 号楼停水", district.street01_account) == ""


def test_a_second_image_is_refused_where_the_platform_takes_one(
    district: District, on_weibo: None
) -> None:
    assert rules.images_problem(1, district.street01_account) == ""
    assert "1" in rules.images_problem(2, district.street01_account)
