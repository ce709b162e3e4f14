"""The office's settings for incidents, and who reposts automatically."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from govmatrix.emergency import rules, services
from govmatrix.emergency.forms import SettingsForm
from govmatrix.emergency.selectors.settings import auto_repost_rows, emergency_settings
from govmatrix.emergency.views.common import attempt
from govmatrix.org.permissions import scope_for
from govmatrix.web.forms_support import run_service


@login_required
def settings_view(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not scope.sees_all:
        raise PermissionDenied(_("只有管理办公室可以查看突发事件设置。"))
    row = emergency_settings()
    fields = list(SettingsForm.base_fields)
    form = SettingsForm(request.POST or None, initial={f: getattr(row, f) for f in fields})
    if request.method == "POST" and rules.can_declare(scope) and form.is_valid():
        data = form.cleaned_data
        if run_service(
            form, lambda: services.emergency_settings_update(actor=request.user, **data)
        ):
            messages.success(request, _("已保存。新的时限用于此后宣布的事件和下达的任务。"))
            return redirect("emergency:settings")
    return render(
        request,
        "emergency/settings.html",
        {"form": form, "editable": rules.can_declare(scope)},
    )


@login_required
def auto_repost_view(request: HttpRequest) -> HttpResponse:
    """Sub-accounts the user may set to repost automatically, with their current choice."""
    rows = auto_repost_rows(user=request.user)
    if request.method == "POST":
        chosen = next(
            (a for a, _on, _may in rows if str(a.pk) == request.POST.get("account")), None
        )
        if chosen is not None:
            enabled = request.POST.get("enabled") == "1"
            attempt(
                request,
                lambda: services.auto_repost_set(
                    actor=request.user, account_id=chosen.pk, enabled=enabled
                ),
                _("已开启自动转发。") if enabled else _("已关闭自动转发。"),
            )
        return redirect("emergency:auto_repost")
    return render(request, "emergency/auto_repost.html", {"rows": rows})
