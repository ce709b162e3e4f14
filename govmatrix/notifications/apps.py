from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "govmatrix.notifications"
    label = "notifications"
    verbose_name = _("通知")

    def ready(self) -> None:
        from govmatrix.web.navigation import Section, register_section

        register_section(Section("notifications", _("通知"), "notifications:list", "bell", 95))
