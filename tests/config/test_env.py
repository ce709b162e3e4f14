from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from config import env


def test_a_yes_no_setting_refuses_anything_else(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        env.env_bool("DEBUG")


def test_a_database_url_with_an_unknown_scheme_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "mysql://root@localhost/govmatrix")
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        env.env_url("DATABASE_URL", schemes={"sqlite", "postgres", "postgresql"})


def test_a_redis_url_without_a_host_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDIS_URL", "redis://")
    with pytest.raises(ImproperlyConfigured, match="no host"):
        env.env_url("REDIS_URL", schemes={"redis"})


def test_a_password_in_a_bad_url_is_not_repeated_in_the_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://user:hunter2@/db")
    with pytest.raises(ImproperlyConfigured) as refused:
        env.env_url("DATABASE_URL", schemes={"postgres"})
    assert "hunter2" not in str(refused.value)


def test_an_unknown_time_zone_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIME_ZONE", "Mars/Olympus")
    with pytest.raises(ImproperlyConfigured, match="time zone"):
        env.env_time_zone("TIME_ZONE", "Asia/Shanghai")


def test_without_debug_a_secret_key_is_required(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("SECRET_KEY_FILE", raising=False)
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        env.env_secret("SECRET_KEY", debug=False, dev_default="x" * 40)


def test_a_short_secret_key_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SECRET_KEY", "short")
    with pytest.raises(ImproperlyConfigured, match="too short"):
        env.env_secret("SECRET_KEY", debug=False, dev_default="")


def test_a_secret_can_come_from_a_file(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    path = tmp_path / "secret"  # type: ignore[operator]
    path.write_text("s" * 50 + "\n")
    monkeypatch.setenv("SECRET_KEY_FILE", str(path))
    assert env.env_secret("SECRET_KEY", debug=False, dev_default="") == "s" * 50


def test_the_settings_module_refuses_a_bad_value_when_it_loads(tmp_path: object) -> None:
    import os
    import subprocess
    import sys

    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "1",
        "TIME_ZONE": "Nowhere/City",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "TIME_ZONE" in result.stderr


def test_secrets_are_redacted_from_log_lines() -> None:
    from govmatrix.core.logging import redact

    line = redact(
        "POST with Authorization: Bearer gm_abc123 and access_token=xyz to postgres://u:pw@db/x"
    )
    assert "gm_abc123" not in line and "xyz" not in line and "pw@" not in line
