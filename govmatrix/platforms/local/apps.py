from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LocalPlatformConfig(AppConfig):
    name = "govmatrix.platforms.local"
    label = "local_platform"
    verbose_name = _("本地平台")
