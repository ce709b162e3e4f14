"""`manage.py textintel_train`: retrain the router from the district's own history."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from govmatrix.inbox.models import RouterTarget
from govmatrix.inbox.services.training import router_train, routers_use_rules


class Command(BaseCommand):
    help = (
        "Retrain the message router on the district's own messages (their final topic and "
        "unit, every manual re-routing included) and put the new version in use. The keyword "
        "rules stay the fallback."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--target",
            choices=["topic", "unit", "both"],
            default="both",
            help="what the router predicts (default: both)",
        )
        parser.add_argument(
            "--min-messages",
            type=int,
            default=30,
            help="train only with at least this many labelled messages (default 30)",
        )
        parser.add_argument(
            "--use-rules",
            action="store_true",
            help="stop using trained routers: route by the keyword rules again",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["use_rules"]:
            changed = routers_use_rules()
            self.stdout.write(f"trained routers switched off: {changed}; routing by the rules")
            return
        targets = (
            [RouterTarget.TOPIC, RouterTarget.UNIT]
            if options["target"] == "both"
            else [options["target"]]
        )
        for target in targets:
            result = router_train(target=target, min_messages=options["min_messages"])
            if result.skipped:
                self.stdout.write(f"{target}: not trained — {result.skipped}")
                continue
            figures = ", ".join(f"{k} {v}" for k, v in result.metrics.items()) or "no holdout"
            self.stdout.write(
                self.style.SUCCESS(
                    f"{target}: version {result.version} in use — {result.n_train} messages, "
                    f"{result.labels} labels; {figures}"
                )
            )
