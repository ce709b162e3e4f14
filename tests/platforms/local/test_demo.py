"""The local platform's demo content: realistic, reachable from the public pages, loaded once."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from govmatrix.platforms.local import demo
from govmatrix.platforms.local.models import LocalComment, LocalMessage, LocalPost
from tests.conftest import District


def test_the_demo_gives_the_active_local_accounts_posts_comments_and_replies(
    district: District,
) -> None:
    counts = demo.seed(actor=district.office_admin)
    assert LocalPost.objects.filter(account=district.main_account, repost_of=None).count() == 4
    assert LocalPost.objects.filter(account=district.street01_account).count() == 4  # 3 + repost
    assert LocalComment.objects.filter(official_account__isnull=False).exists()
    assert LocalMessage.objects.filter(account=district.main_account).exists()
    assert demo.seed(actor=district.office_admin) == counts


def test_running_the_whole_demo_district_shows_a_lively_public_site(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from govmatrix.demo import district as demo_district
    from govmatrix.demo.seed import seed_demo_district

    monkeypatch.setattr(demo_district, "LATER_SEEDERS", ["govmatrix.platforms.local.demo"])
    seed_demo_district()
    first = (LocalPost.objects.count(), LocalComment.objects.count())
    seed_demo_district()
    assert (LocalPost.objects.count(), LocalComment.objects.count()) == first
    client = Client()
    index = client.get(reverse("local:index")).content.decode()
    assert "@示范区发布" in index and "示范区东城街道" in index
    street = client.get(reverse("local:account", kwargs={"handle": "sfq_street01"}))
    page = street.content.decode()
    assert "雨污分流" in page and "暴雨黄色预警" in page
    post = LocalPost.objects.get(idempotency_key="demo:sfq_street01:2")
    thread = client.get(
        reverse("local:post", kwargs={"handle": "sfq_street01", "post_id": post.pk})
    )
    assert "官方回复" in thread.content.decode() and "夜间22:00" in thread.content.decode()
