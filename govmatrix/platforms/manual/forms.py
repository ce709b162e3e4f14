from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class LinkForm(forms.Form):
    url = forms.CharField(
        label=_("平台上这条内容的链接"),
        max_length=500,
        widget=forms.URLInput(attrs={"placeholder": "https://", "autocomplete": "off"}),
        help_text=_("发布后在平台上复制链接粘贴到这里，系统会打开页面核对文字。"),
    )


class ConfirmForm(forms.Form):
    attest = forms.BooleanField(
        label=_("我已在平台上逐字核对，发布的内容与审定文本一致"), required=True
    )
    note = forms.CharField(
        label=_("说明（可选）"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class OverrideForm(forms.Form):
    reason = forms.CharField(
        label=_("认可理由"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("例如：平台自动改动了标点，意思不变。理由将记入日志。"),
    )


class AbandonForm(forms.Form):
    reason = forms.CharField(
        label=_("放弃原因"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("放弃后稿件显示为发布失败，可以重新发布或修改后重新提交。"),
    )
