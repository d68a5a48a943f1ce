"""Fixtures of the exchange tests: the registry's realistic registration, reused."""

from awda.registry.tests.conftest import register, registration

__all__ = ["register", "registration"]
