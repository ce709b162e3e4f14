from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from govmatrix.core.errors import ValidationFailed
from govmatrix.publishing import services
from govmatrix.publishing.models import PostStatus
from govmatrix.publishing.selectors.office import topic_list
from govmatrix.publishing.selectors.posts import PostFilter, open_review, post_get, post_list

router = Router(tags=["publishing"])


class ReportItemRef(Schema):
    id: int
    state: str
    important: bool
    review_due_at: datetime | None


class CheckHitOut(Schema):
    kind: str
    term: str
    category: str
    start: int
    end: int
    matched: str
    suggestion: str


class PostOut(Schema):
    id: int
    account_id: int
    author: str
    text: str
    topics: list[str]
    important: bool
    scheduled_at: datetime | None
    status: str
    version: int
    approved_by: str | None
    approved_at: datetime | None
    published_at: datetime | None
    external_id: str
    public_url: str | None
    failure_message: str
    repost_of_id: int | None
    content_check: list[CheckHitOut]
    report_item: ReportItemRef | None

    @staticmethod
    def resolve_author(post: Any) -> str:
        return str(post.author.get_username())

    @staticmethod
    def resolve_topics(post: Any) -> list[str]:
        return sorted(t.code for t in post.topics.all())

    @staticmethod
    def resolve_approved_by(post: Any) -> str | None:
        return post.approved_by.get_username() if post.approved_by else None

    @staticmethod
    def resolve_public_url(post: Any) -> str | None:
        return (post.public_url or None) if post.status == PostStatus.PUBLISHED else None

    @staticmethod
    def resolve_content_check(post: Any) -> list[dict[str, Any]]:
        review = open_review(post) or post.reviews.order_by("-submitted_at").first()
        return list(review.check_hits) if review else []

    @staticmethod
    def resolve_report_item(post: Any) -> Any:
        return getattr(post, "report_item", None) if post.status == PostStatus.PUBLISHED else None


class PostIn(Schema):
    account_id: int
    text: str = Field(min_length=1, max_length=5000)
    topics: list[str] = []
    important: bool = False
    scheduled_at: datetime | None = None


class ApproveIn(Schema):
    comment: str = ""
    version: int | None = None


class ReturnIn(Schema):
    comment: str = Field(min_length=1)


def _topic_ids(codes: list[str]) -> list[int]:
    found = dict(topic_list(active_only=True).filter(code__in=codes).values_list("code", "pk"))
    if unknown := sorted(set(codes) - set(found)):
        raise ValidationFailed({"topics": _("没有这些主题：%(c)s") % {"c": "、".join(unknown)}})
    return list(found.values())


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None or timezone.is_aware(moment):
        return moment
    return timezone.make_aware(moment)  # a time without a zone is read as the district's


def _post(request: HttpRequest, post_id: int) -> Any:
    return post_get(user=request.user, post_id=post_id)


@router.get("/posts", response=list[PostOut])
@paginate(LimitOffsetPagination)
def list_posts(
    request: HttpRequest,
    status: PostStatus | None = None,
    account_id: int | None = None,
    important: bool | None = None,
    q: str = "",
) -> Any:
    filters = PostFilter(status=status or "", account_id=account_id, important=important, q=q)
    return post_list(user=request.user, filters=filters).select_related("report_item")


@router.get("/posts/{post_id}", response=PostOut)
def get_post(request: HttpRequest, post_id: int) -> Any:
    return _post(request, post_id)


@router.post("/posts", response={201: PostOut})
def create_post(request: HttpRequest, payload: PostIn) -> Any:
    post = services.post_create(
        actor=request.user,
        account_id=payload.account_id,
        text=payload.text,
        topic_ids=_topic_ids(payload.topics),
        important=payload.important,
        scheduled_at=_aware(payload.scheduled_at),
    )
    return Status(201, _post(request, post.pk))


@router.post("/posts/{post_id}/submit", response=PostOut)
def submit_post(request: HttpRequest, post_id: int) -> Any:
    services.post_submit(actor=request.user, post_id=post_id)
    return _post(request, post_id)


@router.post("/posts/{post_id}/approve", response=PostOut)
def approve_post(request: HttpRequest, post_id: int, payload: ApproveIn | None = None) -> Any:
    body = payload or ApproveIn()
    services.post_approve(
        actor=request.user, post_id=post_id, comment=body.comment, version=body.version
    )
    return _post(request, post_id)


@router.post("/posts/{post_id}/return", response=PostOut)
def return_post(request: HttpRequest, post_id: int, payload: ReturnIn) -> Any:
    services.post_return(actor=request.user, post_id=post_id, comment=payload.comment)
    return _post(request, post_id)
