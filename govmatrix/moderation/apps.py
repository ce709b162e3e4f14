from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "govmatrix.moderation"
    label = "moderation"
    verbose_name = _("有害信息处置与内容检查")
