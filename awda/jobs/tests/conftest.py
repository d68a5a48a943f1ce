"""Fixtures of the jobs app's tests (the registry's ``register`` makes returnees through its actions)."""

from __future__ import annotations

from awda.registry.tests.conftest import register, registration

__all__ = ["register", "registration"]
