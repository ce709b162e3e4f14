from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govmatrix.audit.selectors import event_history_of
from govmatrix.core.errors import DomainError, NotFound
from govmatrix.core.tables import download
from govmatrix.matrix import registry_io
from govmatrix.matrix.forms import (
    AccountForm,
    BulkStatusForm,
    ImportForm,
    LinkageForm,
    RegistryFilterForm,
    StatusChangeForm,
)
from govmatrix.matrix.models import AccountStatus, LinkageKind
from govmatrix.matrix.rules import ALLOWED_STATUS_CHANGES
from govmatrix.matrix.selectors import (
    AccountFilter,
    account_get,
    account_linkages,
    account_list,
    accounts_counted_by,
    linkage_graph,
    linkage_list,
)
from govmatrix.matrix.services import (
    ImportRejected,
    account_change_status,
    account_create,
    account_update,
    linkage_create,
    linkage_remove,
    registry_import,
)
from govmatrix.org.permissions import scope_for
from govmatrix.org.selectors import group_target_list
from govmatrix.web.forms_support import run_service
from govmatrix.web.listing import active_filters, paginate, remembered_filters


@login_required
def registry(request: HttpRequest) -> HttpResponse:
    if redirect_to := remembered_filters(request, "registry"):
        return redirect_to
    form = RegistryFilterForm(request.GET or None, user=request.user)
    form.is_valid()
    data = getattr(form, "cleaned_data", {}) or {}
    filters = AccountFilter(
        unit_id=data["unit"].pk if data.get("unit") else None,
        platform=data.get("platform", ""),
        status=data.get("status", ""),
        kind=data.get("kind", ""),
        q=(data.get("q") or "").strip(),
    )
    accounts = account_list(user=request.user, filters=filters)
    target = None
    if target_id := request.GET.get("target", ""):
        target = (
            group_target_list(user=request.user)
            .filter(pk=int(target_id) if target_id.isdigit() else 0)
            .first()
        )
        if target is not None:
            accounts = accounts.filter(pk__in=accounts_counted_by(target).values("pk"))
    if file_format := request.GET.get("export"):
        return download(
            filename=_("政务微博台账"),
            headers=registry_io.export_headers(),
            rows=registry_io.export_rows(accounts),
            file_format=file_format,
        )
    scope = scope_for(request.user)
    return render(
        request,
        "matrix/registry.html",
        {
            "form": form,
            "page": paginate(request, accounts),
            "filters": active_filters(request),
            "target": target,
            "can_edit": scope.can_edit_some_accounts(),
            "status_choices": AccountStatus.choices,
        },
    )


@login_required
def account_detail(request: HttpRequest, account_id: int) -> HttpResponse:
    account = account_get(user=request.user, account_id=account_id)
    scope = scope_for(request.user)
    status_labels = dict(AccountStatus.choices)
    allowed_next = [
        (s, label)
        for s, label in AccountStatus.choices
        if s in ALLOWED_STATUS_CHANGES[account.status]
    ]
    return render(
        request,
        "matrix/account_detail.html",
        {
            "account": account,
            "linkages": account_linkages(user=request.user, account=account),
            "history": [
                {**vars(e), "to_label": status_labels.get(e.to_state, "")}
                for e in event_history_of(account)
            ],
            "can_edit": scope.can_edit_accounts_of(account.unit_id),
            "next_statuses": allowed_next,
            "status_form": StatusChangeForm(),
        },
    )


@login_required
def account_create_view(request: HttpRequest) -> HttpResponse:
    form = AccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        kwargs = form.service_kwargs()
        account = run_service(
            form, lambda: account_create(actor=request.user, **kwargs), field_map={"unit": "unit"}
        )
        if account is not None:
            messages.success(
                request, _("已登记账号「%(name)s」。") % {"name": account.display_name}
            )
            return redirect("matrix:account_detail", account_id=account.pk)
    return render(request, "matrix/account_form.html", {"form": form, "creating": True})


@login_required
def account_edit(request: HttpRequest, account_id: int) -> HttpResponse:
    account = account_get(user=request.user, account_id=account_id)
    form = AccountForm(
        request.POST or None,
        user=request.user,
        editing=True,
        initial=AccountForm.initial_for(account),
    )
    if request.method == "POST" and form.is_valid():
        kwargs = form.service_kwargs()
        updated = run_service(
            form, lambda: account_update(actor=request.user, account_id=account.pk, **kwargs)
        )
        if updated is not None:
            messages.success(request, _("已保存。"))
            return redirect("matrix:account_detail", account_id=account.pk)
    return render(
        request, "matrix/account_form.html", {"form": form, "account": account, "creating": False}
    )


@login_required
@require_POST
def account_status(request: HttpRequest, account_id: int) -> HttpResponse:
    account = account_get(user=request.user, account_id=account_id)
    form = StatusChangeForm(request.POST)
    if form.is_valid():
        try:
            account_change_status(
                actor=request.user,
                account_id=account.pk,
                to=form.cleaned_data["to"],
                on=form.cleaned_data["on"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("状态已变更。"))
        except DomainError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("请选择新状态。"))
    return redirect("matrix:account_detail", account_id=account.pk)


@login_required
@require_POST
def registry_bulk_status(request: HttpRequest) -> HttpResponse:
    form = BulkStatusForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, _("请至少选择一个账号和新状态。"))
        return redirect("matrix:registry")
    accounts = list(form.cleaned_data["ids"])
    try:
        # All or nothing: one refused account leaves every account as it was.
        with transaction.atomic():
            for account in accounts:
                account_change_status(
                    actor=request.user,
                    account_id=account.pk,
                    to=form.cleaned_data["to"],
                    note=form.cleaned_data["note"],
                )
    except DomainError as exc:
        messages.error(
            request,
            _("没有变更任何账号：%(name)s — %(reason)s")
            % {"name": account.display_name, "reason": exc.message},
        )
    else:
        messages.success(request, _("已变更 %(n)d 个账号的状态。") % {"n": len(accounts)})
    return redirect("matrix:registry")


@login_required
def linkage_add(request: HttpRequest, account_id: int) -> HttpResponse:
    account = account_get(user=request.user, account_id=account_id)
    form = LinkageForm(request.POST or None, account=account)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        linkage = run_service(
            form,
            lambda: linkage_create(
                actor=request.user,
                account_id=account.pk,
                kind=data["kind"],
                target_unit_id=data["target_unit"].pk if data["target_unit"] else None,
                target_account_id=data["target_account"].pk if data["target_account"] else None,
                target_name=data["target_name"],
                target_url=data["target_url"],
                note=data["note"],
            ),
        )
        if linkage is not None:
            messages.success(request, _("已登记联动。"))
            return redirect("matrix:account_detail", account_id=account.pk)
    return render(request, "matrix/linkage_form.html", {"form": form, "account": account})


@login_required
@require_POST
def linkage_delete(request: HttpRequest, linkage_id: int) -> HttpResponse:
    account_id = request.POST.get("account", "")
    try:
        linkage_remove(actor=request.user, linkage_id=linkage_id)
        messages.success(request, _("已解除联动。"))
    except NotFound:
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
    if account_id.isdigit():
        return redirect("matrix:account_detail", account_id=int(account_id))
    return redirect("matrix:linkages")


@login_required
def linkages(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    rows = linkage_list(user=request.user, kind=kind if kind in LinkageKind.values else "")
    counts = {value: 0 for value in LinkageKind.values}
    for value in linkage_list(user=request.user).values_list("kind", flat=True):
        counts[value] += 1
    return render(
        request,
        "matrix/linkages.html",
        {
            "page": paginate(request, rows),
            "kind": kind,
            "kinds": [(value, label, counts[value]) for value, label in LinkageKind.choices],
            "graph": linkage_graph(rows),
        },
    )


@login_required
def registry_import_view(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    summary = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            table = registry_io.read_table(upload.name, upload.read())
            summary = registry_import(actor=request.user, rows=registry_io.parse_rows(table))
        except registry_io.UnreadableFile as exc:
            form.add_error("file", str(exc))
        except ImportRejected as exc:
            errors = exc.errors
            form.add_error(None, exc.message)
    columns = registry_io.COLUMNS
    return render(
        request,
        "matrix/import.html",
        {
            "form": form,
            "errors": errors,
            "summary": summary,
            "columns": columns,
            "required": registry_io.REQUIRED,
        },
    )
