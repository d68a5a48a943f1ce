"""The cache shared between processes in production: its setting, its table and the deployment check."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import override_settings

from awda.core.checks import cache_shared

ROOT = Path(__file__).resolve().parents[3]
DATABASE_CACHE = {
    "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "awda_cache"}
}


def _cache_setting(value: str) -> subprocess.CompletedProcess[str]:
    code = (
        "import django; django.setup(); from django.conf import settings; print(settings.CACHES['default'])"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "AWDA_CACHE_URL": value}
    return subprocess.run(  # noqa: S603  (our own interpreter and code)
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize(
    ("value", "backend"),
    [
        ("", "django.core.cache.backends.locmem.LocMemCache"),
        ("database", "django.core.cache.backends.db.DatabaseCache"),
        ("redis://127.0.0.1:6379/1", "django.core.cache.backends.redis.RedisCache"),
    ],
)
def test_the_cache_is_chosen_by_its_address(value: str, backend: str) -> None:
    result = _cache_setting(value)
    assert result.returncode == 0, result.stderr
    assert f"'BACKEND': '{backend}'" in result.stdout.strip().splitlines()[-1]


def test_an_unknown_cache_address_stops_the_start() -> None:
    result = _cache_setting("memcached://127.0.0.1:11211")
    assert result.returncode != 0
    assert "AWDA_CACHE_URL must be empty, 'database' or a redis:// address." in result.stderr


@pytest.mark.django_db(transaction=True)
def test_the_migrations_create_the_database_caches_table_and_it_is_shared(settings: Any) -> None:
    assert "awda_cache" in connection.introspection.table_names()
    with override_settings(CACHES=DATABASE_CACHE):
        caches["default"].set("registrations:203.0.113.7", 2, 3600)
        # Another process reads the same table: a second cache object over it sees the count.
        from django.core.cache.backends.db import DatabaseCache

        assert DatabaseCache("awda_cache", {}).get("registrations:203.0.113.7") == 2
        caches["default"].clear()


def test_production_warns_while_each_process_keeps_its_own_cache() -> None:
    with override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}):
        assert [m.id for m in cache_shared()] == ["awda.W002"]
    with override_settings(CACHES=DATABASE_CACHE):
        assert cache_shared() == []
