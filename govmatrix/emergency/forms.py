"""Forms of the emergency pages: they parse; the services decide."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govmatrix.emergency.models import IncidentLevel, StatementKind
from govmatrix.matrix.models import OPEN_STATUSES, Account, AccountKind
from govmatrix.org.models import Person, Unit

LOCAL_INPUT = "%Y-%m-%dT%H:%M"


class LocalDateTimeField(forms.DateTimeField):
    """A browser's datetime-local value, read in the district's time zone."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_INPUT)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(input_formats=[LOCAL_INPUT, "%Y-%m-%d %H:%M"], **kwargs)

    def to_python(self, value: Any) -> datetime | None:
        moment = super().to_python(value)
        if moment is not None and timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment


class CommanderChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        title = f"（{obj.title}）" if obj.title else ""
        return f"{obj.name}{title} · {obj.user.get_username()}"


class IncidentForm(forms.Form):
    title = forms.CharField(label=_("事件名称"), max_length=100)
    level = forms.ChoiceField(label=_("级别"), choices=IncidentLevel.choices)
    commander = CommanderChoice(
        label=_("现场最高领导"),
        queryset=Person.objects.filter(is_active=True, user__is_active=True).select_related("user"),
        required=False,
        help_text=_("须有登录账号：现场最高领导在手机上审核应对口径。不在列表中的，请在下方新建。"),
    )
    new_name = forms.CharField(label=_("新建：姓名"), max_length=50, required=False)
    new_title = forms.CharField(label=_("职务"), max_length=100, required=False)
    new_phone = forms.CharField(label=_("电话"), max_length=30, required=False)
    new_username = forms.CharField(label=_("登录名"), max_length=150, required=False)
    new_password = forms.CharField(
        label=_("初始密码"), required=False, widget=forms.PasswordInput(render_value=True)
    )
    units = forms.ModelMultipleChoiceField(
        label=_("涉事单位"),
        queryset=Unit.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    summary = forms.CharField(
        label=_("事件概况"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    declared_at = LocalDateTimeField(
        label=_("宣布时间"),
        required=False,
        help_text=_("默认为现在；事后补录时填写实际宣布的时间。"),
    )
    pause_publishing = forms.BooleanField(
        label=_("同时暂停全部定时发布（应对口径不受影响）"), required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("commander") and not data.get("new_name"):
            self.add_error("commander", _("请选择现场最高领导，或在下方新建。"))
        return data


class StatementForm(forms.Form):
    account = forms.ModelChoiceField(
        label=_("发布账号"), queryset=Account.objects.none(), empty_label=None
    )
    kind = forms.ChoiceField(label=_("类别"), choices=StatementKind.choices)
    text = forms.CharField(label=_("正文"), widget=forms.Textarea(attrs={"rows": 7}))
    repost_comment = forms.CharField(
        label=_("转发评论"),
        max_length=280,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("子账号转发时附带的评论，与正文一起由现场最高领导审核。可不填。"),
    )
    order_reposts = forms.BooleanField(label=_("发布后下达转发任务"), required=False, initial=True)
    repost_minutes = forms.IntegerField(label=_("转发时限（分钟）"), min_value=5, max_value=1440)
    target_all = forms.TypedChoiceField(
        label=_("转发范围"),
        choices=[("1", _("全部子账号")), ("0", _("指定子账号"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        initial="1",
    )
    targets = forms.ModelMultipleChoiceField(
        label=_("指定子账号"),
        queryset=Account.objects.filter(kind=AccountKind.SUB, status__in=OPEN_STATUSES)
        .select_related("unit")
        .order_by("unit__sort_order", "unit__code", "handle"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, accounts: Any, kinds: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = accounts  # type: ignore[attr-defined]
        # "@区发布" has one main account per platform: say which.
        self.fields["account"].label_from_instance = (  # type: ignore[attr-defined]
            lambda account: f"{account.display_name}（{account.get_platform_display()}）"
        )
        self.fields["kind"].choices = [  # type: ignore[attr-defined]
            (value, label) for value, label in StatementKind.choices if value in kinds
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("target_all") is False and not data.get("targets"):
            self.add_error("targets", _("请选择至少一个子账号。"))
        return data


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("审核意见"),
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 2, "placeholder": _("通过可不填；退回须写明修改意见")}
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class PressConferenceForm(forms.Form):
    held_at = LocalDateTimeField(label=_("召开时间"), required=False)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class AllowanceForm(forms.Form):
    account = forms.ModelChoiceField(
        label=_("子账号"),
        queryset=Account.objects.filter(kind=AccountKind.SUB, status__in=OPEN_STATUSES)
        .select_related("unit")
        .order_by("unit__sort_order", "handle"),
    )
    reason = forms.CharField(label=_("许可理由"), max_length=200)


class ExemptForm(forms.Form):
    reason = forms.CharField(label=_("免除理由"), max_length=200)


class RecordForm(forms.Form):
    url = forms.CharField(label=_("转发微博链接"), max_length=500)
    external_id = forms.CharField(label=_("微博编号（可不填）"), max_length=100, required=False)
    reposted_at = LocalDateTimeField(label=_("转发时间"), required=False)


class SettingsForm(forms.Form):
    first_info_hours = forms.IntegerField(
        label=_("首次发布权威信息时限（小时）"), min_value=1, max_value=168
    )
    full_release_hours = forms.IntegerField(
        label=_("详细发布或新闻发布会时限（小时）"), min_value=1, max_value=168
    )
    repost_minutes = forms.IntegerField(
        label=_("默认转发时限（分钟）"), min_value=5, max_value=1440
    )
    reminder_minutes = forms.IntegerField(
        label=_("到期前提醒（分钟）"), min_value=1, max_value=1439
    )
    document_prefix = forms.CharField(label=_("文号前缀"), max_length=20)
