"""The sections of the foundation. Later apps register theirs in their own AppConfig.ready."""

from django.utils.translation import gettext_lazy as _

from govmatrix.web.navigation import Section, register_section


def register_foundation_sections() -> None:
    register_section(Section("dashboard", _("工作台"), "web:dashboard", "speedometer2", 0))
    register_section(Section("registry", _("账号台账"), "matrix:registry", "collection", 20))
    register_section(Section("linkages", _("四个联动"), "matrix:linkages", "diagram-3", 22))
    register_section(Section("units", _("单位"), "org:units", "building", 60))
    register_section(Section("people", _("人员与角色"), "org:people", "people", 62))
    register_section(
        Section(
            "targets",
            _("建设目标"),
            "org:targets",
            "flag",
            64,
            visible=lambda scope: scope.sees_all,
        )
    )
    register_section(Section("budget", _("经费"), "org:budget", "cash-coin", 66))
    register_section(
        Section(
            "audit",
            _("审计日志"),
            "audit:log",
            "journal-check",
            90,
            visible=lambda scope: scope.can_view_audit(),
        )
    )
