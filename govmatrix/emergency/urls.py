from django.urls import path

from govmatrix.emergency.views import incidents, office, orders, statements

app_name = "emergency"

urlpatterns = [
    path("", incidents.incident_list_view, name="incidents"),
    path("new/", incidents.incident_declare_view, name="incident_declare"),
    path("<int:incident_id>/", incidents.incident_detail, name="incident"),
    path("<int:incident_id>/timeline.docx", incidents.timeline_docx, name="timeline_docx"),
    path(
        "<int:incident_id>/statements/new/",
        statements.statement_create_view,
        name="statement_create",
    ),
    path("statements/<int:statement_id>/", statements.statement_view, name="statement"),
    path(
        "statements/<int:statement_id>/edit/", statements.statement_edit_view, name="statement_edit"
    ),
    path("<int:incident_id>/board/", orders.board, name="board"),
    path("<int:incident_id>/board/live/", orders.board_live, name="board_live"),
    path("<int:incident_id>/board/export/", orders.board_export, name="board_export"),
    path("<int:incident_id>/latency/export/", orders.latency_export, name="latency_export"),
    path("<int:incident_id>/<slug:action>/", incidents.incident_action, name="incident_action"),
    path("orders/", orders.order_list_view, name="orders"),
    path("orders/<int:order_id>/", orders.order_detail, name="order"),
    path("orders/<int:order_id>/<slug:action>/", orders.order_action, name="order_action"),
    path("auto-repost/", office.auto_repost_view, name="auto_repost"),
    path("settings/", office.settings_view, name="settings"),
]
