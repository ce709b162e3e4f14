from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "govmatrix.training"
    label = "training"
    verbose_name = _("业务指导与培训")

    def ready(self) -> None:
        from govmatrix.assessment.providers import register_provider
        from govmatrix.audit.verbs import register_verbs
        from govmatrix.training import navigation
        from govmatrix.training.provider import TrainingProvider

        register_provider(TrainingProvider())
        navigation.register()
        register_verbs(
            {
                "guidance.created": _("起草业务指导"),
                "guidance.issued": _("下发业务指导"),
                "guidance.withdrawn": _("撤回业务指导"),
                "guidance.read": _("签收业务指导"),
                "guidance.reminded": _("提醒签收业务指导"),
                "board.thread_created": _("发起交流主题"),
                "board.replied": _("回复交流主题"),
                "board.thread_closed": _("关闭交流主题"),
                "training.created": _("新建培训交流活动"),
                "training.invited": _("发出培训邀请"),
                "training.held": _("培训已举办"),
                "training.cancelled": _("取消培训"),
                "training.attendance_recorded": _("登记培训出席"),
                "training.material_uploaded": _("上传培训材料"),
            }
        )
