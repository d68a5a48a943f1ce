"""Who may do what with accounts: every role × institution × office, through the API and the pages.

Every refused call is checked for side effects: the target is unchanged, no account was created,
and no audit row (not even a "read") was written.
"""

from __future__ import annotations

from typing import Any

import pytest

from awda.accounts.enums import Role
from awda.accounts.models import Institution, User
from awda.core.models import AuditEntry
from conftest import verified_api_client, verified_client

TARGET_OFFICES = ["momd_baghdad", "momd_erbil", "molsa_baghdad"]

# Which target offices each actor (sitting in MoMD's Baghdad branch) may read and change accounts in.
MAY_MANAGE: dict[str, set[str]] = {
    Role.ADMINISTRATOR: set(TARGET_OFFICES),
    Role.SUPERVISOR: {"momd_baghdad"},
}


@pytest.fixture
def targets(make_user: Any) -> dict[str, User]:
    return {
        office: make_user(Role.CASE_WORKER, office, f"target.{office}", first_name="Original")
        for office in TARGET_OFFICES
    }


def _state() -> tuple[int, int, list[tuple[str, str]]]:
    return (
        User.objects.count(),
        AuditEntry.objects.count(),
        sorted(User.objects.values_list("username", "first_name")),
    )


@pytest.mark.parametrize("role", list(Role.values))
@pytest.mark.parametrize("office", TARGET_OFFICES)
def test_read_and_update_an_account_through_the_api(
    role: str, office: str, make_user: Any, targets: dict[str, User]
) -> None:
    actor = make_user(role, "momd_baghdad", f"actor.{role}")
    client = verified_api_client(actor)
    target = targets[office]
    allowed = office in MAY_MANAGE.get(role, set())
    before = _state()

    read = client.get(f"/api/v1/users/{target.uuid}/")
    update = client.patch(f"/api/v1/users/{target.uuid}/", {"first_name": "Changed"}, format="json")

    if allowed:
        assert read.status_code == 200
        assert read.json()["username"] == target.username
        assert update.status_code == 200
        target.refresh_from_db()
        assert target.first_name == "Changed"
        new_rows = AuditEntry.objects.filter(seq__gt=before[1]).order_by("seq")
        assert list(new_rows.values_list("actor_username", "action", "object_id", "changed_fields")) == [
            (actor.username, "read", str(target.uuid), []),
            (actor.username, "read", str(target.uuid), []),
            (actor.username, "update", str(target.uuid), ["first_name"]),
        ]
    else:
        expected = 404 if role in MAY_MANAGE else 403
        assert read.status_code == expected
        assert update.status_code == expected
        assert read.json()["error"]["code"] == ("not_found" if expected == 404 else "permission_denied")
        assert _state() == before


@pytest.mark.parametrize("role", list(Role.values))
@pytest.mark.parametrize("office", TARGET_OFFICES)
def test_create_an_account_in_an_office(
    role: str, office: str, make_user: Any, world: dict[str, Any]
) -> None:
    actor = make_user(role, "momd_baghdad", f"actor.{role}")
    client = verified_api_client(actor)
    place = world[office]
    before = _state()
    response = client.post(
        "/api/v1/users/",
        {
            "username": "newcomer",
            "password": "a sound passphrase 42",
            "role": Role.CASE_WORKER,
            "institution": str(place.institution.uuid),
            "office": str(place.uuid),
        },
        format="json",
    )
    if office in MAY_MANAGE.get(role, set()):
        assert response.status_code == 201
        created = User.objects.get(username="newcomer")
        assert (created.institution_id, created.office_id, created.role) == (
            place.institution_id,
            place.pk,
            Role.CASE_WORKER,
        )
        assert AuditEntry.objects.filter(action="create", object_id=str(created.uuid)).count() == 1
    else:
        assert response.status_code == 403
        assert _state() == before


@pytest.mark.parametrize("given_role", [Role.ADMINISTRATOR, Role.DATA_STEWARD, Role.ANALYST])
def test_supervisors_cannot_hand_out_higher_roles(
    given_role: str, make_user: Any, world: dict[str, Any], targets: dict[str, User]
) -> None:
    client = verified_api_client(make_user(Role.SUPERVISOR, "momd_baghdad", "boss"))
    place = world["momd_baghdad"]
    before = _state()
    created = client.post(
        "/api/v1/users/",
        {
            "username": "climber",
            "password": "a sound passphrase 42",
            "role": given_role,
            "institution": str(place.institution.uuid),
            "office": str(place.uuid),
        },
        format="json",
    )
    promoted = client.patch(
        f"/api/v1/users/{targets['momd_baghdad'].uuid}/", {"role": given_role}, format="json"
    )
    assert (created.status_code, promoted.status_code) == (403, 403)
    assert promoted.json()["error"] == {"code": "permission_denied", "message": "You may not give this role."}
    # Only the read of the target by the supervisor was recorded.
    assert _state()[0] == before[0]
    assert _state()[2] == before[2]
    assert User.objects.get(username="target.momd_baghdad").role == Role.CASE_WORKER
    assert list(AuditEntry.objects.filter(seq__gt=before[1]).values_list("action", flat=True)) == ["read"]


@pytest.mark.parametrize("role", list(Role.values))
def test_list_accounts_shows_only_the_scope(role: str, make_user: Any, targets: dict[str, User]) -> None:
    actor = make_user(role, "momd_baghdad", f"actor.{role}")
    response = verified_api_client(actor).get("/api/v1/users/")
    if role == Role.ADMINISTRATOR:
        assert response.status_code == 200
        assert response.json()["count"] == 4
    elif role == Role.SUPERVISOR:
        assert sorted(u["username"] for u in response.json()["results"]) == [
            "actor.supervisor",
            "target.momd_baghdad",
        ]
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", list(Role.values))
def test_institutions_and_audit_are_for_administrators(
    role: str, make_user: Any, world: dict[str, Any]
) -> None:
    actor = make_user(role, "momd_baghdad", f"actor.{role}")
    client = verified_api_client(actor)
    before = (_state(), Institution.objects.count())
    created = client.post(
        "/api/v1/institutions/",
        {"code": "newngo", "type": "ngo", "name_ar": "منظمة", "name_ckb": "ڕێکخراو", "name_en": "NGO"},
        format="json",
    )
    changed = client.patch(
        f"/api/v1/institutions/{world['molsa'].uuid}/", {"name_en": "Renamed"}, format="json"
    )
    audit = client.get("/api/v1/audit/")
    if role == Role.ADMINISTRATOR:
        assert (created.status_code, changed.status_code, audit.status_code) == (201, 200, 200)
        assert Institution.objects.get(code="molsa").name_en == "Renamed"
    else:
        assert (created.status_code, changed.status_code, audit.status_code) == (403, 403, 403)
        assert (_state(), Institution.objects.count()) == before
        assert Institution.objects.get(code="molsa").name_en == "Ministry of Labour"


@pytest.mark.parametrize("role", list(Role.values))
@pytest.mark.parametrize("office", TARGET_OFFICES)
def test_account_pages_follow_the_same_rules(
    role: str, office: str, make_user: Any, targets: dict[str, User]
) -> None:
    actor = make_user(role, "momd_baghdad", f"actor.{role}")
    client = verified_client(actor)
    target = targets[office]
    before = _state()
    page = client.get(f"/manage/users/{target.uuid}/")
    post = client.post(
        f"/manage/users/{target.uuid}/",
        {
            "first_name": "Changed",
            "role": Role.CASE_WORKER,
            "scope": "office_area",
            "institution": target.institution_id,
            "office": target.office_id,
            "is_active": "on",
        },
    )
    if office in MAY_MANAGE.get(role, set()):
        assert page.status_code == 200
        assert post.status_code == 302
        target.refresh_from_db()
        assert target.first_name == "Changed"
    else:
        assert (page.status_code, post.status_code) == (404, 404)
        assert _state() == before
