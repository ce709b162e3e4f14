from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from govmatrix.core.types import Actor
from govmatrix.matrix.models import Account
from govmatrix.org.models import Unit
from govmatrix.org.selectors import unit_choices
from govmatrix.publishing.models import (
    LeaderName,
    Post,
    PostImage,
    PostStatus,
    ReportState,
    RuleKind,
    Topic,
)
from govmatrix.publishing.rules import MAX_IMAGE_BYTES, MAX_IMAGES
from govmatrix.publishing.selectors.office import topic_list
from govmatrix.publishing.selectors.posts import draftable_accounts

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
YES_NO = [("", _("全部")), ("1", _("是")), ("0", _("否"))]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleImageField, self).clean(f, initial) for f in files]


class PostForm(forms.Form):
    account = forms.ModelChoiceField(label=_("账号"), queryset=Account.objects.none())
    text = forms.CharField(
        label=_("正文"),
        widget=forms.Textarea(attrs={"rows": 8, "data-counter": "post-text-count"}),
        strip=True,
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("主题"),
        queryset=Topic.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    important = forms.BooleanField(label=_("重要信息（管理办公室须在时限内审阅）"), required=False)
    scheduled_at = forms.DateTimeField(
        label=_("发布时间"),
        required=False,
        widget=DATETIME_INPUT,
        input_formats=DATETIME_FORMATS,
        help_text=_("留空则审核通过后立即发布。"),
    )
    images = MultipleImageField(
        label=_("配图"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}),
        help_text=_(
            "JPEG、PNG、GIF 或 WebP，每张不超过 %(mb)d MB，最多 %(n)d 张（各平台另有上限）。"
            "配图随稿件送审，与正文一同发布。"
        )
        % {"mb": MAX_IMAGE_BYTES // 1024 // 1024, "n": MAX_IMAGES},
    )
    remove_images = forms.ModelMultipleChoiceField(
        label=_("删除配图"),
        queryset=PostImage.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, user: Actor, post: Post | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        accounts = draftable_accounts(user=user)
        self.fields["account"].queryset = accounts  # type: ignore[attr-defined]
        self.fields["topics"].queryset = topic_list(active_only=True)  # type: ignore[attr-defined]
        if post is None:
            del self.fields["remove_images"]
            if len(accounts) == 1:
                self.fields["account"].initial = accounts[0].pk
                self.fields["account"].empty_label = None  # type: ignore[attr-defined]
        else:
            # A post stays with its account: the account's unit approves it.
            self.fields["account"].queryset = Account.objects.filter(pk=post.account_id)  # type: ignore[attr-defined]
            self.fields["account"].disabled = True
            images = post.images.all()
            if images:
                self.fields["remove_images"].queryset = images  # type: ignore[attr-defined]
                self.fields["remove_images"].label_from_instance = lambda image: str(image)  # type: ignore[attr-defined]
            else:
                del self.fields["remove_images"]

    @staticmethod
    def initial_for(post: Post) -> dict[str, Any]:
        return {
            "account": post.account_id,
            "text": post.text,
            "topics": list(post.topics.values_list("pk", flat=True)),
            "important": post.important,
            "scheduled_at": post.scheduled_at,
        }

    def uploads(self) -> list[tuple[str, bytes]]:
        return [(f.name or "image", f.read()) for f in self.cleaned_data.get("images") or []]

    def create_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "account_id": data["account"].pk,
            "text": data["text"],
            "topic_ids": [t.pk for t in data["topics"]],
            "important": data["important"],
            "scheduled_at": data["scheduled_at"],
            "images": self.uploads(),
        }

    def update_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "text": data["text"],
            "topic_ids": [t.pk for t in data["topics"]],
            "important": data["important"],
            "scheduled_at": data["scheduled_at"],
            "add_images": self.uploads(),
            "remove_image_ids": [i.pk for i in data.get("remove_images") or []],
        }


class UnitChoiceMixin(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("单位"), queryset=Unit.objects.none(), required=False, empty_label=_("全部单位")
    )

    def __init__(self, *args: Any, user: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_choices(user=user)  # type: ignore[attr-defined]


class PostFilterForm(UnitChoiceMixin):
    q = forms.CharField(
        label=_("搜索"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("正文、账号或单位")}),
    )
    status = forms.ChoiceField(
        label=_("状态"), choices=[("", _("全部状态")), *PostStatus.choices], required=False
    )
    topic = forms.ModelChoiceField(
        label=_("主题"), queryset=Topic.objects.all(), required=False, empty_label=_("全部主题")
    )
    important = forms.ChoiceField(label=_("重要"), choices=YES_NO, required=False)
    mine = forms.BooleanField(label=_("只看我写的"), required=False)
    published_on = forms.DateField(
        label=_("发布日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    scheduled_until = forms.DateField(required=False, widget=forms.HiddenInput)


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
    text = forms.CharField(
        label=_("内容"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReportFilterForm(UnitChoiceMixin):
    q = forms.CharField(
        label=_("搜索"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("正文、账号或单位")}),
    )
    topic = forms.ModelChoiceField(
        label=_("主题"), queryset=Topic.objects.all(), required=False, empty_label=_("全部主题")
    )
    important = forms.ChoiceField(label=_("重要"), choices=YES_NO, required=False)
    state = forms.ChoiceField(
        label=_("状态"),
        choices=[
            ("", _("全部状态")),
            ("to_review", _("待审阅（含单位答复）")),
            *ReportState.choices,
        ],
        required=False,
    )
    overdue = forms.BooleanField(label=_("只看超时"), required=False)


class SettingsForm(forms.Form):
    important_review_hours = forms.IntegerField(
        label=_("重要报送审阅时限（工作小时）"), min_value=1, max_value=72
    )


class PauseForm(forms.Form):
    note = forms.CharField(label=_("说明"), required=False, max_length=200)


class TopicForm(forms.Form):
    name = forms.CharField(label=_("主题名称"), max_length=50)
    sort_order = forms.IntegerField(label=_("排序"), min_value=0, initial=100)


class ContentRuleForm(forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=RuleKind.choices)
    phrase = forms.CharField(label=_("词语"), max_length=100)
    suggestion = forms.CharField(label=_("建议写法"), max_length=200, required=False)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class LeaderForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=20)
    titles = forms.CharField(
        label=_("职务"),
        max_length=100,
        help_text=_("规范写法；多个职务用顿号分隔，如“区委副书记、区长”。"),
    )
    unit = forms.ModelChoiceField(
        label=_("单位"), queryset=Unit.objects.filter(is_active=True), required=False
    )
    sort_order = forms.IntegerField(label=_("排序"), min_value=0, initial=100)

    @staticmethod
    def initial_for(leader: LeaderName) -> dict[str, Any]:
        return {
            "name": leader.name,
            "titles": leader.titles,
            "unit": leader.unit_id,
            "sort_order": leader.sort_order,
        }
