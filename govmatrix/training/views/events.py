"""Pages of training classes, joint meetings and online exchanges, and each person's record."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from govmatrix.core.tables import download
from govmatrix.org.permissions import scope_for
from govmatrix.training import rules, selectors
from govmatrix.training.forms import AttendanceForm, EventForm, MaterialForm
from govmatrix.training.models import EventKind, EventStatus, Material, TrainingEvent
from govmatrix.training.services import events as services
from govmatrix.web.forms_support import run_service
from govmatrix.web.listing import paginate


def _counts(event: TrainingEvent) -> list[int]:
    """The figures `selectors.event_list` annotates: units, invitations, attendances."""
    return [getattr(event, name) for name in ("unit_count", "invited_count", "attended_count")]


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    rows = selectors.event_list(user=request.user, kind=kind)
    if file_format := request.GET.get("export"):
        return download(
            filename=_("培训交流活动"),
            headers=[_("开始时间"), _("形式"), _("名称"), _("状态"), _("单位数"), _("邀请人数"),
                     _("出席人数")],
            rows=([e.starts_at, e.get_kind_display(), e.title, e.get_status_display(),
                   *_counts(e)] for e in rows),
            file_format=file_format,
        )  # fmt: skip
    return render(
        request,
        "training/events.html",
        {"page": paginate(request, rows), "kinds": EventKind.choices, "kind": kind,
         "can_manage": rules.can_manage(scope_for(request.user))},
    )  # fmt: skip


@login_required
def event_create(request: HttpRequest) -> HttpResponse:
    if not rules.can_manage(scope_for(request.user)):
        raise PermissionDenied(_("培训和交流由管理办公室组织。"))
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        event = run_service(form, lambda: services.training_event_create(
            actor=request.user, kind=d["kind"], title=d["title"], content=d["content"],
            starts_at=d["starts_at"], ends_at=d["ends_at"], location=d["location"],
            levels=d["levels"], unit_ids=[u.pk for u in d["units"]]))  # fmt: skip
        if event is not None:
            return redirect("training:event", event_id=event.pk)
    return render(request, "org/form.html",
                  {"form": form, "title": _("新建培训交流活动"), "back": "training:events"})  # fmt: skip


@login_required
def event_detail(request: HttpRequest, event_id: int) -> HttpResponse:
    event = selectors.event_get(user=request.user, event_id=event_id)
    scope = scope_for(request.user)
    can_manage = rules.can_manage(scope)
    invitations = list(event.invitations.select_related("person", "unit"))
    visible = scope.visible_unit_ids
    if visible is not None:
        invitations = [i for i in invitations if i.unit_id in visible]
    records = {a.person_id: a for a in event.attendance.select_related("person", "unit")}
    attendance_form = None
    if can_manage and event.status in rules.ATTENDANCE_STATES:
        people = [(i.person_id, f"{i.person.name}（{i.unit.name} · {i.get_level_display()}）",
                   records[i.person_id].status if i.person_id in records else "")
                  for i in invitations]  # fmt: skip
        attendance_form = AttendanceForm(
            request.POST if request.POST.get("form") == "attendance" else None, people=people
        )
        if request.method == "POST" and attendance_form.is_valid():
            saved = run_service(attendance_form, lambda: services.attendance_record(
                actor=request.user, event_id=event.pk, statuses=attendance_form.statuses()))  # fmt: skip
            if saved is not None:
                messages.success(request, _("已登记 %(n)s 人的出席情况。") % {"n": saved})
                return redirect("training:event", event_id=event.pk)
    rows = [
        {"invitation": i, "record": records.get(i.person_id),
         "field": attendance_form[f"person_{i.person_id}"] if attendance_form else None}
        for i in invitations
    ]  # fmt: skip
    material_form = MaterialForm() if can_manage and event.status != EventStatus.CANCELLED else None
    return render(
        request,
        "training/event_detail.html",
        {"event": event, "invitations": invitations, "rows": rows,
         "attendance_form": attendance_form, "material_form": material_form,
         "materials": event.materials.all(), "units": event.units.all(), "can_manage": can_manage,
         "allowed": rules.EVENT_TRANSITIONS.get(event.status, set()), "S": EventStatus},
    )  # fmt: skip


@login_required
@require_POST
def material_upload(request: HttpRequest, event_id: int) -> HttpResponse:
    selectors.event_get(user=request.user, event_id=event_id)
    form = MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        material = run_service(form, lambda: services.material_upload(
            actor=request.user, event_id=event_id, title=form.cleaned_data["title"],
            upload=form.cleaned_data["file"]))  # fmt: skip
        if material is not None:
            messages.success(request, _("已上传材料。"))
            return redirect("training:event", event_id=event_id)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))
    return redirect("training:event", event_id=event_id)


@login_required
def material_download(request: HttpRequest, material_id: int) -> FileResponse:
    material = Material.objects.filter(pk=material_id).first()
    if material is None:
        raise Http404
    selectors.event_get(user=request.user, event_id=material.event_id)
    response = FileResponse(
        material.file.open("rb"), as_attachment=True, filename=material.original_name,
        content_type=material.content_type,
    )  # fmt: skip
    response["X-Content-Type-Options"] = "nosniff"
    return response


EVENT_ACTIONS = {
    "invite": (services.training_event_invite, gettext_lazy("已发出邀请。")),
    "held": (services.training_event_mark_held, gettext_lazy("已标为已举办。")),
    "cancel": (services.training_event_cancel, gettext_lazy("已取消。")),
}


@login_required
@require_POST
def event_action(request: HttpRequest, event_id: int, action: str) -> HttpResponse:
    if action not in EVENT_ACTIONS:
        raise Http404
    service, done = EVENT_ACTIONS[action]
    service(actor=request.user, event_id=event_id)
    messages.success(request, done)
    return redirect("training:event", event_id=event_id)


@login_required
def person_record(request: HttpRequest, person_id: int) -> HttpResponse:
    person, records = selectors.person_record(user=request.user, person_id=person_id)
    return render(request, "training/person_record.html", {"person": person, "records": records})
