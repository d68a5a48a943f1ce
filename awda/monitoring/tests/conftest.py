"""Fixtures of monitoring's tests: a MoMD case and a small instrument with non-default weights."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from awda.accounts.enums import Role
from awda.accounts.models import User
from awda.monitoring import actions
from awda.monitoring.models import InstrumentVersion
from awda.monitoring.tests.test_scoring import small
from awda.registry.models import Returnee
from awda.registry.tests.conftest import register, registration

__all__ = ["register", "registration"]


@pytest.fixture
def worker(make_user: Callable[..., User]) -> User:
    return make_user(Role.CASE_WORKER, "momd_baghdad", "mon.worker")


@pytest.fixture
def case(register: Callable[..., Returnee]) -> Returnee:
    """Returned three weeks ago: no follow-up is due yet, so only the alerts a test provokes appear."""
    from datetime import timedelta

    from django.utils import timezone

    record = {**registration()["record"], "return_date": timezone.localdate() - timedelta(days=21)}
    return register(record=record)


@pytest.fixture
def version(db: None) -> InstrumentVersion:
    loaded, _created = actions.instrument_load(definition=small())
    return loaded
