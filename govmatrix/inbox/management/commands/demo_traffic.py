"""`manage.py demo_traffic [--csv PATH] [--rate N] [--count N]`: citizens writing to the demo."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from govmatrix.inbox.services.ingest import sync_all
from govmatrix.inbox.traffic import Traffic


class Command(BaseCommand):
    help = (
        "Write citizens' comments and messages to the local platform's open accounts, from our "
        "own templates (or from a CSV with --csv), then start the inbox sync. With --rate it "
        "keeps writing that many per minute until stopped."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--csv", help="a CSV with title,detail (or text) columns")
        parser.add_argument("--rate", type=float, help="comments per minute, until Ctrl-C")
        parser.add_argument("--count", type=int, default=20, help="how many (without --rate)")
        parser.add_argument("--seed", type=int, help="random seed, for a repeatable stream")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            traffic = Traffic(seed=options["seed"], csv_path=options["csv"])
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        rate = options["rate"]
        if rate is not None and rate <= 0:
            raise CommandError("--rate must be above 0")
        if rate is None:
            for _n in range(max(0, options["count"])):
                written = traffic.write()
                self.stdout.write(f"{written.account}: {written.text}")
            sync_all()
            self.stdout.write(self.style.SUCCESS(f"{traffic.count} written; sync started"))
            return
        self.stdout.write(f"writing {rate:g} per minute; Ctrl-C stops")
        try:
            while True:
                written = traffic.write()
                self.stdout.write(f"{written.account}: {written.text}")
                sync_all()
                time.sleep(60.0 / rate)
        except KeyboardInterrupt:
            self.stdout.write(f"\n{traffic.count} written")
