from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "govmatrix.web"
    label = "web"
    verbose_name = _("界面")

    def ready(self) -> None:
        from govmatrix.web.sections import register_foundation_sections

        register_foundation_sections()
