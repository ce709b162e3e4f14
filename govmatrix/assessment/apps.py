from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "govmatrix.assessment"
    label = "assessment"
    verbose_name = _("考核评估")

    def ready(self) -> None:
        from govmatrix.assessment import navigation, tasks  # noqa: F401 - registers the tasks
        from govmatrix.assessment.providers import register_provider
        from govmatrix.assessment.providers.inspections import InspectionProvider
        from govmatrix.assessment.providers.snapshots import SnapshotProvider
        from govmatrix.assessment.sources import register_builtin_sources
        from govmatrix.audit.verbs import register_verbs

        register_provider(SnapshotProvider())
        register_provider(InspectionProvider())
        register_builtin_sources()
        navigation.register()
        register_verbs(
            {
                "metric_snapshot.collected": _("采集数据快照"),
                "metric_snapshot.imported": _("导入数据快照"),
                "scheme.seeded": _("载入考核方案"),
                "scheme.version_created": _("考核方案新版本"),
                "assessment_run.created": _("发起季度考核"),
                "assessment_run.computing": _("开始计算考核"),
                "assessment_run.computed": _("考核计算完成"),
                "assessment_run.failed": _("考核计算失败"),
                "assessment_run.requeued": _("重新计算考核"),
                "assessment_run.discarded": _("作废考核"),
                "assessment_run.frozen": _("冻结考核结果"),
                "assessment_run.published": _("发布考核结果"),
                "run_notice.updated": _("修改季度通报"),
                "checklist_item.created": _("新建检查项"),
                "checklist_item.updated": _("修改检查项"),
                "inspection_plan.created": _("新建检查计划"),
                "inspection_plan.started": _("开始检查"),
                "inspection_plan.completed": _("完成检查"),
                "inspection_plan.cancelled": _("取消检查"),
                "inspection_target.checked": _("登记已检查账号"),
                "finding.created": _("登记检查发现"),
                "finding.rectifying": _("单位整改中"),
                "finding.rectified": _("单位报告已整改"),
                "finding.verified": _("整改核验通过"),
                "finding.rejected": _("整改未通过核验"),
                "finding.withdrawn": _("撤销检查发现"),
            }
        )
