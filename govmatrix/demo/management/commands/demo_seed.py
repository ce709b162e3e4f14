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
        self.stdout.write("Each platform, with an operator (and a _leader who approves) per unit:")
        self.stdout.write("  street09_operator   桃园镇, on Weibo (the simulator)")
        self.stdout.write("  dept15_operator     区商务委, on Weibo (the simulator)")
        self.stdout.write("  street11_operator   青山镇, on Mastodon (the mock)")
        self.stdout.write("  dept16_operator     区文化旅游局, on Mastodon (the mock)")
        self.stdout.write("  dept20_operator     区城管执法局, on WeChat (published by hand)")
