"""System checks of the kernel: the message catalogues must be compiled and current; in production the
cache must be shared between processes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Warning, register


@register()
def catalogues_compiled(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    problems: list[CheckMessage] = []
    # Staleness is judged only in a source checkout; an installed package's file times mean nothing.
    in_checkout = (Path(settings.BASE_DIR) / ".git").exists()
    for locale_dir in settings.LOCALE_PATHS:
        for po_path in Path(locale_dir).glob("*/LC_MESSAGES/*.po"):
            mo_path = po_path.with_suffix(".mo")
            stale = in_checkout and mo_path.exists() and mo_path.stat().st_mtime < po_path.stat().st_mtime
            if not mo_path.exists() or stale:
                problems.append(
                    Warning(
                        f"{po_path} is not compiled or has changed since it was compiled.",
                        hint="Run `awda compiletranslations`.",
                        id="awda.W001",
                    )
                )
    return problems


@register(deploy=True)
def cache_shared(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    backend = settings.CACHES["default"]["BACKEND"]
    if backend.endswith(("LocMemCache", "DummyCache")):
        return [
            Warning(
                "Each process keeps its own cache: with several web processes the employer registration "
                "limit counts per process and the market view is counted once per process.",
                hint="Set AWDA_CACHE_URL=database (the awda_cache table) or to a redis:// address.",
                id="awda.W002",
            )
        ]
    return []
