"""Lists count no further than they are useful: past the cap a list says "more than" instead
of counting every row, and still pages through what it counted."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client

from govmatrix.audit.models import Event
from govmatrix.audit.services import event_record
from govmatrix.web.listing import CappedPaginator
from tests.conftest import District
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _events(n: int) -> None:
    with transaction.atomic():
        for i in range(n):
            event_record(actor=None, verb="test.happened", note=f"event {i}")


def test_a_list_below_the_cap_is_counted_exactly() -> None:
    paginator = CappedPaginator(list(range(42)), 10, cap=100)
    assert paginator.count == 42 and not paginator.capped and paginator.num_pages == 5


def test_a_list_past_the_cap_counts_to_the_cap_and_says_so() -> None:
    paginator = CappedPaginator(list(range(250)), 10, cap=100)
    assert paginator.count == 100 and paginator.capped and paginator.num_pages == 10


def test_a_queryset_past_the_cap_is_counted_only_as_far_as_the_cap() -> None:
    _events(7)
    paginator = CappedPaginator(Event.objects.order_by("-seq"), 2, cap=5)
    assert paginator.count == 5 and paginator.capped and paginator.num_pages == 3
    assert len(paginator.page(1).object_list) == 2


def test_the_audit_page_says_more_than_when_the_log_passes_the_cap(
    district: District, monkeypatch: pytest.MonkeyPatch
) -> None:
    _events(5)
    monkeypatch.setattr("govmatrix.web.listing.COUNT_CAP", 3)
    client = Client()
    assert client.login(username=district.office_admin.username, password=PASSWORD)
    assert "超过 3 条" in client.get("/audit/").content.decode()
    monkeypatch.setattr("govmatrix.web.listing.COUNT_CAP", 10_000)
    assert "超过" not in client.get("/audit/").content.decode()
