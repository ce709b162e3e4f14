from django.urls import path

from govmatrix.matrix import views

app_name = "matrix"

urlpatterns = [
    path("", views.registry, name="registry"),
    path("new/", views.account_create_view, name="account_create"),
    path("import/", views.registry_import_view, name="import"),
    path("bulk-status/", views.registry_bulk_status, name="bulk_status"),
    path("linkages/", views.linkages, name="linkages"),
    path("linkages/<int:linkage_id>/remove/", views.linkage_delete, name="linkage_remove"),
    path("<int:account_id>/", views.account_detail, name="account_detail"),
    path("<int:account_id>/edit/", views.account_edit, name="account_edit"),
    path("<int:account_id>/status/", views.account_status, name="account_status"),
    path("<int:account_id>/linkages/new/", views.linkage_add, name="linkage_add"),
]
