"""Forms of the guidance and training pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from govmatrix.org.models import Unit
from govmatrix.training.models import AudienceLevel, EventKind


def _units() -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        label=_("单位"),
        queryset=Unit.objects.filter(is_active=True).exclude(kind="office"),
        widget=forms.CheckboxSelectMultiple,
    )


class NoticeForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    body = forms.CharField(label=_("正文"), widget=forms.Textarea(attrs={"rows": 8}))
    units = _units()
    read_by = forms.DateField(
        label=_("阅知期限（可选）"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ThreadForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    body = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 4}))


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("回复"), widget=forms.Textarea(attrs={"rows": 3}))


class EventForm(forms.Form):
    kind = forms.ChoiceField(label=_("形式"), choices=EventKind.choices)
    title = forms.CharField(label=_("名称"), max_length=200)
    content = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 4}))
    starts_at = forms.DateTimeField(
        label=_("开始时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label=_("结束时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    location = forms.CharField(label=_("地点或链接"), max_length=200, required=False)
    levels = forms.MultipleChoiceField(
        label=_("对象层次"), choices=AudienceLevel.choices, widget=forms.CheckboxSelectMultiple
    )
    units = _units()


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("材料名称"), max_length=200, required=False)
    file = forms.FileField(label=_("文件"))


class AttendanceForm(forms.Form):
    """One choice per invited person: attended / excused / absent."""

    def __init__(self, *args: Any, people: list[tuple[int, str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from govmatrix.training.models import AttendanceStatus

        for pk, label, current in people:
            self.fields[f"person_{pk}"] = forms.ChoiceField(
                label=label,
                choices=[("", "—"), *AttendanceStatus.choices],
                required=False,
                initial=current,
            )

    def statuses(self) -> dict[int, str]:
        return {
            int(name.removeprefix("person_")): value
            for name, value in self.cleaned_data.items()
            if value
        }
