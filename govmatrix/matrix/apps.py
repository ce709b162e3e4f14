from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatrixConfig(AppConfig):
    name = "govmatrix.matrix"
    label = "matrix"
    verbose_name = _("账号台账")

    def ready(self) -> None:
        from govmatrix.audit.verbs import register_verbs

        register_verbs(
            {
                "account.created": _("新建账号"),
                "account.updated": _("修改账号"),
                "account.status_changed": _("账号状态变更"),
                "account.imported": _("导入账号"),
                "linkage.created": _("新建联动"),
                "linkage.removed": _("解除联动"),
            }
        )
