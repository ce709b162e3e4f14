from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmergencyConfig(AppConfig):
    name = "govmatrix.emergency"
    label = "emergency"
    verbose_name = _("突发事件")

    def ready(self) -> None:
        from govmatrix.audit.verbs import register_verbs
        from govmatrix.emergency import authority, navigation
        from govmatrix.emergency.services.orders import OUTCOME_HANDLER, SUBJECT_TYPE
        from govmatrix.emergency.services.statements import statement_published
        from govmatrix.platforms.services import register_outcome_handler
        from govmatrix.publishing.services.publishing import register_published_callback

        authority.register()
        register_published_callback(statement_published)
        register_outcome_handler(SUBJECT_TYPE, OUTCOME_HANDLER)
        navigation.register()
        register_verbs(
            {
                "incident.declared": _("宣布突发事件"),
                "incident.stood_down": _("突发事件结束"),
                "incident.press_conference": _("登记新闻发布会"),
                "incident.allowance_granted": _("许可子账号发布"),
                "statement.created": _("拟写应对口径"),
                "statement.updated": _("修改应对口径"),
                "statement.published": _("应对口径已发布"),
                "repost_orders.created": _("下达转发任务"),
                "repost_orders.auto_started": _("开始自动转发"),
                "repost_orders.reminded": _("转发任务到期提醒"),
                "repost_orders.escalated": _("转发任务超时上报"),
                "repost_order.requested": _("发起转发"),
                "repost_order.reposted": _("已转发"),
                "repost_order.recorded": _("回填转发链接"),
                "repost_order.failed": _("转发失败"),
                "repost_order.retrying": _("转发重试"),
                "repost_order.exempted": _("免除转发任务"),
                "repost_order.reopened": _("撤销免除"),
                "auto_repost.enabled": _("开启自动转发"),
                "auto_repost.disabled": _("关闭自动转发"),
                "emergency.settings_updated": _("修改突发事件设置"),
            }
        )
