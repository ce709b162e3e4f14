from django.urls import path

from govmatrix.moderation.views import cases, inspection, lexicon

app_name = "moderation"

urlpatterns = [
    path("", cases.case_list, name="cases"),
    path("flag/", cases.flag, name="flag"),
    path("bulk/retain/", cases.case_bulk_retain, name="cases_bulk_retain"),
    path("<int:case_id>/", cases.case_detail, name="case"),
    path("<int:case_id>/application/", cases.application, name="application"),
    path("<int:case_id>/letter/", cases.letter, name="letter"),
    path("<int:case_id>/preview/<slug:kind>/", cases.preview, name="preview"),
    path("<int:case_id>/documents/<int:document_id>/", cases.document, name="document"),
    path("<int:case_id>/<slug:action>/", cases.case_action, name="case_action"),
    path("inspection/", inspection.findings, name="findings"),
    path("inspection/run/", inspection.inspection_run, name="inspection_run"),
    path("inspection/bulk/verify/", inspection.findings_bulk_verify, name="findings_bulk_verify"),
    path("inspection/<int:finding_id>/", inspection.finding_detail, name="finding"),
    path(
        "inspection/<int:finding_id>/<slug:action>/",
        inspection.finding_action,
        name="finding_action",
    ),
    path("typos/", inspection.typos, name="typos"),
    path("typos/<int:pair_id>/toggle/", inspection.typo_toggle, name="typo_toggle"),
    path("lexicon/", lexicon.lexicon, name="lexicon"),
    path("lexicon/remove/", lexicon.lexicon_remove, name="lexicon_remove"),
    path("lexicon/<int:entry_id>/toggle/", lexicon.lexicon_toggle, name="lexicon_toggle"),
]
