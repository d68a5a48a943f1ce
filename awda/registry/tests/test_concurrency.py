"""Two people editing one case never silently overwrite each other: the second sees what changed."""

from __future__ import annotations

from typing import Any

import pytest

from awda.accounts.enums import Role
from awda.registry import actions
from awda.registry.actions import EditConflict
from awda.registry.models import Returnee
from conftest import verified_api_client, verified_client

pytestmark = pytest.mark.django_db


def test_the_second_save_is_refused_with_the_changes(register: Any, make_user: Any) -> None:
    returnee = register()
    first, second = returnee.owner, make_user(Role.SUPERVISOR, "momd_baghdad", "boss", first_name="زينب")
    version = returnee.version
    actions.returnee_update(
        actor=first, returnee=returnee, expected_version=version, changes={"address": "حي الجامعة"}
    )
    with pytest.raises(EditConflict) as conflict:
        actions.returnee_update(
            actor=second, returnee=returnee, expected_version=version, changes={"address": "الكرادة"}
        )
    assert conflict.value.current_version == version + 1
    assert [c["fields"] for c in conflict.value.changes] == [["address"]]
    assert Returnee.objects.get(pk=returnee.pk).address == "حي الجامعة"
    # With the current version, the second person's change goes through.
    actions.returnee_update(
        actor=second, returnee=returnee, expected_version=version + 1, changes={"address": "الكرادة"}
    )
    assert Returnee.objects.get(pk=returnee.pk).address == "الكرادة"


def test_the_api_answers_409_and_the_page_keeps_the_entries(register: Any, make_user: Any) -> None:
    returnee = register()
    other = make_user(Role.SUPERVISOR, "momd_baghdad", "boss")
    stale = returnee.version
    assert (
        verified_api_client(returnee.owner)
        .patch(
            f"/api/v1/returnees/{returnee.uuid}/", {"version": stale, "housing": "own_home"}, format="json"
        )
        .status_code
        == 200
    )
    response = verified_api_client(other).patch(
        f"/api/v1/returnees/{returnee.uuid}/", {"version": stale, "housing": "camp"}, format="json"
    )
    assert response.status_code == 409
    body = response.json()["error"]
    assert (body["code"], body["current_version"], body["changes"][0]["fields"]) == (
        "edit_conflict",
        stale + 1,
        ["housing"],
    )
    page = verified_client(other).get(f"/returnees/{returnee.uuid}/edit/return/")
    form = page.context["forms"]["main"]
    data = {f"ret-{name}": "" for name in form.fields if name != "migration_reasons"}
    data.update(
        {
            "ret-return_type": "forced",
            "ret-country_returned_from": "DE",
            "ret-times_displaced": "0",
            "version": str(stale),
        }
    )
    conflicted = verified_client(other).post(f"/returnees/{returnee.uuid}/edit/return/", data)
    assert conflicted.status_code == 409
    html = conflicted.content.decode()
    assert "Someone else changed this case" in html
    assert 'value="forced" selected' in html  # the entry is still there
    assert Returnee.objects.get(pk=returnee.pk).return_type == "assisted_voluntary"
