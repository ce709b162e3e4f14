"""Harmful-comment cases (有害信息处置, R5.3): the frozen evidence, the documents filed for them
and the actions run through the platforms.

A case's states and the moves between them are `rules.CASE_TRANSITIONS`; invariants that must
hold whatever code runs are constraints here, and the evidence columns and filed documents are
also guarded by database triggers (migration 0002).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govmatrix.matrix.models import Account
from govmatrix.moderation.models.lexicon import CATEGORY_CHOICES
from govmatrix.org.models import Unit


class CaseState(models.TextChoices):
    FLAGGED = "flagged", _("已上报，待单位提交书面申请")
    APPLICATION_FILED = "application_filed", _("已提交书面申请，待报请")
    ESCALATED = "escalated", _("已报请市委宣传部，待处置结果")
    CLOSED = "closed", _("已办结")


OPEN_CASE_STATES = (CaseState.FLAGGED, CaseState.APPLICATION_FILED, CaseState.ESCALATED)


class CaseOutcome(models.TextChoices):
    DELETED = "deleted", _("平台已删除")
    HIDDEN = "hidden", _("已隐藏")
    RETAINED = "retained", _("保留（不构成有害信息）")
    REJECTED = "rejected", _("申请未获支持")


class FlagSource(models.TextChoices):
    SCREENING = "screening", _("自动筛查")
    PERSON = "person", _("人工标记")


class HarmCase(models.Model):
    state = models.CharField(
        _("状态"), max_length=20, choices=CaseState.choices, default=CaseState.FLAGGED
    )
    # --- which comment (one case per comment: the two unique constraints below) -------------
    source_message_id = models.BigIntegerField(_("留言编号"), null=True, blank=True, unique=True)
    platform = models.CharField(_("平台"), max_length=16)
    comment_id = models.CharField(_("评论编号"), max_length=100)
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="+", verbose_name=_("账号")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("涉事单位")
    )
    channel = models.CharField(_("渠道"), max_length=8, blank=True)
    # --- why -----------------------------------------------------------------------------------
    flag_source = models.CharField(_("发现方式"), max_length=12, choices=FlagSource.choices)
    category = models.CharField(_("类别"), max_length=32, choices=CATEGORY_CHOICES)
    reason = models.TextField(_("理由"))
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("标记人"),
    )
    screening = models.JSONField(_("筛查结果"), default=dict, blank=True)
    # --- the evidence, frozen when the comment was flagged (trigger: never updated) ------------
    comment_text = models.TextField(_("评论内容"))
    author_id = models.CharField(_("网民编号"), max_length=100)
    author_name = models.CharField(_("网民"), max_length=100)
    comment_url = models.CharField(_("链接"), max_length=500, blank=True)
    post_id = models.CharField(_("所评微博"), max_length=100, blank=True)
    comment_at = models.DateTimeField(_("评论时间"))
    evidence_canonical = models.TextField(_("证据（规范化文本）"))
    evidence_sha256 = models.CharField(_("证据 SHA-256"), max_length=64)
    # --- every step, timed ---------------------------------------------------------------------
    flagged_at = models.DateTimeField(_("标记时间"), db_index=True)
    reported_at = models.DateTimeField(_("上报管理办公室时间"), null=True, blank=True)
    application_filed_at = models.DateTimeField(_("书面申请时间"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("报请时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    outcome = models.CharField(
        _("处置结果"), max_length=12, choices=CaseOutcome.choices, blank=True
    )
    outcome_note = models.TextField(_("结果说明"), blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # --- the documents' editable words, until they are filed ------------------------------------
    application_draft = models.JSONField(default=dict, blank=True)
    letter_draft = models.JSONField(default=dict, blank=True)
    recipients = models.JSONField(_("报请对象"), default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-flagged_at", "-id"]
        verbose_name = _("有害信息处置")
        verbose_name_plural = _("有害信息处置")
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "comment_id"], name="moderation_case_once_per_comment"
            ),
            models.CheckConstraint(
                condition=~Q(state=CaseState.CLOSED)
                | (~Q(outcome="") & Q(closed_at__isnull=False)),
                name="moderation_case_closed_has_outcome",
            ),
            models.CheckConstraint(
                condition=Q(state=CaseState.CLOSED) | Q(outcome=""),
                name="moderation_case_outcome_only_when_closed",
            ),
            models.CheckConstraint(
                condition=~Q(state=CaseState.ESCALATED) | Q(escalated_at__isnull=False),
                name="moderation_case_escalated_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(state=CaseState.APPLICATION_FILED)
                | Q(application_filed_at__isnull=False),
                name="moderation_case_filed_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "state"], name="moderation_case_unit_state"),
            models.Index(fields=["account", "flagged_at"], name="moderation_case_account"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.author_name}：{' '.join(self.comment_text.split())[:24]}"

    @property
    def number(self) -> str:
        """The case's number as people quote it: year and id (有害〔2026〕12号)."""
        year = self.flagged_at.year if self.flagged_at else ""
        return f"有害〔{year}〕{self.pk}号"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_CASE_STATES


class DocumentKind(models.TextChoices):
    APPLICATION = "application", _("书面申请")
    LETTER = "letter", _("报请函")


class CaseDocument(models.Model):
    """A filed document: every version is kept and none is ever changed (trigger)."""

    case = models.ForeignKey(HarmCase, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("文书"), max_length=12, choices=DocumentKind.choices)
    version = models.PositiveIntegerField(_("版本"))
    number = models.CharField(_("文号"), max_length=60)
    fields = models.JSONField(_("内容"), default=dict)
    content = models.BinaryField(_("文件"))
    sha256 = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    class Meta:
        ordering = ["case", "kind", "version"]
        verbose_name = _("处置文书")
        verbose_name_plural = _("处置文书")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind", "version"], name="moderation_document_version_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}（第{self.version}版）"

    @property
    def filename(self) -> str:
        return f"{self.get_kind_display()}-{self.case.number}-v{self.version}.docx"


class ActionState(models.TextChoices):
    PENDING = "pending", _("等待平台执行")
    APPLIED = "applied", _("平台已执行")
    NOT_APPLIED = "not_applied", _("平台未执行")
    FAILED = "failed", _("调用失败")


class CaseAction(models.Model):
    """An action on the comment that the office approved and ran through the platform's
    connector (the outbox), with what the platform really did."""

    case = models.ForeignKey(HarmCase, on_delete=models.PROTECT, related_name="actions")
    requested = models.CharField(_("请求的操作"), max_length=16)
    fallback = models.JSONField(default=list, blank=True)
    reason = models.CharField(_("理由"), max_length=500, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("批准时间"))
    state = models.CharField(
        _("状态"), max_length=12, choices=ActionState.choices, default=ActionState.PENDING
    )
    applied = models.CharField(_("实际执行"), max_length=16, blank=True)
    platform_ref = models.CharField(max_length=200, blank=True)
    note = models.TextField(_("平台返回"), blank=True)
    operation_id = models.BigIntegerField(null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        ordering = ["case", "approved_at", "id"]
        verbose_name = _("平台处置")
        verbose_name_plural = _("平台处置")
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(state="pending"),
                name="moderation_action_one_pending_per_case",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.requested} → {self.applied or self.state}"


class ScreeningCursor(models.Model):
    """How far the screening scan has read the inbox (one row). Each scan reads again a margin
    before this point, so a message whose transaction committed late is still screened; the
    unique constraints of `HarmCase` make reading one twice harmless."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    scanned_until = models.DateTimeField()
    last_scan_at = models.DateTimeField(null=True, blank=True)
    last_scan_screened = models.PositiveIntegerField(default=0)
    last_scan_opened = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("筛查进度")
        verbose_name_plural = _("筛查进度")

    def __str__(self) -> str:
        return str(self.scanned_until)
