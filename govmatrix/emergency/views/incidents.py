"""The incident pages: the list (active first), the declaration, the incident page with its
clocks, statements, board summary, latency chart and timeline, and the docx of the timeline."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govmatrix.emergency import rules, services
from govmatrix.emergency.documents import timeline_docx_bytes
from govmatrix.emergency.forms import AllowanceForm, IncidentForm, NoteForm, PressConferenceForm
from govmatrix.emergency.models import IncidentStatus
from govmatrix.emergency.selectors.incidents import (
    allowances_of,
    incident_clocks,
    incident_get,
    incident_list,
    statements_of,
)
from govmatrix.emergency.selectors.orders import board_summary, published_statements
from govmatrix.emergency.selectors.timeline import incident_timeline
from govmatrix.emergency.views.charts import latency_chart, latency_export_url, statement_choice
from govmatrix.emergency.views.common import attempt
from govmatrix.org.permissions import scope_for
from govmatrix.publishing.selectors.office import is_paused
from govmatrix.web.forms_support import run_service
from govmatrix.web.listing import paginate


@login_required
def incident_list_view(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in IncidentStatus.values:
        status = ""
    incidents = paginate(request, incident_list(user=request.user, status=status))
    rows = [(incident, incident_clocks(incident)) for incident in incidents]
    return render(
        request,
        "emergency/incident_list.html",
        {
            "page": incidents,
            "rows": rows,
            "status": status,
            "statuses": IncidentStatus.choices,
            "can_declare": rules.can_declare(scope_for(request.user)),
        },
    )


@login_required
def incident_declare_view(request: HttpRequest) -> HttpResponse:
    if not rules.can_declare(scope_for(request.user)):
        raise PermissionDenied(_("只有管理办公室可以宣布突发事件。"))
    form = IncidentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        new = None
        if not data["commander"] and data["new_name"]:
            new = services.NewCommander(
                name=data["new_name"],
                title=data["new_title"],
                phone=data["new_phone"],
                username=data["new_username"],
                password=data["new_password"],
            )
        incident = run_service(
            form,
            lambda: services.incident_declare(
                actor=request.user,
                title=data["title"],
                level=data["level"],
                commander_id=data["commander"].pk if data["commander"] else None,
                new_commander=new,
                unit_ids=[u.pk for u in data["units"]],
                summary=data["summary"],
                declared_at=data["declared_at"],
                pause_publishing=data["pause_publishing"],
            ),
        )
        if incident is not None:
            messages.success(request, _("已宣布突发事件，两个时限从现在开始计时。"))
            return redirect("emergency:incident", incident_id=incident.pk)
    return render(request, "emergency/incident_form.html", {"form": form})


def _statement_rows(request: HttpRequest, incident: Any) -> list[dict[str, Any]]:
    return [
        {"statement": s, "post": s.post, "board": board_summary(user=request.user, statement=s)}
        if s.fanned_out_at
        else {"statement": s, "post": s.post, "board": None}
        for s in statements_of(incident)
    ]


@login_required
def incident_detail(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = incident_get(user=request.user, incident_id=incident_id)
    scope = scope_for(request.user)
    office = rules.can_declare(scope)
    leads = rules.can_lead(scope, incident)
    published = list(published_statements(incident.pk))
    chosen = statement_choice(request, published)
    active = incident.status == IncidentStatus.ACTIVE
    return render(
        request,
        "emergency/incident_detail.html",
        {
            "incident": incident,
            "clocks": incident_clocks(incident),
            "statements": _statement_rows(request, incident),
            "published": published,
            "chosen": chosen,
            "board": board_summary(user=request.user, statement=chosen) if chosen else None,
            "chart": latency_chart(request.user, chosen) if chosen else None,
            "latency_export_url": latency_export_url(incident.pk, chosen),
            "timeline": incident_timeline(user=request.user, incident=incident),
            "allowances": allowances_of(incident),
            "is_office": office,
            "is_commander": rules.is_commander(scope, incident),
            "can_lead": leads and active,
            "can_write": office and active,
            "offer_pause": office and active and not is_paused(),
            "paused": is_paused(),
            "stand_down_form": NoteForm(),
            "press_form": PressConferenceForm(),
            "allowance_form": AllowanceForm() if office and active else None,
        },
    )


@login_required
@require_POST
def incident_action(request: HttpRequest, incident_id: int, action: str) -> HttpResponse:
    incident = incident_get(user=request.user, incident_id=incident_id)
    user = request.user
    if action == "stand-down":
        form = NoteForm(request.POST)
        note = form.cleaned_data["note"] if form.is_valid() else ""
        attempt(
            request,
            lambda: services.incident_stand_down(actor=user, incident_id=incident.pk, note=note),
            _("事件已结束。"),
        )
    elif action == "press-conference":
        press = PressConferenceForm(request.POST)
        if press.is_valid():
            data = press.cleaned_data
            attempt(
                request,
                lambda: services.incident_press_conference_record(
                    actor=user, incident_id=incident.pk, held_at=data["held_at"], note=data["note"]
                ),
                _("已登记新闻发布会。"),
            )
        else:
            messages.error(request, _("请填写正确的召开时间。"))
    elif action == "pause":
        attempt(
            request,
            lambda: services.incident_publishing_pause(actor=user, incident_id=incident.pk),
            _("已暂停全部定时发布；应对口径不受影响，仍在审核通过后立即发布。"),
        )
    elif action == "allowance":
        allowance = AllowanceForm(request.POST)
        if allowance.is_valid():
            data = allowance.cleaned_data
            attempt(
                request,
                lambda: services.incident_allowance_grant(
                    actor=user,
                    incident_id=incident.pk,
                    account_id=data["account"].pk,
                    reason=data["reason"],
                ),
                _("已许可该子账号发布本事件的信息。"),
            )
        else:
            messages.error(request, _("请选择子账号并写明许可理由。"))
    else:
        raise Http404
    return redirect("emergency:incident", incident_id=incident.pk)


@login_required
def timeline_docx(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = incident_get(user=request.user, incident_id=incident_id)
    content = timeline_docx_bytes(request.user, incident)
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    name = quote(f"{incident.title}-信息发布与转发情况.docx")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response
