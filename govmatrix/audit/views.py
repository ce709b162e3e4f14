from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from govmatrix.audit.selectors import EventFilter, chain_verify, event_list
from govmatrix.audit.verbs import all_verbs, verb_label
from govmatrix.core.tables import download
from govmatrix.org.permissions import scope_for
from govmatrix.org.selectors import unit_choices
from govmatrix.web.listing import active_filters, paginate, remembered_filters


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not scope.can_view_audit():
        raise PermissionDenied(_("审计日志只对管理办公室开放。"))
    if redirect_to := remembered_filters(request, "audit"):
        return redirect_to
    get = request.GET
    unit = get.get("unit", "")
    filters = EventFilter(
        verb=get.get("verb", ""),
        unit_id=int(unit) if unit.isdigit() else None,
        actor=get.get("actor", "").strip(),
        since=_date(get.get("since", "")),
        until=_date(get.get("until", "")),
        q=get.get("q", "").strip(),
    )
    events = event_list(visible_unit_ids=scope.visible_unit_ids, filters=filters)
    if file_format := get.get("export"):
        return download(
            filename=_("审计日志"),
            headers=[
                _("序号"),
                _("时间"),
                _("操作人"),
                _("动作"),
                _("对象"),
                _("原状态"),
                _("新状态"),
                _("说明"),
                "IP",
                _("哈希"),
            ],
            rows=(
                [
                    e.seq,
                    e.created_at,
                    e.actor_name,
                    verb_label(e.verb),
                    e.object_label,
                    e.from_state,
                    e.to_state,
                    e.note,
                    e.ip,
                    e.hash,
                ]
                for e in events.iterator()
            ),
            file_format=file_format,
        )
    context = {
        "page": paginate(request, events, per_page=50),
        "verbs": all_verbs(),
        "units": unit_choices(user=request.user),
        "filters": active_filters(request),
        "f": filters,
        "chain": chain_verify() if get.get("verify") else None,
    }
    return render(request, "audit/log.html", context)
