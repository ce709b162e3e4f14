"""Citizens' messages as the inbox holds them, with what the machine and people decided.

A message's states and the moves between them are MESSAGE_TRANSITIONS in
`services/messages.py`; invariants that must hold whatever code runs are constraints here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govmatrix.core.models import TimeStampedModel
from govmatrix.matrix.models import Account
from govmatrix.org.models import Unit

# The first-level classes of the district's message board (R4.1), seeded by migration 0002.
DEFAULT_TOPICS: tuple[tuple[str, str], ...] = (
    ("urban", "城乡建设"),
    ("environment", "环境保护"),
    ("transport", "交通运输"),
    ("education", "教育文体"),
    ("labour", "劳动和社会保障"),
    ("commerce", "商贸旅游"),
    ("health", "卫生计生"),
)


class MessageTopic(TimeStampedModel):
    """What a message is about, and which unit answers for it when no place decides.

    The seven first-level classes are seeded; the office adds its own with keywords (they
    extend the keyword router) and edits the topic → unit map here.
    """

    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=50, unique=True)
    keywords = models.TextField(
        _("关键词"), blank=True, help_text=_("用空格或换行分隔；用于自动分类。")
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("责任单位"),
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=100)
    is_active = models.BooleanField(_("在用"), default=True)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("留言主题")
        verbose_name_plural = _("留言主题")

    def __str__(self) -> str:
        return self.name

    @property
    def keyword_list(self) -> list[str]:
        return [w for w in self.keywords.split() if w]


class PlaceName(models.Model):
    """A name that places a message in a street or town (besides the unit's own name)."""

    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="+", verbose_name=_("街镇")
    )
    name = models.CharField(_("地名"), max_length=50)

    class Meta:
        ordering = ["unit__sort_order", "name"]
        verbose_name = _("地名")
        verbose_name_plural = _("地名")
        constraints = [models.UniqueConstraint(fields=["name"], name="inbox_place_unique_name")]

    def __str__(self) -> str:
        return self.name


class Channel(models.TextChoices):
    COMMENT = "comment", _("评论")
    MENTION = "mention", _("@提及")
    DM = "dm", _("私信/留言")


class MessageKind(models.TextChoices):
    COMPLAINT = "complaint", _("投诉")
    INQUIRY = "inquiry", _("咨询")
    SUGGESTION = "suggestion", _("建议")
    PRAISE = "praise", _("表扬")
    OTHER = "other", _("其他")


class MessageState(models.TextChoices):
    TRIAGE = "triage", _("待分办")
    OPEN = "open", _("待答复")
    ANSWERED = "answered", _("已答复（跟进中）")
    CLOSED = "closed", _("已办结")
    MERGED = "merged", _("已合并")


# The states in which a message is still someone's work (its clocks run).
WORKING_STATES = (MessageState.TRIAGE, MessageState.OPEN, MessageState.ANSWERED)


class RoutedBy(models.TextChoices):
    PLACE = "place", _("地名")
    ACCOUNT = "account", _("收到留言的账号")
    MODEL = "model", _("本区训练的模型")
    TOPIC = "topic", _("主题对应单位")
    PERSON = "person", _("人工分办")
    NONE = "none", _("无法判断")


class Message(models.Model):
    platform = models.CharField(_("平台"), max_length=16)
    external_id = models.CharField(_("平台编号"), max_length=100)
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="+", verbose_name=_("收到的账号")
    )
    channel = models.CharField(_("渠道"), max_length=8, choices=Channel.choices)
    post_external_id = models.CharField(max_length=100, blank=True)
    parent_external_id = models.CharField(max_length=100, blank=True)
    url = models.CharField(_("链接"), max_length=500, blank=True)
    author_id = models.CharField(_("网民编号"), max_length=100)
    author_name = models.CharField(_("网民"), max_length=100)
    text = models.TextField(_("内容"))
    received_at = models.DateTimeField(_("收到时间"), db_index=True)
    ingested_at = models.DateTimeField(_("同步时间"), auto_now_add=True)
    # A citizen's later message in the same thread (under our reply, or under their own).
    follows = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("追问于"),
    )
    # --- what the machine said, each with its confidence --------------------------------------
    kind = models.CharField(_("类型"), max_length=12, choices=MessageKind.choices)
    kind_confidence = models.FloatField(_("类型置信度"), default=0.0)
    topic = models.ForeignKey(
        MessageTopic,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name=_("主题"),
    )
    topic_confidence = models.FloatField(_("主题置信度"), default=0.0)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("责任单位"),
    )
    unit_confidence = models.FloatField(_("分办置信度"), default=0.0)
    routed_by = models.CharField(_("分办依据"), max_length=8, choices=RoutedBy.choices)
    place_name = models.CharField(_("地名"), max_length=50, blank=True)
    harm_score = models.FloatField(_("有害分值"), default=0.0)
    harm_flagged = models.BooleanField(_("疑似有害"), default=False)
    harm_source = models.CharField(max_length=12, blank=True)
    harm_categories = models.CharField(max_length=200, blank=True)
    # jieba search-mode words, space-separated: the full-text index reads this column.
    search_text = models.TextField(blank=True)
    # --- working it ---------------------------------------------------------------------------
    state = models.CharField(
        _("状态"), max_length=12, choices=MessageState.choices, default=MessageState.OPEN
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("经办人"),
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("合并到"),
    )
    # --- clocks (working time, see services/sla.py) -------------------------------------------
    ack_due_at = models.DateTimeField(_("首次答复时限"), null=True, blank=True)
    ack_warn_at = models.DateTimeField(null=True, blank=True, db_index=True)
    resolve_due_at = models.DateTimeField(_("办结时限"), null=True, blank=True)
    resolve_warn_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # The deadline running now (first answer, then resolution) and its warning: sorting and
    # the SLA-state filter read these two.
    next_due_at = models.DateTimeField(_("当前时限"), null=True, blank=True)
    next_warn_at = models.DateTimeField(null=True, blank=True)
    # "": every clock could be computed; else the years the calendar does not know ("2027").
    sla_problem = models.CharField(max_length=40, blank=True, db_index=True)
    first_response_at = models.DateTimeField(_("首次答复时间"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    ack_warned_at = models.DateTimeField(null=True, blank=True)
    ack_escalated_at = models.DateTimeField(null=True, blank=True)
    resolve_warned_at = models.DateTimeField(null=True, blank=True)
    resolve_escalated_at = models.DateTimeField(null=True, blank=True)
    # "Facts fast, causes cautiously": after an answer that leaves the matter open, a reminder.
    followup_due_at = models.DateTimeField(_("跟进提醒"), null=True, blank=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("网民留言")
        verbose_name_plural = _("网民留言")
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "external_id"], name="inbox_message_once_per_platform"
            ),
            models.CheckConstraint(
                condition=~Q(state=MessageState.MERGED) | Q(merged_into__isnull=False),
                name="inbox_message_merged_has_target",
            ),
            models.CheckConstraint(
                condition=~Q(state=MessageState.CLOSED) | Q(resolved_at__isnull=False),
                name="inbox_message_closed_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(state=MessageState.ANSWERED) | Q(first_response_at__isnull=False),
                name="inbox_message_answered_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(state=MessageState.OPEN) | Q(unit__isnull=False),
                name="inbox_message_open_has_unit",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "state", "next_due_at"], name="inbox_msg_queue"),
            models.Index(fields=["state", "next_due_at"], name="inbox_msg_state_due"),
            models.Index(fields=["account", "received_at"], name="inbox_msg_account"),
            models.Index(fields=["assignee", "state"], name="inbox_msg_assignee"),
            models.Index(fields=["author_id", "account"], name="inbox_msg_author"),
        ]

    def __str__(self) -> str:
        flat = " ".join(self.text.split())
        return f"{self.author_name}：{flat[:30]}"

    @property
    def is_working(self) -> bool:
        return self.state in WORKING_STATES

    @property
    def harm_category_list(self) -> list[str]:
        return [c for c in self.harm_categories.split(",") if c]


class MessageNote(models.Model):
    """An internal note on a message: seen by staff, never by the citizen."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("内容"))
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("内部备注")
        verbose_name_plural = _("内部备注")

    def __str__(self) -> str:
        return self.text[:30]


class LabelSource(models.TextChoices):
    TRIAGE = "triage", _("分办")
    REROUTE = "reroute", _("转办")
    RECLASSIFY = "reclassify", _("更正分类")


class RoutingLabel(models.Model):
    """A person's routing decision: what the router is retrained on (`textintel_train`)."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="labels")
    source = models.CharField(_("来源"), max_length=12, choices=LabelSource.choices)
    from_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    from_topic = models.ForeignKey(
        MessageTopic, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_topic = models.ForeignKey(
        MessageTopic, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    from_kind = models.CharField(max_length=12, blank=True)
    to_kind = models.CharField(max_length=12, blank=True)
    reason = models.TextField(_("理由"), blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("分办标注")
        verbose_name_plural = _("分办标注")

    def __str__(self) -> str:
        return f"{self.message_id}: {self.from_unit_id} → {self.to_unit_id}"
