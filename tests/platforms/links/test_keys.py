"""PLATFORM_CREDENTIALS_KEYS is checked at start-up; a bad key stops the start, clearly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from govmatrix.platforms.links.keys import credential_keys, derive_development_key, parse_keys


def test_keys_are_read_newest_first_from_the_variable_or_a_file(tmp_path: Path) -> None:
    new, old = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    assert parse_keys(f"{new}, {old}") == (new, old)
    path = tmp_path / "keys"
    path.write_text(f"{new}\n{old}\n")
    assert credential_keys("", file_path=str(path), development_secret=None) == (new, old)
    with pytest.raises(ImproperlyConfigured, match="cannot be read"):
        credential_keys("", file_path=str(tmp_path / "missing"), development_secret=None)


def test_a_bad_key_is_refused_without_repeating_it() -> None:
    good = Fernet.generate_key().decode()
    typo = good[:-2] + "!!"
    with pytest.raises(ImproperlyConfigured, match="key number 2 is not a Fernet key") as refused:
        parse_keys(f"{good},{typo}")
    assert typo not in str(refused.value) and "generate_key" in str(refused.value)
    with pytest.raises(ImproperlyConfigured, match="same key twice"):
        parse_keys(f"{good},{good}")
    with pytest.raises(ImproperlyConfigured, match="holds no key"):
        parse_keys(" , ")


def test_a_development_key_is_derived_only_when_asked_for() -> None:
    derived = derive_development_key("a-secret-key")
    Fernet(derived)  # a valid key
    assert credential_keys("", development_secret="a-secret-key") == (derived,)
    assert derive_development_key("another") != derived
    assert credential_keys("", development_secret=None) == ()


def test_a_bad_key_stops_the_start_with_a_message_naming_the_variable() -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": "x" * 40,
        "PLATFORM_CREDENTIALS_KEYS": "not-a-key",
    }
    env.pop("PLATFORM_CREDENTIALS_KEYS_FILE", None)
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "PLATFORM_CREDENTIALS_KEYS" in result.stderr
    assert "not-a-key" not in result.stderr
