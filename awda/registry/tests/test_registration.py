"""Registering a returnee: everything saved at once, with keys, categories, consent, audit and timeline;
refusals and bad input leave nothing behind; a second submit creates nothing new."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest

from awda.accounts.enums import Role
from awda.core.errors import AwdaError, PermissionDenied
from awda.core.models import AuditEntry
from awda.registry import actions
from awda.registry.models import (
    CaseEvent,
    Consent,
    Household,
    HouseholdMember,
    IdentityDocument,
    NameToken,
    Need,
    Phone,
    Returnee,
    ReturneeCategory,
)
from awda.registry.tests.conftest import registration

pytestmark = pytest.mark.django_db

TABLES = (
    Returnee,
    Phone,
    IdentityDocument,
    Need,
    Consent,
    Household,
    HouseholdMember,
    NameToken,
    ReturneeCategory,
    CaseEvent,
    AuditEntry,
)


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in TABLES}


def test_a_complete_registration(register: Any) -> None:
    returnee = register()
    assert returnee.case_number.startswith(f"AWD-{date.today().year}-")
    assert len(returnee.case_number) == len("AWD-2026-0000001")
    assert (returnee.institution.code, returnee.office.name_en, returnee.owner.username) == (
        "momd",
        "Baghdad branch",
        "registrar.momd_baghdad",
    )
    assert list(returnee.phones.values_list("number", flat=True)) == ["+9647701234567"]
    assert list(returnee.documents.values_list("number_key", "status")) == [("199877665544", "lost")]
    assert returnee.given_skeleton and returnee.given_skeleton == returnee.given_skeleton.strip()
    assert NameToken.objects.filter(returnee=returnee).count() > 0
    members = list(
        returnee.household.members.order_by("-is_head", "date_of_birth").values_list(
            "name", "relationship", "is_head"
        )
    )
    assert members == [
        ("زينب حسين علي الجبوري", "head", True),
        ("مريم", "child", False),
        ("علي", "child", False),
    ]
    assert sorted(returnee.consents.values_list("purpose", "granted")) == [
        ("follow_up_contact", True),
        ("registration", True),
    ]
    codes = set(returnee.categories.values_list("category__code", flat=True))
    assert {
        "female_head_of_household",
        "rejected_asylum_seeker",
        "returned_from_europe",
        "missing_documents",
    } <= codes
    assert "returned_child" not in codes
    female_head = returnee.categories.get(category__code="female_head_of_household")
    assert all(set(reason) == {"ar", "ckb", "en"} and all(reason.values()) for reason in female_head.reasons)
    assert list(returnee.events.order_by("at", "id").values_list("kind", flat=True))[:1] == ["registered"]
    created = AuditEntry.objects.get(action="create", object_id=str(returnee.uuid))
    assert "given_name" in created.changed_fields and "consents" in created.changed_fields


def test_case_numbers_are_unique_and_sequential(register: Any) -> None:
    first, second = register(), register(record={"given_name": "مريم"})
    assert int(second.case_number[-7:]) == int(first.case_number[-7:]) + 1


def test_without_consent_to_registration_nothing_is_saved(register: Any) -> None:
    before = _counts()
    with pytest.raises(AwdaError) as refused:
        register(consents=[{"purpose": "registration", "granted": False, "method": "verbal"}])
    assert refused.value.code == "consent_required"
    assert _counts() == before


@pytest.mark.parametrize(
    ("record", "field"),
    [
        ({"given_name": "Zainab"}, "given_name"),
        ({"father_name": "حسين Hussein"}, "father_name"),
        ({"given_name_latin": "زينب"}, "given_name_latin"),
        ({"date_of_birth": date(2099, 1, 1)}, "date_of_birth"),
        ({"return_date": date(1980, 1, 1)}, "return_date"),
        ({"district_id": "IQG11Q02"}, "district"),
        ({"debt_amount_usd": 500, "has_debt": False}, "debt_amount_usd"),
        ({"return_type": "internal_return"}, "country_returned_from"),
    ],
)
def test_bad_input_is_refused_at_the_field_and_nothing_is_saved(
    register: Any, record: dict[str, Any], field: str
) -> None:
    before = _counts()
    with pytest.raises(AwdaError) as refused:
        register(record=record)
    assert field in refused.value.fields
    assert _counts() == before


def test_a_malformed_phone_is_refused_and_nothing_is_saved(register: Any) -> None:
    before = _counts()
    with pytest.raises(AwdaError) as refused:
        register(phones=["0770 12"])
    assert list(refused.value.fields) == ["phones"]
    assert _counts() == before


def test_unknown_fields_are_refused(register: Any) -> None:
    with pytest.raises(AwdaError) as refused:
        register(record={"salary": 5})
    assert list(refused.value.fields) == ["salary"]


def test_a_second_submit_of_the_same_form_creates_nothing(register: Any) -> None:
    reference = uuid.uuid4()
    first = register(client_reference=reference)
    before = _counts()
    again = register(client_reference=reference)
    assert again.pk == first.pk
    assert _counts() == before


@pytest.mark.parametrize(
    "role",
    [
        Role.SERVICE_PROVIDER,
        Role.EMPLOYER,
        Role.ANALYST,
        Role.DATA_STEWARD,
        Role.ADMINISTRATOR,
        Role.RETURNEE,
    ],
)
def test_roles_that_do_not_register_cannot(role: str, make_user: Any, world: Any) -> None:
    actor = make_user(role, "momd_baghdad", f"x.{role}")
    before = _counts()
    with pytest.raises(PermissionDenied):
        actions.returnee_register(actor=actor, office=world["momd_baghdad"], **registration())
    assert _counts() == before


def test_cannot_register_for_another_institution(make_user: Any, world: Any) -> None:
    actor = make_user(Role.CASE_WORKER, "momd_baghdad", "w")
    with pytest.raises(PermissionDenied):
        actions.returnee_register(actor=actor, office=world["molsa_baghdad"], **registration())
    assert Returnee.objects.count() == 0
