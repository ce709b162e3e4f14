"""Short ways to bring a post to a state through the real services."""

from __future__ import annotations

from typing import Any

from govmatrix.org.models import Membership
from govmatrix.publishing import services
from govmatrix.publishing.models import Post, Topic
from tests.conftest import District

TEXT = "东城街道今天开展垃圾分类宣传活动，欢迎居民参加。"


def draft(
    district: District, *, text: str = TEXT, author: Any = None, account: Any = None, **kwargs: Any
) -> Post:
    return services.post_create(
        actor=author or district.operator,
        account_id=(account or district.street01_account).pk,
        text=text,
        topic_ids=kwargs.pop("topic_ids", [Topic.objects.get(code="policy").pk]),
        **kwargs,
    )


def submitted(district: District, **kwargs: Any) -> Post:
    post = draft(district, **kwargs)
    return services.post_submit(actor=kwargs.get("author") or district.operator, post_id=post.pk)


def approver_for(district: District, post: Post) -> Any:
    if post.account.kind == "main":
        return district.office_admin
    leader = Membership.objects.get(
        unit_id=post.account.unit_id, role="principal_leader", ended_on__isnull=True
    )
    return leader.person.user


def approved(district: District, **kwargs: Any) -> Post:
    """Approved and scheduled (for now, unless a time is given); publishing starts on commit."""
    post = submitted(district, **kwargs)
    return services.post_approve(actor=approver_for(district, post), post_id=post.pk)


def reload(post: Post) -> Post:
    return Post.objects.get(pk=post.pk)
