"""Forms of the assessment pages: they parse input; the services decide."""

from __future__ import annotations

import json
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govmatrix.assessment.models import (
    ChecklistItem,
    FindingMetric,
    Sampling,
    SchemeVersion,
    Severity,
)
from govmatrix.assessment.scoring import Quarter


def quarter_choices(count: int = 8) -> list[tuple[str, str]]:
    from govmatrix.assessment.dates import quarter_title

    quarter = Quarter.containing(timezone.localdate())
    choices = []
    for _i in range(count):
        choices.append((str(quarter), quarter_title(str(quarter))))
        quarter = quarter.previous()
    return choices


class RunCreateForm(forms.Form):
    quarter = forms.ChoiceField(label=_("季度"))
    scheme = forms.ModelChoiceField(
        label=_("考核方案"),
        queryset=SchemeVersion.objects.filter(is_current=True).order_by("name"),
        to_field_name="name",
        empty_label=None,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = quarter_choices()
        cast(forms.ChoiceField, self.fields["quarter"]).choices = choices
        self.fields["quarter"].initial = choices[1][0]  # the last finished quarter
        self.fields["scheme"].initial = "four_dimensions"
        self.fields["scheme"].label_from_instance = (  # type: ignore[attr-defined]
            lambda v: f"{v.title_zh}（第{v.number}版）"
        )


class SchemeForm(forms.Form):
    definition = forms.CharField(
        label=_("方案内容（JSON）"),
        widget=forms.Textarea(attrs={"rows": 28, "class": "font-monospace", "spellcheck": "false"}),
        help_text=_("指标、权重、标准化方法和单项否决项；保存前逐项校验，保存为新版本。"),
    )
    note = forms.CharField(label=_("修改说明"), max_length=300, required=False)

    def clean_definition(self) -> Any:
        try:
            return json.loads(self.cleaned_data["definition"])
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(_("不是有效的 JSON：%(e)s") % {"e": exc}) from exc


class NoticeForm(forms.Form):
    number = forms.CharField(label=_("文号"), max_length=100)
    issuer = forms.CharField(label=_("发文机关"), max_length=100)
    issued_on = forms.DateField(label=_("成文日期"), widget=forms.DateInput(attrs={"type": "date"}))
    addressees = forms.CharField(label=_("主送"), max_length=200)
    summary = forms.CharField(label=_("总体情况"), widget=forms.Textarea(attrs={"rows": 4}))
    good_practice = forms.CharField(label=_("好的做法"), widget=forms.Textarea(attrs={"rows": 4}))
    problems = forms.CharField(label=_("存在的问题"), widget=forms.Textarea(attrs={"rows": 4}))
    requirements = forms.CharField(label=_("整改要求"), widget=forms.Textarea(attrs={"rows": 4}))
    copy_to = forms.CharField(label=_("抄送"), max_length=300, required=False)


class PlanForm(forms.Form):
    title = forms.CharField(label=_("名称"), max_length=200)
    quarter = forms.ChoiceField(label=_("季度"))
    check_date = forms.DateField(
        label=_("检查时点"), widget=forms.DateInput(attrs={"type": "date"})
    )
    sampling = forms.ChoiceField(label=_("范围"), choices=Sampling.choices)
    sample_percent = forms.IntegerField(
        label=_("抽查比例（%）"), min_value=1, max_value=100, required=False, initial=10,
        help_text=_("随机抽查时填写；默认每季度不少于 10%。"),
    )  # fmt: skip
    seed = forms.IntegerField(
        label=_("随机种子（可选）"), required=False, min_value=0,
        help_text=_("留空则随机生成并记录，以便复核抽样结果。"),
    )  # fmt: skip
    note = forms.CharField(
        label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["quarter"]).choices = quarter_choices(4)


class FindingForm(forms.Form):
    account = forms.TypedChoiceField(label=_("账号"), coerce=int)
    item = forms.ModelChoiceField(
        label=_("检查项"), queryset=ChecklistItem.objects.filter(is_active=True)
    )
    severity = forms.ChoiceField(
        label=_("严重程度"), choices=[("", _("按检查项默认")), *Severity.choices], required=False
    )
    description = forms.CharField(label=_("问题描述"), widget=forms.Textarea(attrs={"rows": 3}))
    evidence_url = forms.CharField(label=_("证据链接"), max_length=500, required=False)
    found_on = forms.DateField(label=_("发现日期"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, accounts: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["account"]).choices = accounts
        self.fields["found_on"].initial = timezone.localdate()


class ChecklistItemForm(forms.ModelForm):
    class Meta:
        model = ChecklistItem
        fields = ["code", "label", "description", "metric", "default_severity",
                  "rectify_working_days", "sort_order", "is_active"]  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["metric"]).choices = FindingMetric.choices
        if self.instance.pk:
            self.fields["code"].disabled = True


class TextForm(forms.Form):
    text = forms.CharField(
        label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
