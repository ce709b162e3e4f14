from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from govmatrix.org.models import GroupTarget, Person, Role, Staffing, TargetScope, Unit, UnitKind

DATE_INPUT = forms.DateInput(attrs={"type": "date"})


class UnitForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    code = forms.CharField(
        label=_("代码"), max_length=32, help_text=_("如 street01、dept05，创建后不可修改。")
    )
    kind = forms.ChoiceField(label=_("类型"), choices=UnitKind.choices)
    parent = forms.ModelChoiceField(
        label=_("上级单位"), queryset=Unit.objects.all(), required=False
    )
    sort_order = forms.IntegerField(label=_("排序"), min_value=0, initial=0, required=False)
    is_active = forms.BooleanField(label=_("在用"), required=False, initial=True)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["code"].disabled = True
            self.fields["kind"].disabled = True
        else:
            del self.fields["is_active"]


class PersonForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    title = forms.CharField(label=_("职务"), max_length=100, required=False)
    phone = forms.CharField(label=_("电话"), max_length=30, required=False)
    email = forms.EmailField(label=_("邮箱"), required=False)
    username = forms.CharField(
        label=_("登录名"), max_length=150, required=False, help_text=_("需要登录本平台时填写。")
    )
    password = forms.CharField(
        label=_("初始密码"), required=False, widget=forms.PasswordInput(render_value=False)
    )
    is_active = forms.BooleanField(label=_("在职"), required=False, initial=True)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["username"]
            del self.fields["password"]
        else:
            del self.fields["is_active"]


class MembershipForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("单位"), queryset=Unit.objects.filter(is_active=True))
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)
    staffing = forms.ChoiceField(
        label=_("专兼职"), choices=[("", "—"), *Staffing.choices], required=False
    )
    started_on = forms.DateField(label=_("任职日期"), required=False, widget=DATE_INPUT)


class GroupTargetForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    deadline = forms.DateField(label=_("截止日期"), widget=DATE_INPUT)
    min_accounts = forms.IntegerField(label=_("最少账号数"), min_value=1)
    scope = forms.ChoiceField(label=_("统计范围"), choices=TargetScope.choices)
    note = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    @staticmethod
    def initial_for(target: GroupTarget) -> dict[str, Any]:
        return {
            f: getattr(target, f) for f in ("name", "deadline", "min_accounts", "scope", "note")
        }


class BudgetLineForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("单位"), queryset=Unit.objects.filter(is_active=True))
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    amount = forms.DecimalField(
        label=_("预算金额（元）"), min_value=0, max_digits=14, decimal_places=2
    )
    purpose = forms.CharField(label=_("用途"), max_length=200)
    note = forms.CharField(
        label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SpendingForm(forms.Form):
    spent_on = forms.DateField(label=_("日期"), widget=DATE_INPUT)
    amount = forms.DecimalField(
        label=_("金额（元）"), min_value=Decimal("0.01"), max_digits=14, decimal_places=2
    )
    description = forms.CharField(label=_("事由"), max_length=200)


PERSON_FIELDS = ("name", "title", "phone", "email")


def person_initial(person: Person) -> dict[str, Any]:
    return {f: getattr(person, f) for f in (*PERSON_FIELDS, "is_active")}
