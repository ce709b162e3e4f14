"""Serve the web app, a Huey worker and the platform doubles (the Weibo simulator, mastodon-mock)
together, until Ctrl-C."""

import signal
import subprocess
import sys
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from govmatrix.demo.doubles import DoubleFailed, Doubles, planned


class Command(BaseCommand):
    help = (
        "Run the web app on ADDRPORT with a Huey worker, and the Weibo simulator and the Mastodon "
        "mock on the loopback ports WEIBO_API_BASE and MASTODON_API_BASE name (the demo's one "
        "command). The doubles keep their state in memory: each start links the demo's accounts "
        "to them again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument(
            "--seed",
            action="store_true",
            help="load the demo district (manage.py demo_seed) once the doubles answer",
        )
        parser.add_argument(
            "--no-platforms",
            action="store_true",
            help="start neither the Weibo simulator nor the Mastodon mock",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        addrport = options["addrport"]
        port = int(addrport.rsplit(":", 1)[-1])
        doubles, notes = planned(app_addrport=addrport)
        if options["no_platforms"]:
            doubles, notes = [], ["Weibo simulator and Mastodon mock not started (--no-platforms)."]
        supervisor = Doubles(doubles, say=self.stdout.write)
        try:
            supervisor.check_ports([("the web app", port)])
        except DoubleFailed as exc:
            raise CommandError(str(exc)) from exc
        # Ctrl-C, and a plain `kill`, stop the app, the worker and the doubles alike (even when
        # started in the background, where a shell leaves SIGINT ignored).
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(0))
        try:
            supervisor.start()
        except DoubleFailed as exc:
            raise CommandError(str(exc)) from exc
        for note in notes:
            self.stdout.write(note)
        worker = None
        try:
            if options["seed"]:
                call_command("demo_seed", stdout=self.stdout)
            elif doubles:
                self._relink()
            worker = subprocess.Popen([sys.executable, "manage.py", "run_huey", "--quiet"])
            self.stdout.write(f"worker started (pid {worker.pid})")
            call_command("runserver", addrport, use_reloader=False, use_threading=True)
        finally:
            if worker is not None:
                worker.send_signal(signal.SIGINT)
                try:
                    worker.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    worker.kill()
            supervisor.stop()

    def _relink(self) -> None:
        """Fresh doubles forget the demo's links: link the demo's accounts to them again."""
        from govmatrix.platforms.links import demo

        office = get_user_model().objects.filter(username="office").first()
        if office is not None:
            demo.seed(actor=office, say=self.stdout.write)
