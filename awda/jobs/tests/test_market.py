"""The market view on known data: exact supply, demand and gaps, hidden small cells, training needs, the
files with their HXL row, and who may see it."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from openpyxl import load_workbook

from awda.accounts.enums import Role, ScopeLevel
from awda.accounts.models import User
from awda.core.models import AuditEntry
from awda.jobs import actions, market
from awda.jobs.models import Offer
from awda.registry.models import Occupation, Returnee, Skill
from conftest import verified_client

HXL = [
    "#adm1+code",
    "#adm1+name",
    "#loc+type",
    "#sector+occupation+code",
    "#sector+occupation+name",
    "#population+jobseekers",
    "#capacity+places",
    "#indicator+gap",
    "#status+market",
]


def _offer(staff: User, employer: Any, **changes: Any) -> Offer:
    publish = changes.pop("publish", True)
    data: dict[str, Any] = {
        "kind": "job",
        "title": "عرض",
        "occupation": "7212",
        "governorate": "IQG08",
        "settlement": "urban",
        "places": 1,
    }
    data.update(changes)
    return actions.offer_create(actor=staff, employer=employer, data=data, publish=publish)


@pytest.fixture(autouse=True)
def _fresh_counts() -> None:
    cache.clear()  # job seekers are counted once per five minutes


@pytest.fixture
def known(make_user: Callable[..., User], register: Callable[..., Returnee]) -> dict[str, Any]:
    """Given: in Baghdad (urban) 7 welders (one also an electrician), 2 cooks, 1 person without an
    occupation and a retired welder; in rural Baghdad 7 field-crop growers; in Erbil (urban) 5 people
    without an occupation. Offers: 10 welders, 8 + 3 (of 5, 2 filled) cooks, 1 crop grower (rural), 2
    software developers in Erbil, a remote course of 3 places; a draft and a closed offer that count for
    nothing."""

    def people(n: int, codes: list[str], office: str = "momd_baghdad", **record: Any) -> None:
        for _ in range(n):
            returnee = register(office, record=record) if record else register(office)
            for code in codes:
                Skill.objects.create(returnee=returnee, occupation_id=code, years_experience=2)

    people(6, ["7212"])
    people(1, ["7212", "7411"])
    people(2, ["5120"])
    people(1, [])
    people(1, ["7212"], employment_status="retired")
    people(7, ["6111"], settlement="rural")
    people(5, [], office="momd_erbil")
    staff = make_user(Role.CASE_WORKER, "molsa_baghdad", "market.staff")
    employer = actions.employer_create(
        actor=staff,
        data={
            "name_ar": "شركة دجلة",
            "name_en": "Dijla Company",
            "sector": "F",
            "size": "medium",
            "governorates": ["IQG08", "IQG11"],
            "contact_name": "Ahmed",
            "contact_phone": "07701234567",
        },
    )
    _offer(staff, employer, occupation="7212", places=10)
    _offer(staff, employer, occupation="5120", places=8)
    partly = _offer(staff, employer, occupation="5120", places=5)
    Offer.objects.filter(pk=partly.pk).update(filled=2)
    _offer(staff, employer, occupation="6111", settlement="rural", places=1)
    _offer(staff, employer, occupation="2512", governorate="IQG11", places=2)
    _offer(staff, employer, kind="training", occupation="2512", governorate="IQG11", remote=True, places=3)
    _offer(staff, employer, occupation="7212", places=50, publish=False)
    closed = _offer(staff, employer, occupation="7212", places=20)
    actions.offer_set_status(actor=staff, offer=closed, status="closed")
    return {"staff": staff, "employer": employer}


def _area(result: market.Market, governorate: str, settlement: str) -> dict[str, market.Cell]:
    area = next(a for a in result.areas if a.governorate == governorate and a.settlement == settlement)
    return {c.group: c for c in area.cells}


@pytest.mark.django_db
def test_supply_demand_and_gaps_on_known_data(known: dict[str, Any]) -> None:
    result = market.market()
    assert [(a.governorate, a.settlement) for a in result.areas] == [
        ("IQG08", "urban"),
        ("IQG08", "rural"),
        ("IQG11", "urban"),
        ("", "remote"),
    ]
    baghdad = _area(result, "IQG08", "urban")
    assert list(baghdad) == ["51", "72", "74", ""]
    welders = baghdad["72"]
    assert (welders.supply, welders.demand, welders.gap, welders.hidden) == (7, 10, -3, False)
    assert (welders.gap_text, welders.status, welders.shortage) == ("-3", "shortage", 3)
    rural = _area(result, "IQG08", "rural")["61"]
    assert (rural.supply, rural.demand, rural.gap, rural.status) == (7, 1, 6, "surplus")
    erbil = _area(result, "IQG11", "urban")
    assert (erbil["25"].supply, erbil["25"].demand, erbil["25"].gap, erbil["25"].status) == (
        0,
        2,
        -2,
        "shortage",
    )
    assert (erbil[""].supply, erbil[""].demand, erbil[""].status) == (5, 0, "")  # no group to retrain from
    remote = _area(result, "", "remote")["25"]
    assert (remote.supply, remote.demand, remote.supply_text, remote.gap_text) == (None, 3, "—", "—")
    assert result.groups == ("25", "51", "61", "72", "74", "")


@pytest.mark.django_db
def test_cells_under_five_people_are_hidden(known: dict[str, Any]) -> None:
    baghdad = _area(market.market(), "IQG08", "urban")
    cooks, electricians, nobody = baghdad["51"], baghdad["74"], baghdad[""]
    # 2 cooks against 8 + 3 places: the count is hidden, the gap only bounded (2 − 11 < 5 − 11).
    assert (cooks.supply, cooks.hidden, cooks.supply_text, cooks.demand, cooks.gap) == (
        None,
        True,
        "<5",
        11,
        None,
    )
    assert cooks.gap_text == "<-6"
    assert (electricians.supply_text, electricians.gap_text, electricians.status) == ("<5", "<5", "")
    assert (nobody.supply_text, nobody.demand) == ("<5", 0)


@pytest.mark.django_db
def test_training_needs_and_retraining_are_ranked(known: dict[str, Any]) -> None:
    result = market.market()
    needs = [
        (r.area.governorate, r.area.settlement, r.cell.group, r.cell.shortage) for r in result.training_needs
    ]
    # The hidden cooks' cell counts from what is shown: 11 places, fewer than 5 people, so at least 7 missing.
    assert needs == [("IQG08", "urban", "51", 7), ("IQG08", "urban", "72", 3), ("IQG11", "urban", "25", 2)]
    assert result.training_needs[0].cell.shortage_text == "at least 7"
    assert [(r.area.governorate, r.cell.group, r.cell.gap) for r in result.retraining] == [("IQG08", "61", 6)]


@pytest.mark.django_db
def test_a_hidden_cell_with_few_places_is_no_shortage(
    known: dict[str, Any], register: Callable[..., Returnee]
) -> None:
    """3 electricians' places against 1 electrician: a shortage, but saying so would tell that fewer than 3
    people are there; the list decides from what is shown."""
    _offer(known["staff"], known["employer"], occupation="7411", places=3)
    electricians = _area(market.market(), "IQG08", "urban")["74"]
    assert (electricians.hidden, electricians.demand, electricians.is_shortage) == (True, 3, False)


@pytest.mark.django_db
def test_filters(known: dict[str, Any]) -> None:
    rural = market.market(market.Filters(governorate="IQG08", settlement="rural"))
    assert [(a.governorate, a.settlement) for a in rural.areas] == [("IQG08", "rural"), ("", "remote")]
    courses = market.market(market.Filters(kind="training"))
    assert _area(courses, "", "remote")["25"].demand == 3
    welders = _area(courses, "IQG08", "urban")["72"]
    assert (welders.supply, welders.demand, welders.gap) == (7, 0, 7)
    assert market.Filters.clean(governorate="IQG99", settlement="x", kind="y") == market.Filters()


@pytest.mark.django_db
def test_two_queries_whatever_the_number_of_people(
    known: dict[str, Any], django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(2):
        market.market()
    with django_assert_num_queries(1):  # the people's counts come from the cache, the offers' afresh
        market.market(market.Filters(kind="job"))


def _analyst(make_user: Callable[..., User]) -> User:
    return make_user(Role.ANALYST, "momd_baghdad", "market.analyst", scope=ScopeLevel.ASSIGNED)


@pytest.mark.django_db
def test_the_page_shows_groups_names_and_hidden_cells(
    known: dict[str, Any], make_user: Callable[..., User]
) -> None:
    response = verified_client(_analyst(make_user)).get("/jobs/market/")
    assert response.status_code == 200
    page = response.content.decode()
    assert Occupation.objects.get(code="72").name_en in page
    assert "No occupation recorded" in page
    assert "&lt;5" in page and "at least 7" in page
    assert AuditEntry.objects.filter(object_type="jobs.market", action="read").count() == 1


def _csv(response: Any) -> list[list[str]]:
    text = b"".join(response.streaming_content if response.streaming else [response.content]).decode("utf-8")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


@pytest.mark.django_db
def test_csv_export_has_hxl_row_and_hides_small_cells(
    known: dict[str, Any], make_user: Callable[..., User]
) -> None:
    response = verified_client(_analyst(make_user)).get("/jobs/market/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = _csv(response)
    assert rows[0] == [
        "governorate P-code",
        "governorate",
        "urban or rural",
        "occupation group (ISCO-08)",
        "occupation group",
        "job seekers",
        "places open",
        "gap (job seekers − places)",
        "shortage or surplus",
    ]
    assert rows[1] == HXL
    by_key = {(r[0], r[2], r[3]): r for r in rows[2:]}
    welders = Occupation.objects.get(code="72").name_en
    assert by_key[("IQG08", "urban", "72")] == [
        "IQG08",
        "Baghdad",
        "urban",
        "72",
        welders,
        "7",
        "10",
        "-3",
        "shortage",
    ]
    assert by_key[("IQG08", "urban", "51")][5:] == ["<5", "11", "<-6", "shortage"]
    assert by_key[("IQG08", "urban", "")][4:] == ["No occupation recorded", "<5", "0", "<5", ""]
    assert by_key[("IQG08", "rural", "61")][5:] == ["7", "1", "6", "surplus"]
    assert by_key[("", "remote", "25")][5:] == ["", "3", "", ""]
    assert len(rows) == 2 + 8
    assert AuditEntry.objects.filter(object_type="jobs.market", action="export").count() == 1


@pytest.mark.django_db
def test_xlsx_export_has_the_market_and_the_training_needs(
    known: dict[str, Any], make_user: Callable[..., User]
) -> None:
    response = verified_client(_analyst(make_user)).get("/jobs/market/export.xlsx?governorate=IQG08")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Job market", "Training needs"]
    table = [list(r) for r in book["Job market"].iter_rows(values_only=True)]
    assert table[1] == HXL
    by_key = {(r[0] or "", r[2], r[3] or ""): r for r in table[2:]}
    assert set(by_key) == {
        ("IQG08", "urban", "51"),
        ("IQG08", "urban", "72"),
        ("IQG08", "urban", "74"),
        ("IQG08", "urban", ""),
        ("IQG08", "rural", "61"),
        ("", "remote", "25"),
    }
    assert by_key[("IQG08", "urban", "72")][5:] == [7, 10, -3, "shortage"]
    assert by_key[("IQG08", "urban", "74")][5:] == ["<5", 0, "<5", None]
    needs = [list(r) for r in book["Training needs"].iter_rows(values_only=True)]
    assert needs[1] == [
        "#priority+rank",
        *HXL[:5],
        "#capacity+places",
        "#population+jobseekers",
        "#indicator+shortage",
    ]
    assert [(r[0], r[4], r[6], r[7], r[8]) for r in needs[2:]] == [
        (1, "51", 11, "<5", ">6"),
        (2, "72", 10, 7, 3),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "status"),
    [("analyst", 200), ("staff", 200), ("caseworker", 404), ("company", 404), ("provider", 404)],
)
def test_who_sees_the_market(
    known: dict[str, Any], make_user: Callable[..., User], who: str, status: int
) -> None:
    users = {
        "analyst": lambda: _analyst(make_user),
        "staff": lambda: known["staff"],
        "caseworker": lambda: make_user(Role.CASE_WORKER, "momd_baghdad", "market.worker"),
        "company": lambda: User.objects.create(
            username="market.company",
            role=Role.EMPLOYER,
            institution=known["employer"].institution,
            scope=ScopeLevel.ASSIGNED,
        ),
        "provider": lambda: make_user(Role.SERVICE_PROVIDER, "momd_baghdad", "market.provider"),
    }
    client = verified_client(users[who]())
    before = AuditEntry.objects.filter(object_type="jobs.market").count()
    assert client.get("/jobs/market/").status_code == status
    for fmt in ("csv", "xlsx"):
        assert client.get(f"/jobs/market/export.{fmt}").status_code == status
    if status == 404:  # a refused call leaves no trace but the refusal
        assert AuditEntry.objects.filter(object_type="jobs.market").count() == before


@pytest.mark.django_db
def test_anonymous_goes_to_sign_in_and_unknown_formats_are_not_found(
    known: dict[str, Any], make_user: Callable[..., User], client: Any
) -> None:
    response = client.get("/jobs/market/export.csv")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert verified_client(_analyst(make_user)).get("/jobs/market/export.pdf").status_code == 404
