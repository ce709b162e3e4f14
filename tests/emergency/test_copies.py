"""Copies of a statement: "@区发布" has a main account on each platform; the commander approves a
statement once, the chosen main account publishes it and every other platform's main account
publishes a copy, which the sub-accounts on that platform repost through their connector."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client

from govmatrix.audit.context import current_ip
from govmatrix.audit.models import Event
from govmatrix.emergency import services
from govmatrix.emergency.models import RepostOrder, StatementCopy
from govmatrix.emergency.services.orders import one_click_possible
from govmatrix.matrix.models import Account
from govmatrix.platforms import registry
from govmatrix.platforms.base import ContentRejected
from govmatrix.platforms.links import demo as links_demo
from govmatrix.platforms.registry import account_ref, connector_for
from govmatrix.publishing import services as publishing
from govmatrix.publishing.models import Review
from tests.conftest import District
from tests.emergency.flow import STATEMENT, declare, published
from tests.factories import (
    PASSWORD,
    AccountFactory,
    MembershipFactory,
    PersonFactory,
    UnitFactory,
    UserFactory,
)
from tests.platforms.links.test_demo import doubles
from tests.publishing.conftest import FakeConnector

__all__ = ["doubles"]

Capture = Any


def _main(district: District, platform: str, handle: str) -> Account:
    account: Account = AccountFactory(
        unit=district.main_account.unit,
        kind="main",
        platform=platform,
        handle=handle,
        display_name="@示范区发布",
    )
    return account


def _sub(unit: Any, platform: str, handle: str) -> Account:
    account: Account = AccountFactory(unit=unit, platform=platform, handle=handle)
    return account


@pytest.fixture
def matrix(district: District, platform: FakeConnector) -> dict[str, Account]:
    """Besides the district's accounts (on the fake platform, its main account the primary):
    the main account and a street on Weibo and on Mastodon, and a department on WeChat, where
    the district has no main account."""
    return {
        "weibo_main": _main(district, "weibo", "示范区发布"),
        "mastodon_main": _main(district, "mastodon", "sfq_fabu"),
        "weibo_street": _sub(district.street01, "weibo", "示范区东城街道"),
        "mastodon_street": _sub(UnitFactory(kind="street_town"), "mastodon", "sfq_street11"),
        "wechat_dept": _sub(district.dept01, "wechat", "sfq_dept01"),
    }


@pytest.fixture
def fakes(monkeypatch: pytest.MonkeyPatch) -> dict[str, FakeConnector]:
    """Weibo and Mastodon served by fake connectors (the doubles are for the tests that need
    the real connectors)."""
    connectors = {"weibo": FakeConnector(), "mastodon": FakeConnector()}
    for name, connector in connectors.items():
        monkeypatch.setitem(registry._FACTORIES, name, lambda c=connector: c)
    return connectors


@pytest.fixture
def from_the_office() -> Iterator[None]:
    """People act from a known address (Weibo takes each call's approver's IP, `rip`)."""
    token = current_ip.set("10.1.2.3")
    yield
    current_ip.reset(token)


@pytest.fixture
def publish(
    district: District, commander: Any, django_capture_on_commit_callbacks: Capture
) -> Callable[[], Any]:
    """Declare an incident; the commander approves its first statement, and out it goes."""

    def run() -> Any:
        incident = declare(district, commander)
        return published(district, incident, commander, django_capture_on_commit_callbacks)

    return run


def _copies(statement: Any) -> dict[str, StatementCopy]:
    return {c.platform: c for c in StatementCopy.objects.filter(statement=statement)}


# --- through the real Weibo simulator and Mastodon mock -----------------------------------------
def test_a_statement_approved_once_is_published_on_the_primary_and_by_each_platforms_main_account(
    district: District,
    matrix: dict[str, Account],
    doubles: Any,
    from_the_office: None,
    publish: Callable[[], Any],
    commander: Any,
) -> None:
    links_demo.seed(actor=district.office_admin, say=lambda _note: None)
    statement = publish()
    assert statement.post.status == "published"
    copies = _copies(statement)
    assert set(copies) == {"weibo", "mastodon"}
    for platform, copy in copies.items():
        post = copy.post
        assert post.account == matrix[f"{platform}_main"]
        assert post.status == "published" and post.external_id and post.public_url, platform
        assert post.text == STATEMENT and copy.published_at == post.published_at
        assert post.approved_by == commander
    # The commander was asked once; each copy's event names the approval it carries.
    approval = Review.objects.get(post=statement.post, decision="approved")
    assert Review.objects.filter(post__in=[c.post for c in copies.values()]).count() == 0
    for event in Event.objects.filter(verb="post.copied"):
        assert event.data["approval"]["review"] == approval.pk
        assert event.data["approval"]["approved_by"] == commander.pk


def test_a_weibo_street_reposts_the_weibo_copy_through_the_connector(
    district: District,
    matrix: dict[str, Account],
    doubles: Any,
    from_the_office: None,
    publish: Callable[[], Any],
    django_capture_on_commit_callbacks: Capture,
) -> None:
    links_demo.seed(actor=district.office_admin, say=lambda _note: None)
    statement = publish()
    copy = _copies(statement)["weibo"]
    order = RepostOrder.objects.get(statement=statement, account=matrix["weibo_street"])
    assert order.copy == copy and one_click_possible(order, statement)
    assert order.created_at >= copy.published_at
    with django_capture_on_commit_callbacks(execute=True):
        services.repost_order_repost(actor=district.operator, order_id=order.pk)
    order.refresh_from_db()
    assert order.state == "reposted" and order.proof == "connector"
    assert order.latency_seconds == int((order.reposted_at - copy.published_at).total_seconds())
    # On Weibo, the copy now has the street's repost.
    weibo = connector_for("weibo")
    metrics = weibo.post_metrics(account_ref(matrix["weibo_main"]), [copy.post.external_id])
    assert metrics[copy.post.external_id].reposts == 1
    assert order.repost_external_id and order.repost_url


def test_a_mastodon_street_boosts_the_mastodon_copy_without_the_comment_a_boost_cannot_carry(
    district: District,
    matrix: dict[str, Account],
    doubles: Any,
    from_the_office: None,
    publish: Callable[[], Any],
    django_capture_on_commit_callbacks: Capture,
) -> None:
    links_demo.seed(actor=district.office_admin, say=lambda _note: None)
    statement = publish()
    assert statement.repost_comment  # the commander approved one
    copy = _copies(statement)["mastodon"]
    order = RepostOrder.objects.get(statement=statement, account=matrix["mastodon_street"])
    operator = UserFactory()
    MembershipFactory(person=PersonFactory(user=operator), unit=order.account.unit, role="operator")
    with django_capture_on_commit_callbacks(execute=True):
        services.repost_order_repost(actor=operator, order_id=order.pk)
    order.refresh_from_db()
    assert order.state == "reposted" and order.proof == "connector", order.last_error
    mastodon = connector_for("mastodon")
    metrics = mastodon.post_metrics(account_ref(matrix["mastodon_main"]), [copy.post.external_id])
    assert metrics[copy.post.external_id].reposts == 1


def test_an_opted_in_weibo_street_reposts_automatically_with_the_commanders_address(
    district: District,
    matrix: dict[str, Account],
    doubles: Any,
    from_the_office: None,
    publish: Callable[[], Any],
) -> None:
    links_demo.seed(actor=district.office_admin, say=lambda _note: None)
    services.auto_repost_set(
        actor=district.office_admin, account_id=matrix["weibo_street"].pk, enabled=True
    )
    statement = publish()
    order = RepostOrder.objects.get(statement=statement, account=matrix["weibo_street"])
    assert order.auto and order.state == "reposted", order.last_error
    assert order.proof == "connector" and order.repost_external_id


# --- with fake connectors for Weibo and Mastodon --------------------------------------------------
def test_each_account_gets_one_order_for_the_post_on_its_platform(
    district: District,
    matrix: dict[str, Account],
    fakes: dict[str, FakeConnector],
    publish: Callable[[], Any],
) -> None:
    statement = publish()
    copies = _copies(statement)
    orders = {o.account_id: o for o in RepostOrder.objects.filter(statement=statement)}
    assert len(orders) == RepostOrder.objects.filter(statement=statement).count() == 5
    assert orders[district.street01_account.pk].copy is None
    assert orders[matrix["weibo_street"].pk].copy == copies["weibo"]
    assert orders[matrix["mastodon_street"].pk].copy == copies["mastodon"]
    assert statement.orders_count == 5
    assert (copies["weibo"].orders_count, copies["mastodon"].orders_count) == (1, 1)


def test_an_account_on_a_platform_without_a_main_account_still_gets_a_link_proof_order(
    district: District,
    matrix: dict[str, Account],
    fakes: dict[str, FakeConnector],
    publish: Callable[[], Any],
) -> None:
    statement = publish()
    order = RepostOrder.objects.get(statement=statement, account=matrix["wechat_dept"])
    assert order.copy is None and not one_click_possible(order, statement)
    assert "wechat" not in _copies(statement)


def test_fanning_out_again_makes_nothing_more(
    district: District,
    matrix: dict[str, Account],
    fakes: dict[str, FakeConnector],
    publish: Callable[[], Any],
) -> None:
    statement = publish()
    before = RepostOrder.objects.count()
    assert services.repost_orders_create(statement_id=statement.pk) == 0
    for copy in _copies(statement).values():
        assert services.repost_orders_create(statement_id=statement.pk, copy_id=copy.pk) == 0
    assert services.emergency_sweep()["fanned_out"] == 0
    assert RepostOrder.objects.count() == before
    assert StatementCopy.objects.count() == 2


def test_a_copy_whose_fan_out_was_lost_is_fanned_out_by_the_sweep(
    district: District,
    matrix: dict[str, Account],
    fakes: dict[str, FakeConnector],
    publish: Callable[[], Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from govmatrix.emergency.services import fanout

    start = fanout.start_fan_out

    def lose_the_copies(statement_id: int, copy_id: int | None = None) -> None:
        if copy_id is None:
            start(statement_id)

    monkeypatch.setattr(fanout, "start_fan_out", lose_the_copies)
    statement = publish()
    assert not RepostOrder.objects.filter(copy__isnull=False).exists()
    assert services.emergency_sweep()["fanned_out"] == 2
    assert RepostOrder.objects.filter(statement=statement, copy__isnull=False).count() == 2


def test_an_opted_in_account_reposts_its_platforms_copy_automatically(
    district: District,
    matrix: dict[str, Account],
    fakes: dict[str, FakeConnector],
    publish: Callable[[], Any],
) -> None:
    services.auto_repost_set(
        actor=district.office_admin, account_id=matrix["weibo_street"].pk, enabled=True
    )
    statement = publish()
    order = RepostOrder.objects.get(statement=statement, account=matrix["weibo_street"])
    assert order.auto and order.state == "reposted" and order.proof == "connector"
    copy_post = _copies(statement)["weibo"].post
    assert fakes["weibo"].published[-1]["repost_of"] == copy_post.external_id


def test_a_failed_copy_shows_on_the_incident_page_and_the_office_publishes_it_again(
    district: District,
    matrix: dict[str, Account],
    fakes: dict[str, FakeConnector],
    publish: Callable[[], Any],
    django_capture_on_commit_callbacks: Capture,
) -> None:
    fakes["mastodon"].fail_with.append(ContentRejected("内容不符合本站规则", platform="mastodon"))
    statement = publish()
    incident = statement.incident
    copy = _copies(statement)["mastodon"]
    assert copy.post.status == "failed" and copy.published_at is None
    assert not RepostOrder.objects.filter(account=matrix["mastodon_street"]).exists()

    client = Client()
    assert client.login(username=district.office_admin.username, password=PASSWORD)
    page = client.get(f"/emergency/{incident.pk}/").content.decode()
    assert 'data-testid="copy-mastodon"' in page and "内容不符合本站规则" in page
    assert 'data-testid="retry-copy"' in page

    with django_capture_on_commit_callbacks(execute=True):
        publishing.post_retry(actor=district.office_admin, post_id=copy.post_id)
    copy.refresh_from_db()
    assert copy.post.status == "published" and copy.published_at is not None
    order = RepostOrder.objects.get(account=matrix["mastodon_street"])
    assert order.copy == copy and order.created_at >= copy.published_at


def test_a_copy_published_after_the_incident_ended_orders_nobody(
    district: District,
    matrix: dict[str, Account],
    fakes: dict[str, FakeConnector],
    publish: Callable[[], Any],
    django_capture_on_commit_callbacks: Capture,
) -> None:
    fakes["mastodon"].fail_with.append(ContentRejected("内容不符合本站规则", platform="mastodon"))
    statement = publish()
    copy = _copies(statement)["mastodon"]
    services.incident_stand_down(
        actor=district.office_admin, incident_id=statement.incident_id, note="险情排除"
    )
    with django_capture_on_commit_callbacks(execute=True):
        publishing.post_retry(actor=district.office_admin, post_id=copy.post_id)
    copy.refresh_from_db()
    assert copy.published_at is not None and copy.fanned_out_at is not None
    assert not RepostOrder.objects.filter(copy=copy).exists()
