"""Categories on real records: recomputed when the record changes, and for every record when a rule changes."""

from __future__ import annotations

from typing import Any

import pytest

from awda.accounts.enums import Role
from awda.registry import actions
from awda.registry.models import Category, Returnee
from conftest import verified_client

pytestmark = pytest.mark.django_db


def _codes(returnee: Returnee) -> set[str]:
    return set(returnee.categories.values_list("category__code", flat=True))


def test_categories_follow_the_record(register: Any) -> None:
    returnee = register(record={"has_debt": False, "debt_amount_usd": None})
    assert "at_risk_of_remigration" not in _codes(returnee)
    actions.returnee_update(
        actor=returnee.owner,
        returnee=returnee,
        expected_version=returnee.version,
        changes={"intends_to_migrate_again": "yes"},
    )
    assert "at_risk_of_remigration" in _codes(returnee)
    event = returnee.events.filter(kind="categories_changed").latest("at")
    assert event.data == {"added": ["at_risk_of_remigration"], "removed": []}


def test_household_changes_recompute_categories(register: Any) -> None:
    returnee = register(
        record={"sex": "male", "vulnerabilities": []}, is_head_of_household=False, household_members=[]
    )
    assert "female_head_of_household" not in _codes(returnee)


def test_a_rule_is_tried_before_saving_and_then_applied_to_every_record(
    register: Any, make_user: Any, run_worker: Any
) -> None:
    young, older = register(record={"date_of_birth": None}), register(record={"given_name": "مريم"})
    admin = make_user(Role.ADMINISTRATOR, "momd_baghdad", "admin")
    client = verified_client(admin)
    category = Category.objects.get(code="highly_skilled")
    assert "highly_skilled" not in _codes(young)
    data = {
        "name_ar": category.name_ar,
        "name_ckb": category.name_ckb,
        "name_en": category.name_en,
        "is_active": "on",
        "condition": '{"fact": "education_level", "op": ">=", "value": 3}',
    }
    tried = client.post("/manage/categories/highly_skilled/", {**data, "try": "1"})
    assert tried.status_code == 200
    preview = tried.context["preview"]
    assert (preview["tried"], preview["matching"], preview["gaining"], preview["losing"]) == (2, 2, 2, 0)
    assert Category.objects.get(code="highly_skilled").condition == category.condition  # not saved yet
    bad = client.post(
        "/manage/categories/highly_skilled/",
        {**data, "condition": '{"fact": "shoe_size", "op": ">", "value": 3}', "save": "1"},
    )
    assert bad.status_code == 400
    assert Category.objects.get(code="highly_skilled").rule_version == category.rule_version
    saved = client.post("/manage/categories/highly_skilled/", {**data, "save": "1"})
    assert saved.status_code == 302 and saved["Location"].startswith("/tasks/")
    run_worker()
    assert "highly_skilled" in _codes(young) and "highly_skilled" in _codes(older)
    assert Category.objects.get(code="highly_skilled").rule_version == category.rule_version + 1


def test_only_administrators_edit_rules(make_user: Any) -> None:
    worker = verified_client(make_user(Role.SUPERVISOR, "momd_baghdad", "s"))
    assert worker.get("/manage/categories/").status_code == 404
    before = Category.objects.get(code="returned_child").condition
    worker.post("/manage/categories/returned_child/", {"condition": "{}", "save": "1"})
    assert Category.objects.get(code="returned_child").condition == before
