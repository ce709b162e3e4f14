"""The week and month calendar of scheduled and published posts across the matrix."""

from __future__ import annotations

import calendar as pycalendar
from datetime import date, timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode

from govmatrix.org.permissions import scope_for
from govmatrix.org.selectors import unit_choices
from govmatrix.publishing.forms import PauseForm
from govmatrix.publishing.selectors.office import publishing_settings
from govmatrix.publishing.selectors.stats import calendar_days


def _parse_day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return timezone.localdate()


def _month_range(day: date) -> tuple[date, date, date, date]:
    first = day.replace(day=1)
    last = first.replace(day=pycalendar.monthrange(first.year, first.month)[1])
    start = first - timedelta(days=first.weekday())
    end = last + timedelta(days=6 - last.weekday())
    previous = (first - timedelta(days=1)).replace(day=1)
    following = last + timedelta(days=1)
    return start, end, previous, following


def _remembered(request: HttpRequest) -> HttpResponseRedirect | None:
    """The view and unit filter are remembered per user; the week or month shown is not."""
    key = "filters:calendar"
    if request.GET.get("reset"):
        request.session.pop(key, None)
        return HttpResponseRedirect(request.path)
    kept = {k: request.GET[k] for k in ("view", "unit") if request.GET.get(k)}
    if kept:
        request.session[key] = kept
        return None
    saved = request.session.get(key)
    if saved and not request.GET:
        return HttpResponseRedirect(f"{request.path}?{urlencode(saved)}")
    return None


@login_required
def calendar_view(request: HttpRequest) -> HttpResponse:
    if redirect_to := _remembered(request):
        return redirect_to
    view = "month" if request.GET.get("view") == "month" else "week"
    day = _parse_day(request.GET.get("date", ""))
    units = unit_choices(user=request.user)
    unit_param = request.GET.get("unit", "")
    unit = units.filter(pk=int(unit_param)).first() if unit_param.isdigit() else None
    if view == "month":
        start, end, previous, following = _month_range(day)
        days = calendar_days(
            user=request.user,
            start=start,
            end=end,
            unit_id=unit.pk if unit else None,
            month=day.month,
        )
    else:
        start = day - timedelta(days=day.weekday())
        end = start + timedelta(days=6)
        previous, following = start - timedelta(days=7), start + timedelta(days=7)
        days = calendar_days(
            user=request.user, start=start, end=end, unit_id=unit.pk if unit else None
        )
    weeks = [days[i : i + 7] for i in range(0, len(days), 7)]
    return render(
        request,
        "publishing/calendar.html",
        {
            "view": view,
            "day": day,
            "start": start,
            "end": end,
            "weeks": weeks,
            "previous": previous,
            "following": following,
            "today": timezone.localdate(),
            "units": units,
            "unit": unit,
            "settings": publishing_settings(),
            "is_office": scope_for(request.user).is_office_admin,
            "pause_form": PauseForm(),
            "total": sum(len(d.posts) for d in days),
        },
    )
