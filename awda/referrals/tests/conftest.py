"""Fixtures of the referrals' tests: a MoMD case in Baghdad, an NGO with a service for it, MoLSA's service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from awda.accounts.enums import AreaLevel, InstitutionType, Role
from awda.accounts.models import Institution, Office, User
from awda.catalogue import actions as catalogue_actions
from awda.catalogue.models import Organisation, Service
from awda.catalogue.tests.conftest import service_document
from awda.registry.models import Returnee
from awda.registry.tests.conftest import register, registration

__all__ = ["register", "registration", "service_document"]


@pytest.fixture
def ngo(world: dict[str, Any]) -> dict[str, Any]:
    """Al-Amal, an NGO with an office in Baghdad (its organisation is made by the catalogue's receiver)."""
    institution = Institution.objects.create(
        code="amal",
        type=InstitutionType.NGO,
        name_ar="جمعية الأمل",
        name_ckb="کۆمەڵەی ئومێد",
        name_en="Al-Amal Association",
    )
    office = Office.objects.create(
        institution=institution,
        name_ar="مكتب بغداد",
        name_ckb="نووسینگەی بەغدا",
        name_en="Baghdad office",
        governorate_id="IQG08",
        district_id="IQG08Q06",
        area_level=AreaLevel.GOVERNORATE,
    )
    world["amal_baghdad"] = office
    return {
        "institution": institution,
        "office": office,
        "organisation": Organisation.objects.get(institution=institution),
    }


@pytest.fixture
def actors(make_user: Callable[..., User], ngo: dict[str, Any]) -> dict[str, User]:
    return {
        "worker": make_user(Role.CASE_WORKER, "momd_baghdad", "ref.worker"),
        "other_worker": make_user(Role.CASE_WORKER, "momd_erbil", "ref.worker.erbil"),
        "supervisor": make_user(Role.SUPERVISOR, "momd_baghdad", "ref.supervisor"),
        "second_supervisor": make_user(Role.SUPERVISOR, "momd_baghdad", "ref.supervisor2"),
        "molsa_worker": make_user(Role.CASE_WORKER, "molsa_baghdad", "ref.molsa"),
        "molsa_supervisor": make_user(Role.SUPERVISOR, "molsa_baghdad", "ref.molsa.supervisor"),
        "ngo": make_user(Role.SERVICE_PROVIDER, "amal_baghdad", "ref.ngo"),
        "ngo_colleague": make_user(Role.SERVICE_PROVIDER, "amal_baghdad", "ref.ngo2"),
        "admin": make_user(Role.ADMINISTRATOR, "momd_baghdad", "ref.admin"),
        "analyst": make_user(Role.ANALYST, "momd_baghdad", "ref.analyst"),
        "employer": make_user(Role.EMPLOYER, "momd_baghdad", "ref.employer"),
    }


@pytest.fixture
def services(actors: dict[str, User], ngo: dict[str, Any]) -> dict[str, Service]:
    """An NGO's psychosocial service and documentation help in Karkh, and MoLSA's job placement in Baghdad."""
    admin = actors["admin"]
    return {
        "ngo_docs": catalogue_actions.service_publish(
            actor=admin,
            document=service_document(code="amal-docs", organisation="amal", capacity_per_month=10),
        ),
        "ngo_docs_2": catalogue_actions.service_publish(
            actor=admin,
            document=service_document(
                code="amal-docs-2",
                organisation="amal",
                districts=[],
                governorates=["IQG08"],
                capacity_per_month=1,
                name_en="Civil documentation clinic",
            ),
        ),
        "molsa_jobs": catalogue_actions.service_publish(
            actor=admin,
            document=service_document(
                code="molsa-jobs",
                organisation="molsa",
                category="job_placement",
                districts=[],
                governorates=["IQG08"],
                capacity_per_month=50,
                name_en="Job placement",
            ),
        ),
    }


@pytest.fixture
def case(register: Callable[..., Returnee], actors: dict[str, User]) -> Returnee:
    """Zainab's case at MoMD Baghdad (Karkh), owned by the worker, with documentation and employment needs."""
    returnee = register(
        needs=[
            {"category": "documentation", "priority": "high"},
            {"category": "employment", "priority": "medium"},
        ]
    )
    returnee.owner = actors["worker"]
    returnee.save(update_fields=["owner"])
    return returnee
