"""Posts, their review by the unit's principal leader, and their report to the office (R3, R5.1).

A post's states and the moves between them are in `services/posts.py` (POST_TRANSITIONS);
the invariants that must hold whatever code runs are database constraints here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from govmatrix.core.models import TimeStampedModel
from govmatrix.matrix.models import Account
from govmatrix.org.models import Unit

# The topics of R3.1, seeded by migration 0002 (which holds its own copy of this list).
DEFAULT_TOPICS: tuple[tuple[str, str], ...] = (
    ("policy", "政策措施"),
    ("key_work", "重点工作"),
    ("healthcare", "医疗卫生"),
    ("education", "教育"),
    ("housing_security", "住房保障"),
    ("public_transport", "公共交通"),
    ("culture", "文化"),
    ("emergency", "突发事件"),
    ("other", "其他"),
)


class Topic(TimeStampedModel):
    """What a post is about (R3.1). The first nine are seeded; the office may add more."""

    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=50, unique=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=100)
    is_active = models.BooleanField(_("在用"), default=True)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("主题")
        verbose_name_plural = _("主题")

    def __str__(self) -> str:
        return self.name


class PostStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审核")
    RETURNED = "returned", _("已退回")
    APPROVED = "approved", _("已通过")
    SCHEDULED = "scheduled", _("待发布")
    PUBLISHING = "publishing", _("发布中")
    PUBLISHED = "published", _("已发布")
    FAILED = "failed", _("发布失败")


# The states in which the post's current version carries a leader's approval.
APPROVED_STATES = (
    PostStatus.APPROVED,
    PostStatus.SCHEDULED,
    PostStatus.PUBLISHING,
    PostStatus.PUBLISHED,
    PostStatus.FAILED,
)
# The states in which the text may still be changed (a change sends the post back to draft).
EDITABLE_STATES = (
    PostStatus.DRAFT,
    PostStatus.SUBMITTED,
    PostStatus.RETURNED,
    PostStatus.APPROVED,
    PostStatus.SCHEDULED,
    PostStatus.FAILED,
)


class Post(TimeStampedModel):
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="posts", verbose_name=_("账号")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("撰稿人"),
    )
    text = models.TextField(_("正文"))
    topics = models.ManyToManyField(Topic, blank=True, related_name="posts", verbose_name=_("主题"))
    important = models.BooleanField(_("重要信息"), default=False)
    scheduled_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=PostStatus.choices,
        default=PostStatus.DRAFT,
        db_index=True,
    )
    # +1 whenever the content (text or images) changes; an approval is for one version.
    version = models.PositiveIntegerField(_("版本"), default=1)
    repost_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reposts",
        verbose_name=_("转发原稿"),
    )
    # The last approval: the text it approved is what the next approver compares against.
    approved_text = models.TextField(_("最近通过的正文"), blank=True)
    approved_version = models.PositiveIntegerField(_("通过的版本"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审核人"),
    )
    approved_at = models.DateTimeField(_("通过时间"), null=True, blank=True)
    # Weibo wants the IP of the person behind a publication (`rip`): the approver's.
    approved_ip = models.GenericIPAddressField(_("审核人 IP"), null=True, blank=True)
    # +1 each time the post goes to the platform; part of the outbox idempotency key.
    publish_round = models.PositiveIntegerField(default=0)
    publishing_since = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True, db_index=True)
    external_id = models.CharField(_("平台编号"), max_length=100, blank=True)
    public_url = models.CharField(_("公开链接"), max_length=500, blank=True)
    failure_message = models.TextField(_("平台返回"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("稿件")
        verbose_name_plural = _("稿件")
        indexes = [
            models.Index(fields=["status", "scheduled_at"]),
            models.Index(fields=["account", "status"]),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="publishing_post_has_text"),
            # R5.1: nothing is scheduled or published in a version no leader approved.
            models.CheckConstraint(
                condition=~Q(status__in=[str(s) for s in APPROVED_STATES])
                | (Q(approved_by__isnull=False) & Q(approved_version=F("version"))),
                name="publishing_post_approved_version",
            ),
            models.CheckConstraint(
                condition=~Q(status=PostStatus.SCHEDULED) | Q(scheduled_at__isnull=False),
                name="publishing_post_scheduled_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status=PostStatus.PUBLISHED) | Q(published_at__isnull=False),
                name="publishing_post_published_has_time",
            ),
        ]

    def __str__(self) -> str:
        first_line = self.text.strip().splitlines()[0] if self.text.strip() else ""
        return f"{self.account} · {first_line[:30]}"

    @property
    def is_repost(self) -> bool:
        return self.repost_of_id is not None


def post_image_path(instance: PostImage, filename: str) -> str:
    # The name is ours, never the uploader's: only the checked extension is kept.
    return f"publishing/{instance.post_id}/{instance.token}.{instance.extension}"


class PostImage(models.Model):
    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="images", verbose_name=_("稿件")
    )
    file = models.FileField(_("图片"), upload_to=post_image_path, max_length=200)
    token = models.CharField(max_length=32)
    extension = models.CharField(max_length=8)
    content_type = models.CharField(max_length=32)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    original_name = models.CharField(max_length=200, blank=True)
    sort_order = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("配图")
        verbose_name_plural = _("配图")

    def __str__(self) -> str:
        return str(self.original_name or self.file.name)


class ReviewDecision(models.TextChoices):
    APPROVED = "approved", _("通过")
    RETURNED = "returned", _("退回修改")
    WITHDRAWN = "withdrawn", _("撤回")


class Review(models.Model):
    """One submission of one version to the approver, with the content check it got."""

    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("稿件")
    )
    version = models.PositiveIntegerField(_("版本"))
    text = models.TextField(_("提交的正文"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("提交时间"))
    check_hits = models.JSONField(_("内容检查"), default=list, blank=True)
    decision = models.CharField(
        _("结果"), max_length=16, choices=ReviewDecision.choices, blank=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    comment = models.TextField(_("审核意见"), blank=True)
    self_approval = models.BooleanField(_("本人审核本人稿件"), default=False)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("审核")
        verbose_name_plural = _("审核")
        constraints = [
            models.UniqueConstraint(
                fields=["post"], condition=Q(decision=""), name="publishing_review_one_open"
            ),
            models.CheckConstraint(
                condition=(Q(decision="") & Q(decided_at__isnull=True))
                | (~Q(decision="") & Q(decided_at__isnull=False)),
                name="publishing_review_decided_has_time",
            ),
            models.CheckConstraint(
                condition=Q(self_approval=False) | Q(decision=ReviewDecision.APPROVED),
                name="publishing_review_self_approval_is_approval",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.post} v{self.version}"

    @property
    def is_open(self) -> bool:
        return self.decision == ""


class ReportState(models.TextChoices):
    NEW = "new", _("待审阅")
    ACKNOWLEDGED = "acknowledged", _("已阅")
    CORRECTION_REQUESTED = "correction_requested", _("待单位更正")
    CORRECTION_ANSWERED = "correction_answered", _("单位已答复")


class ReportItem(TimeStampedModel):
    """A published post as reported to the office (报送, R3.2), made in the same transaction."""

    post = models.OneToOneField(
        Post, on_delete=models.PROTECT, related_name="report_item", verbose_name=_("稿件")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("报送单位")
    )
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="+", verbose_name=_("账号")
    )
    important = models.BooleanField(_("重要信息"), default=False)
    reported_at = models.DateTimeField(_("报送时间"), db_index=True)
    review_due_at = models.DateTimeField(_("审阅时限"), null=True, blank=True)
    state = models.CharField(
        _("状态"),
        max_length=24,
        choices=ReportState.choices,
        default=ReportState.NEW,
        db_index=True,
    )
    reviewed_at = models.DateTimeField(_("审阅时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    overdue_notified_at = models.DateTimeField(null=True, blank=True)
    repost_post = models.OneToOneField(
        Post,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposed_by_report",
        verbose_name=_("主账号转发稿"),
    )

    class Meta:
        ordering = ["-reported_at", "-id"]
        verbose_name = _("报送")
        verbose_name_plural = _("报送")
        indexes = [models.Index(fields=["important", "reviewed_at", "review_due_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(important=False) | Q(review_due_at__isnull=False),
                name="publishing_report_important_has_deadline",
            ),
            models.CheckConstraint(
                condition=~Q(state=ReportState.NEW) | Q(reviewed_at__isnull=True),
                name="publishing_report_new_is_unreviewed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.post}"


class ReportNoteKind(models.TextChoices):
    COMMENT = "comment", _("意见")
    ACKNOWLEDGEMENT = "acknowledgement", _("已阅")
    CORRECTION_REQUEST = "correction_request", _("要求更正")
    CORRECTION_RESPONSE = "correction_response", _("单位答复")
    REPOST_PROPOSAL = "repost_proposal", _("建议主账号转发")


class ReportNote(models.Model):
    """The conversation about one report item between the office and the unit."""

    item = models.ForeignKey(ReportItem, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("类别"), max_length=24, choices=ReportNoteKind.choices)
    text = models.TextField(_("内容"), blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("报送意见")
        verbose_name_plural = _("报送意见")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:30]}"


class RuleKind(models.TextChoices):
    BANNED = "banned", _("禁用表述")
    ALLOWED = "allowed", _("豁免词")


class ContentRule(TimeStampedModel):
    """An office-editable entry of the content check: a banned expression or an exempt word."""

    kind = models.CharField(_("类别"), max_length=16, choices=RuleKind.choices)
    phrase = models.CharField(_("词语"), max_length=100)
    suggestion = models.CharField(_("建议写法"), max_length=200, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    is_active = models.BooleanField(_("在用"), default=True)

    class Meta:
        ordering = ["kind", "phrase"]
        verbose_name = _("内容检查词")
        verbose_name_plural = _("内容检查词")
        constraints = [
            models.UniqueConstraint(fields=["kind", "phrase"], name="publishing_rule_unique"),
        ]

    def __str__(self) -> str:
        return self.phrase


class LeaderName(TimeStampedModel):
    """A leader whose name and title must be written exactly."""

    name = models.CharField(_("姓名"), max_length=20)
    titles = models.CharField(
        _("职务"),
        max_length=100,
        help_text=_("规范写法；多个职务用顿号分隔，如“区委副书记、区长”。"),
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("单位"),
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=100)
    is_active = models.BooleanField(_("在用"), default=True)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("领导姓名职务")
        verbose_name_plural = _("领导姓名职务")
        constraints = [
            models.UniqueConstraint(
                fields=["name"], condition=Q(is_active=True), name="publishing_leader_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.titles}）"


class PublishingSettings(models.Model):
    """The office's settings for publishing: one row."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    important_review_hours = models.PositiveSmallIntegerField(
        _("重要报送审阅时限（工作小时）"), default=4
    )
    paused = models.BooleanField(_("暂停定时发布"), default=False)
    paused_at = models.DateTimeField(null=True, blank=True)
    paused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    pause_note = models.CharField(_("暂停原因"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("发布设置")
        verbose_name_plural = _("发布设置")
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="publishing_settings_single_row"),
            models.CheckConstraint(
                condition=Q(important_review_hours__gte=1) & Q(important_review_hours__lte=72),
                name="publishing_settings_review_hours_range",
            ),
        ]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)
