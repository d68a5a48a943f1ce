"""Alerts on a case when a survey shows a setback; acknowledging and resolving them; the systemic view."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from awda.accounts.enums import Role
from awda.accounts.models import User
from awda.core.errors import AwdaError, Conflict, NotFound
from awda.monitoring import actions, queries
from awda.monitoring.models import Alert, InstrumentVersion, WarningRule
from awda.portal.tests.untranslated import english_words
from awda.registry.models import Returnee
from conftest import verified_client

pytestmark = pytest.mark.django_db


def _good(version: InstrumentVersion) -> dict[str, str]:
    return {"work": "full", "food": "never", "house": "good", "safe": "yes"}


def test_a_setback_in_the_next_survey_raises_one_alert(
    worker: User, case: Returnee, version: InstrumentVersion
) -> None:
    actions.response_record(
        actor=worker, returnee=case, version=version, answers=_good(version), collected_on=date(2026, 8, 1)
    )
    assert Alert.objects.count() == 0
    actions.response_record(
        actor=worker,
        returnee=case,
        version=version,
        answers={"work": "none", "food": "often", "house": "bad", "safe": "no"},
        collected_on=date(2026, 11, 1),
    )
    codes = sorted(Alert.objects.values_list("rule__code", flat=True))
    assert codes == ["composite-drop", "economic-low", "psychosocial-low"]
    drop = Alert.objects.get(rule__code="composite-drop")
    assert (drop.severity, drop.status, drop.governorate_id, drop.institution_id) == (
        "high",
        "open",
        case.governorate_id,
        case.institution_id,
    )
    assert drop.details["before"] == pytest.approx(0.97) and drop.details["after"] == pytest.approx(0.06)
    # the same setback found again is not raised twice while the alert stands
    actions.warnings_check(returnee=case)
    assert Alert.objects.count() == 3


def test_acknowledge_then_resolve_with_the_action_taken(
    worker: User, case: Returnee, make_user: Callable[..., User]
) -> None:
    case.intends_to_migrate_again = "yes"
    case.save(update_fields=["intends_to_migrate_again"])
    [alert] = actions.warnings_check(returnee=case)
    assert alert.rule.code == "migrate-again"
    stranger = make_user(Role.CASE_WORKER, "momd_erbil", "mon.erbil2")
    with pytest.raises(NotFound):
        actions.alert_acknowledge(actor=stranger, alert=alert)
    with pytest.raises(AwdaError) as empty:
        actions.alert_resolve(actor=worker, alert=alert, action_taken="  ")
    assert list(empty.value.fields) == ["action_taken"]
    alert.refresh_from_db()
    assert alert.status == "open"
    actions.alert_acknowledge(actor=worker, alert=alert)
    with pytest.raises(Conflict):
        actions.alert_acknowledge(actor=worker, alert=alert)
    resolved = actions.alert_resolve(
        actor=worker, alert=alert, action_taken="جلسة إرشاد وإحالة إلى التدريب المهني"
    )
    assert (resolved.status, resolved.resolved_by, resolved.action_taken) == (
        "resolved",
        worker,
        "جلسة إرشاد وإحالة إلى التدريب المهني",
    )
    # resolved, the setback may be raised again if it is still there
    assert [a.rule.code for a in actions.warnings_check(returnee=case)] == ["migrate-again"]


def test_the_worker_sees_alerts_on_the_case_and_in_the_list(worker: User, case: Returnee) -> None:
    case.intends_to_migrate_again = "yes"
    case.save(update_fields=["intends_to_migrate_again"])
    [alert] = actions.warnings_check(returnee=case)
    User.objects.update(language="ckb", first_name="شیلان", last_name="عەزیز")
    client = verified_client(worker)
    assert 'data-testid="alert"' in client.get(f"/returnees/{case.uuid}/").content.decode()
    listing = client.get("/monitoring/alerts/").content.decode()
    assert listing.count('data-testid="alert-row"') == 1
    assert english_words(listing, {"AWD"}) == []
    posted = client.post(f"/monitoring/alerts/{alert.uuid}/resolve/", {"action_taken": "زيارة منزلية"})
    assert posted.status_code == 302
    alert.refresh_from_db()
    assert alert.status == "resolved"


def _raise(case: Returnee, rule: WarningRule, when: datetime, n: int) -> None:
    for _ in range(n):
        Alert.objects.create(
            returnee=case,
            rule=rule,
            kind=rule.kind,
            severity=rule.severity,
            status="resolved",
            raised_at=when,
            governorate_id=case.governorate_id,
            district_id=case.district_id,
            institution_id=case.institution_id,
        )


def test_the_systemic_view_shows_a_rise_and_hides_small_counts(
    case: Returnee, make_user: Callable[..., User]
) -> None:
    housing = WarningRule.objects.get(code="economic-low")
    migrate = WarningRule.objects.get(code="migrate-again")
    now = timezone.now()
    _raise(case, housing, now - timedelta(days=62), 2)
    _raise(case, housing, now, 8)
    _raise(case, migrate, now, 3)
    data = queries.systemic(6, timezone.localdate())
    rows = {row["kind"]: row for row in data["rows"]}
    assert rows["dimension_below"]["rising"] is True and rows["dimension_below"]["counts"][-1] == 8
    assert rows["intends_to_migrate"]["rising"] is False
    analyst = make_user(
        Role.ANALYST, "momd_baghdad", "mon.analyst", language="ar", first_name="هدى", last_name="عباس"
    )
    page = verified_client(analyst).get("/monitoring/systemic/").content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert english_words(page, set()) == []
    assert page.count('data-testid="rising"') == 1
    assert "<td>&lt;5</td>" in page and "<td>8</td>" in page
    assert case.full_name not in page
    worker = make_user(Role.CASE_WORKER, "momd_baghdad", "mon.worker2")
    assert verified_client(worker).get("/monitoring/systemic/").status_code == 404


def test_the_daily_scan_raises_what_the_rules_find_once(register: Callable[..., Returnee]) -> None:
    from io import StringIO

    from django.core.management import call_command

    from awda.registry.tests.conftest import registration

    leaving = [register(record={**registration()["record"], "intends_to_migrate_again": "yes",
                                "return_date": timezone.localdate() - timedelta(days=10)}) for _ in range(3)]  # fmt: skip
    staying = register(record={**registration()["record"], "intends_to_migrate_again": "no",
                               "return_date": timezone.localdate() - timedelta(days=10)})  # fmt: skip
    out = StringIO()
    call_command("early_warning_scan", stdout=out)
    call_command("early_warning_scan", stdout=out)
    assert out.getvalue().splitlines() == [
        "4 open cases scanned; 3 new alerts.",
        "4 open cases scanned; 0 new alerts.",
    ]
    assert sorted(Alert.objects.values_list("returnee_id", "rule__code")) == sorted(
        (r.pk, "migrate-again") for r in leaving
    )
    assert not Alert.objects.filter(returnee=staying).exists()
