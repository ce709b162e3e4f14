from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlatformsConfig(AppConfig):
    name = "govmatrix.platforms"
    label = "platforms"
    verbose_name = _("平台连接")

    def ready(self) -> None:
        from govmatrix.audit.verbs import register_verbs

        register_verbs(
            {
                "outbox.succeeded": _("平台调用成功"),
                "outbox.retry_scheduled": _("平台调用将重试"),
                "outbox.failed": _("平台调用失败"),
                "outbox.cancelled": _("平台调用已取消"),
                "outbox.waiting": _("平台调用等待人工完成"),
                "outbox.completed_manually": _("平台调用已人工完成"),
                "outbox.abandoned": _("平台调用已放弃"),
            }
        )
