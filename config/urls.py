from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from govmatrix.api.api import api

urlpatterns = [
    path("favicon.ico", RedirectView.as_view(url=static("web/favicon.png"), permanent=True)),
    path("", include("govmatrix.web.urls")),
    path("registry/", include("govmatrix.matrix.urls")),
    path("org/", include("govmatrix.org.urls")),
    path("audit/", include("govmatrix.audit.urls")),
    path("notifications/", include("govmatrix.notifications.urls")),
    path("calendar/", include("govmatrix.workdays.urls")),
    path("publishing/", include("govmatrix.publishing.urls")),
    path("p/", include("govmatrix.platforms.local.urls")),
    path("manual/", include("govmatrix.platforms.manual.urls")),
    path("platforms/", include("govmatrix.platforms.links.urls")),
    path("inbox/", include("govmatrix.inbox.urls")),
    path("moderation/", include("govmatrix.moderation.urls")),
    path("emergency/", include("govmatrix.emergency.urls")),
    path("assessment/", include("govmatrix.assessment.urls")),
    path("training/", include("govmatrix.training.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
