from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govmatrix.core.errors import DomainError
from govmatrix.core.tables import download
from govmatrix.matrix.selectors import AccountFilter, account_list, target_progress
from govmatrix.org import selectors, services
from govmatrix.org.forms import (
    PERSON_FIELDS,
    BudgetLineForm,
    GroupTargetForm,
    MembershipForm,
    PersonForm,
    SpendingForm,
    UnitForm,
    person_initial,
)
from govmatrix.org.models import GroupTarget, Role, UnitKind
from govmatrix.org.permissions import scope_for
from govmatrix.web.forms_support import run_service
from govmatrix.web.listing import active_filters, paginate, remembered_filters


def _office_only(request: HttpRequest) -> None:
    if not scope_for(request.user).can_manage_org():
        raise PermissionDenied(_("只有管理办公室可以执行此操作。"))


# --- units ----------------------------------------------------------------------------------
@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    if redirect_to := remembered_filters(request, "units"):
        return redirect_to
    kind = request.GET.get("kind", "")
    q = request.GET.get("q", "").strip()
    units = selectors.unit_list(
        user=request.user, kind=kind if kind in UnitKind.values else "", q=q
    )
    if file_format := request.GET.get("export"):
        return download(
            filename=_("单位"),
            headers=[
                _("代码"),
                _("名称"),
                _("类型"),
                _("上级单位"),
                _("账号数"),
                _("在职人员数"),
                _("在用"),
            ],
            rows=(
                [
                    u.code,
                    u.name,
                    u.get_kind_display(),
                    u.parent.name if u.parent else "",
                    u.account_count,
                    u.member_count,
                    _("是") if u.is_active else _("否"),
                ]
                for u in units
            ),
            file_format=file_format,
        )
    return render(
        request,
        "org/unit_list.html",
        {
            "page": paginate(request, units, per_page=50),
            "kinds": UnitKind.choices,
            "kind": kind,
            "q": q,
            "filters": active_filters(request),
            "can_manage": scope_for(request.user).can_manage_org(),
        },
    )


@login_required
def unit_detail(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = selectors.unit_get(user=request.user, unit_id=unit_id)
    return render(
        request,
        "org/unit_detail.html",
        {
            "unit": unit,
            "memberships": selectors.membership_list(user=request.user, unit_id=unit.pk),
            "accounts": account_list(user=request.user, filters=AccountFilter(unit_id=unit.pk)),
            "budget_lines": selectors.budget_line_list(user=request.user, unit_id=unit.pk),
            "can_manage": scope_for(request.user).can_manage_org(),
        },
    )


@login_required
def unit_create(request: HttpRequest) -> HttpResponse:
    _office_only(request)
    form = UnitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        unit = run_service(
            form,
            lambda: services.unit_create(
                actor=request.user,
                name=d["name"],
                code=d["code"],
                kind=d["kind"],
                parent_id=d["parent"].pk if d["parent"] else None,
                sort_order=d["sort_order"] or 0,
            ),
        )
        if unit is not None:
            messages.success(request, _("已新建单位「%(name)s」。") % {"name": unit.name})
            return redirect("org:unit_detail", unit_id=unit.pk)
    return render(
        request, "org/form.html", {"form": form, "title": _("新建单位"), "back": "org:units"}
    )


@login_required
def unit_edit(request: HttpRequest, unit_id: int) -> HttpResponse:
    _office_only(request)
    unit = selectors.unit_get(user=request.user, unit_id=unit_id)
    initial = {
        "name": unit.name,
        "code": unit.code,
        "kind": unit.kind,
        "parent": unit.parent_id,
        "sort_order": unit.sort_order,
        "is_active": unit.is_active,
    }
    form = UnitForm(request.POST or None, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        updated = run_service(
            form,
            lambda: services.unit_update(
                actor=request.user,
                unit_id=unit.pk,
                name=d["name"],
                parent_id=d["parent"].pk if d["parent"] else None,
                sort_order=d["sort_order"] or 0,
                is_active=d["is_active"],
            ),
        )
        if updated is not None:
            messages.success(request, _("已保存。"))
            return redirect("org:unit_detail", unit_id=unit.pk)
    return render(
        request,
        "org/form.html",
        {"form": form, "title": _("编辑单位") + f" · {unit.name}", "back": "org:units"},
    )


# --- people ---------------------------------------------------------------------------------
@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    if redirect_to := remembered_filters(request, "people"):
        return redirect_to
    q = request.GET.get("q", "").strip()
    role = request.GET.get("role", "")
    memberships = selectors.membership_list(
        user=request.user, role=role if role in Role.values else ""
    )
    if q:
        memberships = memberships.filter(person__name__icontains=q) | memberships.filter(
            unit__name__icontains=q
        )
    if file_format := request.GET.get("export"):
        return download(
            filename=_("人员与角色"),
            headers=[
                _("姓名"),
                _("职务"),
                _("单位"),
                _("角色"),
                _("专兼职"),
                _("任职日期"),
                _("电话"),
                _("登录名"),
            ],
            rows=(
                [
                    m.person.name,
                    m.person.title,
                    m.unit.name,
                    m.get_role_display(),
                    m.get_staffing_display(),
                    m.started_on,
                    m.person.phone,
                    m.person.user.get_username() if m.person.user else "",
                ]
                for m in memberships
            ),
            file_format=file_format,
        )
    return render(
        request,
        "org/person_list.html",
        {
            "page": paginate(request, memberships),
            "roles": Role.choices,
            "role": role,
            "q": q,
            "filters": active_filters(request),
            "can_manage": scope_for(request.user).can_manage_org(),
        },
    )


@login_required
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    person = selectors.person_get(user=request.user, person_id=person_id)
    can_manage = scope_for(request.user).can_manage_org()
    form = MembershipForm(request.POST or None) if can_manage else None
    if form is not None and request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        membership = run_service(
            form,
            lambda: services.membership_create(
                actor=request.user,
                person_id=person.pk,
                unit_id=d["unit"].pk,
                role=d["role"],
                staffing=d["staffing"],
                started_on=d["started_on"],
            ),
        )
        if membership is not None:
            messages.success(request, _("已任命。"))
            return redirect("org:person_detail", person_id=person.pk)
    memberships = person.memberships.select_related("unit").order_by("ended_on", "-started_on")
    visible = scope_for(request.user).visible_unit_ids
    if visible is not None:
        memberships = memberships.filter(unit_id__in=visible)
    return render(
        request,
        "org/person_detail.html",
        {"person": person, "memberships": memberships, "form": form, "can_manage": can_manage},
    )


@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    _office_only(request)
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        person = run_service(
            form,
            lambda: services.person_create(
                actor=request.user, **{f: d[f] for f in (*PERSON_FIELDS, "username", "password")}
            ),
        )
        if person is not None:
            messages.success(
                request, _("已新建人员「%(name)s」，请为其任命角色。") % {"name": person.name}
            )
            return redirect("org:person_detail", person_id=person.pk)
    return render(
        request, "org/form.html", {"form": form, "title": _("新建人员"), "back": "org:people"}
    )


@login_required
def person_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    _office_only(request)
    person = selectors.person_get(user=request.user, person_id=person_id)
    form = PersonForm(request.POST or None, editing=True, initial=person_initial(person))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        updated = run_service(
            form,
            lambda: services.person_update(
                actor=request.user,
                person_id=person.pk,
                **{f: d[f] for f in (*PERSON_FIELDS, "is_active")},
            ),
        )
        if updated is not None:
            messages.success(request, _("已保存。"))
            return redirect("org:person_detail", person_id=person.pk)
    return render(
        request,
        "org/form.html",
        {"form": form, "title": _("编辑人员") + f" · {person.name}", "back": "org:people"},
    )


@login_required
@require_POST
def membership_end(request: HttpRequest, membership_id: int) -> HttpResponse:
    person_id = request.POST.get("person", "")
    try:
        services.membership_end(actor=request.user, membership_id=membership_id)
        messages.success(request, _("已结束任职。"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return (
        redirect("org:person_detail", person_id=int(person_id))
        if person_id.isdigit()
        else redirect("org:people")
    )


# --- group targets --------------------------------------------------------------------------
@login_required
def target_list(request: HttpRequest) -> HttpResponse:
    if not scope_for(request.user).sees_all:
        raise PermissionDenied(_("建设目标由管理办公室管理。"))
    return render(
        request,
        "org/target_list.html",
        {
            "progress": target_progress(user=request.user),
            "can_manage": scope_for(request.user).can_manage_org(),
        },
    )


def _target_form_view(request: HttpRequest, target: GroupTarget | None) -> HttpResponse:
    _office_only(request)
    form = GroupTargetForm(
        request.POST or None, initial=GroupTargetForm.initial_for(target) if target else None
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if target is None:
            saved = run_service(form, lambda: services.group_target_create(actor=request.user, **d))
        else:
            saved = run_service(
                form,
                lambda: services.group_target_update(actor=request.user, target_id=target.pk, **d),
            )
        if saved is not None:
            messages.success(request, _("已保存建设目标。"))
            return redirect("org:targets")
    title = _("编辑建设目标") if target else _("新建建设目标")
    return render(request, "org/form.html", {"form": form, "title": title, "back": "org:targets"})


@login_required
def target_create(request: HttpRequest) -> HttpResponse:
    return _target_form_view(request, None)


@login_required
def target_edit(request: HttpRequest, target_id: int) -> HttpResponse:
    target = selectors.group_target_list(user=request.user).filter(pk=target_id).first()
    if target is None:
        raise PermissionDenied
    return _target_form_view(request, target)


# --- budgets --------------------------------------------------------------------------------
def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else timezone.localdate().year


@login_required
def budget(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    lines = selectors.budget_line_list(user=request.user, year=year)
    summary = selectors.budget_summary(user=request.user, year=year)
    if file_format := request.GET.get("export"):
        return download(
            filename=_("%(year)s年度经费") % {"year": year},
            headers=[_("单位"), _("用途"), _("预算（元）"), _("已支出（元）"), _("结余（元）")],
            rows=(
                [line.unit.name, line.purpose, line.amount, line.spent, line.amount - line.spent]
                for line in lines
            ),
            file_format=file_format,
        )
    total_budget = sum((row.budget for row in summary), start=0)
    total_spent = sum((row.spent for row in summary), start=0)
    return render(
        request,
        "org/budget.html",
        {
            "year": year,
            "years": range(timezone.localdate().year + 1, timezone.localdate().year - 5, -1),
            "lines": lines,
            "summary": summary,
            "total_budget": total_budget,
            "total_spent": total_spent,
            "can_manage": scope_for(request.user).can_manage_org(),
        },
    )


@login_required
def budget_line_create(request: HttpRequest) -> HttpResponse:
    _office_only(request)
    form = BudgetLineForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        line = run_service(
            form,
            lambda: services.budget_line_create(
                actor=request.user,
                unit_id=d["unit"].pk,
                year=d["year"],
                amount=d["amount"],
                purpose=d["purpose"],
                note=d["note"],
            ),
        )
        if line is not None:
            messages.success(request, _("已新建预算。"))
            return redirect(f"/org/budget/?year={line.year}")
    return render(
        request, "org/form.html", {"form": form, "title": _("新建预算"), "back": "org:budget"}
    )


@login_required
def budget_line_detail(request: HttpRequest, budget_line_id: int) -> HttpResponse:
    line = selectors.budget_line_get(user=request.user, budget_line_id=budget_line_id)
    scope = scope_for(request.user)
    can_record = scope.can_record_spending_of(line.unit_id)
    form = (
        SpendingForm(
            request.POST or None,
            initial={"spent_on": min(timezone.localdate(), date(line.year, 12, 31))},
        )
        if can_record
        else None
    )
    if form is not None and request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        entry = run_service(
            form,
            lambda: services.spending_entry_create(
                actor=request.user,
                budget_line_id=line.pk,
                spent_on=d["spent_on"],
                amount=d["amount"],
                description=d["description"],
            ),
        )
        if entry is not None:
            messages.success(request, _("已登记支出。"))
            return redirect("org:budget_line", budget_line_id=line.pk)
    return render(
        request,
        "org/budget_line.html",
        {
            "line": line,
            "entries": line.spending.select_related("recorded_by"),
            "form": form,
            "remaining": line.amount - line.spent,
        },
    )
