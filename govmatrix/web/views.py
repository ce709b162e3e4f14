from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from govmatrix.audit.services import event_record
from govmatrix.core.tables import download
from govmatrix.matrix.models import AccountKind, AccountStatus, Platform
from govmatrix.matrix.selectors import RegistryCounts, registry_counts, target_progress
from govmatrix.org.permissions import scope_for
from govmatrix.web.auth import ThrottledLoginForm
from govmatrix.web.charts import bar_chart, chart_table, pie_chart, stacked_bar_chart
from govmatrix.web.panels import panels_for
from govmatrix.web.todo import todos_for


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    authentication_form = ThrottledLoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        with transaction.atomic():
            event_record(actor=form.get_user(), verb="auth.login")
        return response


class LogoutView(auth_views.LogoutView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            with transaction.atomic():
                event_record(actor=request.user, verb="auth.logout")
        return super().post(request, *args, **kwargs)


def _dashboard_charts(counts: RegistryCounts) -> dict[str, dict[str, Any]]:
    registry = reverse("matrix:registry")
    status_labels = dict(AccountStatus.choices)
    charts = {
        "by_unit": stacked_bar_chart(
            title=_("各单位账号数（按状态）"),
            categories=[unit.name for unit, _c in counts.by_unit],
            series=[
                {
                    "name": str(status_labels[status]),
                    "data": [per_status.get(status, 0) for _u, per_status in counts.by_unit],
                    "links": [
                        f"{registry}?unit={unit.pk}&status={status}" for unit, _c in counts.by_unit
                    ],
                }
                for status in AccountStatus.values
            ],
        ),
        "by_platform": pie_chart(
            title=_("账号平台分布"),
            items=[
                (str(dict(Platform.choices)[p]), n, f"{registry}?platform={p}")
                for p, n in counts.by_platform.items()
            ],
        ),
        "by_status": bar_chart(
            title=_("账号状态"),
            items=[
                (str(status_labels[s]), n, f"{registry}?status={s}")
                for s, n in counts.by_status.items()
            ],
        ),
    }
    return charts


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    counts = registry_counts(user=request.user)
    charts = _dashboard_charts(counts)
    context = {
        "counts": counts,
        "targets": target_progress(user=request.user),
        "charts": charts,
        # Room for every unit's label on the horizontal bar chart.
        "by_unit_height": f"{max(320, 22 * len(counts.by_unit) + 80)}px",
        "status_choices": AccountStatus.choices,
        "kind_choices": AccountKind.choices,
        "is_office": scope.sees_all,
        "todos": todos_for(request),
        "panels": panels_for(request, scope),
    }
    return render(request, "web/dashboard.html", context)


@login_required
def dashboard_chart_export(request: HttpRequest, key: str) -> HttpResponse:
    charts = _dashboard_charts(registry_counts(user=request.user))
    if key not in charts:
        raise Http404
    headers, rows = chart_table(charts[key])
    return download(
        filename=charts[key]["title"],
        headers=headers,
        rows=rows,
        file_format=request.GET.get("format", "xlsx"),
    )
