from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class InstanceForm(forms.Form):
    api_base = forms.URLField(
        label=_("Mastodon 实例网址"),
        required=False,
        assume_scheme="https",
        help_text=_("留空则用系统配置的实例。"),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["api_base"].initial = settings.MASTODON_API_BASE


class TokenForm(InstanceForm):
    # Never rendered back: a refused form shows an empty field, not the token it was given.
    access_token = forms.CharField(
        label=_("访问令牌"),
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_(
            "在实例上“设置 → 开发 → 新建应用”，勾选 read、write:statuses、write:media、write:reports、write:blocks 后复制“你的访问令牌”。"
        ),
    )
