from django.urls import path

from govmatrix.assessment.views import inspections, runs, schemes

app_name = "assessment"

urlpatterns = [
    path("", runs.run_list, name="runs"),
    path("compare/", runs.run_compare, name="compare"),
    path("runs/<int:run_id>/", runs.run_detail, name="run"),
    path("runs/<int:run_id>/progress/", runs.run_progress, name="run_progress"),
    path("runs/<int:run_id>/ranking.xlsx", runs.run_xlsx, name="run_xlsx"),
    path("runs/<int:run_id>/notice.docx", runs.run_docx, name="run_docx"),
    path("runs/<int:run_id>/notice/", runs.run_notice, name="run_notice"),
    path("runs/<int:run_id>/accounts/<int:account_id>/", runs.run_account, name="run_account"),
    path(
        "runs/<int:run_id>/accounts/<int:account_id>/<slug:metric>/",
        runs.run_evidence,
        name="run_evidence",
    ),
    path("runs/<int:run_id>/<slug:action>/", runs.run_action, name="run_action"),
    path("schemes/", schemes.schemes, name="schemes"),
    path("schemes/new/", schemes.scheme_edit, name="scheme_new"),
    path("schemes/<int:version_id>/", schemes.scheme_detail, name="scheme"),
    path("schemes/<int:version_id>/edit/", schemes.scheme_edit, name="scheme_edit"),
    path("metrics/", schemes.metrics, name="metrics"),
    path("inspections/", inspections.plans, name="plans"),
    path("inspections/new/", inspections.plan_create, name="plan_create"),
    path("inspections/<int:plan_id>/", inspections.plan_detail, name="plan"),
    path("inspections/<int:plan_id>/<slug:action>/", inspections.plan_action, name="plan_action"),
    path(
        "inspections/targets/<int:target_id>/check/", inspections.target_check, name="target_check"
    ),
    path("checklist/", inspections.checklist, name="checklist"),
    path("checklist/new/", inspections.checklist_item, name="checklist_new"),
    path("checklist/<int:item_id>/", inspections.checklist_item, name="checklist_item"),
    path("findings/", inspections.findings, name="findings"),
    path("findings/<int:finding_id>/", inspections.finding_detail, name="finding"),
    path(
        "findings/<int:finding_id>/<slug:action>/",
        inspections.finding_action,
        name="finding_action",
    ),
]
