"""The office's edits to the shipped harm lexicon: added terms, removed terms, the allow-list and
terms that are also matched by their pinyin. The shipped lexicon itself stays a file
(`textintel/data/lexicons/curated`); the screening the product uses is that file plus these
rows (`moderation.screening`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govmatrix.core.models import TimeStampedModel
from govmatrix.textintel.screening.categories import CATEGORIES

CATEGORY_LABELS: dict[str, object] = {
    "national_security": _("危害国家安全"),
    "ethnic_unity": _("破坏民族团结"),
    "party_government_image": _("损害党和政府形象"),
    "social_stability": _("影响社会和谐稳定"),
    "abuse": _("辱骂攻击"),
    "obscenity": _("色情低俗"),
    "advertising": _("广告引流"),
    "illegal": _("违法犯罪信息"),
}
CATEGORY_CHOICES = [(c, CATEGORY_LABELS[c]) for c in CATEGORIES]


class LexiconAction(models.TextChoices):
    ADD = "add", _("新增词")
    REMOVE = "remove", _("停用词库中的词")
    ALLOW = "allow", _("允许词（白名单）")
    PINYIN = "pinyin", _("新增词（含拼音匹配）")


# Actions whose rows carry a category.
CATEGORISED = (LexiconAction.ADD, LexiconAction.PINYIN)


class LexiconEntry(TimeStampedModel):
    action = models.CharField(_("类型"), max_length=8, choices=LexiconAction.choices)
    term = models.CharField(_("词语"), max_length=100)
    category = models.CharField(_("类别"), max_length=32, choices=CATEGORY_CHOICES, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    is_active = models.BooleanField(_("在用"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("词库修改")
        verbose_name_plural = _("词库修改")
        constraints = [
            models.UniqueConstraint(fields=["action", "term"], name="moderation_lexicon_once"),
            models.CheckConstraint(
                condition=~Q(action__in=[str(a) for a in CATEGORISED]) | ~Q(category=""),
                name="moderation_lexicon_term_has_category",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()}：{self.term}"
