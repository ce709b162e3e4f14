"""The product runs on its runtime dependencies alone: nothing under govmatrix/ or config/ imports
a development tool (installed only with `.[dev]`) when it is loaded."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEVELOPMENT_ONLY = ("django_stubs_ext", "mypy", "ruff", "pytest", "factory", "playwright")

LOAD_EVERY_MODULE = f"""
import importlib, pkgutil, sys
for name in {DEVELOPMENT_ONLY!r}:
    sys.modules[name] = None  # an import of it now fails as if it were not installed
import django
django.setup()
import govmatrix
for module in pkgutil.walk_packages(govmatrix.__path__, "govmatrix."):
    if ".migrations." in module.name or module.name.endswith(".__main__"):
        continue
    importlib.import_module(module.name)
import config.urls
"""


def test_every_module_loads_without_the_development_tools() -> None:
    result = subprocess.run(
        [sys.executable, "-c", LOAD_EVERY_MODULE],
        cwd=ROOT,
        env={"DJANGO_SETTINGS_MODULE": "config.settings_test", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
