from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ManualPlatformConfig(AppConfig):
    name = "govmatrix.platforms.manual"
    label = "manual_platform"
    verbose_name = _("手工发布")

    def ready(self) -> None:
        from govmatrix.audit.verbs import register_verbs
        from govmatrix.platforms.manual import navigation
        from govmatrix.platforms.manual.connector import CONNECTORS
        from govmatrix.platforms.registry import register_connector

        for connector in CONNECTORS:
            register_connector(connector.platform, connector)
        register_verbs(
            {
                "manual_task.opened": _("交给人工在平台上发布"),
                "manual_task.verified": _("回填链接，核对一致"),
                "manual_task.mismatch": _("回填链接，内容不一致"),
                "manual_task.unreadable": _("回填链接，页面无法读取"),
                "manual_task.confirmed": _("运维人员确认手工发布内容"),
                "manual_task.overridden": _("管理办公室认可不一致的发布"),
                "manual_task.abandoned": _("放弃手工发布"),
            }
        )
        navigation.register()
