"""The office's pages: settings (SLA targets, topic → unit map, place names, triage threshold,
sync health), the wording library, opinion trends, and rumour rebuttals."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govmatrix.core.errors import DomainError
from govmatrix.core.tables import download
from govmatrix.inbox import clocks, rules, services
from govmatrix.inbox.forms import (
    PlaceForm,
    RebuttalForm,
    SettingsForm,
    SlaTargetForm,
    TopicForm,
    WordingForm,
)
from govmatrix.inbox.models import (
    InboxSettings,
    MessageKind,
    MessageTopic,
    PlaceName,
    RouterModel,
    SyncState,
    TrendAlert,
)
from govmatrix.inbox.routing import gazetteer
from govmatrix.inbox.selectors import trends
from govmatrix.inbox.selectors.messages import visible_messages
from govmatrix.inbox.selectors.replies import wordings_for
from govmatrix.inbox.services.opinion import DEFAULT_REPLY_TEXT
from govmatrix.matrix.selectors import main_account
from govmatrix.org.permissions import scope_for
from govmatrix.web.charts import bar_chart, chart_table
from govmatrix.web.forms_support import run_service


def _office(request: HttpRequest) -> None:
    if not scope_for(request.user).is_office_admin:
        raise PermissionDenied


# --- settings ---------------------------------------------------------------------------------
@login_required
def settings_view(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not scope.sees_all:
        raise PermissionDenied
    row = InboxSettings.objects.filter(pk=1).first() or InboxSettings(pk=1)
    settings_form = SettingsForm(
        request.POST if request.POST.get("form") == "settings" else None,
        initial={"triage_threshold": row.triage_threshold, "followup_days": row.followup_days},
    )
    topic_form = TopicForm(request.POST if request.POST.get("form") == "topic" else None)
    place_form = PlaceForm(request.POST if request.POST.get("form") == "place" else None)
    if request.method == "POST":
        _office(request)
        which = request.POST.get("form")
        done: object = None
        if which == "settings" and settings_form.is_valid():
            done = run_service(
                settings_form,
                lambda: services.inbox_settings_update(
                    actor=request.user, **settings_form.cleaned_data
                ),
            )
        elif which == "topic" and topic_form.is_valid():
            data = topic_form.cleaned_data
            done = run_service(
                topic_form,
                lambda: services.topic_create(
                    actor=request.user,
                    name=data["name"],
                    keywords=data["keywords"],
                    unit_id=data["unit"].pk if data.get("unit") else None,
                ),
                field_map={"unit_id": "unit"},
            )
        elif which == "place" and place_form.is_valid():
            data = place_form.cleaned_data
            done = run_service(
                place_form,
                lambda: services.place_name_add(
                    actor=request.user, unit_id=data["unit"].pk, name=data["name"]
                ),
                field_map={"unit_id": "unit"},
            )
        elif which == "sla":
            form = SlaTargetForm(request.POST)
            if form.is_valid():
                try:
                    services.sla_target_set(actor=request.user, **form.cleaned_data)
                    done = True
                except DomainError as exc:
                    messages.error(request, exc.message)
            else:
                messages.error(request, _("时限填写有误：%(e)s") % {"e": form.errors.as_text()})
        elif which == "topic_unit":
            raw_unit, raw_topic = request.POST.get("unit", ""), request.POST.get("topic", "")
            try:
                services.topic_update(
                    actor=request.user,
                    topic_id=int(raw_topic),
                    unit_id=int(raw_unit) if raw_unit.isdigit() else None,
                    keywords=request.POST.get("keywords", ""),
                )
                done = True
            except (DomainError, ValueError) as exc:
                messages.error(request, getattr(exc, "message", str(exc)))
        elif which == "place_remove":
            try:
                services.place_name_remove(
                    actor=request.user, place_id=int(request.POST.get("place", "0"))
                )
                done = True
            except (DomainError, ValueError) as exc:
                messages.error(request, getattr(exc, "message", str(exc)))
        if done:
            messages.success(request, _("已保存。"))
            return redirect("inbox:settings")
    targets = clocks.sla_targets()
    sla_rows = []
    for kind, label in MessageKind.choices:
        target = clocks.target_for(kind, targets)
        form = SlaTargetForm(
            auto_id=f"sla_{kind}_%s",
            initial={
                "kind": kind,
                "ack_hours": target.ack_hours,
                "resolve_days": target.resolve_days,
                "ack_warn_hours": target.ack_warn_hours,
                "resolve_warn_days": target.resolve_warn_days,
            },
        )
        for field in form.fields.values():
            # The row's inputs belong to the row's form (a form cannot wrap a table row).
            field.widget.attrs.update({"form": f"sla-{kind}", "aria-label": str(field.label)})
        sla_rows.append({"kind": kind, "label": label, "form": form})
    return render(
        request,
        "inbox/settings.html",
        {
            "settings_form": settings_form,
            "topic_form": topic_form,
            "place_form": place_form,
            "sla_rows": sla_rows,
            "topics": MessageTopic.objects.select_related("unit"),
            "units": _units(),
            "places": PlaceName.objects.select_related("unit"),
            "gazetteer": sorted(gazetteer().items()),
            "routers": RouterModel.objects.all()[:10],
            "sync": SyncState.objects.select_related("account", "account__unit").order_by(
                "account__unit__sort_order", "account__handle"
            ),
            "can_edit": scope.is_office_admin,
            "now": timezone.now(),
        },
    )


def _units() -> Any:
    from govmatrix.org.models import Unit

    return Unit.objects.filter(is_active=True)


# --- the wording library ------------------------------------------------------------------------
@login_required
def wordings(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    q = request.GET.get("q", "")
    form = WordingForm(request.POST or None, user=request.user)
    may_keep = scope.is_office_admin or any(r == "principal_leader" for _u, r in scope.roles)
    if request.method == "POST" and may_keep and form.is_valid():
        data = form.cleaned_data
        created = run_service(
            form,
            lambda: services.wording_create(
                actor=request.user,
                title=data["title"],
                text=data["text"],
                topic_id=data["topic"].pk if data.get("topic") else None,
                unit_id=data["unit"].pk if data.get("unit") else None,
            ),
            field_map={"unit_id": "unit", "topic_id": "topic"},
        )
        if created is not None:
            messages.success(request, _("口径已加入口径库。"))
            return redirect("inbox:wordings")
    rows = wordings_for(user=request.user, q=q)
    return render(
        request,
        "inbox/wordings.html",
        {
            "wordings": rows,
            "q": q,
            "form": form,
            "may_keep": may_keep,
            "keepable": {w.pk for w in rows if rules.can_keep_wordings(scope, w.unit_id)},
        },
    )


@login_required
@require_POST
def wording_toggle(request: HttpRequest, wording_id: int) -> HttpResponse:
    from govmatrix.inbox.models import Wording

    wording = Wording.objects.filter(pk=wording_id).first()
    if wording is None:
        raise Http404
    try:
        services.wording_update(
            actor=request.user, wording_id=wording.pk, is_active=not wording.is_active
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已停用。") if wording.is_active else _("已启用。"))
    return redirect("inbox:wordings")


# --- opinion trends -----------------------------------------------------------------------------
def _trend_charts(data: dict[str, list[trends.TrendItem]], window: str) -> dict[str, Any]:
    base = reverse("inbox:queue")
    charts = {}
    for dimension, title in (
        ("topic", _("上升的主题")),
        ("place", _("上升的地点")),
        ("phrase", _("上升的词语")),
    ):
        items = data.get(dimension, [])
        charts[dimension] = bar_chart(
            title=title,
            items=[
                (
                    i.label,
                    i.count,
                    f"{reverse('inbox:trend_messages')}?dim={dimension}&key={i.key}&window={window}",
                )
                for i in items
            ],
        )
    charts["daily"] = bar_chart(
        title=_("近 14 天每日留言数"),
        items=[(day[5:], n, f"{base}?state=all&day={day}") for day, n in trends.daily_counts()],
    )
    return charts


@login_required
def trends_view(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not scope.sees_all:
        raise PermissionDenied
    window = request.GET.get("window", "24h")
    if window not in trends.WINDOWS:
        window = "24h"
    data = trends.rising(window=window)
    charts = _trend_charts(data, window)
    if key := request.GET.get("export"):
        if key not in charts:
            raise Http404
        headers, rows = chart_table(charts[key])
        return download(
            filename=charts[key]["title"],
            headers=headers,
            rows=rows,
            file_format=request.GET.get("format", "xlsx"),
        )
    return render(
        request,
        "inbox/trends.html",
        {
            "window": window,
            "windows": [("24h", _("近 24 小时")), ("7d", _("近 7 天"))],
            "data": data,
            "charts": charts,
            "alerts": TrendAlert.objects.all()[:10],
            "can_act": scope.is_office_admin,
            "main_account": main_account(),
        },
    )


@login_required
def trend_messages(request: HttpRequest) -> HttpResponse:
    """The messages behind one trend item, with the office's two ways to answer."""
    if not scope_for(request.user).sees_all:
        raise PermissionDenied
    dim, key, window = (
        request.GET.get("dim", ""),
        request.GET.get("key", ""),
        request.GET.get("window", "24h"),
    )
    if window not in trends.WINDOWS or dim not in {"topic", "place", "phrase"}:
        raise Http404
    visible = visible_messages(request.user).values("pk")
    rows = (
        trends.messages_of(dim, key, window=window)
        .filter(pk__in=visible)
        .select_related("account", "unit")
        .order_by("-received_at")[:200]
    )
    label = (
        MessageTopic.objects.filter(pk=key).values_list("name", flat=True).first()
        if dim == "topic" and key.isdigit()
        else key
    )
    return render(
        request,
        "inbox/trend_messages.html",
        {
            "rows": rows,
            "label": label,
            "dim": dim,
            "key": key,
            "window": window,
            "ids": ",".join(str(m.pk) for m in rows),
            "can_act": scope_for(request.user).is_office_admin,
            "main_account": main_account(),
        },
    )


@login_required
@require_POST
def trend_post(request: HttpRequest) -> HttpResponse:
    """Open an authoritative post from a trend: a draft the office finishes in publishing."""
    _office(request)
    label = request.POST.get("label", "").strip()[:50]
    raw = request.POST.get("account", "")
    text = _("【权威发布】关于网民关注的“%(what)s”，现将有关情况通报如下：") % {
        "what": label or _("有关情况")
    }
    try:
        post = services.authoritative_post_open(
            actor=request.user, account_id=int(raw) if raw.isdigit() else 0, text=text
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("inbox:trends")
    messages.success(request, _("已生成权威信息草稿，请补充内容后提交审核。"))
    return redirect("publishing:post_edit", post_id=post.pk)


# --- rumour rebuttal ----------------------------------------------------------------------------
@login_required
def rebuttal_new(request: HttpRequest) -> HttpResponse:
    _office(request)
    ids_raw = request.POST.get("ids") or request.GET.get("ids", "")
    ids = [int(p) for p in ids_raw.split(",") if p.strip().isdigit()]
    rows = list(visible_messages(request.user).filter(pk__in=ids))
    main = main_account()
    form = RebuttalForm(
        request.POST if request.method == "POST" else None,
        initial={
            "ids": ",".join(str(m.pk) for m in rows),
            "account": main.pk if main else None,
            "reply_text": DEFAULT_REPLY_TEXT,
            "text": _("【辟谣】近日有网民反映“%(what)s”。经核实，")
            % {"what": rows[0].text[:30] if rows else ""},
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        rebuttal = run_service(
            form,
            lambda: services.rebuttal_create(
                actor=request.user,
                message_ids=form.message_ids(),
                account_id=data["account"].pk,
                text=data["text"],
                reply_text=data["reply_text"],
            ),
            field_map={"message_ids": "ids", "account_id": "account"},
        )
        if rebuttal is not None:
            messages.success(
                request,
                _(
                    "澄清稿件已提交审核；发布后，%(n)d 位网民将收到指向它的答复（经各单位主要领导审核）。"
                )
                % {"n": len(rows)},
            )
            return redirect("publishing:post_detail", post_id=rebuttal.post_id)
    return render(request, "inbox/rebuttal_form.html", {"form": form, "rows": rows})


@login_required
def sla_chart_export(request: HttpRequest, key: str) -> HttpResponse:
    from govmatrix.inbox.navigation import sla_chart

    if key != "sla" or not scope_for(request.user).sees_all:
        raise Http404
    chart = sla_chart(request)
    headers, rows = chart_table(chart)
    return download(
        filename=chart["title"],
        headers=headers,
        rows=rows,
        file_format=request.GET.get("format", "xlsx"),
    )
