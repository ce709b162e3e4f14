"""Tiny made-up messages for training the learned router in tests (no shared data)."""

from __future__ import annotations

import pytest

_PLACES = ["东城", "西城", "南湖", "北山", "河西", "城南", "新区", "老街", "桥头", "江边"]
_TEMPLATES = {
    "环境保护": [
        "{p}化工厂排放废气，空气刺鼻",
        "{p}工地噪音扰民到深夜",
        "{p}河道污水直排，鱼都死了",
    ],
    "教育文体": ["{p}小学入学划片不合理", "{p}中学老师有偿补课", "{p}幼儿园收费太高"],
    "交通运输": ["{p}出租车拒载绕路", "{p}客运班车超载严重", "{p}公路坑洼没人修"],
}


def _corpus() -> tuple[list[str], list[str]]:
    texts, labels = [], []
    for label, templates in _TEMPLATES.items():
        for place in _PLACES:
            for template in templates:
                texts.append(template.format(p=place))
                labels.append(label)
    return texts, labels


@pytest.fixture(scope="session")
def tiny_corpus() -> tuple[list[str], list[str]]:
    """90 messages, three classes."""
    return _corpus()
