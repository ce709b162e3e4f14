from typing import Any

from django.core.management.base import BaseCommand

from govmatrix.demo.district import DEMO_PASSWORD
from govmatrix.demo.seed import seed_demo_district


class Command(BaseCommand):
    help = "Load the demo district 示范区 (safe to run again: existing records are kept)."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = seed_demo_district()
        self.stdout.write(
            "示范区 ready: {units} units, {people} people, {accounts} accounts, {logins} logins".format(
                **counts
            )
        )
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        self.stdout.write("  office              management office (管理办公室)")
        self.stdout.write("  street01_leader     principal leader of 东城街道 (主要领导)")
        self.stdout.write("  street01_operator   operator of 东城街道 (运维人员)")
