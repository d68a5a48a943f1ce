"""`awda compiletranslations`: compile the message catalogues with Babel (no system gettext needed)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from awda.build import compile_catalogues


class Command(BaseCommand):
    help = "Compile Awda's .po message catalogues into .mo files using only Python."
    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> None:
        root = Path(__file__).resolve().parents[3]
        written = compile_catalogues(root)
        for path in written:
            self.stdout.write(f"compiled {path.relative_to(root.parent)}")
        self.stdout.write(self.style.SUCCESS(f"{len(written)} catalogue(s) compiled."))
