"""The leader's pages: what waits for approval, and the approval page (made for a phone)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from govmatrix.core.errors import DomainError, ValidationFailed
from govmatrix.org.permissions import scope_for
from govmatrix.publishing import rules, services
from govmatrix.publishing.forms import ReviewForm
from govmatrix.publishing.models import PostStatus
from govmatrix.publishing.selectors.office import is_paused
from govmatrix.publishing.selectors.posts import approvals_waiting, open_review, post_get
from govmatrix.publishing.views.posts import diff_context, hits_for_display


@login_required
def approvals(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "publishing/approvals.html",
        {"posts": approvals_waiting(user=request.user), "paused": is_paused()},
    )


@login_required
def review(request: HttpRequest, post_id: int) -> HttpResponse:
    post = post_get(user=request.user, post_id=post_id)
    elsewhere = rules.review_url(post)
    if elsewhere != request.path:
        return redirect(elsewhere)  # decided on its authority's own page (e.g. a statement)
    can_decide = rules.can_approve_post(scope_for(request.user), post)
    form = ReviewForm(request.POST or None, initial={"version": post.version})
    if request.method == "POST" and can_decide and form.is_valid():
        comment = form.cleaned_data["comment"]
        approving = "return" not in request.POST
        try:
            if approving:
                services.post_approve(
                    actor=request.user,
                    post_id=post.pk,
                    comment=comment,
                    version=form.cleaned_data["version"],
                )
                messages.success(request, _("已通过。"))
            else:
                services.post_return(actor=request.user, post_id=post.pk, comment=comment)
                messages.success(request, _("已退回撰稿人修改。"))
        except ValidationFailed as exc:
            for message in exc.errors.values():
                form.add_error("comment", message)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("publishing:review", post_id=post.pk)
        else:
            following = approvals_waiting(user=request.user).first()
            if following is not None:
                return redirect("publishing:review", post_id=following.pk)
            return redirect("publishing:approvals")
    current = open_review(post)
    return render(
        request,
        "publishing/review.html",
        {
            "post": post,
            "form": form,
            "can_decide": can_decide and post.status == PostStatus.SUBMITTED,
            "review": current,
            "check": hits_for_display(current.text, current.check_hits) if current else None,
            "diff": diff_context(post),
            "waiting": approvals_waiting(user=request.user).exclude(pk=post.pk).count(),
            "paused": is_paused(),
        },
    )
