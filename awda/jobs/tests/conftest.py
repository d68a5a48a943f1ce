"""Fixtures of the jobs app's tests (the registry's ``register`` makes returnees through its actions)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache

from awda.registry.tests.conftest import register, registration

__all__ = ["register", "registration"]


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Counters and cached aggregates (registrations per address, the market's people) start empty."""
    cache.clear()
    yield
    cache.clear()
