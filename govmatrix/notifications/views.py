from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from govmatrix.notifications.selectors import notification_list, unread_count
from govmatrix.notifications.services import notification_mark_read
from govmatrix.web.listing import paginate


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    rows = notification_list(user=request.user, unread_only=unread_only)
    return render(
        request,
        "notifications/list.html",
        {"page": paginate(request, rows), "unread_only": unread_only},
    )


@login_required
def bell(request: HttpRequest) -> HttpResponse:
    """The bell's count, refreshed by htmx every minute."""
    return render(request, "notifications/_bell.html", {"unread": unread_count(user=request.user)})


@login_required
@require_POST
def open_notification(request: HttpRequest, notification_id: int) -> HttpResponse:
    notification = notification_list(user=request.user).filter(pk=notification_id).first()
    if notification is None:
        return redirect("notifications:list")
    notification_mark_read(user=request.user, notification_ids=[notification.pk])
    if notification.link and url_has_allowed_host_and_scheme(
        notification.link, allowed_hosts={request.get_host()}
    ):
        return redirect(notification.link)
    return redirect("notifications:list")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    notification_mark_read(user=request.user)
    return redirect("notifications:list")
