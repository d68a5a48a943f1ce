"""Checks that higher apps add before a case closes (monitoring: "reintegration achieved" needs the scores)."""

from __future__ import annotations

from typing import Protocol

from awda.accounts.models import User
from awda.registry.models import Returnee


class ClosureCheck(Protocol):
    """Raises ``AwdaError`` to refuse closing ``returnee`` for ``reason``; ``override_reason`` is a
    supervisor's written reason to close anyway, where the check allows one."""

    def __call__(self, actor: User, returnee: Returnee, reason: str, override_reason: str) -> None: ...


_CHECKS: list[ClosureCheck] = []


def register_closure_check(check: ClosureCheck) -> None:
    """Called from a higher app's ``AppConfig.ready``."""
    if check not in _CHECKS:
        _CHECKS.append(check)


def run_closure_checks(actor: User, returnee: Returnee, reason: str, override_reason: str) -> None:
    for check in _CHECKS:
        check(actor, returnee, reason, override_reason)
