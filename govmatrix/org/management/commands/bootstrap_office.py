import getpass
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from govmatrix.core.errors import ValidationFailed
from govmatrix.org.services import office_bootstrap


class Command(BaseCommand):
    help = "Create the management office and its first administrator on a new installation."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--office-name", default="管理办公室")
        parser.add_argument("--username", required=True)
        parser.add_argument("--name", required=True, help="the administrator's name")

    def handle(self, *args: Any, **options: Any) -> None:
        password = getpass.getpass("password: ")
        try:
            office_bootstrap(
                office_name=options["office_name"],
                username=options["username"],
                password=password,
                person_name=options["name"],
            )
        except ValidationFailed as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"office created; {options['username']} can sign in")
