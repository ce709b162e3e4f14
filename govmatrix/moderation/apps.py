from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "govmatrix.moderation"
    label = "moderation"
    verbose_name = _("有害信息处置与内容检查")

    def ready(self) -> None:
        from govmatrix.audit.verbs import register_verbs
        from govmatrix.moderation import hooks, navigation
        from govmatrix.moderation.services.actions import OUTCOME_HANDLER, SUBJECT_TYPE
        from govmatrix.platforms.services import register_outcome_handler

        register_outcome_handler(SUBJECT_TYPE, OUTCOME_HANDLER)
        navigation.register()
        hooks.register()
        register_verbs(
            {
                "harm_case.flagged": _("标记有害跟帖"),
                "harm_case.reported": _("上报管理办公室"),
                "harm_case.application_edited": _("修改书面申请"),
                "harm_case.application_filed": _("提交书面申请"),
                "harm_case.application_returned": _("退回书面申请"),
                "harm_case.letter_edited": _("修改报请函"),
                "harm_case.escalated": _("报请市委宣传部"),
                "harm_case.action_requested": _("批准并执行平台处置"),
                "harm_case.action_applied": _("平台处置结果"),
                "harm_case.action_failed": _("平台处置失败"),
                "harm_case.closed": _("登记处置结果"),
                "lexicon_entry.created": _("修改词库"),
                "lexicon_entry.updated": _("修改词库"),
                "typo_pair.created": _("新增错别字"),
                "typo_pair.updated": _("修改错别字"),
                "typo_pair.seeded": _("补齐常用错别字表"),
                "content_inspection.queued": _("发起内容巡检"),
                "content_inspection.finished": _("内容巡检完成"),
                "content_inspection.failed": _("内容巡检失败"),
                "content_finding.created": _("巡检发现问题"),
                "content_finding.updated": _("巡检问题更新"),
                "content_finding.linked": _("计入检查发现"),
                "content_finding.rectified": _("答复整改"),
                "content_finding.verified": _("核验整改"),
                "content_finding.rejected": _("整改不到位"),
                "content_finding.dismissed": _("撤销巡检发现"),
                "content_finding.cleared": _("巡检提醒消除"),
            }
        )
