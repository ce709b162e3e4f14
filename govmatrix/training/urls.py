from django.urls import path

from govmatrix.training.views import events, guidance

app_name = "training"

urlpatterns = [
    path("", guidance.notices, name="notices"),
    path("notices/new/", guidance.notice_create, name="notice_create"),
    path("notices/<int:notice_id>/", guidance.notice_detail, name="notice"),
    path("notices/<int:notice_id>/<slug:action>/", guidance.notice_action, name="notice_action"),
    path("board/", guidance.board_view, name="board"),
    path("board/<int:thread_id>/", guidance.thread_detail, name="thread"),
    path("board/<int:thread_id>/close/", guidance.thread_close, name="thread_close"),
    path("events/", events.event_list, name="events"),
    path("events/new/", events.event_create, name="event_create"),
    path("events/<int:event_id>/", events.event_detail, name="event"),
    path("events/<int:event_id>/materials/", events.material_upload, name="material_upload"),
    path("events/<int:event_id>/<slug:action>/", events.event_action, name="event_action"),
    path("materials/<int:material_id>/", events.material_download, name="material"),
    path("people/<int:person_id>/", events.person_record, name="person"),
]
