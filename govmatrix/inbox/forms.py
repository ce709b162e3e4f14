"""The inbox's forms: they parse and check input; the services decide and write."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from govmatrix.core.types import Actor
from govmatrix.inbox.clocks import SLA_STATES
from govmatrix.inbox.models import Channel, MessageKind, MessageState, MessageTopic
from govmatrix.matrix.models import Account
from govmatrix.org.models import Unit, UnitKind
from govmatrix.org.permissions import UNIT_EDITOR_ROLES, scope_for
from govmatrix.org.selectors import unit_choices

SLA_LABELS = {
    "on_time": _("时限内"),
    "near": _("即将超时"),
    "overdue": _("已超时"),
    "unknown": _("时限无法计算"),
    "met": _("按时办结"),
    "missed": _("超时办结"),
}
STATE_CHOICES = [("", _("办理中（未办结）")), ("all", _("全部状态")), *MessageState.choices]


def _all(choices: Any) -> list[tuple[str, Any]]:
    return [("", _("全部")), *choices]


class MessageFilterForm(forms.Form):
    q = forms.CharField(
        label=_("搜索"),
        required=False,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("内容关键词，如：噪音 扰民")}
        ),
    )
    unit = forms.ModelChoiceField(label=_("责任单位"), queryset=Unit.objects.none(), required=False)
    kind = forms.ChoiceField(label=_("类型"), choices=_all(MessageKind.choices), required=False)
    topic = forms.ModelChoiceField(
        label=_("主题"), queryset=MessageTopic.objects.none(), required=False
    )
    sla = forms.ChoiceField(
        label=_("时限"), choices=_all([(s, SLA_LABELS[s]) for s in SLA_STATES]), required=False
    )
    state = forms.ChoiceField(label=_("状态"), choices=STATE_CHOICES, required=False)
    account = forms.ModelChoiceField(
        label=_("账号"), queryset=Account.objects.none(), required=False
    )
    assignee = forms.ChoiceField(label=_("经办人"), required=False)
    channel = forms.ChoiceField(label=_("渠道"), choices=_all(Channel.choices), required=False)
    day = forms.DateField(
        label=_("收到日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, user: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_choices(user=user)  # type: ignore[attr-defined]
        self.fields["topic"].queryset = MessageTopic.objects.filter(is_active=True)  # type: ignore[attr-defined]
        visible = scope_for(user).visible_unit_ids
        accounts = Account.objects.filter(kind__in=["main", "sub"]).select_related("unit")
        if visible is not None:
            accounts = accounts.filter(unit_id__in=visible)
        self.fields["account"].queryset = accounts  # type: ignore[attr-defined]
        self.fields["account"].label_from_instance = lambda a: a.display_name  # type: ignore[attr-defined]
        people = [(str(u.pk), u.first_name or u.username) for u in assignable_people(user=user)]
        self.fields["assignee"].choices = [  # type: ignore[attr-defined]
            ("", _("全部")),
            ("me", _("我经办的")),
            ("none", _("未指派")),
            *people,
        ]


def assignable_people(*, user: Actor, unit_id: int | None = None) -> QuerySet[User]:
    """People who work messages: the unit's editors (those the user can see)."""
    scope = scope_for(user)
    units = [unit_id] if unit_id else (scope.visible_unit_ids or None)
    rows = User.objects.filter(
        is_active=True,
        person__memberships__ended_on__isnull=True,
        person__memberships__role__in=list(UNIT_EDITOR_ROLES),
    )
    if units is not None:
        rows = rows.filter(person__memberships__unit_id__in=list(units))
    return rows.distinct().order_by("username")


class RouteForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("转给单位"),
        queryset=Unit.objects.filter(
            is_active=True,
            kind__in=[
                UnitKind.STREET_TOWN,
                UnitKind.DEPARTMENT,
                UnitKind.OFFICE,
                UnitKind.NEWS_OFFICE,
                UnitKind.DISTRICT_GOVERNMENT,
            ],
        ),
    )
    reason = forms.CharField(
        label=_("理由"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("内部备注（网民看不到）"), widget=forms.Textarea(attrs={"rows": 2})
    )


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("经办人"), queryset=User.objects.none(), required=False, empty_label=_("（不指派）")
    )

    def __init__(self, *args: Any, user: Actor, unit_id: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["assignee"]
        field.queryset = (
            assignable_people(user=user, unit_id=unit_id) if unit_id else User.objects.none()
        )
        field.label_from_instance = lambda u: u.first_name or u.username


class ReclassifyForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=MessageKind.choices)
    topic = forms.ModelChoiceField(
        label=_("主题"), queryset=MessageTopic.objects.filter(is_active=True), required=False
    )


class MergeForm(forms.Form):
    into = forms.IntegerField(label=_("并入留言编号"), min_value=1)


class CloseForm(forms.Form):
    note = forms.CharField(
        label=_("办结说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("答复"),
        widget=forms.Textarea(
            attrs={"rows": 6, "data-counter": "reply-count", "data-word": _("字")}
        ),
    )
    closes = forms.BooleanField(
        label=_("发布后办结（不再续报）"),
        required=False,
        help_text=_(
            "“快报事实、慎报原因”：首次答复可先说明已掌握的事实，事项保持办理中，核实后续报。"
        ),
    )
    wording = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("审核意见（退回时必填）"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class WordingForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=100)
    text = forms.CharField(label=_("口径"), widget=forms.Textarea(attrs={"rows": 4}))
    topic = forms.ModelChoiceField(
        label=_("主题"), queryset=MessageTopic.objects.filter(is_active=True), required=False
    )
    unit = forms.ModelChoiceField(
        label=_("适用单位（留空为全区）"), queryset=Unit.objects.none(), required=False
    )

    def __init__(self, *args: Any, user: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope = scope_for(user)
        units = Unit.objects.filter(is_active=True)
        if not scope.is_office_admin:
            units = units.filter(
                pk__in=[u for u, role in scope.roles if role == "principal_leader"]
            )
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class RebuttalForm(forms.Form):
    account = forms.ModelChoiceField(label=_("发布账号"), queryset=Account.objects.none())
    text = forms.CharField(label=_("澄清稿件正文"), widget=forms.Textarea(attrs={"rows": 6}))
    reply_text = forms.CharField(
        label=_("回复每位网民的文字（发布后自动附上稿件链接）"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    ids = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = Account.objects.filter(  # type: ignore[attr-defined]
            kind__in=["main", "sub"], status__in=["active", "dormant"]
        ).order_by("kind", "handle")
        self.fields["account"].label_from_instance = lambda a: a.display_name  # type: ignore[attr-defined]

    def message_ids(self) -> list[int]:
        return [int(p) for p in self.cleaned_data.get("ids", "").split(",") if p.strip().isdigit()]


class SlaTargetForm(forms.Form):
    kind = forms.ChoiceField(choices=MessageKind.choices, widget=forms.HiddenInput)
    ack_hours = forms.DecimalField(
        label=_("首次答复（工作小时）"),
        min_value=Decimal("0.5"),
        max_value=Decimal("200"),
        decimal_places=1,
    )
    resolve_days = forms.DecimalField(
        label=_("办结（工作日）"),
        min_value=Decimal("0.5"),
        max_value=Decimal("60"),
        decimal_places=1,
    )
    ack_warn_hours = forms.DecimalField(
        label=_("提前提醒（工作小时）"), min_value=Decimal("0"), decimal_places=1
    )
    resolve_warn_days = forms.DecimalField(
        label=_("提前提醒（工作日）"), min_value=Decimal("0"), decimal_places=1
    )


class TopicForm(forms.Form):
    name = forms.CharField(label=_("主题名称"), max_length=50)
    keywords = forms.CharField(label=_("关键词（空格分隔）"), required=False)
    unit = forms.ModelChoiceField(
        label=_("责任单位"), queryset=Unit.objects.filter(is_active=True), required=False
    )


class TopicUnitForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("责任单位"),
        queryset=Unit.objects.filter(is_active=True),
        required=False,
        empty_label=_("（待分办）"),
    )
    keywords = forms.CharField(label=_("关键词"), required=False)


class PlaceForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("街镇"), queryset=Unit.objects.filter(is_active=True, kind=UnitKind.STREET_TOWN)
    )
    name = forms.CharField(label=_("地名（社区、小区、道路）"), max_length=50)


class SettingsForm(forms.Form):
    triage_threshold = forms.DecimalField(
        label=_("分办置信度下限"), min_value=Decimal("0"), max_value=Decimal("1"), decimal_places=2
    )
    followup_days = forms.DecimalField(
        label=_("跟进提醒（工作日）"), min_value=Decimal("0.5"), decimal_places=1
    )
