from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "govmatrix.training"
    label = "training"
    verbose_name = _("业务指导与培训")
