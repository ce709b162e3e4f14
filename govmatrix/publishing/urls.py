from django.urls import path

from govmatrix.publishing.views import calendar, office, posts, reports, review

app_name = "publishing"

urlpatterns = [
    path("", posts.post_list_view, name="posts"),
    path("new/", posts.post_create_view, name="post_create"),
    path("check/", posts.check_preview, name="check"),
    path("bulk-submit/", posts.post_bulk_submit, name="post_bulk_submit"),
    path("images/<int:image_id>/", posts.post_image, name="post_image"),
    path("<int:post_id>/", posts.post_detail, name="post_detail"),
    path("<int:post_id>/edit/", posts.post_edit_view, name="post_edit"),
    path("<int:post_id>/<slug:action>/", posts.post_action, name="post_action"),
    path("approvals/", review.approvals, name="approvals"),
    path("review/<int:post_id>/", review.review, name="review"),
    path("calendar/", calendar.calendar_view, name="calendar"),
    path("reports/", reports.report_list, name="reports"),
    path("reports/bulk-acknowledge/", reports.report_bulk_acknowledge, name="report_bulk_ack"),
    path("reports/<int:item_id>/", reports.report_detail, name="report_detail"),
    path("reports/<int:item_id>/<slug:action>/", reports.report_action, name="report_action"),
    path("settings/", office.settings_view, name="settings"),
    path("settings/switch/<slug:action>/", office.pause_view, name="pause"),
    path("settings/topics/<int:topic_id>/toggle/", office.topic_toggle, name="topic_toggle"),
    path("settings/terms/", office.terms_view, name="terms"),
    path("settings/terms/<int:rule_id>/toggle/", office.rule_toggle, name="rule_toggle"),
    path("settings/leaders/", office.leaders_view, name="leaders"),
    path("settings/leaders/<int:leader_id>/toggle/", office.leader_toggle, name="leader_toggle"),
    path("charts/volume/export/", office.volume_export, name="volume_export"),
]
