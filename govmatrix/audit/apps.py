from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "govmatrix.audit"
    label = "audit"
    verbose_name = _("审计日志")

    def ready(self) -> None:
        from govmatrix.audit.verbs import register_verbs

        register_verbs(
            {
                "auth.login": _("登录"),
                "auth.login_failed": _("登录失败"),
                "auth.logout": _("退出登录"),
                "api_token.created": _("签发接口令牌"),
                "audit.chain_verified": _("哈希链校验通过"),
                "audit.chain_broken": _("哈希链校验失败"),
            }
        )
