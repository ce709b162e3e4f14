"""The incident's timeline: its own steps, and what the registered sources (the inbox's
citizen messages, the moderation's harmful-comment cases) add — or an honest note when no
source is registered. The same timeline goes into the docx."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from docx import Document

from govmatrix.emergency import timeline as registry
from govmatrix.emergency.documents import timeline_docx_bytes
from govmatrix.emergency.selectors.timeline import incident_timeline
from govmatrix.emergency.timeline import TimelineEntry, TimelineSource
from tests.conftest import District
from tests.emergency.flow import declare, order_of, published
from tests.publishing.conftest import FakeConnector

Capture = Any


@pytest.fixture
def incident(
    district: District,
    platform: FakeConnector,
    commander: Any,
    django_capture_on_commit_callbacks: Capture,
) -> Any:
    incident = declare(district, commander)
    statement = published(district, incident, commander, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        from govmatrix.emergency import services

        services.repost_order_repost(
            actor=district.operator, order_id=order_of(statement, district.street01_account).pk
        )
    return incident


def _text(content: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)


def test_with_no_source_registered_the_timeline_says_so(
    district: District, incident: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(registry, "_SOURCES", {})
    timeline = incident_timeline(user=district.office_admin, incident=incident)
    assert not timeline.has_sources
    kinds = [entry.kind for entry in timeline.entries]
    assert kinds[0] == "宣布事件"
    assert {"拟稿", "提交审核", "现场最高领导审核通过", "发布", "下达转发任务"} <= set(kinds)
    text = _text(timeline_docx_bytes(district.office_admin, incident))
    assert "尚未接入本报告" in text


def test_a_registered_source_adds_its_entries_for_the_reader(
    district: District, incident: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[Any] = []

    def messages(window: Any, user: Any) -> list[TimelineEntry]:
        seen.append((window, user))
        return [
            TimelineEntry(
                at=window.declared_at + timedelta(minutes=20),
                kind="网民留言",
                text="南湖街道燃气味很重，是否安全？",
                source="inbox",
            )
        ]

    monkeypatch.setattr(registry, "_SOURCES", {})
    registry.register_timeline_source(TimelineSource("inbox", "网民留言", messages))
    timeline = incident_timeline(user=district.office_admin, incident=incident)
    assert timeline.parts[0].entries[0].text.startswith("南湖街道燃气味")
    window, user = seen[0]
    assert window.unit_ids == (district.street01.pk,) and user == district.office_admin
    assert district.main_account.pk in window.account_ids
    assert "网民留言" in [e.kind for e in timeline.entries]
    text = _text(timeline_docx_bytes(district.office_admin, incident))
    assert "南湖街道燃气味很重" in text


def test_a_broken_source_is_named_and_the_rest_of_the_timeline_stands(
    district: District, incident: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(window: Any, user: Any) -> list[TimelineEntry]:
        raise RuntimeError("moderation is down")

    monkeypatch.setattr(registry, "_SOURCES", {})
    registry.register_timeline_source(TimelineSource("moderation", "有害信息处置", broken))
    timeline = incident_timeline(user=district.office_admin, incident=incident)
    assert timeline.parts[0].error and timeline.entries


def test_the_docx_has_the_official_layout_and_the_reposts_with_their_latency(
    district: District, incident: Any
) -> None:
    document = Document(io.BytesIO(timeline_docx_bytes(district.office_admin, incident)))
    paragraphs = [p.text for p in document.paragraphs if p.text]
    assert paragraphs[0] == "管理办公室"  # the issuing office, in red
    assert paragraphs[1].startswith("区发布应急〔") and paragraphs[1].endswith("1号")
    assert paragraphs[2] == "关于“南湖街道燃气管道泄漏”信息发布与转发情况的报告"
    for heading in (
        "一、事件基本情况",
        "二、权威信息发布情况",
        "三、子账号转发情况",
        "五、处置时间线",
    ):
        assert heading in paragraphs
    assert "（印章）" in "".join(paragraphs) and paragraphs[-1].endswith("印发")
    reposts = document.tables[1]
    rows = [[cell.text for cell in row.cells] for row in reposts.rows]
    assert rows[0] == ["单位", "账号", "状态", "转发时间", "用时", "凭证／理由"]
    street01 = next(r for r in rows if r[0] == "东城街道")
    assert street01[2] == "已按时转发" and street01[4].endswith("秒")
    assert document.core_properties.title.startswith("关于")
