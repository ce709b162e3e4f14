from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmergencyConfig(AppConfig):
    name = "govmatrix.emergency"
    label = "emergency"
    verbose_name = _("突发事件")
