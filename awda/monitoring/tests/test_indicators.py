"""Programme indicators on known data: exact values per group, and cells under five hidden."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest

from awda.accounts.enums import Role
from awda.accounts.models import User
from awda.monitoring import actions, indicators
from awda.monitoring.queries import version_in_use
from awda.referrals.models import ReintegrationPlan
from awda.registry.models import Returnee
from awda.registry.tests.conftest import registration
from conftest import verified_client

pytestmark = pytest.mark.django_db
RETURNED = date(2025, 1, 10)


@pytest.fixture
def people(register: Callable[..., Returnee]) -> dict[str, list[Returnee]]:
    """Six women and five men who returned on 10 January 2025, and one woman who returned in 2024."""

    def person(sex: str, returned: date = RETURNED) -> Returnee:
        return register(record={**registration()["record"], "sex": sex, "return_date": returned})

    return {
        "women": [person("female") for _ in range(6)],
        "men": [person("male") for _ in range(5)],
        "earlier": [person("female", date(2024, 6, 1))],
    }


def _by(code: str, by: str) -> dict[str, dict[str, object]]:
    definition = next(d for d in indicators.definitions() if d.code == code)
    return indicators.compute(definition, date(2025, 1, 1), date(2025, 12, 31), by)


def test_plans_within_30_days_by_sex(
    people: dict[str, list[Returnee]], make_user: Callable[..., User]
) -> None:
    worker = make_user(Role.CASE_WORKER, "momd_baghdad", "ind.worker")
    from awda.referrals.actions import plan_create

    for returnee in people["women"][:4] + people["men"][:1] + people["earlier"]:
        plan_create(actor=worker, returnee=returnee)
    late = people["women"][3]
    ReintegrationPlan.objects.filter(returnee=late).update(created_at=late.created_at + timedelta(days=31))
    assert _by("plan-within-30-days", "total") == {"total": {"value": 4 / 11, "n": 11, "suppressed": False}}
    assert _by("plan-within-30-days", "sex") == {
        "female": {"value": 3 / 6, "n": 6, "suppressed": False},
        "male": {"value": 1 / 5, "n": 5, "suppressed": False},
    }
    by_age = _by("plan-within-30-days", "age_group")
    assert by_age == {"35-49": {"value": 4 / 11, "n": 11, "suppressed": False}}  # all born in 1990


def test_employment_and_scores_at_6_and_12_months_with_small_cells_hidden(
    people: dict[str, list[Returnee]], make_user: Callable[..., User]
) -> None:
    worker = make_user(Role.CASE_WORKER, "momd_baghdad", "ind.worker2")
    version = version_in_use("awda-reintegration")
    assert version is not None
    at_6, at_12 = RETURNED + timedelta(days=183), RETURNED + timedelta(days=365)
    working = [
        "regular_job",
        "irregular_work",
        "not_working",
        "self_employed",
        "not_working_looking",
        "regular_job",
    ]
    for returnee, answer in zip(people["women"], working, strict=True):
        actions.response_record(actor=worker, returnee=returnee, version=version, answers={"employment": answer},
                                collected_on=at_6)  # fmt: skip
    for returnee in people["men"][:3]:
        actions.response_record(actor=worker, returnee=returnee, version=version, answers={"employment": "regular_job"},
                                collected_on=at_6)  # fmt: skip
    assert _by("employed-at-6-months", "sex") == {
        "female": {"value": 4 / 6, "n": 6, "suppressed": False},
        "male": {"value": None, "n": None, "suppressed": True},
    }
    # a survey far from the 12-month point does not count for it
    for returnee in people["women"][:5]:
        actions.response_record(actor=worker, returnee=returnee, version=version,
                                answers={"food_insecurity": "never", "employment": "regular_job"}, collected_on=at_12)  # fmt: skip
    composite = _by("composite-at-12-months", "total")["total"]
    assert composite["n"] == 5 and composite["value"] == pytest.approx(1.0)


def test_analysts_see_the_table_and_case_workers_do_not(
    people: dict[str, list[Returnee]], make_user: Callable[..., User]
) -> None:
    analyst = make_user(Role.ANALYST, "momd_baghdad", "ind.analyst")
    page = verified_client(analyst).get("/monitoring/indicators/?year=2025&by=sex")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('data-testid="indicator-row"') == 2
    assert people["women"][0].full_name not in html
    worker = make_user(Role.CASE_WORKER, "momd_baghdad", "ind.worker3")
    assert verified_client(worker).get("/monitoring/indicators/").status_code == 404


@pytest.mark.parametrize("language", ["ar", "ckb"])
def test_the_indicator_table_reads_in_the_analysts_language(
    language: str, people: dict[str, list[Returnee]], make_user: Callable[..., User]
) -> None:
    from awda.portal.tests.untranslated import english_words

    analyst = make_user(
        Role.ANALYST, "momd_baghdad", "ind.analyst2", language=language, first_name="هدى", last_name="عباس"
    )
    for by in indicators.DISAGGREGATIONS:
        html = verified_client(analyst).get(f"/monitoring/indicators/?year=2025&by={by}").content.decode()
        assert f'<html lang="{language}" dir="rtl">' in html
        assert english_words(html, set()) == [], by


def test_a_persons_latest_survey_in_the_window_counts_once_in_each_of_their_categories(
    people: dict[str, list[Returnee]], make_user: Callable[..., User]
) -> None:
    from awda.registry.models import ReturneeCategory

    worker = make_user(Role.CASE_WORKER, "momd_baghdad", "ind.worker4")
    version = version_in_use("awda-reintegration")
    assert version is not None
    women = people["women"]

    def survey(returnee: Returnee, days: int, **answers: str) -> None:
        actions.response_record(actor=worker, returnee=returnee, version=version, answers=answers,
                                collected_on=RETURNED + timedelta(days=days))  # fmt: skip

    # given, in the 6-month window (152 to 244 days after return): one woman working, then not; one not,
    # then working; one working, then surveyed again without the employment question; three surveyed once
    survey(women[0], 160, employment="regular_job")
    survey(women[0], 200, employment="not_working")
    survey(women[1], 160, employment="not_working")
    survey(women[1], 200, employment="self_employed")
    survey(women[2], 170, employment="irregular_work")
    survey(women[2], 230, food_insecurity="often")
    for returnee, answer in zip(
        women[3:], ["regular_job", "not_working_looking", "not_working"], strict=True
    ):
        survey(returnee, 183, employment=answer)
    # and in the 12-month window (335 to 426 days): one woman badly off, then well; four well once
    survey(women[0], 340, food_insecurity="often", employment="not_working", housing="no_stable_housing")
    survey(women[0], 400, food_insecurity="never", employment="regular_job")
    for returnee in women[1:5]:
        survey(returnee, 365, food_insecurity="never", employment="regular_job")

    # then each woman counts once, with her latest answer: working are women 1, 2 and 3 (not woman 0)
    assert _by("employed-at-6-months", "total") == {"total": {"value": 3 / 6, "n": 6, "suppressed": False}}
    assert _by("composite-at-12-months", "total") == {"total": {"value": 1.0, "n": 5, "suppressed": False}}
    # and by category, each counts in every category she holds
    held = set(ReturneeCategory.objects.filter(returnee__in=women).values_list("category__code", flat=True))
    assert len(held) >= 2
    for returnee in women:
        assert set(returnee.categories.values_list("category__code", flat=True)) == held
    assert _by("employed-at-6-months", "category") == {
        code: {"value": 3 / 6, "n": 6, "suppressed": False} for code in held
    }
    assert _by("composite-at-12-months", "category") == {
        code: {"value": 1.0, "n": 5, "suppressed": False} for code in held
    }
