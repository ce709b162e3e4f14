from django.urls import path

from govmatrix.org import views

app_name = "org"

urlpatterns = [
    path("units/", views.unit_list, name="units"),
    path("units/new/", views.unit_create, name="unit_create"),
    path("units/<int:unit_id>/", views.unit_detail, name="unit_detail"),
    path("units/<int:unit_id>/edit/", views.unit_edit, name="unit_edit"),
    path("people/", views.person_list, name="people"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<int:person_id>/", views.person_detail, name="person_detail"),
    path("people/<int:person_id>/edit/", views.person_edit, name="person_edit"),
    path("memberships/<int:membership_id>/end/", views.membership_end, name="membership_end"),
    path("targets/", views.target_list, name="targets"),
    path("targets/new/", views.target_create, name="target_create"),
    path("targets/<int:target_id>/edit/", views.target_edit, name="target_edit"),
    path("budget/", views.budget, name="budget"),
    path("budget/new/", views.budget_line_create, name="budget_line_create"),
    path("budget/<int:budget_line_id>/", views.budget_line_detail, name="budget_line"),
]
