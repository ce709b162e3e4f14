from __future__ import annotations

import calendar as month_calendar
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govmatrix.core.errors import DomainError
from govmatrix.org.permissions import scope_for
from govmatrix.web.forms_support import run_service
from govmatrix.web.todo import TodoItem
from govmatrix.workdays import selectors, services
from govmatrix.workdays.calendar import YearMissing
from govmatrix.workdays.forms import DayRangeForm


def missing_year_todo(request: HttpRequest) -> list[TodoItem]:
    if not scope_for(request.user).can_manage_org():
        return []
    missing = selectors.missing_years(today=timezone.localdate())
    return [
        TodoItem(
            label=_("%(year)s 年节假日和调休尚未录入") % {"year": year},
            count=1,
            url=f"{reverse('workdays:calendar')}?year={year}",
            state="overdue" if year == timezone.localdate().year else "near",
            detail=_("时限按工作时间计算，缺少年度日历时无法计算。"),
            order=5,
        )
        for year in missing
    ]


def _year_grid(year: int) -> list[dict[str, object]]:
    calendar = selectors.work_calendar()
    months = []
    for month in range(1, 13):
        weeks = []
        for week in month_calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
            cells: list[dict[str, object] | None] = []
            for day in week:
                if day.month != month:
                    cells.append(None)
                    continue
                try:
                    state = "work" if calendar.is_workday(day) else "rest"
                except YearMissing:
                    state = "unknown"
                cells.append({"day": day.day, "state": state, "weekend": day.weekday() >= 5})
            weeks.append(cells)
        months.append({"month": month, "first": date(year, month, 1), "weeks": weeks})
    return months


@login_required
def calendar_page(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not scope.sees_all:
        raise PermissionDenied(_("工作日历由管理办公室维护。"))
    raw_year = request.GET.get("year", "")
    today = timezone.localdate()
    year = int(raw_year) if raw_year.isdigit() and 2000 <= int(raw_year) <= 2100 else today.year
    form = DayRangeForm(
        request.POST or None, initial={"first": date(year, 1, 1), "last": date(year, 1, 1)}
    )
    if request.method == "POST" and scope.can_manage_org() and form.is_valid():
        d = form.cleaned_data
        count = run_service(
            form,
            lambda: services.calendar_days_set(
                actor=request.user,
                first=d["first"],
                last=d["last"],
                is_workday=d["is_workday"],
                name=d["name"],
            ),
        )
        if count is not None:
            messages.success(request, _("已设置 %(n)d 天。") % {"n": count})
            return redirect(f"{reverse('workdays:calendar')}?year={d['first'].year}")
    calendar = selectors.work_calendar()
    if year in selectors.confirmed_years():
        source = "confirmed"
    elif year in selectors.package_years():
        source = "package"
    else:
        source = "missing"
    return render(
        request,
        "workdays/calendar.html",
        {
            "year": year,
            "years": range(today.year - 1, today.year + 3),
            "source": source,
            "days": selectors.calendar_days(year=year),
            "grid": _year_grid(year),
            "form": form,
            "can_manage": scope.can_manage_org(),
            "hours": calendar.hours,
            "per_day_hours": calendar.hours.per_day.total_seconds() / 3600,
        },
    )


@login_required
@require_POST
def confirm_year(request: HttpRequest, year: int) -> HttpResponse:
    try:
        services.calendar_year_confirm(actor=request.user, year=year)
        messages.success(request, _("已确认 %(year)s 年工作日历。") % {"year": year})
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(f"{reverse('workdays:calendar')}?year={year}")


@login_required
@require_POST
def remove_day(request: HttpRequest, day: str) -> HttpResponse:
    try:
        parsed = date.fromisoformat(day)
    except ValueError:
        return redirect("workdays:calendar")
    try:
        services.calendar_day_remove(actor=request.user, day=parsed)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(f"{reverse('workdays:calendar')}?year={parsed.year}")
