"""The data scope: one mechanism, tested on every level and office area."""

from __future__ import annotations

from typing import Any

import pytest

from awda.accounts.enums import AreaLevel, Role, ScopeLevel
from awda.accounts.models import User
from awda.accounts.queries import USER_SCOPE
from awda.accounts.scope import scope_records


def _visible(viewer: User) -> set[str]:
    return set(scope_records(viewer, User.objects.all(), USER_SCOPE).values_list("username", flat=True))


@pytest.fixture
def people(make_user: Any, world: dict[str, Any]) -> dict[str, User]:
    return {
        "bgd": make_user(Role.CASE_WORKER, "momd_baghdad", "bgd"),
        "bgd2": make_user(Role.CASE_WORKER, "momd_baghdad", "bgd2"),
        "erb": make_user(Role.CASE_WORKER, "momd_erbil", "erb"),
        "molsa": make_user(Role.CASE_WORKER, "molsa_baghdad", "molsa"),
    }


def test_institution_scope_sees_the_whole_institution_only(people: dict[str, User]) -> None:
    viewer = people["bgd"]
    viewer.scope = ScopeLevel.INSTITUTION
    assert _visible(viewer) == {"bgd", "bgd2", "erb"}


def test_office_area_scope_sees_the_institution_in_the_office_governorate(people: dict[str, User]) -> None:
    assert _visible(people["bgd"]) == {"bgd", "bgd2"}
    assert _visible(people["erb"]) == {"erb"}


def test_district_offices_see_only_their_district(people: dict[str, User], world: dict[str, Any]) -> None:
    office = world["momd_baghdad"]
    office.area_level = AreaLevel.DISTRICT
    office.save()
    viewer = User.objects.select_related("office").get(username="bgd")
    assert _visible(viewer) == {"bgd", "bgd2"}
    # Same governorate, other district: a second Baghdad office of the ministry.
    from awda.accounts.models import Office

    karkh = Office.objects.create(
        institution=world["momd"],
        name_ar="الكرخ",
        name_ckb="کەرخ",
        name_en="Karkh",
        governorate_id="IQG08",
        district_id="IQG08Q03",
    )
    User.objects.filter(username="bgd2").update(office=karkh)
    assert _visible(viewer) == {"bgd"}


def test_assigned_scope_sees_only_what_is_assigned(people: dict[str, User]) -> None:
    viewer = people["bgd"]
    viewer.scope = ScopeLevel.ASSIGNED
    assert _visible(viewer) == {"bgd"}  # for accounts, "assigned" is the account itself


@pytest.mark.parametrize(
    "role",
    [
        Role.SERVICE_PROVIDER,
        Role.EMPLOYER,
        Role.ANALYST,
        Role.COMMITTEE_SECRETARIAT,
        Role.ADMINISTRATOR,
        Role.RETURNEE,
    ],
)
def test_roles_that_do_not_read_records_see_nothing(
    role: str, make_user: Any, people: dict[str, User]
) -> None:
    viewer = make_user(role, "momd_baghdad", f"v-{role}", scope=ScopeLevel.INSTITUTION)
    assert _visible(viewer) == set()


def test_fails_closed_without_office_or_institution(people: dict[str, User]) -> None:
    viewer = people["bgd"]
    viewer.office = None
    assert _visible(viewer) == set()
    viewer.scope = ScopeLevel.INSTITUTION
    viewer.institution = None
    assert _visible(viewer) == set()


def test_inactive_users_see_nothing(people: dict[str, User]) -> None:
    viewer = people["bgd"]
    viewer.is_active = False
    assert _visible(viewer) == set()
