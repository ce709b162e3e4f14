from __future__ import annotations

import io

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from openpyxl import load_workbook

from govmatrix.audit.models import Event
from govmatrix.core.tables import xlsx_bytes
from govmatrix.matrix import registry_io
from govmatrix.matrix.models import Account
from tests.conftest import District
from tests.factories import PASSWORD


def _login(client: Client, user: object) -> Client:
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_pages_need_a_login(client: Client, district: District) -> None:
    for name in ("web:dashboard", "matrix:registry", "org:units", "audit:log"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_signing_in_is_recorded_and_lands_on_the_dashboard(
    client: Client, district: District
) -> None:
    response = client.post(reverse("web:login"), {"username": "operator", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    assert Event.objects.filter(verb="auth.login", actor_id=district.operator.pk).exists()


@override_settings(LOGIN_THROTTLE_MAX_FAILURES=3)
def test_repeated_wrong_passwords_lock_the_login_for_a_while(
    client: Client, district: District
) -> None:
    for _attempt in range(3):
        client.post(reverse("web:login"), {"username": "operator", "password": "wrong"})
    response = client.post(reverse("web:login"), {"username": "operator", "password": PASSWORD})
    assert response.status_code == 200
    assert "次数过多" in response.content.decode()
    assert Event.objects.filter(verb="auth.login_failed").count() == 3


def test_the_sidebar_holds_only_the_sections_the_user_may_use(
    client: Client, district: District
) -> None:
    operator_page = _login(client, district.operator).get("/").content.decode()
    assert 'data-section="registry"' in operator_page
    assert (
        'data-section="audit"' not in operator_page
        and 'data-section="targets"' not in operator_page
    )
    office_page = _login(Client(), district.office_admin).get("/").content.decode()
    assert 'data-section="audit"' in office_page and 'data-section="targets"' in office_page


def test_the_dashboard_shows_target_progress_to_the_office(
    client: Client, district: District
) -> None:
    from govmatrix.org.services import group_target_create

    group_target_create(
        actor=district.office_admin,
        name="微博群成员达到20个",
        deadline="2027-06-30",
        min_accounts=20,
        scope="all_members",
    )  # type: ignore[arg-type]
    page = _login(client, district.office_admin).get("/").content.decode()
    assert "3/20" in page


def test_the_registry_filters_and_searches(client: Client, district: District) -> None:
    _login(client, district.office_admin)
    page = client.get(reverse("matrix:registry"), {"q": "西城"}).content.decode()
    assert "示范区西城街道" in page and "示范区东城街道" not in page


def test_the_registry_remembers_the_last_filters(client: Client, district: District) -> None:
    _login(client, district.office_admin)
    client.get(reverse("matrix:registry"), {"status": "active"})
    response = client.get(reverse("matrix:registry"))
    assert response.status_code == 302 and "status=active" in response["Location"]
    assert client.get(reverse("matrix:registry"), {"reset": "1"}).status_code == 302
    assert client.get(reverse("matrix:registry")).status_code == 200


def test_the_registry_exports_what_the_user_sees_as_xlsx(
    client: Client, district: District
) -> None:
    response = _login(client, district.operator).get(reverse("matrix:registry"), {"export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [r[1] for r in rows[1:]] == ["sfq_street01"]


def test_another_units_account_page_is_not_found(client: Client, district: District) -> None:
    response = _login(client, district.operator).get(
        reverse("matrix:account_detail", args=[district.street02_account.pk])
    )
    assert response.status_code == 404


def test_the_audit_page_is_closed_to_unit_staff(client: Client, district: District) -> None:
    assert _login(client, district.leader).get(reverse("audit:log")).status_code == 403
    assert _login(Client(), district.office_admin).get(reverse("audit:log")).status_code == 200


def test_the_audit_page_verifies_the_chain_on_request(client: Client, district: District) -> None:
    _login(client, district.office_admin).post(reverse("web:login"))
    page = client.get(reverse("audit:log"), {"verify": "1"}).content.decode()
    assert 'data-testid="chain-ok"' in page


def test_an_import_with_a_bad_row_shows_every_error_and_imports_nothing(
    client: Client, district: District
) -> None:
    content = xlsx_bytes(
        ["平台", "账号", "名称", "单位代码", "类型", "状态"],
        [
            ["本地平台", "good_one", "好", "street01", "子账号", "运行"],
            ["本地平台", "bad one", "坏", "street01", "子账号", "运行"],
        ],
    )
    upload = io.BytesIO(content)
    upload.name = "registry.xlsx"
    response = _login(client, district.operator).post(reverse("matrix:import"), {"file": upload})
    page = response.content.decode()
    assert 'data-testid="import-errors"' in page and "good_one" not in page
    assert not Account.objects.filter(handle="good_one").exists()


def test_a_bulk_status_change_is_all_or_nothing(client: Client, district: District) -> None:
    _login(client, district.office_admin)
    planned = Account.objects.create(
        unit=district.street01,
        platform="local",
        handle="planned_one",
        display_name="筹建中",
        status="planned",
    )
    response = client.post(
        reverse("matrix:bulk_status"),
        {"ids": [district.street01_account.pk, planned.pk], "to": "dormant"},
    )
    assert response.status_code == 302
    district.street01_account.refresh_from_db()
    assert (
        district.street01_account.status == "active"
    )  # planned → dormant is refused, so nothing changed


def test_text_that_users_typed_is_escaped(client: Client, district: District) -> None:
    Account.objects.filter(pk=district.street01_account.pk).update(
        description="<script>alert(1)</script>"
    )
    page = (
        _login(client, district.operator)
        .get(reverse("matrix:account_detail", args=[district.street01_account.pk]))
        .content.decode()
    )
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_every_page_forbids_outside_scripts(client: Client, district: District) -> None:
    response = _login(client, district.operator).get("/")
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_the_language_switch_turns_the_interface_english(
    client: Client, district: District
) -> None:
    _login(client, district.operator)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Dashboard" in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "工作台" in client.get("/").content.decode()


def test_forms_refuse_a_post_without_csrf(district: District) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(district.office_admin)
    response = client.post(
        reverse("org:unit_create"), {"name": "无令牌", "code": "nocsrf", "kind": "department"}
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    "name",
    [
        "web:dashboard",
        "matrix:registry",
        "matrix:linkages",
        "matrix:import",
        "matrix:account_create",
        "org:units",
        "org:people",
        "org:targets",
        "org:budget",
        "audit:log",
    ],
)
def test_every_page_of_the_office_renders(client: Client, district: District, name: str) -> None:
    assert _login(client, district.office_admin).get(reverse(name)).status_code == 200


def test_the_registry_round_trips_through_its_own_export(
    client: Client, district: District
) -> None:
    _login(client, district.office_admin)
    exported = client.get(reverse("matrix:registry"), {"export": "xlsx"}).content
    table = registry_io.read_table("r.xlsx", exported)
    assert len(table) == 3
