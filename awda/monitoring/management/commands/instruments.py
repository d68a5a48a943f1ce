"""`awda instruments load FILE` and `awda instruments list`: survey instruments as files (docs/instruments.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from awda.monitoring.actions import instrument_load
from awda.monitoring.models import InstrumentVersion
from awda.monitoring.rules import InstrumentError


class Command(BaseCommand):
    help = "Load a survey instrument from a JSON file (a new version when it changed), or list the versions."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        load = commands.add_parser("load", help="Load an instrument file.")
        load.add_argument("file", type=Path)
        commands.add_parser("list", help="List the instruments and their versions.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            for version in InstrumentVersion.objects.select_related("instrument").order_by(
                "instrument__code", "number"
            ):
                answered = version.responses.count()
                self.stdout.write(
                    f"{version.instrument.code} v{version.number}  {version.status}  {version.name_en}  "
                    f"{answered} responses"
                )
            return
        path: Path = options["file"]
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from error
        try:
            version, created = instrument_load(definition=data)
        except InstrumentError as error:
            raise CommandError("The instrument was not loaded:\n  " + "\n  ".join(error.problems)) from error
        if created:
            self.stdout.write(f"Loaded {version.instrument.code} as version {version.number}.")
        else:
            self.stdout.write(f"{version.instrument.code} is unchanged (version {version.number}).")
