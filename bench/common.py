"""What the benchmarks share: creating their PostgreSQL database and describing the machine they ran on."""

from __future__ import annotations

import os
import platform
from pathlib import Path

from django.db import connection


def _ensure_database() -> None:
    name = connection.settings_dict["NAME"]
    admin = {**connection.settings_dict, "NAME": "postgres"}
    import psycopg

    with psycopg.connect(
        host=admin["HOST"], port=admin["PORT"], user=admin["USER"], dbname="postgres", autocommit=True
    ) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def _machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kib / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    return f"{platform.machine()}, {os.cpu_count()} cores ({cpu}), {memory} RAM, PostgreSQL {pg}, Python {platform.python_version()}"
