from django.urls import path

from govmatrix.platforms.links import views

app_name = "links"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("accounts/<int:account_id>/", views.account_page, name="account"),
    path("accounts/<int:account_id>/link/", views.link_start, name="link_start"),
    path("accounts/<int:account_id>/link/token/", views.link_token, name="link_token"),
    path("accounts/<int:account_id>/unlink/", views.unlink, name="unlink"),
    path("accounts/<int:account_id>/check/", views.check, name="check"),
    path("oauth/callback/", views.oauth_callback, name="oauth_callback"),
    path("weibo/webhook/", views.weibo_webhook, name="weibo_webhook"),
]
