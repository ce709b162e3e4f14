from typing import Any

from django.core.management.base import BaseCommand, CommandError

from govmatrix.audit.selectors import chain_verify


class Command(BaseCommand):
    help = "Check the hash chain of the event log and name the first broken row."

    def handle(self, *args: Any, **options: Any) -> None:
        report = chain_verify()
        if not report.intact:
            raise CommandError(
                f"audit chain BROKEN at event #{report.first_broken_seq}: {report.reason} "
                f"({report.checked} events before it are intact)"
            )
        self.stdout.write(f"audit chain intact: {report.checked} events, head {report.head_hash}")
