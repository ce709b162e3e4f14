"""Repost orders: an operator's list and the order's phone page with the one-click repost, and
the live compliance board (htmx polls it) with its latency chart and exports."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govmatrix.core.tables import download
from govmatrix.emergency import rules, services
from govmatrix.emergency.forms import ExemptForm, RecordForm
from govmatrix.emergency.models import RepostOrder
from govmatrix.emergency.selectors.incidents import incident_clocks, incident_get
from govmatrix.emergency.selectors.orders import (
    ORDER_FILTERS,
    OrderFilter,
    board_summary,
    latency_range,
    order_get,
    order_list,
    published_statements,
)
from govmatrix.emergency.services.orders import one_click_possible, reposted_post
from govmatrix.emergency.templatetags.emergency import latency_text, order_state_label
from govmatrix.emergency.views.charts import latency_chart, latency_export_url, statement_choice
from govmatrix.emergency.views.common import attempt, int_param
from govmatrix.org.permissions import scope_for
from govmatrix.web.charts import chart_table
from govmatrix.web.listing import active_filters, paginate, remembered_filters


def _filters(request: HttpRequest, **fixed: Any) -> OrderFilter:
    state = request.GET.get("state", "")
    return OrderFilter(
        statement_id=int_param(request, "statement"),
        state=state if state in ORDER_FILTERS else "",
        unit_id=int_param(request, "unit"),
        q=request.GET.get("q", "").strip()[:50],
        **fixed,
    )


def _with_latency(request: HttpRequest, orders: Any) -> Any:
    low = int_param(request, "latency")
    if low is None:
        return orders
    start, end = latency_range(low)
    orders = orders.filter(latency_seconds__gte=start)
    return orders if end is None else orders.filter(latency_seconds__lt=end)


@login_required
def order_list_view(request: HttpRequest) -> HttpResponse:
    if redirect_to := remembered_filters(request, "emergency_orders"):
        return redirect_to
    filters = _filters(request, mine=not scope_for(request.user).sees_all)
    orders = order_list(user=request.user, filters=filters).select_related(
        "statement", "statement__incident", "statement__post"
    )
    page = paginate(request, orders.order_by("state", "due_at", "id"))
    return render(
        request,
        "emergency/order_list.html",
        {
            "page": page,
            "filters": active_filters(request),
            "state_filters": ORDER_FILTERS.items(),
            "now": timezone.now(),
        },
    )


@login_required
def order_detail(request: HttpRequest, order_id: int) -> HttpResponse:
    order = order_get(user=request.user, order_id=order_id)
    scope = scope_for(request.user)
    statement = order.statement
    acts = rules.can_repost(scope, order) and order.state == "open" and not order.in_flight
    return render(
        request,
        "emergency/order.html",
        {
            "order": order,
            "statement": statement,
            "post": reposted_post(order, statement),
            "one_click": acts and one_click_possible(order, statement),
            "can_record": acts,
            "can_exempt": rules.can_exempt(scope) and order.state == "open" and not order.in_flight,
            "can_reopen": rules.can_exempt(scope) and order.state == "exempted",
            "record_form": RecordForm(),
            "exempt_form": ExemptForm(),
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
def order_action(request: HttpRequest, order_id: int, action: str) -> HttpResponse:
    order = order_get(user=request.user, order_id=order_id)
    user = request.user
    if action == "repost":
        attempt(
            request,
            lambda: services.repost_order_repost(actor=user, order_id=order.pk),
            _("已发起转发。"),
        )
    elif action == "record":
        form = RecordForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            attempt(
                request,
                lambda: services.repost_order_record(
                    actor=user,
                    order_id=order.pk,
                    url=data["url"],
                    external_id=data["external_id"],
                    reposted_at=data["reposted_at"],
                ),
                _("已登记转发链接。"),
            )
        else:
            messages.error(request, _("请填写转发微博的链接，时间按“年-月-日 时:分”。"))
    elif action == "exempt":
        exempt = ExemptForm(request.POST)
        reason = exempt.cleaned_data["reason"] if exempt.is_valid() else ""
        attempt(
            request,
            lambda: services.repost_order_exempt(actor=user, order_id=order.pk, reason=reason),
            _("已免除该账号的转发任务。"),
        )
    elif action == "reopen":
        attempt(
            request,
            lambda: services.repost_order_reopen(actor=user, order_id=order.pk),
            _("已撤销免除，任务重新待转发。"),
        )
    else:
        raise Http404
    return redirect("emergency:order", order_id=order.pk)


# --- the board -------------------------------------------------------------------------------
def _board(request: HttpRequest, incident_id: int) -> dict[str, Any]:
    incident = incident_get(user=request.user, incident_id=incident_id)
    published = list(published_statements(incident.pk))
    chosen = statement_choice(request, published)
    context: dict[str, Any] = {
        "incident": incident,
        "published": published,
        "chosen": chosen,
        "clocks": incident_clocks(incident),
        "filters": active_filters(request),
        "state_filters": ORDER_FILTERS.items(),
        "now": timezone.now(),
    }
    if chosen is None:
        return context
    filters = _filters(request, incident_id=incident.pk)
    filters = OrderFilter(**{**filters.__dict__, "statement_id": chosen.pk})
    orders = _with_latency(request, order_list(user=request.user, filters=filters))
    context.update(
        summary=board_summary(user=request.user, statement=chosen),
        page=paginate(request, orders.order_by("state", "due_at", "unit__sort_order", "id"), 100),
        can_exempt=rules.can_exempt(scope_for(request.user)),
    )
    return context


@login_required
def board(request: HttpRequest, incident_id: int) -> HttpResponse:
    context = _board(request, incident_id)
    if context["chosen"] is not None:
        context["chart"] = latency_chart(request.user, context["chosen"])
        context["latency_export_url"] = latency_export_url(incident_id, context["chosen"])
    return render(request, "emergency/board.html", context)


@login_required
def board_live(request: HttpRequest, incident_id: int) -> HttpResponse:
    """The board's live part, polled by htmx every few seconds."""
    return render(request, "emergency/_board_live.html", _board(request, incident_id))


def _order_row(order: RepostOrder, now: Any) -> list[Any]:
    return [
        order.unit.name,
        order.account.display_name,
        order.account.get_platform_display(),
        order_state_label(order, now),
        order.due_at,
        order.reposted_at,
        latency_text(order.latency_seconds) if order.latency_seconds is not None else "",
        order.repost_url,
        order.repost_external_id,
        order.get_proof_display() if order.proof else "",
        order.exemption_reason,
    ]


@login_required
def board_export(request: HttpRequest, incident_id: int) -> HttpResponse:
    context = _board(request, incident_id)
    if context["chosen"] is None:
        raise Http404
    filters = OrderFilter(incident_id=incident_id, statement_id=context["chosen"].pk)
    orders = order_list(user=request.user, filters=filters).order_by("unit__sort_order", "id")
    now = timezone.now()
    return download(
        filename=_("转发情况-%(t)s") % {"t": context["incident"].title},
        headers=[
            _("单位"), _("账号"), _("平台"), _("状态"), _("转发时限"), _("转发时间"),
            _("用时"), _("转发链接"), _("微博编号"), _("凭证来源"), _("免除理由"),
        ],
        rows=(_order_row(order, now) for order in orders.iterator()),
        file_format=request.GET.get("format", "xlsx"),
    )  # fmt: skip


@login_required
def latency_export(request: HttpRequest, incident_id: int) -> HttpResponse:
    context = _board(request, incident_id)
    if context["chosen"] is None:
        raise Http404
    chart = latency_chart(request.user, context["chosen"])
    headers, rows = chart_table(chart)
    return download(
        filename=chart["title"],
        headers=[_("用时"), *headers[1:]],
        rows=rows,
        file_format=request.GET.get("format", "xlsx"),
    )
