from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LocalPlatformConfig(AppConfig):
    name = "govmatrix.platforms.local"
    label = "local_platform"
    verbose_name = _("本地平台")

    def ready(self) -> None:
        from govmatrix.platforms.local.connector import LocalConnector
        from govmatrix.platforms.registry import register_connector

        register_connector("local", LocalConnector)
