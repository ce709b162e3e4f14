from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlatformLinksConfig(AppConfig):
    name = "govmatrix.platforms.links"
    label = "platform_links"
    verbose_name = _("账号接入")
