from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _search_index_in_place(using: str = "default", **kwargs: Any) -> None:
    from govmatrix.inbox.search import ensure_index

    ensure_index(connections[using])


class InboxConfig(AppConfig):
    name = "govmatrix.inbox"
    label = "inbox"
    verbose_name = _("网民留言")

    def ready(self) -> None:
        from govmatrix.audit.verbs import register_verbs
        from govmatrix.inbox import navigation, timeline
        from govmatrix.inbox.metrics import register_assessment_provider
        from govmatrix.inbox.services.replies import OUTCOME_HANDLER, SUBJECT_TYPE
        from govmatrix.platforms.services import register_outcome_handler

        register_outcome_handler(SUBJECT_TYPE, OUTCOME_HANDLER)
        post_migrate.connect(_search_index_in_place, sender=self)
        navigation.register()
        timeline.register()
        register_assessment_provider()
        register_verbs(
            {
                "inbox.synced": _("同步网民留言"),
                "message.routed": _("分办留言"),
                "message.rerouted": _("转办留言"),
                "message.returned_to_triage": _("退回分办"),
                "message.reclassified": _("更正留言分类"),
                "message.assigned": _("指派经办人"),
                "message.noted": _("添加内部备注"),
                "message.merged": _("合并重复留言"),
                "message.answered": _("留言已答复"),
                "message.closed": _("留言办结"),
                "message.reopened": _("留言重新办理"),
                "message.overdue": _("留言超时"),
                "message.deadlines_computed": _("补算留言时限"),
                "reply.created": _("撰写答复"),
                "reply.updated": _("修改答复"),
                "reply.submitted": _("提交答复审核"),
                "reply.withdrawn": _("撤回答复"),
                "reply.approved": _("答复审核通过"),
                "reply.returned": _("答复退回修改"),
                "reply.reopened": _("答复退回草稿"),
                "reply.retry": _("重新发布答复"),
                "reply.published": _("答复已发布"),
                "reply.failed": _("答复发布失败"),
                "wording.created": _("新建答复口径"),
                "wording.updated": _("修改答复口径"),
                "message_topic.created": _("新建留言主题"),
                "message_topic.updated": _("修改留言主题"),
                "place_name.added": _("新增地名"),
                "place_name.removed": _("删除地名"),
                "inbox.settings_updated": _("修改留言设置"),
                "inbox.sla_target_set": _("修改答复时限"),
                "rebuttal.created": _("发起辟谣"),
                "rebuttal.replies_drafted": _("辟谣：答复网民"),
                "trend.spike": _("舆情预警"),
                "trend.post_opened": _("根据舆情起草权威信息"),
                "router.trained": _("训练分办模型"),
                "router.rules_restored": _("恢复规则分办"),
            }
        )
