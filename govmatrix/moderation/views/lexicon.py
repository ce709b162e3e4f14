"""The office's lexicon page: search the shipped terms, stop one, add terms (with pinyin
matching if wanted), the allow-list, every edit switchable, and a trial of the screening."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govmatrix.core.errors import DomainError
from govmatrix.moderation import rules, services
from govmatrix.moderation.forms import LexiconEntryForm
from govmatrix.moderation.models import CATEGORY_LABELS, LexiconAction
from govmatrix.moderation.selectors.lexicon import entry_list, lexicon_sizes, shipped_search, trial
from govmatrix.org.permissions import scope_for
from govmatrix.web.forms_support import run_service
from govmatrix.web.listing import paginate


def _office_or_inspector(request: HttpRequest) -> bool:
    scope = scope_for(request.user)
    if not scope.sees_all:
        raise Http404
    return rules.is_office(scope)


@login_required
def lexicon(request: HttpRequest) -> HttpResponse:
    is_office = _office_or_inspector(request)
    form = LexiconEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        entry = run_service(
            form, lambda: services.lexicon_entry_create(actor=request.user, **form.cleaned_data)
        )
        if entry is not None:
            messages.success(request, _("已保存：%(e)s。修改即时生效。") % {"e": entry})
            return redirect("moderation:lexicon")
    q = request.GET.get("q", "").strip()
    action = request.GET.get("action", "")
    test_text = request.GET.get("text", "")
    return render(
        request,
        "moderation/lexicon.html",
        {
            "form": form,
            "is_office": is_office,
            "q": q,
            "action": action,
            "shipped": shipped_search(q=q) if q else [],
            "page": paginate(request, entry_list(action=action, q=q)),
            "sizes": lexicon_sizes(),
            "actions": LexiconAction.choices,
            "labels": {k: str(v) for k, v in CATEGORY_LABELS.items()},
            "trial": trial(test_text) if test_text.strip() else None,
            "text": test_text,
        },
    )


def _back(request: HttpRequest) -> HttpResponse:
    """Back to the lexicon page, with the search the form came from."""
    url = reverse("moderation:lexicon")
    q = request.POST.get("q", "").strip()
    return redirect(f"{url}?{urlencode({'q': q})}" if q else url)


@login_required
@require_POST
def lexicon_remove(request: HttpRequest) -> HttpResponse:
    """Stop a shipped term (from the search results)."""
    _office_or_inspector(request)
    try:
        services.lexicon_entry_create(
            actor=request.user, action=LexiconAction.REMOVE, term=request.POST.get("term", ""),
            note=request.POST.get("note", ""),
        )  # fmt: skip
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已停用该词。"))
    return _back(request)


@login_required
@require_POST
def lexicon_toggle(request: HttpRequest, entry_id: int) -> HttpResponse:
    _office_or_inspector(request)
    entry = entry_list().filter(pk=entry_id).first()
    if entry is not None:
        try:
            services.lexicon_entry_update(
                actor=request.user, entry_id=entry.pk, is_active=not entry.is_active
            )
        except DomainError as exc:
            messages.error(request, exc.message)
    return _back(request)
