"""The citizens' forms. They parse and check lengths with the services' own rules; they write nothing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govmatrix.core.errors import ValidationFailed
from govmatrix.platforms.local.captcha import LENGTH as CAPTCHA_LENGTH
from govmatrix.platforms.local.rules import (
    COMMENT_MAX_CHARS,
    MESSAGE_MAX_CHARS,
    NICKNAME_MAX_CHARS,
)
from govmatrix.platforms.local.services import checked_nickname, checked_text


class _CitizenForm(forms.Form):
    text_limit = COMMENT_MAX_CHARS
    text_label = gettext_lazy("评论")
    nickname_limit = NICKNAME_MAX_CHARS

    nickname = forms.CharField(
        label=gettext_lazy("昵称"),
        required=False,
        strip=False,
        widget=forms.TextInput(attrs={"maxlength": NICKNAME_MAX_CHARS, "autocomplete": "nickname"}),
    )
    text = forms.CharField(label=gettext_lazy("内容"), required=False, strip=False)
    captcha = forms.CharField(
        label=gettext_lazy("验证码"),
        required=False,
        widget=forms.TextInput(
            attrs={"maxlength": CAPTCHA_LENGTH + 4, "autocomplete": "off", "inputmode": "latin"}
        ),
    )
    captcha_token = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].widget = forms.Textarea(attrs={"rows": 4, "maxlength": self.text_limit})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for field, check in (
            ("nickname", lambda: checked_nickname(data.get("nickname"))),
            (
                "text",
                lambda: checked_text(
                    data.get("text"),
                    field="text",
                    label=str(self.text_label),
                    limit=self.text_limit,
                ),
            ),
        ):
            try:
                data[field] = check()
            except ValidationFailed as exc:
                self.add_error(field, exc.message)
        if not (data.get("captcha") or "").strip():
            self.add_error("captcha", _("请输入图中的验证码。"))
        return data


class CommentForm(_CitizenForm):
    parent = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class MessageForm(_CitizenForm):
    text_limit = MESSAGE_MAX_CHARS
    text_label = gettext_lazy("留言")
