"""The bulk generator of benchmarks writes the same rows as a registration, every column included."""

from __future__ import annotations

import pytest

from awda.accounts.demo import demo_accounts
from awda.registry.demo import demo_returnees_bulk
from awda.registry.models import Consent, Need, Returnee

pytestmark = pytest.mark.django_db


def test_bulk_generation_fills_every_column_of_needs_and_consents() -> None:
    demo_accounts()
    created = demo_returnees_bulk(30, seed=3)
    assert created == 30
    assert Returnee.objects.count() == 30
    assert Need.objects.exists()
    assert set(Need.objects.values_list("urgency", flat=True)) <= {"immediate", "soon", "routine"}
    consents = list(Consent.objects.values_list("purpose", "whole_record", "fields"))
    assert len(consents) == 60
    assert {(p, w, tuple(f)) for p, w, f in consents} == {
        ("registration", True, ()),
        ("follow_up_contact", True, ()),
    }
