"""Fixtures of the registry's tests: a complete registration, registered through the real action."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from awda.accounts.enums import Role
from awda.accounts.models import User
from awda.registry import actions
from awda.registry.models import Returnee


def registration(**overrides: Any) -> dict[str, Any]:
    """A realistic registration: Zainab, returned from Germany, head of a household of three."""
    record = {
        "given_name": "زينب",
        "father_name": "حسين",
        "grandfather_name": "علي",
        "great_grandfather_name": "",
        "family_name": "الجبوري",
        "given_name_latin": "Zainab",
        "father_name_latin": "Hussein",
        "grandfather_name_latin": "",
        "family_name_latin": "Al-Juburi",
        "known_as": "",
        "mother_name": "فاطمة كاظم",
        "sex": "female",
        "date_of_birth": date(1990, 3, 14),
        "birth_date_precision": "exact",
        "place_of_birth": "بغداد",
        "country_of_birth_id": "IQ",
        "country_returned_from_id": "DE",
        "return_date": date(2026, 6, 1),
        "return_type": "assisted_voluntary",
        "assistance_programme": "ERRIN",
        "months_abroad": 40,
        "status_abroad": "rejected_asylum_seeker",
        "times_displaced": 1,
        "migration_reasons": ["security"],
        "aspirations": "فتح مشغل خياطة",
        "intends_to_migrate_again": "no",
        "governorate_id": "IQG08",
        "district_id": "IQG08Q06",
        "sub_district_id": None,
        "settlement": "urban",
        "address": "",
        "housing": "rented",
        "land_property": "none",
        "education_level": 3,
        "employment_status": "unemployed_seeking",
        "work_experience": "",
        "income_sources": ["none"],
        "has_debt": True,
        "debt_amount_usd": 3000,
        "sold_assets_to_migrate": True,
        "health_notes": "",
        "psychosocial_notes": "كوابيس منذ العودة",
        "vulnerabilities": ["female_head_of_household"],
    }
    record.update(overrides.pop("record", {}))
    payload: dict[str, Any] = {
        "record": record,
        "phones": ["0770 123 4567"],
        "documents": [
            {"type": "national_card", "number": "1998-7766-5544", "status": "lost", "name_on_document": ""}
        ],
        "needs": [
            {"category": "documentation", "priority": "high", "is_interest": False, "description": ""},
            {"category": "employment", "priority": "medium", "is_interest": False, "description": ""},
        ],
        "consents": [
            {"purpose": "registration", "granted": True, "method": "written"},
            {"purpose": "follow_up_contact", "granted": True, "method": "written"},
        ],
        "household_members": [
            {
                "name": "مريم",
                "sex": "female",
                "date_of_birth": date(2015, 5, 2),
                "relationship": "child",
                "is_dependant": True,
                "schooling": "enrolled",
            },
            {
                "name": "علي",
                "sex": "male",
                "date_of_birth": date(2018, 1, 9),
                "relationship": "child",
                "is_dependant": True,
                "schooling": "enrolled",
            },
        ],
        "is_head_of_household": True,
    }
    payload.update(overrides)
    return payload


@pytest.fixture
def register(make_user: Callable[..., User]) -> Callable[..., Returnee]:
    workers: dict[str, User] = {}

    def make(office: str = "momd_baghdad", **overrides: Any) -> Returnee:
        if office not in workers:
            workers[office] = make_user(Role.CASE_WORKER, office, f"registrar.{office}")
        actor = workers[office]
        place = {"governorate_id": actor.office.governorate_id, "district_id": actor.office.district_id}  # type: ignore[union-attr]
        overrides["record"] = {**place, **overrides.get("record", {})}
        return actions.returnee_register(actor=actor, office=actor.office, **registration(**overrides))  # type: ignore[arg-type]

    return make
