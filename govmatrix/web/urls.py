from django.urls import path

from govmatrix.web import views

app_name = "web"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("dashboard/charts/<slug:key>/export/", views.dashboard_chart_export, name="chart_export"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
]
