"""Agreement pages and API: recording, revoking, downloading extracts (CSV, XLSX, JSON), and who may."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from awda.accounts.enums import AreaLevel, InstitutionType, Role
from awda.accounts.models import Institution, Office
from awda.core.models import AuditEntry
from awda.exchange import sharing
from awda.exchange.models import Export, SharingAgreement
from conftest import verified_api_client, verified_client

pytestmark = pytest.mark.django_db

REGISTRATION = {"purpose": "registration", "granted": True, "method": "written"}


def to_molsa(world: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        REGISTRATION,
        {
            "purpose": "sharing_institution",
            "granted": True,
            "method": "written",
            "shared_with": world["molsa"],
        },
    ]


@pytest.fixture
def steward(make_user: Any) -> Any:
    return make_user(Role.DATA_STEWARD, "momd_baghdad", "steward.momd")


@pytest.fixture
def outsider(make_user: Any, world: dict[str, Any]) -> Any:
    """A data steward of a third institution, party to no agreement."""
    ngo = Institution.objects.create(
        code="ngo", type=InstitutionType.NGO, name_ar="منظمة", name_ckb="ڕێکخراو", name_en="An NGO"
    )
    world["ngo_baghdad"] = Office.objects.create(
        institution=ngo,
        name_ar="مكتب بغداد",
        name_ckb="نووسینگەی بەغدا",
        name_en="Baghdad office",
        governorate_id="IQG08",
        district_id="IQG08Q06",
        area_level=AreaLevel.GOVERNORATE,
    )
    return make_user(Role.DATA_STEWARD, "ngo_baghdad", "steward.ngo")


def make_agreement(steward: Any, world: dict[str, Any], **overrides: Any) -> SharingAgreement:
    today = timezone.localdate()
    values: dict[str, Any] = {
        "provider": world["momd"],
        "recipient": world["molsa"],
        "reference": "MoMD-MoLSA/2026/14",
        "purpose": "Employment programmes for returnees",
        "fields": ["case_number", "given_name", "sex", "governorate"],
        "governorates": [],
        "valid_from": today - timedelta(days=30),
        "valid_until": today + timedelta(days=365),
    }
    values.update(overrides)
    return sharing.agreement_create(actor=steward, **values)


def form_data(world: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    data = {
        "recipient": world["molsa"].pk,
        "reference": "MoMD-MoLSA/2026/15",
        "purpose": "Vocational training offers",
        "shared_fields": ["case_number", "phone"],
        "governorates": ["IQG08"],
        "valid_from": "2026-01-01",
        "valid_until": "2026-12-31",
    }
    data.update(overrides)
    return data


def api_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "recipient": "molsa",
        "reference": "MoMD-MoLSA/2026/16",
        "purpose": "Vocational training offers",
        "fields": ["case_number", "phone"],
        "governorates": ["IQG08"],
        "valid_from": "2026-01-01",
        "valid_until": "2026-12-31",
    }
    data.update(overrides)
    return data


# Pages


def test_the_list_shows_agreements_given_and_received(
    make_user: Any, steward: Any, world: dict[str, Any]
) -> None:
    make_agreement(steward, world)
    molsa_steward = make_user(Role.DATA_STEWARD, "molsa_baghdad", "steward.molsa")

    given = verified_client(steward).get("/exchange/agreements/")
    received = verified_client(molsa_steward).get("/exchange/agreements/")

    assert given.status_code == received.status_code == 200
    assert [(a.reference, in_force) for a, in_force in given.context["given"]] == [
        ("MoMD-MoLSA/2026/14", True)
    ]
    assert given.context["received"] == []
    assert [a.reference for a, _ in received.context["received"]] == ["MoMD-MoLSA/2026/14"]
    assert received.context["given"] == []


def test_a_data_steward_records_an_agreement_on_the_form(steward: Any, world: dict[str, Any]) -> None:
    client = verified_client(steward)
    form = client.get("/exchange/agreements/new/")
    assert form.status_code == 200
    assert "Ministry of Labour" in form.content.decode()

    response = client.post("/exchange/agreements/new/", form_data(world))

    agreement = SharingAgreement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/exchange/agreements/{agreement.uuid}/"
    assert (agreement.provider, agreement.recipient, agreement.fields) == (
        world["momd"],
        world["molsa"],
        ["case_number", "phone"],
    )
    assert [g.pk for g in agreement.governorates.all()] == ["IQG08"]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"valid_from": "2026-06-01", "valid_until": "2026-05-01"},
            "valid_until",
            "The agreement must end after the day it starts.",
        ),
        ({"shared_fields": []}, "shared_fields", "This field is required."),
        (
            {"shared_fields": ["case_number", "health_notes"]},
            "shared_fields",
            "Select a valid choice. health_notes is not one of the available choices.",
        ),
    ],
)
def test_bad_input_on_the_form_is_shown_and_nothing_is_saved(
    steward: Any, world: dict[str, Any], overrides: dict[str, Any], field: str, message: str
) -> None:
    response = verified_client(steward).post("/exchange/agreements/new/", form_data(world, **overrides))

    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    assert not SharingAgreement.objects.exists()


def test_the_own_institution_is_not_a_recipient_on_the_form(steward: Any, world: dict[str, Any]) -> None:
    response = verified_client(steward).post(
        "/exchange/agreements/new/", form_data(world, recipient=world["momd"].pk)
    )

    assert response.status_code == 400
    assert response.context["form"].errors["recipient"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert not SharingAgreement.objects.exists()


def test_a_case_worker_cannot_record_an_agreement(make_user: Any, world: dict[str, Any]) -> None:
    worker = verified_client(make_user(Role.CASE_WORKER, "momd_baghdad", "cw"))

    assert worker.get("/exchange/agreements/new/").status_code == 404
    assert worker.post("/exchange/agreements/new/", form_data(world)).status_code == 404
    assert worker.get("/exchange/agreements/").status_code == 404
    assert not SharingAgreement.objects.exists()


def test_a_third_institution_gets_404_on_the_pages(
    steward: Any, outsider: Any, world: dict[str, Any]
) -> None:
    agreement = make_agreement(steward, world)
    client = verified_client(outsider)

    assert client.get(f"/exchange/agreements/{agreement.uuid}/").status_code == 404
    assert client.post(f"/exchange/agreements/{agreement.uuid}/extract.csv").status_code == 404
    assert client.post(f"/exchange/agreements/{agreement.uuid}/revoke/").status_code == 404
    agreement.refresh_from_db()
    assert agreement.revoked_at is None
    assert not Export.objects.exists()


def test_the_detail_page_names_the_fields_and_the_exports(
    register: Any, steward: Any, world: dict[str, Any]
) -> None:
    register(consents=to_molsa(world))
    agreement = make_agreement(steward, world)
    client = verified_client(steward)
    client.post(f"/exchange/agreements/{agreement.uuid}/extract.csv")

    response = client.get(f"/exchange/agreements/{agreement.uuid}/")

    assert response.status_code == 200
    assert [f.key for f in response.context["fields"]] == ["case_number", "given_name", "sex", "governorate"]
    assert [(e.rows, e.file_format) for e in response.context["exports"]] == [(1, "csv")]
    assert (response.context["can_revoke"], response.context["can_extract"]) == (True, True)
    assert "#adm1+code" in response.content.decode()


def test_the_csv_extract_has_headers_hashtags_and_only_consenting_people(
    register: Any, steward: Any, world: dict[str, Any]
) -> None:
    # Given one person who agreed to share with MoLSA and one who did not
    shared = register(consents=to_molsa(world), record={"health_notes": "سكري"})
    register(consents=[REGISTRATION])
    agreement = make_agreement(steward, world)

    # When the provider's steward downloads the CSV
    response = verified_client(steward).post(f"/exchange/agreements/{agreement.uuid}/extract.csv")

    # Then it holds the translated headers, the hashtags and the one person, with the four fields only
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content).decode("utf-8")  # type: ignore[attr-defined]
    assert body.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(body.removeprefix("\ufeff")))) == [
        ["case number", "given name", "sex", "governorate"],
        ["#case+code", "#beneficiary+name+given", "#beneficiary+sex", "#adm1+code"],
        [shared.case_number, "زينب", "female", "IQG08"],
    ]
    assert "سكري" not in body
    export = Export.objects.get()
    assert (export.rows, export.withheld_without_consent, export.file_format, export.through_api) == (
        1,
        1,
        "csv",
        False,
    )
    entry = AuditEntry.objects.get(action="export")
    assert (entry.actor_username, entry.object_id) == ("steward.momd", str(export.uuid))


def test_the_xlsx_extract(register: Any, make_user: Any, steward: Any, world: dict[str, Any]) -> None:
    shared = register(consents=to_molsa(world))
    agreement = make_agreement(steward, world, fields=["case_number", "date_of_birth"])
    # The recipient's data steward may download it too.
    molsa_steward = make_user(Role.DATA_STEWARD, "molsa_baghdad", "steward.molsa")

    response = verified_client(molsa_steward).post(f"/exchange/agreements/{agreement.uuid}/extract.xlsx")

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active  # type: ignore[attr-defined]
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        ["case number", "date of birth"],
        ["#case+code", "#beneficiary+birth+date"],
        [shared.case_number, "1990-03-14"],
    ]
    assert Export.objects.get().made_by == molsa_steward


@pytest.mark.parametrize("when", ["expired", "future", "revoked"])
def test_an_agreement_not_in_force_refuses_the_download(
    register: Any, steward: Any, world: dict[str, Any], when: str
) -> None:
    register(consents=to_molsa(world))
    today = timezone.localdate()
    periods = {
        "expired": {"valid_from": today - timedelta(days=60), "valid_until": today - timedelta(days=1)},
        "future": {"valid_from": today + timedelta(days=1), "valid_until": today + timedelta(days=60)},
        "revoked": {},
    }
    agreement = make_agreement(steward, world, **periods[when])
    if when == "revoked":
        sharing.agreement_revoke(actor=steward, agreement=agreement)
    client = verified_client(steward)

    response = client.post(f"/exchange/agreements/{agreement.uuid}/extract.csv", follow=True)

    assert response.redirect_chain == [(f"/exchange/agreements/{agreement.uuid}/", 302)]
    expected = {
        "expired": f"This agreement ended on {agreement.valid_until.isoformat()}; "
        "no data can be extracted under it any more.",
        "future": f"This agreement starts on {agreement.valid_from.isoformat()}; "
        "no data can be extracted under it before then.",
        "revoked": "This agreement was revoked; no data can be extracted under it.",
    }
    assert [str(m) for m in response.context["messages"]] == [expected[when]]
    assert not Export.objects.exists()
    assert not AuditEntry.objects.filter(action="export").exists()


def test_revoking_on_the_page(steward: Any, world: dict[str, Any]) -> None:
    agreement = make_agreement(steward, world)

    response = verified_client(steward).post(f"/exchange/agreements/{agreement.uuid}/revoke/")

    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.revoked_at is not None
    assert AuditEntry.objects.filter(action="update", object_id=str(agreement.uuid)).count() == 1


# API


def test_the_recipients_api_account_lists_and_pulls_the_extract(
    register: Any, make_user: Any, steward: Any, world: dict[str, Any]
) -> None:
    # Given two people who agreed to share with MoLSA, one who did not, and MoLSA's API account
    first = register(consents=to_molsa(world))
    second = register(consents=to_molsa(world))
    register(consents=[REGISTRATION])
    agreement = make_agreement(steward, world)
    api = verified_api_client(make_user(Role.SUPERVISOR, "molsa_baghdad", "molsa.system"))

    # When it lists its agreements and pulls the extract one person per page
    listed = api.get("/api/v1/exchange/agreements/")
    page_one = api.get(f"/api/v1/exchange/agreements/{agreement.uuid}/extract/", {"page_size": 1})
    page_two = api.get(page_one.json()["next"])

    # Then it sees the agreement, and gets both people with the agreement's fields only
    assert listed.status_code == 200
    assert [
        (a["reference"], a["provider"], a["recipient"], a["in_force"]) for a in listed.json()["results"]
    ] == [("MoMD-MoLSA/2026/14", "momd", "molsa", True)]
    assert page_one.status_code == page_two.status_code == 200
    rows = page_one.json()["results"] + page_two.json()["results"]
    assert sorted(rows, key=lambda r: r["case_number"]) == [
        {"case_number": first.case_number, "given_name": "زينب", "sex": "female", "governorate": "IQG08"},
        {"case_number": second.case_number, "given_name": "زينب", "sex": "female", "governorate": "IQG08"},
    ]
    assert page_one.json()["hxl"]["governorate"] == "#adm1+code"
    assert page_two.json()["next"] is None
    # Each page is an export on record; the people left out are counted on the first page.
    exports = sorted(Export.objects.all(), key=lambda e: e.created_at)
    assert [(e.rows, e.withheld_without_consent, e.through_api, e.file_format) for e in exports] == [
        (1, 1, True, "json"),
        (1, 0, True, "json"),
    ]
    assert AuditEntry.objects.filter(action="export", actor_username="molsa.system").count() == 2


@pytest.mark.parametrize("who", ["outsider", "provider_case_worker"])
def test_others_get_404_on_the_api(
    register: Any, make_user: Any, steward: Any, outsider: Any, world: dict[str, Any], who: str
) -> None:
    register(consents=to_molsa(world))
    agreement = make_agreement(steward, world)
    user = outsider if who == "outsider" else make_user(Role.CASE_WORKER, "momd_baghdad", "cw.momd")
    api = verified_api_client(user)

    extract = api.get(f"/api/v1/exchange/agreements/{agreement.uuid}/extract/")
    detail = api.get(f"/api/v1/exchange/agreements/{agreement.uuid}/")
    listed = api.get("/api/v1/exchange/agreements/")

    assert (extract.status_code, detail.status_code) == (404, 404)
    assert extract.json()["error"]["code"] == "not_found"
    assert listed.json()["results"] == []
    assert not Export.objects.exists()
    assert not AuditEntry.objects.filter(action="export").exists()


def test_the_api_refuses_an_expired_agreement(
    register: Any, make_user: Any, steward: Any, world: dict[str, Any]
) -> None:
    register(consents=to_molsa(world))
    today = timezone.localdate()
    agreement = make_agreement(
        steward, world, valid_from=today - timedelta(days=60), valid_until=today - timedelta(days=1)
    )
    api = verified_api_client(make_user(Role.SUPERVISOR, "molsa_baghdad", "molsa.system"))

    response = api.get(f"/api/v1/exchange/agreements/{agreement.uuid}/extract/")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "agreement_expired"
    assert not Export.objects.exists()
    assert not AuditEntry.objects.filter(action="export").exists()


def test_a_data_steward_records_an_agreement_through_the_api(steward: Any, world: dict[str, Any]) -> None:
    response = verified_api_client(steward).post("/api/v1/exchange/agreements/", api_data(), format="json")

    assert response.status_code == 201
    agreement = SharingAgreement.objects.get()
    assert response.json()["uuid"] == str(agreement.uuid)
    assert (response.json()["fields"], response.json()["governorates"]) == (
        ["case_number", "phone"],
        ["IQG08"],
    )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"fields": ["case_number", "psychosocial_notes"]}, "fields"),
        ({"valid_from": "2026-06-01", "valid_until": "2026-05-01"}, "valid_until"),
        ({"recipient": "momd"}, "recipient"),
    ],
)
def test_bad_input_on_the_api_is_400_with_field_errors(
    steward: Any, world: dict[str, Any], overrides: dict[str, Any], field: str
) -> None:
    response = verified_api_client(steward).post(
        "/api/v1/exchange/agreements/", api_data(**overrides), format="json"
    )

    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], list(error["fields"])) == ("invalid", [field])
    assert not SharingAgreement.objects.exists()


def test_a_case_worker_cannot_record_an_agreement_through_the_api(
    make_user: Any, world: dict[str, Any]
) -> None:
    api = verified_api_client(make_user(Role.CASE_WORKER, "momd_baghdad", "cw"))

    response = api.post("/api/v1/exchange/agreements/", api_data(), format="json")

    assert response.status_code == 403
    assert not SharingAgreement.objects.exists()


def test_the_provider_sees_the_exports_and_revokes_through_the_api(
    register: Any, make_user: Any, steward: Any, world: dict[str, Any]
) -> None:
    register(consents=to_molsa(world))
    agreement = make_agreement(steward, world)
    system = verified_api_client(make_user(Role.SUPERVISOR, "molsa_baghdad", "molsa.system"))
    system.get(f"/api/v1/exchange/agreements/{agreement.uuid}/extract/")
    api = verified_api_client(steward)

    exports = api.get(f"/api/v1/exchange/agreements/{agreement.uuid}/exports/")
    refused = system.post(f"/api/v1/exchange/agreements/{agreement.uuid}/revoke/")
    revoked = api.post(f"/api/v1/exchange/agreements/{agreement.uuid}/revoke/")
    again = api.post(f"/api/v1/exchange/agreements/{agreement.uuid}/revoke/")

    assert [
        (e["rows"], e["withheld_without_consent"], e["through_api"], e["made_by"])
        for e in exports.json()["results"]
    ] == [(1, 0, True, "molsa.system")]
    assert system.get(f"/api/v1/exchange/agreements/{agreement.uuid}/exports/").status_code == 404
    assert refused.status_code == 404
    assert (revoked.status_code, revoked.json()["in_force"]) == (200, False)
    assert (again.status_code, again.json()["error"]["code"]) == (409, "already_revoked")
    assert system.get(f"/api/v1/exchange/agreements/{agreement.uuid}/extract/").status_code == 409


def test_a_case_worker_of_the_recipient_cannot_pull_the_extract(
    register: Any, make_user: Any, steward: Any, world: dict[str, Any]
) -> None:
    register(consents=to_molsa(world))
    agreement = make_agreement(steward, world)
    api = verified_api_client(make_user(Role.CASE_WORKER, "molsa_baghdad", "molsa.worker"))

    response = api.get(f"/api/v1/exchange/agreements/{agreement.uuid}/extract/")

    assert response.status_code == 404
    assert not Export.objects.exists()
