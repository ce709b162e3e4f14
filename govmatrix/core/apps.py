from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "govmatrix.core"
    label = "core"
    verbose_name = "核心"
