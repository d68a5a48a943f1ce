"""`awda load_response_rules FILE.json`: replace or add case-response rules (all or nothing)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from awda.core.errors import AwdaError
from awda.referrals.actions import response_rules_load


class Command(BaseCommand):
    help = (
        "Load case-response rules from a JSON list (see awda/referrals/data/response_rules.json for the format). "
        "A rule whose condition or proposals change gets a new version and is proposed again on every case."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            data = json.loads(options["file"].read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read {options['file']}: {error}") from error
        if not isinstance(data, list):
            raise CommandError("The file must hold a JSON list of rules.")
        try:
            rules = response_rules_load(data)
        except AwdaError as error:
            raise CommandError(str(error.message)) from error
        self.stdout.write(f"{len(rules)} case-response rules loaded.")
