from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublishingConfig(AppConfig):
    name = "govmatrix.publishing"
    label = "publishing"
    verbose_name = _("发布")

    def ready(self) -> None:
        from govmatrix.audit.verbs import register_verbs
        from govmatrix.platforms.services import register_outcome_handler
        from govmatrix.publishing import navigation
        from govmatrix.publishing.selectors.posts import SUBJECT_TYPE
        from govmatrix.publishing.services.publishing import OUTCOME_HANDLER

        register_outcome_handler(SUBJECT_TYPE, OUTCOME_HANDLER)
        navigation.register()
        register_verbs(
            {
                "post.created": _("新建稿件"),
                "post.copied": _("同步发布（沿用原稿件的审核）"),
                "post.updated": _("修改稿件"),
                "post.submitted": _("提交审核"),
                "post.withdrawn": _("撤回稿件"),
                "post.approved": _("审核通过"),
                "post.returned": _("退回修改"),
                "post.reopened": _("退回草稿"),
                "post.scheduled": _("定时发布"),
                "post.retry": _("重新发布"),
                "post.publishing": _("开始发布"),
                "post.published": _("已发布"),
                "post.failed": _("发布失败"),
                "report_item.created": _("报送"),
                "report_item.acknowledged": _("报送已阅"),
                "report_item.commented": _("报送意见"),
                "report_item.correction_requested": _("要求更正"),
                "report_item.correction_answered": _("单位答复更正"),
                "report_item.repost_proposed": _("建议主账号转发"),
                "report_item.overdue": _("重要报送超时"),
                "publishing.paused": _("暂停定时发布"),
                "publishing.resumed": _("恢复定时发布"),
                "publishing.settings_updated": _("修改发布设置"),
                "topic.created": _("新建主题"),
                "topic.updated": _("修改主题"),
                "content_rule.created": _("新建内容检查词"),
                "content_rule.updated": _("修改内容检查词"),
                "leader_name.created": _("新建领导姓名职务"),
                "leader_name.updated": _("修改领导姓名职务"),
            }
        )
