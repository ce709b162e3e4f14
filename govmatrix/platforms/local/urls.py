"""The public site of the local platform, mounted at /p/.

Fixed pages live under "/p/-/": a dash cannot start an account handle.
"""

from django.urls import path

from govmatrix.platforms.local import views

app_name = "local"

urlpatterns = [
    path("", views.index, name="index"),
    path("-/captcha/<str:token>.png", views.captcha_image, name="captcha"),
    path("-/img/<int:image_id>/", views.image, name="image"),
    path("-/m/<str:token>/", views.receipt, name="receipt"),
    path("<slug:handle>/", views.account_page, name="account"),
    path("<slug:handle>/follow/", views.follow, name="follow"),
    path("<slug:handle>/message/", views.message_page, name="message"),
    path("<slug:handle>/<int:post_id>/", views.post_page, name="post"),
    path("<slug:handle>/<int:post_id>/like/", views.like, name="like"),
]
