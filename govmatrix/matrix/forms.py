from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from govmatrix.core.types import Actor
from govmatrix.matrix.models import Account, AccountKind, AccountStatus, LinkageKind, Platform
from govmatrix.matrix.selectors import account_list
from govmatrix.org.models import Person, Unit
from govmatrix.org.selectors import person_list, unit_choices

DATE_INPUT = forms.DateInput(attrs={"type": "date"})


class RegistryFilterForm(forms.Form):
    q = forms.CharField(
        label=_("搜索"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("账号、名称或单位")}),
    )
    unit = forms.ModelChoiceField(
        label=_("单位"), queryset=Unit.objects.none(), required=False, empty_label=_("全部单位")
    )
    platform = forms.ChoiceField(
        label=_("平台"), choices=[("", _("全部平台")), *Platform.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("状态"), choices=[("", _("全部状态")), *AccountStatus.choices], required=False
    )
    kind = forms.ChoiceField(
        label=_("类型"), choices=[("", _("全部类型")), *AccountKind.choices], required=False
    )

    def __init__(self, *args: Any, user: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_choices(user=user)  # type: ignore[attr-defined]


class AccountForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("单位"), queryset=Unit.objects.none())
    platform = forms.ChoiceField(label=_("平台"), choices=Platform.choices)
    handle = forms.CharField(
        label=_("账号"),
        max_length=64,
        help_text=_("平台上的账号名；本地平台用小写字母、数字和下划线。"),
    )
    display_name = forms.CharField(label=_("名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类型"), choices=AccountKind.choices, initial=AccountKind.SUB)
    status = forms.ChoiceField(
        label=_("状态"), choices=AccountStatus.choices, initial=AccountStatus.PLANNED
    )
    planned_on = forms.DateField(label=_("筹建日期"), required=False, widget=DATE_INPUT)
    activated_on = forms.DateField(label=_("开通日期"), required=False, widget=DATE_INPUT)
    owner = forms.ModelChoiceField(
        label=_("本人（个人微博）"), queryset=Person.objects.none(), required=False
    )
    operators = forms.ModelMultipleChoiceField(
        label=_("运维人员"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    profile_url = forms.URLField(label=_("主页链接"), required=False, assume_scheme="https")
    description = forms.CharField(
        label=_("简介"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, user: Actor, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = unit_choices(user=user)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        if len(units) == 1:
            # Someone who works for one unit registers accounts for that unit.
            self.fields["unit"].initial = units[0].pk
            self.fields["unit"].empty_label = None  # type: ignore[attr-defined]
        people = person_list(user=user)
        self.fields["owner"].queryset = people  # type: ignore[attr-defined]
        self.fields["operators"].queryset = people  # type: ignore[attr-defined]
        if editing:
            # Status has its own confirmed action; the platform is part of the account's identity.
            del self.fields["status"]
            self.fields["platform"].disabled = True

    @staticmethod
    def initial_for(account: Account) -> dict[str, Any]:
        return {
            "unit": account.unit_id,
            "platform": account.platform,
            "handle": account.handle,
            "display_name": account.display_name,
            "kind": account.kind,
            "planned_on": account.planned_on,
            "activated_on": account.activated_on,
            "owner": account.owner_id,
            "operators": list(account.operators.values_list("id", flat=True)),
            "profile_url": account.profile_url,
            "description": account.description,
        }

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        kwargs = {
            "unit_id": data["unit"].pk,
            "handle": data["handle"],
            "display_name": data["display_name"],
            "kind": data["kind"],
            "planned_on": data["planned_on"],
            "activated_on": data["activated_on"],
            "owner_id": data["owner"].pk if data["owner"] else None,
            "operator_ids": [p.pk for p in data["operators"]],
            "profile_url": data["profile_url"],
            "description": data["description"],
        }
        if "status" in data:
            kwargs["status"] = data["status"]
            kwargs["platform"] = data["platform"]
        return kwargs


class StatusChangeForm(forms.Form):
    to = forms.ChoiceField(label=_("新状态"), choices=AccountStatus.choices)
    on = forms.DateField(label=_("日期"), required=False, widget=DATE_INPUT)
    note = forms.CharField(label=_("说明"), required=False, max_length=500)


class BulkStatusForm(forms.Form):
    ids = forms.ModelMultipleChoiceField(queryset=Account.objects.none())
    to = forms.ChoiceField(label=_("新状态"), choices=AccountStatus.choices)
    note = forms.CharField(label=_("说明"), required=False, max_length=500)

    def __init__(self, *args: Any, user: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ids"].queryset = account_list(user=user)  # type: ignore[attr-defined]


class LinkageForm(forms.Form):
    kind = forms.ChoiceField(label=_("联动类型"), choices=LinkageKind.choices)
    target_unit = forms.ModelChoiceField(
        label=_("联动单位"), queryset=Unit.objects.filter(is_active=True), required=False
    )
    target_account = forms.ModelChoiceField(
        label=_("联动账号"), queryset=Account.objects.none(), required=False
    )
    target_name = forms.CharField(label=_("民间账号名称"), required=False, max_length=100)
    target_url = forms.URLField(label=_("民间账号链接"), required=False, assume_scheme="https")
    note = forms.CharField(label=_("说明"), required=False, max_length=200)

    def __init__(self, *args: Any, account: Account, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Partners may be any account in the registry: linkage crosses units by nature.
        self.fields["target_account"].queryset = (  # type: ignore[attr-defined]
            Account.objects.exclude(pk=account.pk)
            .exclude(status=AccountStatus.CLOSED)
            .select_related("unit")
        )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("台账文件（.xlsx 或 .csv）"))
