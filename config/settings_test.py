"""Settings for the test suite: the real settings, with a fixed secret and a fast password hash."""

import os

from govmatrix.platforms.links.keys import derive_development_key

os.environ.setdefault("SECRET_KEY", "govmatrix-test-secret-key-not-for-production-use")
os.environ.setdefault("HUEY_NAME", "govmatrix-test")
# The platform credentials are sealed with a key derived from the test secret.
os.environ.setdefault("PLATFORM_CREDENTIALS_KEYS", derive_development_key(os.environ["SECRET_KEY"]))

from config.settings import *  # noqa: F403
from config.settings import HUEY

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
HUEY = {**HUEY, "immediate": True}
# One process per test run: counters such as the login throttle must not leak between runs.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Browser tests load the app's own scripts and styles straight from the source folders.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
