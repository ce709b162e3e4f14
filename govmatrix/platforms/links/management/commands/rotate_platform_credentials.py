"""Reseal every stored platform credential with the newest key of PLATFORM_CREDENTIALS_KEYS.

Rotation: put the new key first in the list (keep the old ones after it), restart, run this
command, then drop the old keys. `--check` only counts the rows still sealed with an old key.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from govmatrix.platforms.links import crypto
from govmatrix.platforms.links.models import MastodonApp, PlatformLink
from govmatrix.platforms.links.services import credentials_rotate


class Command(BaseCommand):
    help = (
        "Re-encrypt every stored platform credential with the newest PLATFORM_CREDENTIALS_KEYS key."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true", help="only count rows on an older key")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            crypto.require_keys()
            if options["check"]:
                tokens = [*PlatformLink.objects.values_list("sealed", flat=True)]
                tokens += [*MastodonApp.objects.values_list("sealed_secret", flat=True)]
                old = sum(1 for t in tokens if not crypto.sealed_with_newest(t))
                self.stdout.write(f"{old} of {len(tokens)} stored credentials use an older key.")
                if old:
                    raise CommandError("run rotate_platform_credentials without --check")
                return
            result = credentials_rotate(actor=None)
        except crypto.CredentialsUnavailable as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Resealed {result.resealed} stored credentials with the newest key; "
                f"{result.already_newest} already used it."
            )
        )
