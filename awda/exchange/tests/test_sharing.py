"""Data-sharing agreements and extracts: who is in an extract (consent and agreement), what, and when not."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from awda.accounts.enums import AreaLevel, InstitutionType, Role
from awda.accounts.models import Institution, Office
from awda.core.errors import AwdaError, Conflict, NotFound, PermissionDenied
from awda.core.models import AuditEntry
from awda.exchange import sharing
from awda.exchange.models import Export, SharingAgreement
from awda.geo.models import Governorate
from awda.registry import actions
from awda.registry.models import Consent, Returnee

pytestmark = pytest.mark.django_db

TODAY = date(2026, 9, 1)
REGISTRATION = {"purpose": "registration", "granted": True, "method": "written"}


def consents(*sharing_consents: dict[str, Any]) -> list[dict[str, Any]]:
    return [REGISTRATION, *sharing_consents]


def to_institution(institution: Institution, granted: bool = True) -> dict[str, Any]:
    return {
        "purpose": "sharing_institution",
        "granted": granted,
        "method": "written",
        "shared_with": institution,
    }


def to_kind(kind: str) -> dict[str, Any]:
    return {
        "purpose": "sharing_institution_type",
        "granted": True,
        "method": "verbal",
        "shared_with_type": kind,
    }


@pytest.fixture
def steward(make_user: Any) -> Any:
    return make_user(Role.DATA_STEWARD, "momd_baghdad", "steward.momd")


@pytest.fixture
def ngo(world: dict[str, Any]) -> Institution:
    """A third institution, party to nothing."""
    institution = Institution.objects.create(
        code="ngo", type=InstitutionType.NGO, name_ar="منظمة", name_ckb="ڕێکخراو", name_en="An NGO"
    )
    world["ngo_baghdad"] = Office.objects.create(
        institution=institution,
        name_ar="مكتب بغداد",
        name_ckb="نووسینگەی بەغدا",
        name_en="Baghdad office",
        governorate_id="IQG08",
        district_id="IQG08Q06",
        area_level=AreaLevel.GOVERNORATE,
    )
    return institution


def make_agreement(steward: Any, world: dict[str, Any], **overrides: Any) -> SharingAgreement:
    values: dict[str, Any] = {
        "provider": world["momd"],
        "recipient": world["molsa"],
        "reference": "MoMD-MoLSA/2026/14",
        "purpose": "Employment programmes for returnees",
        "fields": ["case_number", "given_name", "sex", "governorate", "phone"],
        "governorates": [],
        "valid_from": date(2026, 1, 1),
        "valid_until": date(2026, 12, 31),
    }
    values.update(overrides)
    return sharing.agreement_create(actor=steward, **values)


def extract(agreement: SharingAgreement, actor: Any = None, today: date = TODAY) -> list[dict[str, str]]:
    return list(sharing.extract_rows(agreement=agreement, actor_or_none=actor, today=today))


# Who is in an extract


def test_only_people_whose_consent_allows_the_recipient_are_extracted(
    register: Any, steward: Any, world: dict[str, Any], ngo: Institution
) -> None:
    # Given five people of MoMD: consent to MoLSA, to ministries, none, to an NGO, and a refusal
    named = register(consents=consents(to_institution(world["molsa"])))
    by_kind = register(consents=consents(to_kind(InstitutionType.MINISTRY)))
    register(consents=consents())
    register(consents=consents(to_institution(ngo)))
    register(consents=consents(to_institution(world["molsa"], granted=False)))
    agreement = make_agreement(steward, world)

    # When the extract for MoLSA is made
    rows = extract(agreement, steward)

    # Then it holds the first two only, and counts the three others as withheld
    assert sorted(row["case_number"] for row in rows) == sorted([named.case_number, by_kind.case_number])
    assert sharing.count_people(agreement) == sharing.Counts(shared=2, withheld_without_consent=3)


def test_a_withdrawn_sharing_consent_takes_the_person_out(
    register: Any, steward: Any, world: dict[str, Any]
) -> None:
    person = register(consents=consents(to_institution(world["molsa"])))
    agreement = make_agreement(steward, world)
    assert [row["case_number"] for row in extract(agreement)] == [person.case_number]

    consent = Consent.objects.get(returnee=person, purpose="sharing_institution")
    actions.consent_withdraw(actor=steward, consent=consent)

    assert extract(agreement) == []
    assert sharing.count_people(agreement) == sharing.Counts(shared=0, withheld_without_consent=1)


def test_a_withdrawn_registration_consent_takes_the_person_out_too(
    register: Any, steward: Any, world: dict[str, Any]
) -> None:
    person = register(consents=consents(to_institution(world["molsa"])))
    agreement = make_agreement(steward, world)

    consent = Consent.objects.get(returnee=person, purpose="registration")
    actions.consent_withdraw(actor=steward, consent=consent)

    assert extract(agreement) == []


def test_a_consent_to_a_kind_of_institution_covers_only_that_kind(
    register: Any, steward: Any, world: dict[str, Any], ngo: Institution
) -> None:
    person = register(consents=consents(to_kind(InstitutionType.NGO)))
    to_molsa = make_agreement(steward, world)
    to_ngo = make_agreement(steward, world, recipient=ngo, reference="MoMD-NGO/1")

    assert extract(to_molsa) == []
    assert [row["case_number"] for row in extract(to_ngo)] == [person.case_number]


def test_only_the_agreements_governorates_and_current_records_of_the_provider(
    register: Any, steward: Any, world: dict[str, Any]
) -> None:
    allowed = consents(to_institution(world["molsa"]))
    baghdad = register(consents=allowed)
    register("momd_erbil", consents=allowed)
    merged = register(consents=allowed)
    Returnee.objects.filter(pk=merged.pk).update(merged_into=baghdad)
    register("molsa_baghdad", consents=allowed)  # MoLSA's own case: not MoMD's to give
    agreement = make_agreement(steward, world, governorates=[Governorate.objects.get(pk="IQG08")])

    assert [row["case_number"] for row in extract(agreement)] == [baghdad.case_number]
    # The Erbil person is outside the agreement, not withheld for lack of consent.
    assert sharing.count_people(agreement) == sharing.Counts(shared=1, withheld_without_consent=0)


def test_rows_hold_the_agreements_fields_and_nothing_else(
    register: Any, steward: Any, world: dict[str, Any]
) -> None:
    person = register(
        consents=consents(to_institution(world["molsa"])),
        record={"health_notes": "سكري", "psychosocial_notes": "كوابيس منذ العودة"},
    )
    agreement = make_agreement(steward, world, fields=["phone", "sex", "case_number", "governorate"])

    rows = extract(agreement)

    # In the canonical column order, whatever order they were chosen in.
    assert rows == [
        {
            "case_number": person.case_number,
            "sex": "female",
            "phone": "+9647701234567",
            "governorate": "IQG08",
        }
    ]
    assert list(rows[0]) == ["case_number", "sex", "phone", "governorate"]
    assert sharing.header_rows(agreement) == (
        ["case number", "sex", "phone", "governorate"],
        ["#case+code", "#beneficiary+sex", "#contact+phone", "#adm1+code"],
    )


def test_every_field_has_a_distinct_key_and_hashtag_and_none_is_a_note() -> None:
    keys = [f.key for f in sharing.FIELDS]
    tags = [f.hxl for f in sharing.FIELDS]
    assert len(set(keys)) == len(keys)
    assert len(set(tags)) == len(tags)
    assert all(tag.startswith("#") for tag in tags)
    columns = {column for f in sharing.FIELDS for column in f.columns}
    assert not columns & {"health_notes", "psychosocial_notes", "address", "aspirations"}


# When an extract is refused


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"valid_from": date(2025, 1, 1), "valid_until": date(2026, 8, 31)}, "agreement_expired"),
        ({"valid_from": date(2026, 9, 2), "valid_until": date(2027, 9, 1)}, "agreement_not_started"),
    ],
)
def test_an_agreement_out_of_its_period_refuses_to_extract(
    register: Any, steward: Any, world: dict[str, Any], overrides: dict[str, Any], code: str
) -> None:
    register(consents=consents(to_institution(world["molsa"])))
    agreement = make_agreement(steward, world, **overrides)

    with pytest.raises(Conflict) as refused:
        sharing.extract_rows(agreement=agreement, actor_or_none=steward, today=TODAY)
    with pytest.raises(Conflict):
        sharing.export_record(actor=steward, agreement=agreement, file_format="csv", today=TODAY)

    assert refused.value.code == code
    assert not Export.objects.exists()
    assert not AuditEntry.objects.filter(action="export").exists()


def test_an_agreement_is_in_force_from_its_first_to_its_last_day(steward: Any, world: dict[str, Any]) -> None:
    agreement = make_agreement(steward, world, valid_from=date(2026, 1, 1), valid_until=date(2026, 1, 31))
    assert [
        sharing.agreement_in_force(agreement, day)
        for day in (date(2025, 12, 31), date(2026, 1, 1), date(2026, 1, 31), date(2026, 2, 1))
    ] == [False, True, True, False]


def test_a_revoked_agreement_refuses_to_extract(register: Any, steward: Any, world: dict[str, Any]) -> None:
    register(consents=consents(to_institution(world["molsa"])))
    agreement = make_agreement(steward, world)

    revoked = sharing.agreement_revoke(actor=steward, agreement=agreement)

    assert revoked.revoked_at is not None
    assert not sharing.agreement_in_force(revoked, TODAY)
    with pytest.raises(Conflict) as refused:
        sharing.export_record(actor=steward, agreement=revoked, file_format="xlsx", today=TODAY)
    assert refused.value.code == "agreement_revoked"
    assert not Export.objects.exists()
    assert not AuditEntry.objects.filter(action="export").exists()
    with pytest.raises(Conflict):
        sharing.agreement_revoke(actor=steward, agreement=revoked)


def test_only_the_providers_stewards_revoke(make_user: Any, steward: Any, world: dict[str, Any]) -> None:
    agreement = make_agreement(steward, world)
    recipient_steward = make_user(Role.DATA_STEWARD, "molsa_baghdad", "steward.molsa")

    with pytest.raises(NotFound):
        sharing.agreement_revoke(actor=recipient_steward, agreement=agreement)

    agreement.refresh_from_db()
    assert agreement.revoked_at is None


def test_a_third_institution_may_not_extract(
    register: Any, make_user: Any, steward: Any, world: dict[str, Any], ngo: Institution
) -> None:
    register(consents=consents(to_institution(world["molsa"])))
    agreement = make_agreement(steward, world)
    outsider = make_user(Role.DATA_STEWARD, "ngo_baghdad", "steward.ngo")

    with pytest.raises(NotFound):
        sharing.extract_rows(agreement=agreement, actor_or_none=outsider, today=TODAY, through_api=True)
    with pytest.raises(NotFound):
        sharing.export_record(
            actor=outsider, agreement=agreement, file_format="json", today=TODAY, through_api=True
        )
    assert not Export.objects.exists()


# The record of an export


def test_an_export_is_recorded_with_its_audit_row_and_no_personal_data(
    register: Any, steward: Any, world: dict[str, Any]
) -> None:
    register(consents=consents(to_institution(world["molsa"])))
    register(consents=consents())
    agreement = make_agreement(steward, world, fields=["given_name", "case_number"])

    export = sharing.export_record(actor=steward, agreement=agreement, file_format="csv", today=TODAY)

    saved = Export.objects.get()
    assert (saved.pk, saved.agreement_id, saved.file_format, saved.rows, saved.withheld_without_consent) == (
        export.pk,
        agreement.pk,
        "csv",
        1,
        1,
    )
    assert (saved.made_by_id, saved.through_api) == (steward.pk, False)
    entry = AuditEntry.objects.get(action="export")
    assert (entry.actor_username, entry.object_type, entry.object_id, entry.changed_fields) == (
        "steward.momd",
        "exchange.export",
        str(export.uuid),
        ["case_number", "given_name"],
    )


# Recording an agreement


def test_a_data_steward_records_an_agreement(steward: Any, world: dict[str, Any]) -> None:
    agreement = make_agreement(
        steward,
        world,
        fields=["sex", "case_number", "sex"],
        governorates=[Governorate.objects.get(pk="IQG08"), Governorate.objects.get(pk="IQG11")],
    )

    saved = SharingAgreement.objects.get()
    assert (saved.pk, saved.provider, saved.recipient, saved.created_by) == (
        agreement.pk,
        world["momd"],
        world["molsa"],
        steward,
    )
    assert saved.fields == ["case_number", "sex"]
    assert sorted(g.pk for g in saved.governorates.all()) == ["IQG08", "IQG11"]
    entry = AuditEntry.objects.get(action="create", object_type="exchange.sharingagreement")
    assert entry.object_id == str(saved.uuid)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"fields": ["case_number", "health_notes"]}, "fields"),
        ({"fields": []}, "fields"),
        ({"valid_from": date(2026, 6, 1), "valid_until": date(2026, 5, 31)}, "valid_until"),
        ({"valid_from": date(2026, 6, 1), "valid_until": date(2026, 6, 1)}, "valid_until"),
        ({"reference": "  "}, "reference"),
        ({"purpose": ""}, "purpose"),
    ],
)
def test_bad_input_gives_field_errors_and_saves_nothing(
    steward: Any, world: dict[str, Any], overrides: dict[str, Any], field: str
) -> None:
    with pytest.raises(AwdaError) as refused:
        make_agreement(steward, world, **overrides)

    assert (refused.value.code, list(refused.value.fields)) == ("invalid", [field])
    assert not SharingAgreement.objects.exists()
    assert not AuditEntry.objects.filter(object_type="exchange.sharingagreement").exists()


def test_an_institution_cannot_agree_with_itself(steward: Any, world: dict[str, Any]) -> None:
    with pytest.raises(AwdaError) as refused:
        make_agreement(steward, world, recipient=world["momd"])

    assert refused.value.fields == {"recipient": ["An institution cannot make an agreement with itself."]}
    assert not SharingAgreement.objects.exists()


def test_the_unknown_field_is_named(steward: Any, world: dict[str, Any]) -> None:
    with pytest.raises(AwdaError) as refused:
        make_agreement(steward, world, fields=["case_number", "health_notes"])

    assert refused.value.fields == {"fields": ["These fields cannot be shared: health_notes."]}


@pytest.mark.parametrize(
    ("role", "office"), [(Role.CASE_WORKER, "momd_baghdad"), (Role.DATA_STEWARD, "molsa_baghdad")]
)
def test_only_the_providers_data_stewards_record_agreements(
    make_user: Any, world: dict[str, Any], role: str, office: str
) -> None:
    someone = make_user(role, office, "someone")

    with pytest.raises(PermissionDenied):
        make_agreement(someone, world)

    assert not SharingAgreement.objects.exists()


def test_the_extract_streams_in_chunks(
    register: Any, steward: Any, world: dict[str, Any], monkeypatch: Any
) -> None:
    # Given more people than one chunk holds
    monkeypatch.setattr(sharing, "CHUNK_SIZE", 2)
    people = [register(consents=consents(to_institution(world["molsa"]))) for _ in range(5)]
    agreement = make_agreement(steward, world, fields=["case_number"])

    # Then every one of them comes out once, in case-number order
    assert [row["case_number"] for row in extract(agreement)] == sorted(p.case_number for p in people)
