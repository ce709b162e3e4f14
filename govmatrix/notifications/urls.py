from django.urls import path

from govmatrix.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notifications, name="list"),
    path("bell/", views.bell, name="bell"),
    path("read-all/", views.mark_all_read, name="read_all"),
    path("<int:notification_id>/open/", views.open_notification, name="open"),
]
