"""Pages of the scoring schemes (held as data, versioned) and of the metrics behind them."""

from __future__ import annotations

import json
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from govmatrix.assessment import rules
from govmatrix.assessment.forms import SchemeForm
from govmatrix.assessment.models import AccountSnapshot
from govmatrix.assessment.providers import metric_sources, registered_providers
from govmatrix.assessment.scoring import METRICS
from govmatrix.assessment.selectors.schemes import scheme_get, scheme_list, scheme_versions
from govmatrix.assessment.services.schemes import scheme_version_create
from govmatrix.core.errors import ValidationFailed
from govmatrix.org.permissions import scope_for


def _office_or_inspector(request: HttpRequest) -> None:
    if not scope_for(request.user).sees_all:
        raise PermissionDenied(_("考核方案由管理办公室维护。"))


@login_required
def schemes(request: HttpRequest) -> HttpResponse:
    _office_or_inspector(request)
    return render(
        request,
        "assessment/schemes.html",
        {"schemes": scheme_list(), "can_manage": rules.can_manage(scope_for(request.user))},
    )


@login_required
def scheme_detail(request: HttpRequest, version_id: int) -> HttpResponse:
    _office_or_inspector(request)
    version = scheme_get(version_id=version_id)
    definition = version.definition
    dimensions = [
        {**d, "indicators": [i for i in definition["indicators"] if i["dimension"] == d["key"]]}
        for d in definition["dimensions"]
    ]
    sources = metric_sources()
    return render(
        request,
        "assessment/scheme_detail.html",
        {
            "version": version,
            "definition": definition,
            "dimensions": dimensions,
            "versions": scheme_versions(name=version.name),
            "sources": sources,
            "metric_labels": {k: m.label_zh for k, m in METRICS.items()},
            "can_manage": rules.can_manage(scope_for(request.user)),
            "json": json.dumps(definition, ensure_ascii=False, indent=2),
        },
    )


@login_required
def scheme_edit(request: HttpRequest, version_id: int | None = None) -> HttpResponse:
    if not rules.can_manage(scope_for(request.user)):
        raise PermissionDenied(_("只有管理办公室可以修改考核方案。"))
    base = scheme_get(version_id=version_id) if version_id else None
    initial = json.dumps(base.definition if base else {}, ensure_ascii=False, indent=2)
    form = SchemeForm(request.POST or None, initial={"definition": initial})
    errors: dict[str, str] = {}
    if request.method == "POST" and form.is_valid():
        try:
            version = scheme_version_create(
                actor=request.user,
                definition=form.cleaned_data["definition"],
                note=form.cleaned_data["note"],
                name=base.name if base else None,
            )
        except ValidationFailed as exc:
            errors = exc.errors  # each problem with its field path, beside the editor
        else:
            messages.success(request, _("已保存为第 %(n)s 版。") % {"n": version.number})
            return redirect("assessment:scheme", version_id=version.pk)
    return render(
        request,
        "assessment/scheme_form.html",
        {"form": form, "base": base, "errors": errors},
    )


@login_required
def metrics(request: HttpRequest) -> HttpResponse:
    """The metric catalogue: which metrics have a source today, and which read "no data"."""
    _office_or_inspector(request)
    sources = metric_sources()
    providers = {p.key: p for p in registered_providers()}
    yesterday = timezone.localdate() - timedelta(days=1)
    return render(
        request,
        "assessment/metrics.html",
        {
            "rows": [
                {"spec": spec, "sources": [providers[k].label if k in providers else k
                                           for k in sources[key]]}
                for key, spec in METRICS.items()
            ],
            "snapshot_count": AccountSnapshot.objects.filter(day=yesterday).count(),
            "yesterday": yesterday,
        },
    )  # fmt: skip
