"""`awda load_catalogue FILE.json --user NAME`: load a catalogue bundle (organisations, programmes, services)."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from awda.accounts.models import User
from awda.catalogue.actions import catalogue_bundle_load
from awda.core.errors import AwdaError


class Command(BaseCommand):
    help = (
        "Load organisations, programmes and services from a JSON bundle (the format of the demo catalogue)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--user", required=True, help="User name of the administrator who loads it.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {options['user']!r}.")
        try:
            bundle = json.loads(options["file"].read_text(encoding="utf-8"))
            counts = catalogue_bundle_load(
                actor=user, bundle=bundle, note=f"Loaded from {options['file'].name}"
            )
        except (OSError, ValueError) as error:
            raise CommandError(f"{options['file']}: {error}") from error
        except AwdaError as error:
            details = "; ".join(
                f"{key}: {', '.join(map(str, messages))}" for key, messages in error.fields.items()
            )
            raise CommandError(f"{error.message} {details}") from error
        self.stdout.write(", ".join(f"{value} {key}" for key, value in counts.items()))
