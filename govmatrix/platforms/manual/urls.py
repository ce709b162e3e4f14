from django.urls import path

from govmatrix.platforms.manual import views

app_name = "manual"

urlpatterns = [
    path("", views.task_list, name="list"),
    path("<int:task_id>/", views.task_page, name="task"),
    path("<int:task_id>/link/", views.submit_link, name="submit_link"),
    path("<int:task_id>/confirm/", views.confirm, name="confirm"),
    path("<int:task_id>/override/", views.override, name="override"),
    path("<int:task_id>/abandon/", views.abandon, name="abandon"),
]
