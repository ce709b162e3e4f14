from django.urls import path

from govmatrix.workdays import views

app_name = "workdays"

urlpatterns = [
    path("", views.calendar_page, name="calendar"),
    path("years/<int:year>/confirm/", views.confirm_year, name="confirm_year"),
    path("days/<str:day>/remove/", views.remove_day, name="remove_day"),
]
