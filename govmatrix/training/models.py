"""Guidance (R7.1) and training (R7.2): the office's notices to units with read receipts, the
online-exchange board, and training classes, joint meetings and online exchanges with their
audience, invitations, attendance and materials."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from govmatrix.core.models import TimeStampedModel
from govmatrix.org.models import Person, Unit

if TYPE_CHECKING:  # django-stubs-ext is a development tool, not installed to run
    from django_stubs_ext import StrOrPromise


def _user(label: StrOrPromise, related: str = "+", *, null: bool = True) -> models.ForeignKey:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=null,
        blank=null,
        related_name=related,
        verbose_name=label,
    )


# --- guidance notices (业务指导) ---------------------------------------------------------------
class NoticeStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ISSUED = "issued", _("已下发")
    WITHDRAWN = "withdrawn", _("已撤回")


class GuidanceNotice(TimeStampedModel):
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"))
    status = models.CharField(
        _("状态"), max_length=16, choices=NoticeStatus.choices, default=NoticeStatus.DRAFT
    )
    units = models.ManyToManyField(Unit, related_name="+", verbose_name=_("下发单位"))
    read_by = models.DateField(_("阅知期限"), null=True, blank=True)
    issued_at = models.DateTimeField(_("下发时间"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("最近提醒"), null=True, blank=True)
    reminders = models.PositiveIntegerField(_("提醒次数"), default=0)
    created_by = _user(_("起草人"))

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("业务指导通知")
        verbose_name_plural = _("业务指导通知")

    def __str__(self) -> str:
        return self.title


class GuidanceRead(models.Model):
    """A read receipt: who of which unit opened the notice, and when (once per person)."""

    notice = models.ForeignKey(GuidanceNotice, on_delete=models.CASCADE, related_name="reads")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    user = _user(_("阅读人"), null=False)
    read_at = models.DateTimeField(_("阅读时间"))

    class Meta:
        ordering = ["read_at"]
        constraints = [
            models.UniqueConstraint(fields=["notice", "user", "unit"], name="training_read_once")
        ]

    def __str__(self) -> str:
        return f"{self.notice_id}/{self.user_id}"


# --- the online-exchange board (网上交流) ----------------------------------------------------
class BoardThread(TimeStampedModel):
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"))
    author = _user(_("发帖人"), null=False)
    author_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    last_post_at = models.DateTimeField(_("最后回复"), db_index=True)
    reply_count = models.PositiveIntegerField(_("回复数"), default=0)
    is_closed = models.BooleanField(_("已关闭"), default=False)

    class Meta:
        ordering = ["-last_post_at"]
        verbose_name = _("交流主题")
        verbose_name_plural = _("交流主题")

    def __str__(self) -> str:
        return self.title


class BoardReply(models.Model):
    thread = models.ForeignKey(BoardThread, on_delete=models.CASCADE, related_name="replies")
    body = models.TextField(_("内容"))
    author = _user(_("回复人"), null=False)
    author_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("时间"))

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.thread_id}#{self.pk}"


# --- training events (培训班 / 联席会议 / 网上交流) -----------------------------------------
class EventKind(models.TextChoices):
    TRAINING_CLASS = "training_class", _("培训班")
    JOINT_MEETING = "joint_meeting", _("联席会议")
    ONLINE_EXCHANGE = "online_exchange", _("网上交流")


class AudienceLevel(models.TextChoices):
    """The levels of the document's "不同层次" training: the unit roles it may invite."""

    PRINCIPAL_LEADER = "principal_leader", _("主要领导")
    LEADER_IN_CHARGE = "leader_in_charge", _("分管领导")
    OPERATOR = "operator", _("运维人员")


class EventStatus(models.TextChoices):
    PLANNED = "planned", _("计划中")
    INVITED = "invited", _("已发出邀请")
    HELD = "held", _("已举办")
    CANCELLED = "cancelled", _("已取消")


class TrainingEvent(TimeStampedModel):
    kind = models.CharField(_("形式"), max_length=20, choices=EventKind.choices)
    title = models.CharField(_("名称"), max_length=200)
    content = models.TextField(_("内容"))
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    location = models.CharField(_("地点或链接"), max_length=200, blank=True)
    levels = models.JSONField(_("对象层次"), default=list)
    units = models.ManyToManyField(Unit, related_name="+", verbose_name=_("参加单位"))
    status = models.CharField(
        _("状态"), max_length=16, choices=EventStatus.choices, default=EventStatus.PLANNED
    )
    invited_at = models.DateTimeField(_("邀请时间"), null=True, blank=True)
    created_by = _user(_("创建人"))

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("培训交流活动")
        verbose_name_plural = _("培训交流活动")

    def __str__(self) -> str:
        return self.title


class Invitation(models.Model):
    event = models.ForeignKey(TrainingEvent, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    level = models.CharField(_("层次"), max_length=20, choices=AudienceLevel.choices)
    invited_at = models.DateTimeField(_("邀请时间"))

    class Meta:
        ordering = ["unit__sort_order", "person__name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "person", "unit"], name="training_invite_once")
        ]

    def __str__(self) -> str:
        return f"{self.event_id}/{self.person_id}"


class AttendanceStatus(models.TextChoices):
    ATTENDED = "attended", _("出席")
    EXCUSED = "excused", _("请假")
    ABSENT = "absent", _("缺席")


class Attendance(models.Model):
    event = models.ForeignKey(TrainingEvent, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="training_records")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("出席情况"), max_length=16, choices=AttendanceStatus.choices)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    recorded_by = _user(_("登记人"))
    recorded_at = models.DateTimeField(_("登记时间"))

    class Meta:
        ordering = ["unit__sort_order", "person__name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="training_attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.event_id}/{self.person_id} {self.status}"


class Material(models.Model):
    event = models.ForeignKey(TrainingEvent, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("名称"), max_length=200)
    file = models.FileField(_("文件"), upload_to="training/%Y/%m/")
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = _user(_("上传人"))
    uploaded_at = models.DateTimeField(_("上传时间"))

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("培训材料")
        verbose_name_plural = _("培训材料")

    def __str__(self) -> str:
        return self.title
