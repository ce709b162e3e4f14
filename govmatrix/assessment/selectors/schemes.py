"""Reads of the scoring schemes (the office's and its inspectors')."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from govmatrix.assessment.models import SchemeVersion
from govmatrix.core.errors import NotFound


def scheme_list() -> QuerySet[SchemeVersion]:
    """The current version of every scheme, with how many versions and runs it has."""
    return (
        SchemeVersion.objects.filter(is_current=True)
        .select_related("created_by")
        .annotate(run_count=Count("runs"))
        .order_by("name")
    )


def scheme_versions(*, name: str) -> QuerySet[SchemeVersion]:
    return (
        SchemeVersion.objects.filter(name=name)
        .select_related("created_by")
        .annotate(run_count=Count("runs"))
        .order_by("-number")
    )


def scheme_get(*, version_id: int) -> SchemeVersion:
    version = SchemeVersion.objects.filter(pk=version_id).first()
    if version is None:
        raise NotFound(_("考核方案不存在。"))
    return version
