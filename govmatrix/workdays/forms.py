from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

DATE_INPUT = forms.DateInput(attrs={"type": "date"})


class DayRangeForm(forms.Form):
    first = forms.DateField(label=_("开始日期"), widget=DATE_INPUT)
    last = forms.DateField(label=_("结束日期"), widget=DATE_INPUT)
    is_workday = forms.TypedChoiceField(
        label=_("类型"),
        choices=[("0", _("放假")), ("1", _("调休上班"))],
        coerce=lambda value: value == "1",
    )
    name = forms.CharField(label=_("名称"), max_length=50)
