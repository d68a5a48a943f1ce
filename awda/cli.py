"""The ``awda`` console command: Django's management commands with Awda's settings."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    args[0] = "awda"
    # `awda worker` is the friendlier name of django-tasks-db's worker.
    if len(args) > 1 and args[1] == "worker":
        args[1] = "db_worker"
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
