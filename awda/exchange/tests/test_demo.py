"""The demo MoLSA register: imported, linked to exactly the returnees it was made from."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from awda.accounts.models import User
from awda.exchange.models import CandidatePair, ExternalRecord, Source
from awda.registry.models import Returnee
from conftest import verified_client


@pytest.mark.django_db
def test_the_demo_register_links_to_the_people_it_was_made_from(settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path
    out = StringIO()
    call_command("demo", stdout=out)  # the size a new user gets: the uncertain pairs depend on it

    source = Source.objects.get(name_en="MoLSA unemployed register")
    steward_returnees = list(Returnee.objects.filter(institution__code="momd").order_by("pk")[:400])
    chosen = [r for i, r in enumerate(steward_returnees) if i % 3 == 0]
    assert ExternalRecord.objects.filter(source=source).count() == len(chosen) + 5
    truth = {f"LSA-{n:05d}": r.pk for n, r in enumerate(chosen, start=1)}
    linked = {
        (p.record.external_id, p.returnee_id)
        for p in CandidatePair.objects.filter(record__source=source, status="linked").select_related("record")
    }
    # Every automatic link is right, and nearly every person is linked without review.
    assert all(truth.get(external) == returnee for external, returnee in linked)
    assert len(linked) >= 0.9 * len(chosen)
    # A few rows carry only three names in Latin letters: those wait for a data steward to try the queue.
    pending = CandidatePair.objects.filter(record__source=source, status="pending").select_related("record")
    assert len(pending) >= 1
    assert all(truth.get(p.record.external_id) == p.returnee_id for p in pending)
    # The queue shows them, though the file names people by one full name only (no given_name).
    queue = verified_client(User.objects.get(username="steward")).get(reverse("exchange:review"))
    assert queue.status_code == 200
    assert all(p.record.values["full_name"] in queue.content.decode() for p in pending)
    assert "Data exchange:" in out.getvalue()

    call_command("demo", stdout=StringIO())  # a second run adds nothing
    assert Source.objects.count() == 1
