"""Guidance and training in the demo district 示范区, through the services people use.

Safe to run again (notices, threads and events are found by title). A training class held in
the previous quarter with attendance (it feeds that quarter's training indicator), a joint
meeting coming up with invitations sent, a guidance notice some units have confirmed, and a
question on the exchange board with answers.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from govmatrix.assessment.scoring import Quarter
from govmatrix.core.types import Actor
from govmatrix.org.models import Unit, UnitKind
from govmatrix.training.models import (
    AttendanceStatus,
    AudienceLevel,
    BoardThread,
    EventKind,
    GuidanceNotice,
    TrainingEvent,
)
from govmatrix.training.services.board import board_reply_create, board_thread_create
from govmatrix.training.services.events import (
    attendance_record,
    training_event_create,
    training_event_invite,
    training_event_mark_held,
)
from govmatrix.training.services.guidance import (
    guidance_notice_confirm_read,
    guidance_notice_create,
    guidance_notice_issue,
)


def _user(username: str) -> Actor | None:
    return get_user_model().objects.filter(username=username).first()


def _units() -> list[Unit]:
    return list(
        Unit.objects.filter(kind__in=[UnitKind.STREET_TOWN, UnitKind.DEPARTMENT, UnitKind.NEWS_OFFICE],
                            is_active=True)
    )  # fmt: skip


def _class_last_quarter(actor: Actor, units: list[Unit]) -> None:
    title = "政务微博运维人员业务培训班"
    if TrainingEvent.objects.filter(title=title).exists():
        return
    day = Quarter.containing(timezone.localdate()).previous().start + timedelta(days=45)
    start = timezone.make_aware(datetime.combine(day, time(9, 0)))
    event = training_event_create(
        actor=actor, kind=EventKind.TRAINING_CLASS, title=title,
        content="一、政务微博内容审核与发布规范（主要领导审核制度）\n二、网民留言答复口径与时限\n"
                "三、突发事件中转发“@区发布”权威信息的要求\n四、案例分析与现场答疑",
        starts_at=start, ends_at=start + timedelta(hours=3), location="区政府三楼第一会议室",
        levels=[AudienceLevel.OPERATOR, AudienceLevel.LEADER_IN_CHARGE],
        unit_ids=[u.pk for u in units],
    )  # fmt: skip
    training_event_invite(actor=actor, event_id=event.pk)
    statuses = {}
    for n, invitation in enumerate(event.invitations.order_by("unit__sort_order", "person_id")):
        statuses[invitation.person_id] = (
            AttendanceStatus.ABSENT if n % 7 == 3 else
            AttendanceStatus.EXCUSED if n % 11 == 5 else AttendanceStatus.ATTENDED
        )  # fmt: skip
    attendance_record(actor=actor, event_id=event.pk, statuses=statuses)
    training_event_mark_held(actor=actor, event_id=event.pk)


def _meeting_upcoming(actor: Actor, units: list[Unit]) -> None:
    title = "全区政务微博工作联席会议"
    if TrainingEvent.objects.filter(title=title).exists():
        return
    start = timezone.make_aware(
        datetime.combine(timezone.localdate() + timedelta(days=10), time(14, 30))
    )
    event = training_event_create(
        actor=actor, kind=EventKind.JOINT_MEETING, title=title,
        content="通报上季度考核结果，部署本季度检查整改；各街镇、部门分管领导交流经验。",
        starts_at=start, ends_at=start + timedelta(hours=2), location="区政府第二会议室",
        levels=[AudienceLevel.LEADER_IN_CHARGE, AudienceLevel.PRINCIPAL_LEADER],
        unit_ids=[u.pk for u in units],
    )  # fmt: skip
    training_event_invite(actor=actor, event_id=event.pk)


def _notice(actor: Actor, units: list[Unit]) -> None:
    title = "关于规范政务微博留言答复口径的指导意见"
    if GuidanceNotice.objects.filter(title=title).exists():
        return
    notice = guidance_notice_create(
        actor=actor, title=title,
        body="各街镇、各部门：\n对网民的投诉和咨询，请按照“快报事实、慎报原因”的原则，"
             "先在1个工作日内作出知晓性回应，5个工作日内答复办理情况。答复口径须经本单位主要领导审核。",
        unit_ids=[u.pk for u in units],
        read_by=timezone.localdate() + timedelta(days=7),
    )  # fmt: skip
    guidance_notice_issue(actor=actor, notice_id=notice.pk)
    for username in ("street01_operator", "street02_leader", "dept01_operator"):
        reader = _user(username)
        if reader is not None:
            guidance_notice_confirm_read(actor=reader, notice_id=notice.pk)


def _thread(actor: Actor) -> None:
    title = "网民在评论区反复发布广告，可以直接删除吗？"
    if BoardThread.objects.filter(title=title).exists():
        return
    author = _user("street01_operator") or actor
    thread = board_thread_create(
        actor=author, title=title,
        body="我们账号最近几条微博下有同一网民反复发布商业广告，是否可以直接删除？需要报管理办公室吗？",
    )  # fmt: skip
    board_reply_create(
        actor=actor, thread_id=thread.pk,
        body="商业广告可按平台规则处置（隐藏或删除），在系统中记录处置理由即可；"
             "涉及危害国家安全、损害党和政府形象的跟帖，须第一时间上报管理办公室。",
    )  # fmt: skip
    if (other := _user("dept01_operator")) is not None:
        board_reply_create(actor=other, thread_id=thread.pk,
                           body="我们也遇到过，按上述办法处理后没有再出现。")  # fmt: skip


def seed(*, actor: Actor) -> None:
    units = _units()
    _class_last_quarter(actor, units)
    _meeting_upcoming(actor, units)
    _notice(actor, units)
    _thread(actor)
