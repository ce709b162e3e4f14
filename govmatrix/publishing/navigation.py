"""Publishing's place in the shell: sidebar sections with their counts, to-do items for each
role, and the office's dashboard panel. Registered once, in `PublishingConfig.ready`."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govmatrix.org.permissions import scope_for
from govmatrix.publishing.selectors.office import publishing_settings
from govmatrix.publishing.selectors.posts import (
    approvals_waiting,
    failed_posts,
    may_approve_anything,
    returned_to_me,
)
from govmatrix.publishing.selectors.reports import (
    correction_requests,
    items_to_review,
    overdue_items,
)
from govmatrix.publishing.selectors.stats import published_per_day, today_counts
from govmatrix.web.charts import bar_chart
from govmatrix.web.navigation import Section, register_section
from govmatrix.web.panels import Panel, register_panel
from govmatrix.web.todo import TodoItem, register_todo


def _posts_badge(request: HttpRequest) -> int | None:
    return (
        returned_to_me(user=request.user).count() + failed_posts(user=request.user).count() or None
    )


def _approvals_badge(request: HttpRequest) -> int | None:
    return approvals_waiting(user=request.user).count() or None


def _reports_badge(request: HttpRequest) -> int | None:
    if scope_for(request.user).is_office_admin:
        return items_to_review(user=request.user).count() or None
    return correction_requests(user=request.user).count() or None


def _todos(request: HttpRequest) -> list[TodoItem]:
    user = request.user
    if not user.is_authenticated:
        return []
    now = timezone.now()
    items: list[TodoItem] = []
    waiting = [
        (post.scheduled_at, getattr(post, "submitted_at", None))
        for post in approvals_waiting(user=user)[:500]
    ]
    if waiting:
        wanted = [scheduled for scheduled, _submitted in waiting if scheduled]
        state = "on_time"
        if any(t <= now for t in wanted):
            state = "overdue"
        elif any(t <= now + timedelta(hours=2) for t in wanted):
            state = "near"
        oldest = waiting[0][1]
        items.append(
            TodoItem(
                label=gettext_lazy("稿件待审核"),
                count=len(waiting),
                url=reverse("publishing:approvals"),
                state=state,
                detail=_("最早一篇提交于 %(t)s")
                % {"t": date_format(timezone.localtime(oldest), "SHORT_DATETIME_FORMAT")}
                if oldest
                else "",
                order=10,
            )
        )
    returned = returned_to_me(user=user).count()
    items.append(
        TodoItem(
            label=gettext_lazy("被退回的稿件"),
            count=returned,
            url=reverse("publishing:posts") + "?status=returned&mine=1",
            state="near",
            detail=gettext_lazy("按审核意见修改后再提交"),
            order=20,
        )
    )
    failed = failed_posts(user=user).count()
    items.append(
        TodoItem(
            label=gettext_lazy("发布失败的稿件"),
            count=failed,
            url=reverse("publishing:posts") + "?status=failed",
            state="overdue",
            detail=gettext_lazy("查看平台返回的原因，重新发布或修改"),
            order=21,
        )
    )
    if scope_for(user).is_office_admin:
        overdue = overdue_items(user=user).count()
        items.append(
            TodoItem(
                label=gettext_lazy("重要报送已超过审阅时限"),
                count=overdue,
                url=reverse("publishing:reports") + "?overdue=1",
                state="overdue",
                order=30,
            )
        )
        items.append(
            TodoItem(
                label=gettext_lazy("报送待审阅"),
                count=items_to_review(user=user).count(),
                url=reverse("publishing:reports") + "?state=to_review",
                state="on_time",
                order=31,
            )
        )
    items.append(
        TodoItem(
            label=gettext_lazy("管理办公室要求更正的报送"),
            count=correction_requests(user=user).count(),
            url=reverse("publishing:reports") + "?state=correction_requested",
            state="near",
            order=32,
        )
    )
    return items


def volume_chart(request: HttpRequest) -> dict[str, Any]:
    posts = reverse("publishing:posts")
    return bar_chart(
        title=gettext_lazy("近 30 天发布量"),
        items=[
            (
                date_format(day, "MONTH_DAY_FORMAT"),
                n,
                f"{posts}?status=published&published_on={day.isoformat()}",
            )
            for day, n in published_per_day(user=request.user, days=30)
        ],
    )


def _panel(request: HttpRequest) -> dict[str, Any]:
    return {
        "today": today_counts(user=request.user),
        "overdue": list(overdue_items(user=request.user)[:5]),
        "overdue_count": overdue_items(user=request.user).count(),
        "chart": volume_chart(request),
        "settings": publishing_settings(),
    }


def register() -> None:
    register_section(
        Section(
            "posts",
            gettext_lazy("稿件"),
            "publishing:posts",
            "pencil-square",
            30,
            badge=_posts_badge,
        )
    )
    register_section(
        Section(
            "approvals",
            gettext_lazy("稿件审核"),
            "publishing:approvals",
            "check2-square",
            31,
            visible=may_approve_anything,
            badge=_approvals_badge,
        )
    )
    register_section(
        Section("calendar", gettext_lazy("发布日历"), "publishing:calendar", "calendar3", 32)
    )
    register_section(
        Section(
            "reports",
            gettext_lazy("报送"),
            "publishing:reports",
            "inboxes",
            33,
            badge=_reports_badge,
        )
    )
    register_section(
        Section(
            "publishing_settings",
            gettext_lazy("发布设置"),
            "publishing:settings",
            "sliders",
            68,
            visible=lambda scope: scope.sees_all,
        )
    )
    register_todo(_todos)
    register_panel(
        Panel(
            "publishing",
            "publishing/_dashboard_panel.html",
            _panel,
            order=10,
            visible=lambda scope: scope.sees_all,
        )
    )
