from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlatformLinksConfig(AppConfig):
    name = "govmatrix.platforms.links"
    label = "platform_links"
    verbose_name = _("账号接入")

    def ready(self) -> None:
        from govmatrix.audit.verbs import register_verbs
        from govmatrix.platforms.links import checks, connectors, navigation

        register_verbs(
            {
                "platform_link.linked": _("接入平台账号"),
                "platform_link.unlinked": _("解除平台账号接入"),
                "platform_app.registered": _("在 Mastodon 实例上登记应用"),
                "platform_credentials.rotated": _("用新密钥重新加密平台凭据"),
            }
        )
        connectors.register()
        navigation.register()
        checks.register()
