"""Extra questions: an institution adds questions without code, in versions; answers are validated
against the version they answer; the XLSForm carries them."""

from __future__ import annotations

import io
from typing import Any

import pytest
from pyxform.xls2xform import convert

from awda.accounts.enums import Role
from awda.core.errors import AwdaError, PermissionDenied
from awda.registry import actions
from awda.registry.extra_questions import clean_answer, clean_answers
from awda.registry.models import ExtraAnswers, FormDefinition
from awda.registry.xlsform import build_xlsform
from conftest import verified_client

QUESTIONS = [
    {"code": "camp_name", "type": "text", "required": True},
    {"code": "children_in_school", "type": "integer", "min_value": 0, "max_value": 20},
    {"code": "income", "type": "decimal", "min_value": 0},
    {"code": "arrived", "type": "date"},
    {"code": "shelter", "type": "select_one", "choices": [{"value": "tent"}, {"value": "caravan"}]},
    {"code": "skills", "type": "select_multiple", "choices": [{"value": "sewing"}, {"value": "driving"}]},
    {"code": "has_land", "type": "yes_no"},
]


@pytest.mark.parametrize(
    ("code", "value", "expected"),
    [
        ("camp_name", " Hammam al-Alil ", ("Hammam al-Alil", None)),
        ("camp_name", "", (None, "required")),
        ("camp_name", 5, (None, "not_text")),
        ("children_in_school", "3", (3, None)),
        ("children_in_school", "2.5", (None, "not_integer")),
        ("children_in_school", 21, (None, "above_maximum")),
        ("children_in_school", -1, (None, "below_minimum")),
        ("children_in_school", True, (None, "not_integer")),
        ("income", "12.5", (12.5, None)),
        ("income", "abc", (None, "not_number")),
        ("arrived", "2026-02-30", (None, "not_date")),
        ("arrived", "2026-02-28", ("2026-02-28", None)),
        ("shelter", "tent", ("tent", None)),
        ("shelter", "house", (None, "unknown_choice")),
        ("skills", ["driving", "sewing", "driving"], (["driving", "sewing"], None)),
        ("skills", ["flying"], (None, "unknown_choice")),
        ("has_land", "yes", (True, None)),
        ("has_land", "maybe", (None, "not_yes_no")),
        ("income", None, (None, None)),
    ],
)
def test_each_type_of_answer(code: str, value: Any, expected: tuple[Any, str | None]) -> None:
    question = next(q for q in QUESTIONS if q["code"] == code)
    assert clean_answer(question, value) == expected


def test_answers_to_unknown_questions_are_refused() -> None:
    cleaned, errors = clean_answers(QUESTIONS, {"camp_name": "x", "shoe_size": 42})
    assert cleaned == {"camp_name": "x"}
    assert errors["shoe_size"]["en"] == "This question is not on the form."


def _spec(code: str, kind: str, **extra: Any) -> dict[str, Any]:
    return {
        "code": code,
        "type": kind,
        "label_ar": "سؤال",
        "label_ckb": "پرسیار",
        "label_en": "Question",
        **extra,
    }


@pytest.mark.django_db
def test_versions_keep_the_answers_they_answered(register: Any, make_user: Any, world: Any) -> None:
    supervisor = make_user(Role.SUPERVISOR, "momd_baghdad", "boss")
    draft = actions.form_draft(actor=supervisor, institution_id=world["momd"].pk)
    actions.form_question_save(
        actor=supervisor,
        form=draft,
        spec=_spec(
            "shelter",
            "select_one",
            required=True,
            choices=[{"value": "tent", "label_ar": "خيمة", "label_ckb": "چادر", "label_en": "Tent"}],
        ),
    )
    version_one = actions.form_publish(actor=supervisor, form=draft)
    returnee = register()
    with pytest.raises(AwdaError) as refused:
        actions.extra_answers_save(actor=returnee.owner, returnee=returnee, answers={"shelter": "palace"})
    assert refused.value.fields == {"shelter": ["This choice is not in the list."]}
    assert not ExtraAnswers.objects.exists()
    actions.extra_answers_save(actor=returnee.owner, returnee=returnee, answers={"shelter": "tent"})
    # Version 2 adds a question; the old answers keep version 1.
    draft_two = actions.form_draft(actor=supervisor, institution_id=world["momd"].pk)
    assert list(draft_two.questions.values_list("code", flat=True)) == ["shelter"]
    actions.form_question_save(actor=supervisor, form=draft_two, spec=_spec("has_land", "yes_no"))
    actions.form_publish(actor=supervisor, form=draft_two)
    version_one.refresh_from_db()
    assert version_one.status == "retired"
    assert ExtraAnswers.objects.get(returnee=returnee).form == version_one
    with pytest.raises(AwdaError):
        actions.form_question_save(actor=supervisor, form=version_one, spec=_spec("late", "text"))
    page = verified_client(returnee.owner).get(f"/returnees/{returnee.uuid}/")
    assert "Answers to version 1" in page.content.decode()


@pytest.mark.django_db
def test_only_the_institutions_supervisors_and_administrators_manage_questions(
    make_user: Any, world: Any
) -> None:
    worker = make_user(Role.CASE_WORKER, "momd_baghdad", "w")
    other_supervisor = make_user(Role.SUPERVISOR, "molsa_baghdad", "other")
    for actor in (worker, other_supervisor):
        with pytest.raises(PermissionDenied):
            actions.form_draft(actor=actor, institution_id=world["momd"].pk)
    assert not FormDefinition.objects.exists()
    assert verified_client(worker).get("/manage/questions/").status_code == 404


@pytest.mark.django_db
def test_bad_questions_are_refused(make_user: Any, world: Any) -> None:
    admin = make_user(Role.ADMINISTRATOR, "momd_baghdad", "admin")
    draft = actions.form_draft(actor=admin, institution_id=world["momd"].pk)
    for spec in (
        _spec("Bad Code", "text"),
        _spec("x", "colour"),
        {**_spec("y", "text"), "label_ckb": ""},
        _spec("z", "select_one", choices=[]),
        _spec("n", "integer", min_value=5, max_value=1),
    ):
        with pytest.raises(AwdaError):
            actions.form_question_save(actor=admin, form=draft, spec=spec)
    assert draft.questions.count() == 0


@pytest.mark.django_db
def test_the_xlsform_carries_the_published_questions(make_user: Any, world: Any) -> None:
    admin = make_user(Role.ADMINISTRATOR, "momd_baghdad", "admin")
    draft = actions.form_draft(actor=admin, institution_id=world["momd"].pk)
    actions.form_question_save(
        actor=admin,
        form=draft,
        spec=_spec(
            "shelter",
            "select_multiple",
            choices=[{"value": "tent", "label_ar": "خيمة", "label_ckb": "چادر", "label_en": "Tent"}],
        ),
    )
    actions.form_question_save(actor=admin, form=draft, spec=_spec("children", "integer"))
    actions.form_publish(actor=admin, form=draft)
    result = convert(xlsform=io.BytesIO(build_xlsform(world["momd"].pk)), file_type=".xlsx", form_name="awda")
    assert "/awda/extra_v1/shelter" in result.xform and "/awda/extra_v1/children" in result.xform
