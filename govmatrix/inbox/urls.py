from django.urls import path

from govmatrix.inbox.views import messages, office, replies

app_name = "inbox"

urlpatterns = [
    path("", messages.queue, name="queue"),
    path("triage/", messages.triage, name="triage"),
    path("bulk/", messages.bulk, name="bulk"),
    path("sync/", messages.sync_now, name="sync_now"),
    path("<int:message_id>/", messages.message_detail, name="message"),
    path("<int:message_id>/reply/", replies.reply_new, name="reply_new"),
    path("<int:message_id>/<slug:action>/", messages.message_action, name="message_action"),
    path("replies/<int:reply_id>/edit/", replies.reply_edit, name="reply_edit"),
    path("replies/<int:reply_id>/<slug:action>/", replies.reply_action, name="reply_action"),
    path("approvals/", replies.approvals, name="approvals"),
    path("approvals/<int:reply_id>/", replies.reply_review, name="reply_review"),
    path("wordings/", office.wordings, name="wordings"),
    path("wordings/<int:wording_id>/toggle/", office.wording_toggle, name="wording_toggle"),
    path("trends/", office.trends_view, name="trends"),
    path("trends/messages/", office.trend_messages, name="trend_messages"),
    path("trends/post/", office.trend_post, name="trend_post"),
    path("rebuttals/new/", office.rebuttal_new, name="rebuttal_new"),
    path("settings/", office.settings_view, name="settings"),
    path("charts/<slug:key>/export/", office.sla_chart_export, name="chart_export"),
]
