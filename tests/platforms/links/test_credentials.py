"""Credentials are sealed at rest; rotating the key reseals every row with the newest key."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.contrib import admin
from django.core.management import CommandError, call_command
from django.test import Client

from govmatrix.audit.models import Event
from govmatrix.platforms.base import Credentials
from govmatrix.platforms.links import crypto
from govmatrix.platforms.links.models import MastodonApp, PlatformLink
from govmatrix.platforms.registry import account_ref
from tests.conftest import District
from tests.platforms.links.conftest import browser

TOKEN = "2.00secret-access-token-abcdef"


def _link(account: Any, token: str = TOKEN) -> PlatformLink:
    return PlatformLink.objects.create(
        account=account,
        platform=account.platform,
        external_id=f"uid-{account.pk}",
        external_handle=account.handle,
        method="oauth",
        sealed=crypto.seal_credentials(
            Credentials(access_token=token, refresh_token="refresh-me", extra={"k": "v"})
        ),
    )


def test_what_is_stored_opens_to_the_credentials_and_shows_nothing(weibo_account: Any) -> None:
    link = _link(weibo_account)
    assert TOKEN not in link.sealed and "refresh-me" not in link.sealed
    opened = crypto.open_credentials(link.sealed)
    assert (opened.access_token, opened.refresh_token, dict(opened.extra)) == (
        TOKEN,
        "refresh-me",
        {"k": "v"},
    )
    ref = account_ref(weibo_account)
    assert ref.credentials == opened and TOKEN not in repr(ref) and TOKEN not in repr(opened)
    assert TOKEN not in repr(link) and TOKEN not in str(link)


def test_the_admin_shows_no_sealed_field(weibo_account: Any, district: District) -> None:
    _link(weibo_account)
    model_admin = admin.site._registry[PlatformLink]
    assert "sealed" in model_admin.exclude
    assert "sealed_secret" in admin.site._registry[MastodonApp].exclude
    district.office_admin.is_staff = district.office_admin.is_superuser = True  # type: ignore[attr-defined]
    district.office_admin.save()
    client = browser(district.office_admin)
    page = client.get(f"/admin/platform_links/platformlink/{PlatformLink.objects.get().pk}/change/")
    assert page.status_code == 200 and TOKEN not in page.content.decode()


def test_rotation_reseals_every_row_with_the_newest_key(
    weibo_account: Any, mastodon_account: Any, settings: Any
) -> None:
    old = settings.PLATFORM_CREDENTIALS_KEYS[0]
    _link(weibo_account)
    app = MastodonApp.objects.create(
        api_base="https://m.example",
        redirect_uri="https://g/cb",
        client_id="c",
        sealed_secret=crypto.seal_text("app-secret"),
    )
    new = Fernet.generate_key().decode()
    settings.PLATFORM_CREDENTIALS_KEYS = (new, old)
    # Both keys open the old rows, so nothing is unreadable while the rotation has not run.
    assert crypto.open_credentials(PlatformLink.objects.get().sealed).access_token == TOKEN
    out = StringIO()
    with pytest.raises(CommandError, match="without --check"):
        call_command("rotate_platform_credentials", "--check", stdout=out)
    assert "2 of 2" in out.getvalue()
    call_command("rotate_platform_credentials", stdout=out)
    assert "Resealed 2" in out.getvalue()
    settings.PLATFORM_CREDENTIALS_KEYS = (new,)  # the old key is gone
    assert crypto.open_credentials(PlatformLink.objects.get().sealed).access_token == TOKEN
    app.refresh_from_db()
    assert crypto.open_text(app.sealed_secret) == "app-secret"
    call_command("rotate_platform_credentials", "--check", stdout=out)
    event = Event.objects.get(verb="platform_credentials.rotated")
    assert event.data == {"resealed": 2, "already_newest": 0} and event.actor_name == "manage.py"


def test_a_row_no_key_opens_stops_the_rotation_and_changes_nothing(
    weibo_account: Any, mastodon_account: Any, settings: Any
) -> None:
    first = _link(weibo_account)
    settings.PLATFORM_CREDENTIALS_KEYS = (Fernet.generate_key().decode(),)
    stranded = _link(mastodon_account)
    settings.PLATFORM_CREDENTIALS_KEYS = (
        Fernet.generate_key().decode(),
        *settings.PLATFORM_CREDENTIALS_KEYS,
    )
    with pytest.raises(CommandError, match="打不开"):
        call_command("rotate_platform_credentials", stdout=StringIO())
    assert PlatformLink.objects.get(pk=first.pk).sealed == first.sealed
    assert PlatformLink.objects.get(pk=stranded.pk).sealed == stranded.sealed
    assert not Event.objects.filter(verb="platform_credentials.rotated").exists()


def test_no_key_no_credentials(weibo_account: Any, settings: Any) -> None:
    _link(weibo_account)
    settings.PLATFORM_CREDENTIALS_KEYS = ()
    with pytest.raises(crypto.CredentialsUnavailable, match="PLATFORM_CREDENTIALS_KEYS"):
        account_ref(weibo_account)
    with pytest.raises(CommandError):
        call_command("rotate_platform_credentials", stdout=StringIO())


def test_the_start_up_check_warns_when_no_key_is_set(settings: Any) -> None:
    from govmatrix.platforms.links.checks import credentials_key

    assert credentials_key() == []
    settings.PLATFORM_CREDENTIALS_KEYS = ()
    assert [m.id for m in credentials_key()] == ["platform_links.W001"]


def test_a_token_never_reaches_the_api(weibo_account: Any, district: District) -> None:
    from govmatrix.api.services import api_token_create

    _link(weibo_account)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=district.office_admin)}")
    for url in (f"/api/accounts/{weibo_account.pk}", "/api/accounts"):
        answer = api.get(url)
        assert answer.status_code == 200 and TOKEN not in answer.content.decode()
