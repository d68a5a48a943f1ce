"""The mapping of services against recorded needs: gaps per district, the map, the table, the download."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from awda.accounts.models import User
from awda.catalogue import enums
from awda.catalogue.models import Service, ServiceCategory
from awda.catalogue.queries import mapping
from awda.core.models import AuditEntry
from awda.registry.models import Returnee
from conftest import verified_client

pytestmark = pytest.mark.django_db

PSYCHOSOCIAL = [{"category": "psychosocial", "priority": "high", "is_interest": False, "description": ""}]


@pytest.fixture
def situation(register: Callable[..., Returnee], publish: Callable[..., Service]) -> None:
    """Needs of psychosocial support in Karkh (Baghdad, 6 people), Erbil's district (1) and Mosul (2).

    Karkh has a service with places; Erbil's district a full one; Mosul none. An interest (not a need)
    and a closed case in Mosul do not count.
    """
    for _ in range(6):
        register(needs=PSYCHOSOCIAL)
    register(office="momd_erbil", needs=PSYCHOSOCIAL)
    mosul = {"governorate_id": "IQG15", "district_id": "IQG15Q05"}
    register(record=mosul, needs=PSYCHOSOCIAL)
    register(record=mosul, needs=PSYCHOSOCIAL)
    register(record=mosul, needs=[{**PSYCHOSOCIAL[0], "is_interest": True}])
    closed = register(record=mosul, needs=PSYCHOSOCIAL)
    Returnee.objects.filter(pk=closed.pk).update(status="closed")
    publish(code="pss-karkh", category="psychosocial_counselling", min_age=None, capacity_per_month=10)
    publish(
        code="pss-erbil",
        category="group_support",
        districts=["IQG11Q02"],
        min_age=None,
        capacity_per_month=1,
        current_load=1,
    )
    publish(code="pss-hotline", category="psychosocial_counselling", districts=[], remote=True)
    publish(code="docs-mosul", districts=["IQG15Q05"])  # another category: no help for this need


def test_gaps_per_district_and_governorate(situation: None) -> None:
    result = mapping(ServiceCategory.objects.get(code="psychosocial"))
    rows = {row["governorate"].pcode: row for row in result["governorates"]}
    cells = {district.pcode: cell for row in rows.values() for district, cell in row["districts"]}
    karkh, erbil, mosul = cells["IQG08Q06"], cells["IQG11Q02"], cells["IQG15Q05"]
    assert (karkh.needs, karkh.services, karkh.open_services, karkh.capacity, karkh.gap) == (
        6,
        1,
        1,
        10,
        enums.Gap.COVERED,
    )
    assert (erbil.needs, erbil.services, erbil.open_services, erbil.load, erbil.gap) == (
        1,
        1,
        0,
        1,
        enums.Gap.OVER_CAPACITY,
    )
    assert (mosul.needs, mosul.services, mosul.remote, mosul.gap) == (2, 0, 1, enums.Gap.NO_SERVICE)
    assert cells["IQG08Q01"].gap == enums.Gap.NO_NEED
    assert [
        (rows[g]["level"], rows[g]["needs"], rows[g]["unmet"]) for g in ("IQG08", "IQG11", "IQG15", "IQG02")
    ] == [
        ("met", 6, 0),
        ("severe", 1, 1),
        ("severe", 2, 2),
        ("none", 0, 0),
    ]


def test_the_supervisor_sees_the_map_and_the_districts_lacking_support(
    situation: None, people: dict[str, User]
) -> None:
    client = verified_client(people["supervisor"])
    response = client.get("/catalogue/mapping/?category=psychosocial")
    assert response.status_code == 200
    html = response.content.decode()
    found = {pcode: cls for cls, pcode in re.findall(r'class="gov ([^"]+)"[^>]*data-pcode="(IQG\d\d)"', html)}
    assert found["IQG15"] == "level-severe"
    assert found["IQG08"] == "level-met"
    assert found["IQG02"] == "level-none"
    assert len(found) == 18
    gaps = html[html.index('data-testid="gap-districts"') :]
    gaps = gaps[: gaps.index("</ul>")]
    assert "Al-Mosul" in gaps or "Mosul" in gaps
    assert "Needs without a service" in gaps
    assert "Services over capacity" in gaps
    assert "Al-Karkh" not in gaps
    # Small cells: two people in Mosul are shown as fewer than five
    assert "&lt;5 people" in gaps
    assert AuditEntry.objects.filter(object_type="catalogue.mapping", object_id="psychosocial").count() == 1


def test_the_download_lists_every_district(situation: None, people: dict[str, User]) -> None:
    response = verified_client(people["supervisor"]).get(
        "/catalogue/mapping/export.csv?category=psychosocial"
    )
    lines = response.content.decode("utf-8").lstrip("\ufeff").splitlines()
    assert lines[1].startswith("#sector+code,#adm1+code")
    assert len(lines) == 2 + 101
    mosul = next(line for line in lines if ",IQG15Q05," in line)
    assert mosul.endswith(",<5,0,0,1,0,0,no_service")
    karkh = next(line for line in lines if ",IQG08Q06," in line)
    assert karkh.endswith(",6,1,1,1,10,0,covered")


def test_case_workers_and_providers_do_not_see_the_mapping(situation: None, people: dict[str, User]) -> None:
    for role in ("worker", "provider"):
        client = verified_client(people[role])
        assert client.get("/catalogue/mapping/").status_code == 404
        assert client.get("/catalogue/mapping/export.csv").status_code == 404


def test_case_page_lists_eligible_services_and_why_not_the_others(
    register: Callable[..., Returnee], publish: Callable[..., Service], people: dict[str, User]
) -> None:
    # Zainab (36, female head of household, Karkh) needs documentation and employment
    returnee = register()
    publish()  # documentation in Karkh, 18 and over: eligible
    publish(code="docs-youth", name_en="Documents for young people", min_age=15, max_age=24)
    publish(code="docs-full", name_en="Full documentation clinic", capacity_per_month=1, current_load=1)
    publish(
        code="jobs-men",
        name_en="Jobs for men",
        category="job_placement",
        sexes=["male"],
        districts=["IQG08Q06"],
    )
    publish(code="docs-erbil", name_en="Documents in Erbil", districts=["IQG11Q02"])
    html = verified_client(returnee.owner).get(f"/returnees/{returnee.uuid}/").content.decode()
    panel = html[html.index('data-testid="eligible-services"') :]
    panel = panel[: panel.index("</section>")]
    assert "Help with the national card" in panel
    assert "Full documentation clinic" in panel[panel.index("Eligible but full this month") :]
    closed = panel[panel.index("not eligible for, and why") :]
    assert "Documents for young people" in closed
    assert "Age 36 is over the maximum of 24" in closed
    assert "Jobs for men" in closed
    assert "Sex: female; the service is for: male" in closed
    # A service only elsewhere is counted, not listed among the reasons
    assert "Documents in Erbil" not in panel
    assert "1 more service is offered only in other places." in panel
