from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from govmatrix.audit.services import event_record
from govmatrix.core.errors import ValidationFailed
from govmatrix.core.types import Actor, as_user
from govmatrix.org.permissions import require, scope_for
from govmatrix.workdays.models import CalendarDay, CalendarYear
from govmatrix.workdays.selectors import forget_calendar

MAX_RANGE_DAYS = 31


def _forget_after_commit() -> None:
    # Only after commit: a calendar rebuilt from a change that then rolls back would be wrong.
    transaction.on_commit(forget_calendar)


@transaction.atomic
def calendar_days_set(*, actor: Actor, first: date, last: date, is_workday: bool, name: str) -> int:
    """Mark every date from `first` to `last` as a holiday (or a working day); returns how many."""
    require(scope_for(actor).can_manage_org(), _("工作日历由管理办公室维护。"))
    if last < first:
        raise ValidationFailed({"last": _("结束日期不能早于开始日期。")})
    if (last - first).days >= MAX_RANGE_DAYS:
        raise ValidationFailed({"last": _("一次最多设置 %(n)d 天。") % {"n": MAX_RANGE_DAYS}})
    if not name.strip():
        raise ValidationFailed({"name": _("请填写名称，如“春节”或“春节调休上班”。")})
    count = 0
    day = first
    while day <= last:
        CalendarDay.objects.update_or_create(
            day=day, defaults={"is_workday": is_workday, "name": name.strip()}
        )
        day += timedelta(days=1)
        count += 1
    event_record(
        actor=actor,
        verb="calendar_day.set",
        note=f"{first}–{last} {name}",
        data={"first": first, "last": last, "is_workday": is_workday, "name": name.strip()},
    )
    _forget_after_commit()
    return count


@transaction.atomic
def calendar_day_remove(*, actor: Actor, day: date) -> None:
    require(scope_for(actor).can_manage_org(), _("工作日历由管理办公室维护。"))
    deleted, _details = CalendarDay.objects.filter(day=day).delete()
    if deleted:
        event_record(actor=actor, verb="calendar_day.removed", note=str(day), data={"day": day})
        _forget_after_commit()


@transaction.atomic
def calendar_year_confirm(*, actor: Actor, year: int) -> CalendarYear:
    """The office states that it has entered all of the year's holidays and adjusted working days."""
    require(scope_for(actor).can_manage_org(), _("工作日历由管理办公室维护。"))
    user = as_user(actor)
    assert user is not None
    if not CalendarDay.objects.filter(day__year=year).exists():
        raise ValidationFailed(
            {"year": _("%(year)s 年还没有录入任何节假日，不能确认。") % {"year": year}}
        )
    confirmed, _created = CalendarYear.objects.get_or_create(
        year=year, defaults={"confirmed_by": user}
    )
    event_record(actor=actor, verb="calendar_year.confirmed", note=str(year), data={"year": year})
    _forget_after_commit()
    return confirmed
