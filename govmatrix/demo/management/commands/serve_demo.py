"""Serve the web app and run the background worker together, until Ctrl-C."""

import signal
import subprocess
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Run the web app on ADDRPORT and a Huey worker beside it (the demo's one command)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args: Any, **options: Any) -> None:
        worker = subprocess.Popen([sys.executable, "manage.py", "run_huey", "--quiet"])
        self.stdout.write(f"worker started (pid {worker.pid})")
        try:
            call_command("runserver", options["addrport"], use_reloader=False, use_threading=True)
        finally:
            worker.send_signal(signal.SIGINT)
            try:
                worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                worker.kill()
