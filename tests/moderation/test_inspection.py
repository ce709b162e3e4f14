"""Content inspection (R1.4): each rule on published posts — sensitive terms, banned expressions,
leaders' names and titles, typos from the office's list, broken links (against a local HTTP
server) — and dormancy (with time-machine); findings with working-day deadlines, once per
(post or account, rule), linked to the assessment, rectified through their state table."""

from __future__ import annotations

import socket
import threading
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from govmatrix.assessment.models import Finding
from govmatrix.assessment.services.inspections import checklist_seed_defaults
from govmatrix.core.errors import InvalidTransition, NotAllowed, NotFound
from govmatrix.moderation import rules, services
from govmatrix.moderation.inspection.links import LinkChecker, extract_links
from govmatrix.moderation.models import ContentFinding, FindingStatus, InspectionRun, RunState
from govmatrix.moderation.selectors.inspection import finding_list, findings_by_unit
from govmatrix.moderation.services.inspection import working_days_after
from govmatrix.publishing.models import Post
from govmatrix.publishing.services import content_rule_create, leader_name_create
from tests.conftest import District

ZONE = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 6, 10, 10, 0, tzinfo=ZONE)  # a Wednesday


class _Handler(BaseHTTPRequestHandler):
    seen: Counter[str] = Counter()

    def _answer(self, body: bool) -> None:
        _Handler.seen[f"{self.command} {self.path}"] += 1
        status = {"/ok": 200, "/gone": 404, "/broken": 500}.get(self.path, 200)
        if self.path == "/head405" and self.command == "HEAD":
            status = 405
        if self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
            self.end_headers()
            return
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        if body:
            self.wfile.write(b"ok")

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def do_GET(self) -> None:
        self._answer(body=True)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def web() -> Iterator[str]:
    _Handler.seen.clear()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def now(time_machine: Any) -> datetime:
    time_machine.move_to(NOW, tick=False)
    return NOW


def publish(district: District, text: str, *, account: Any = None, days_ago: float = 1) -> Post:
    """A post published through GovMatrix (arranged directly: what is tested is the inspection)."""
    account = account or district.street01_account
    at = timezone.now() - timedelta(days=days_ago)
    return Post.objects.create(
        account=account, author=district.operator, text=text, status="published",
        approved_by=district.leader, approved_version=1, approved_text=text, approved_at=at,
        published_at=at, external_id=f"p{Post.objects.count() + 1}",
        public_url=f"http://local.example/{account.handle}/{Post.objects.count() + 1}",
    )  # fmt: skip


def inspect(district: District, **checker: Any) -> InspectionRun:
    run = services.inspection_run_start(actor=district.office_admin)
    services.inspection_run_execute(
        run_id=run.pk, links=LinkChecker(interval=0, timeout=2, **checker)
    )
    return InspectionRun.objects.get(pk=run.pk)


def of(rule: str, **filters: Any) -> ContentFinding:
    return ContentFinding.objects.get(rule=rule, **filters)


def test_a_typo_from_the_offices_list_is_a_finding_with_a_deadline(
    district: District, now: datetime
) -> None:
    post = publish(district, "请各位居民按装好燃气报警器，再接再励。")
    run = inspect(district)
    finding = of("typo")
    assert finding.post_id == post.pk and finding.unit_id == district.street01.pk
    assert (
        "“按装”应为“安装”" in finding.description
        and "“再接再励”应为“再接再厉”" in finding.description
    )
    assert finding.found_on == now.date()
    assert finding.rectify_due == working_days_after(now.date(), 3) == datetime(2026, 6, 15).date()
    assert finding.status == FindingStatus.OPEN and finding.first_run == run
    assert run.state == RunState.FINISHED and run.stats["posts"] == 1 and run.stats["new"] >= 1


def test_a_wrong_form_inside_a_right_word_and_a_switched_off_pair_are_not_typos(
    district: District, now: datetime
) -> None:
    services.typo_pair_create(actor=district.office_admin, wrong="发韧", correct="发轫")
    services.typo_pair_create(actor=district.office_admin, wrong="韧之", correct="刃之")  # a pair …
    services.typo_pair_create(actor=district.office_admin, wrong="年度", correct="年度报告")
    services.typo_pair_update(  # … the office has switched off
        actor=district.office_admin,
        pair_id=services.typo_pair_create(
            actor=district.office_admin, wrong="全区", correct="全市"
        ).pk,
        is_active=False,
    )
    publish(district, "全区年度报告发布：改革发韧之年。")
    inspect(district)
    hits = of("typo").details["hits"]
    assert [h["term"] for h in hits] == ["发韧", "韧之"]  # 年度 lies inside 年度报告; 全区 is off


def test_sensitive_terms_banned_expressions_and_leaders_come_from_the_publishing_check(
    district: District, now: datetime
) -> None:
    content_rule_create(
        actor=district.office_admin, kind="banned", phrase="农民工", suggestion="进城务工人员"
    )
    leader_name_create(actor=district.office_admin, name="陈建国", titles="区委书记")
    publish(district, "你这个傻逼别乱说")
    publish(district, "欢迎农民工朋友参加招聘会", days_ago=2)
    publish(district, "陈建国副区长出席了活动", days_ago=3)
    inspect(district)
    assert "傻逼" in of("sensitive").description
    banned = of("banned")
    assert "农民工" in banned.description and "进城务工人员" in banned.description
    assert "区委书记" in of("leader").description
    assert of("sensitive").rectify_due == working_days_after(now.date(), 1)


def test_broken_links_are_findings_with_the_status_or_the_error(
    district: District, now: datetime, web: str
) -> None:
    dead = f"http://127.0.0.1:{_closed_port()}/notice"
    publish(
        district, f"详见 {web}/ok 和 {web}/gone，另见{web}/head405。附件：{web}/moved ，旧址 {dead}"
    )
    run = inspect(district)
    finding = of("broken_link")
    urls = {hit["url"]: hit for hit in finding.details["hits"]}
    assert set(urls) == {f"{web}/gone", dead}
    assert urls[f"{web}/gone"]["status"] == 404
    assert "ConnectError" in urls[dead]["error"]
    assert _Handler.seen["HEAD /head405"] == 1 and _Handler.seen["GET /head405"] == 1
    assert run.stats["links"] == 5


def test_the_link_check_is_polite_one_request_per_url_a_limit_per_host(
    district: District, now: datetime, web: str
) -> None:
    publish(district, f"{web}/ok {web}/a {web}/b {web}/c")
    publish(district, f"again {web}/ok", days_ago=2)
    run = inspect(district, per_host=2)
    assert _Handler.seen["HEAD /ok"] == 1  # asked once although two posts link it
    assert sum(_Handler.seen.values()) == 2
    assert run.stats["links_unchecked"] == 2
    assert not ContentFinding.objects.filter(rule="broken_link").exists()


def test_an_unreachable_host_is_asked_once_per_run() -> None:
    dead = f"http://127.0.0.1:{_closed_port()}"
    with LinkChecker(interval=0, timeout=2) as checker:
        first, second = checker.check(f"{dead}/a"), checker.check(f"{dead}/b")
    assert first.broken and second.broken and second.error == first.error
    assert checker.requests["127.0.0.1"] == 1


def test_links_are_found_in_chinese_text() -> None:
    text = "详情见https://www.example.gov.cn/a?b=1。或http://x.example/p），（http://y.example/q）"
    assert extract_links(text) == [
        "https://www.example.gov.cn/a?b=1",
        "http://x.example/p",
        "http://y.example/q",
    ]


def test_running_again_finds_the_same_problems_without_adding_them_twice(
    district: District, now: datetime, web: str
) -> None:
    publish(district, f"请按装好报警器 {web}/gone")
    inspect(district)
    before = list(ContentFinding.objects.values_list("pk", "rule", "subject_key").order_by("pk"))
    second = inspect(district)
    assert (
        list(ContentFinding.objects.values_list("pk", "rule", "subject_key").order_by("pk"))
        == before
    )
    assert second.stats["new"] == 0 and second.stats["seen"] == len(before)


def test_an_open_finding_is_updated_when_what_was_found_changes(
    district: District, now: datetime, web: str
) -> None:
    publish(district, f"{web}/gone {web}/broken")
    inspect(district)
    assert len(of("broken_link").details["hits"]) == 2
    Post.objects.update(text=f"{web}/gone")  # as if the platform copy had been corrected
    run = inspect(district)
    assert len(of("broken_link").details["hits"]) == 1 and run.stats["updated"] == 1


def test_a_silent_account_is_warned_at_ten_days_and_found_dormant_at_fourteen(
    district: District, time_machine: Any
) -> None:
    time_machine.move_to(NOW, tick=False)
    for account in (district.main_account, district.street02_account):
        publish(district, "今日动态", account=account, days_ago=0.1)
    publish(district, "最后一条", account=district.street01_account, days_ago=0)
    time_machine.move_to(NOW + timedelta(days=10), tick=False)
    for account in (district.main_account, district.street02_account):
        publish(district, "今日动态", account=account, days_ago=0.1)
    inspect(district)
    warning = of("dormant_warning")
    assert (
        warning.account == district.street01_account
        and warning.rectify_due == NOW.date() + timedelta(days=14)
    )
    assert not ContentFinding.objects.filter(rule="dormant").exists()
    assert warning.assessment_finding_id is None  # a reminder, not an assessment finding
    time_machine.move_to(NOW + timedelta(days=14), tick=False)
    for account in (district.main_account, district.street02_account):
        publish(district, "今日动态", account=account, days_ago=0.1)
    inspect(district)
    dormant = of("dormant")
    assert dormant.account == district.street01_account and "14" in dormant.description
    assert ContentFinding.objects.get(pk=warning.pk).status == FindingStatus.CLEARED  # superseded
    inspect(district)
    assert ContentFinding.objects.filter(rule="dormant").count() == 1


def test_a_warning_ends_when_the_account_posts_again(district: District, time_machine: Any) -> None:
    time_machine.move_to(NOW, tick=False)
    publish(district, "最后一条", account=district.street01_account, days_ago=11)
    for account in (district.main_account, district.street02_account):
        publish(district, "今日动态", account=account, days_ago=0.1)
    inspect(district)
    warning = of("dormant_warning")
    publish(district, "恢复更新", account=district.street01_account, days_ago=0)
    inspect(district)
    assert ContentFinding.objects.get(pk=warning.pk).status == FindingStatus.CLEARED


def test_findings_are_linked_to_the_assessments_inspection_findings(
    district: District, now: datetime
) -> None:
    checklist_seed_defaults(actor=district.office_admin)
    publish(district, "请按装好燃气报警器")
    inspect(district)
    finding = of("typo")
    linked = Finding.objects.get(pk=finding.assessment_finding_id)
    assert linked.source_ref == f"moderation.contentfinding:{finding.pk}"
    assert linked.item.code == "wrong_words" and linked.account_id == finding.account_id
    inspect(district)
    assert Finding.objects.filter(source_ref=linked.source_ref).count() == 1


def test_findings_without_a_checklist_are_linked_once_the_office_sets_one_up(
    district: District, now: datetime
) -> None:
    publish(district, "请按装好燃气报警器")
    inspect(district)
    assert of("typo").assessment_finding_id is None
    checklist_seed_defaults(actor=district.office_admin)
    inspect(district)
    assert of("typo").assessment_finding_id is not None


def test_rectification_moves_the_linked_assessment_finding_too(
    district: District, now: datetime
) -> None:
    checklist_seed_defaults(actor=district.office_admin)
    publish(district, "请按装好燃气报警器")
    inspect(district)
    finding = of("typo")
    services.content_finding_report_rectified(
        actor=district.operator, finding_id=finding.pk, response="已删除重发"
    )
    assert Finding.objects.get(pk=finding.assessment_finding_id).status == "rectified"
    services.content_finding_reject(
        actor=district.office_admin, finding_id=finding.pk, note="新稿仍有错字"
    )
    assert ContentFinding.objects.get(pk=finding.pk).status == FindingStatus.OPEN
    assert Finding.objects.get(pk=finding.assessment_finding_id).status == "rectifying"
    services.content_finding_report_rectified(
        actor=district.operator, finding_id=finding.pk, response="已改正"
    )
    services.content_finding_verify(actor=district.office_admin, finding_id=finding.pk)
    assert ContentFinding.objects.get(pk=finding.pk).status == FindingStatus.VERIFIED
    assert Finding.objects.get(pk=finding.assessment_finding_id).status == "verified"


def test_a_wrong_finding_is_dismissed_and_no_longer_counts(
    district: District, now: datetime
) -> None:
    checklist_seed_defaults(actor=district.office_admin)
    publish(district, "你这个傻逼别乱说")
    inspect(district)
    finding = of("sensitive")
    services.content_finding_dismiss(
        actor=district.office_admin, finding_id=finding.pk, note="引用网民原话"
    )
    assert ContentFinding.objects.get(pk=finding.pk).status == FindingStatus.DISMISSED
    assert Finding.objects.get(pk=finding.assessment_finding_id).status == "withdrawn"
    inspect(district)
    assert ContentFinding.objects.get(pk=finding.pk).status == FindingStatus.DISMISSED


MOVES = {"respond": "rectified", "verify": "verified", "reject": "open", "dismiss": "dismissed"}
FINDING_PAIRS = [(start, move) for start in FindingStatus.values for move in MOVES]


@pytest.mark.parametrize(("start", "move"), FINDING_PAIRS)
def test_each_move_of_a_finding_is_made_or_refused_as_the_table_says(
    district: District, now: datetime, start: str, move: str
) -> None:
    publish(district, "请按装好燃气报警器")
    inspect(district)
    finding = of("typo")
    office, operator = district.office_admin, district.operator
    moves = {
        "respond": lambda: services.content_finding_report_rectified(actor=operator, finding_id=finding.pk, response="已改"),
        "verify": lambda: services.content_finding_verify(actor=office, finding_id=finding.pk),
        "reject": lambda: services.content_finding_reject(actor=office, finding_id=finding.pk, note="未改"),
        "dismiss": lambda: services.content_finding_dismiss(actor=office, finding_id=finding.pk, note="误报"),
    }  # fmt: skip
    ContentFinding.objects.filter(pk=finding.pk).update(status=start)  # arranged
    if MOVES[move] in rules.FINDING_TRANSITIONS[start]:
        moves[move]()
        assert ContentFinding.objects.get(pk=finding.pk).status == MOVES[move]
    else:
        with pytest.raises(InvalidTransition):
            moves[move]()
        assert ContentFinding.objects.get(pk=finding.pk).status == start


def test_a_dormancy_reminder_is_not_answered_it_clears_itself(
    district: District, now: datetime
) -> None:
    publish(district, "最后一条", account=district.street01_account, days_ago=11)
    inspect(district)
    with pytest.raises(InvalidTransition):
        services.content_finding_report_rectified(
            actor=district.operator, finding_id=of("dormant_warning").pk, response="会发的"
        )


def test_only_the_inspected_unit_answers_and_only_the_office_verifies(
    district: District, now: datetime
) -> None:
    publish(district, "请按装好燃气报警器")
    inspect(district)
    finding = of("typo")
    with pytest.raises(NotFound):
        services.content_finding_report_rectified(
            actor=district.neighbour, finding_id=finding.pk, response="x"
        )
    with pytest.raises(NotAllowed):
        services.content_finding_report_rectified(
            actor=district.office_admin, finding_id=finding.pk, response="x"
        )
    services.content_finding_report_rectified(
        actor=district.operator, finding_id=finding.pk, response="已改"
    )
    for who in (district.operator, district.leader, district.office_inspector):
        with pytest.raises(NotAllowed):
            services.content_finding_verify(actor=who, finding_id=finding.pk)


def test_the_office_sees_findings_by_unit_and_each_unit_its_own(
    district: District, now: datetime
) -> None:
    publish(district, "请按装好燃气报警器")
    publish(district, "请按装好燃气报警器", account=district.street02_account)
    inspect(district)
    assert {s.unit_name for s in findings_by_unit(user=district.office_admin)} >= {
        "东城街道",
        "西城街道",
    }
    assert {f.unit.name for f in finding_list(user=district.operator)} == {"东城街道"}
    assert {f.unit.name for f in finding_list(user=district.neighbour)} == {"西城街道"}
    assert not finding_list(user=district.outsider).exists()


def test_one_inspection_at_a_time_and_only_the_office_starts_one(district: District) -> None:
    services.inspection_run_start(actor=district.office_admin)
    with pytest.raises(InvalidTransition):
        services.inspection_run_start(actor=district.office_admin)
    assert services.inspection_run_schedule() is None
    with pytest.raises(NotAllowed):
        services.inspection_run_start(actor=district.operator)


def test_a_run_whose_worker_died_is_taken_over_after_its_lease(
    district: District, time_machine: Any
) -> None:
    time_machine.move_to(NOW, tick=False)
    run = services.inspection_run_start(actor=district.office_admin)
    InspectionRun.objects.filter(pk=run.pk).update(
        state="running", lease_until=NOW + timedelta(minutes=30)
    )
    assert services.inspection_run_execute(run_id=run.pk) is None  # still held
    time_machine.move_to(NOW + timedelta(minutes=31), tick=False)
    assert (
        services.inspection_run_execute(run_id=run.pk, links=LinkChecker(interval=0))
        == RunState.FINISHED
    )
