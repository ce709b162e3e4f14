"""Forms of the moderation pages: they parse and show errors; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from govmatrix.core.types import Actor
from govmatrix.moderation.models import (
    CATEGORY_CHOICES,
    CaseOutcome,
    CaseState,
    FindingRule,
    FindingStatus,
    FlagSource,
    LexiconAction,
)
from govmatrix.org.models import Unit
from govmatrix.org.permissions import scope_for

BLANK = [("", "—")]


def _units(user: Actor) -> Any:
    visible = scope_for(user).visible_unit_ids
    units = Unit.objects.filter(is_active=True).order_by("sort_order", "name")
    return units if visible is None else units.filter(pk__in=visible)


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("搜索"), required=False)
    state = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[*BLANK, ("open", _("未办结")), *CaseState.choices],
    )
    unit = forms.ModelChoiceField(label=_("单位"), queryset=Unit.objects.none(), required=False)
    category = forms.ChoiceField(
        label=_("类别"), required=False, choices=[*BLANK, *CATEGORY_CHOICES]
    )
    source = forms.ChoiceField(
        label=_("发现方式"), required=False, choices=[*BLANK, *FlagSource.choices]
    )
    outcome = forms.ChoiceField(
        label=_("处置结果"), required=False, choices=[*BLANK, *CaseOutcome.choices]
    )

    def __init__(self, *args: Any, user: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units(user)  # type: ignore[attr-defined]


class FlagForm(forms.Form):
    message_id = forms.IntegerField(widget=forms.HiddenInput)
    category = forms.ChoiceField(label=_("类别"), choices=[*BLANK, *CATEGORY_CHOICES])
    reason = forms.CharField(
        label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class ApplicationForm(forms.Form):
    number = forms.CharField(label=_("文号"), max_length=60)
    title = forms.CharField(label=_("标题"), max_length=200)
    addressee = forms.CharField(label=_("主送"), max_length=100)
    body = forms.CharField(label=_("正文"), widget=forms.Textarea(attrs={"rows": 4}))
    reason = forms.CharField(label=_("申请理由"), widget=forms.Textarea(attrs={"rows": 3}))
    request = forms.CharField(label=_("处置请求"), widget=forms.Textarea(attrs={"rows": 2}))
    contact = forms.CharField(label=_("联系人"), max_length=50, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)


class LetterForm(forms.Form):
    number = forms.CharField(label=_("文号"), max_length=60)
    title = forms.CharField(label=_("标题"), max_length=200)
    addressee = forms.CharField(label=_("主送（报请对象）"), max_length=100)
    copy_to = forms.CharField(
        label=_("抄送（上级主管部门）"), max_length=300, required=False,
        help_text=_("多个单位用顿号分隔。"),
    )  # fmt: skip
    body = forms.CharField(label=_("正文"), widget=forms.Textarea(attrs={"rows": 4}))
    request = forms.CharField(label=_("请求事项"), widget=forms.Textarea(attrs={"rows": 2}))
    contact = forms.CharField(label=_("联系人"), max_length=50, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("处置结果"), choices=CaseOutcome.choices)
    note = forms.CharField(
        label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class FindingFilterForm(forms.Form):
    q = forms.CharField(label=_("搜索"), required=False)
    unit = forms.ModelChoiceField(label=_("单位"), queryset=Unit.objects.none(), required=False)
    rule = forms.ChoiceField(
        label=_("检查项"), required=False, choices=[*BLANK, *FindingRule.choices]
    )
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[*BLANK, ("open", _("未完成")), ("overdue", _("已超期")), *FindingStatus.choices],
    )

    def __init__(self, *args: Any, user: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units(user)  # type: ignore[attr-defined]


class ResponseForm(forms.Form):
    response = forms.CharField(label=_("整改情况"), widget=forms.Textarea(attrs={"rows": 3}))


class LexiconEntryForm(forms.Form):
    action = forms.ChoiceField(label=_("修改类型"), choices=LexiconAction.choices)
    term = forms.CharField(label=_("词语"), max_length=100)
    category = forms.ChoiceField(
        label=_("类别"), required=False, choices=[*BLANK, *CATEGORY_CHOICES]
    )
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class TypoForm(forms.Form):
    wrong = forms.CharField(label=_("错误写法"), max_length=40)
    correct = forms.CharField(label=_("正确写法"), max_length=40)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)
