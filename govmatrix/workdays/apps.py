from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    name = "govmatrix.workdays"
    label = "workdays"
    verbose_name = _("工作日历")

    def ready(self) -> None:
        from govmatrix.audit.verbs import register_verbs
        from govmatrix.web.navigation import Section, register_section
        from govmatrix.web.todo import register_todo
        from govmatrix.workdays.views import missing_year_todo

        register_verbs(
            {
                "calendar_day.set": _("设置节假日/调休"),
                "calendar_day.removed": _("删除节假日/调休"),
                "calendar_year.confirmed": _("确认年度工作日历"),
            }
        )
        register_section(
            Section(
                "workdays",
                _("工作日历"),
                "workdays:calendar",
                "calendar3",
                80,
                visible=lambda s: s.sees_all,
            )
        )
        register_todo(missing_year_todo)
