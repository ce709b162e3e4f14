from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "govmatrix.org"
    label = "org"
    verbose_name = _("单位与人员")

    def ready(self) -> None:
        from govmatrix.audit.verbs import register_verbs

        register_verbs(
            {
                "unit.created": _("新建单位"),
                "unit.updated": _("修改单位"),
                "person.created": _("新建人员"),
                "person.updated": _("修改人员"),
                "membership.created": _("任命角色"),
                "membership.ended": _("结束任职"),
                "budget_line.created": _("新建预算"),
                "budget_line.updated": _("修改预算"),
                "spending.created": _("登记支出"),
                "group_target.created": _("新建建设目标"),
                "group_target.updated": _("修改建设目标"),
            }
        )
