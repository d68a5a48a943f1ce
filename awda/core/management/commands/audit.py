"""`awda audit verify`: walk the hash chain of the audit log and name the first broken link."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from awda.core import audit
from awda.core.models import AuditEntry


class Command(BaseCommand):
    help = "Audit log tools. `awda audit verify` checks the hash chain."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        total = AuditEntry.objects.count()
        broken = audit.verify()
        if broken is None:
            self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {total} entries verified."))
            return
        if broken.reason == "gap":
            detail = (
                f"expected entry #{broken.expected_seq} but found #{broken.seq} (entries deleted or inserted)"
            )
        elif broken.reason == "relinked":
            detail = (
                "its link to the previous entry does not match (the previous entry was changed or replaced)"
            )
        else:
            detail = "its content does not match its hash (the entry was edited)"
        raise CommandError(f"Audit chain broken at entry #{broken.seq}: {detail}.")
