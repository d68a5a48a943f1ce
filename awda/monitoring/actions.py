"""Every write of monitoring: loading instruments, retiring versions, recording responses with their scores."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from awda.accounts.models import User
from awda.accounts.roles import Capability, has_capability
from awda.core import audit
from awda.core.errors import AwdaError, Conflict, NotFound, PermissionDenied
from awda.core.models import AuditAction
from awda.monitoring import loaders, queries, rules
from awda.monitoring.enums import AlertStatus, Helped, ResponseSource, VersionStatus
from awda.monitoring.models import (
    Alert,
    Instrument,
    InstrumentVersion,
    ServiceEvaluation,
    SurveyResponse,
    WarningRule,
)
from awda.referrals.enums import ReferralStatus
from awda.referrals.models import Referral
from awda.registry.access import can_edit
from awda.registry.enums import CaseStatus
from awda.registry.models import Returnee


def instrument_load(
    *, definition: Mapping[str, Any], actor: User | None = None
) -> tuple[InstrumentVersion, bool]:
    """Load an instrument file: a new version when its content changed, nothing when it did not.

    Returns the version and whether it is new. A file that does not check out is refused whole
    (``rules.InstrumentError`` with every problem); nothing is written.
    """
    if actor is not None and not has_capability(actor, Capability.MANAGE_CATEGORIES):
        raise PermissionDenied(_("Only administrators load survey instruments."))
    parsed = rules.parse_instrument(definition)
    checksum = loaders.checksum(definition)
    with transaction.atomic():
        instrument, _created = Instrument.objects.select_for_update().get_or_create(code=parsed.code)
        latest = instrument.versions.order_by("-number").first()
        if latest is not None and latest.checksum == checksum:
            return latest, False
        version = InstrumentVersion.objects.create(
            instrument=instrument,
            number=(latest.number + 1) if latest else 1,
            definition=dict(definition),
            checksum=checksum,
            name_ar=parsed.name["ar"],
            name_ckb=parsed.name["ckb"],
            name_en=parsed.name["en"],
            loaded_by=actor,
        )
        audit.record(actor=actor, action=AuditAction.CREATE, obj=version)
    return version, True


def version_retire(*, actor: User, version: InstrumentVersion) -> InstrumentVersion:
    """No new responses to this version; the ones recorded keep it, and it stays scorable."""
    if not has_capability(actor, Capability.MANAGE_CATEGORIES):
        raise PermissionDenied(_("Only administrators retire survey instruments."))
    with transaction.atomic():
        locked = InstrumentVersion.objects.select_for_update().get(pk=version.pk)
        locked.status = VersionStatus.RETIRED
        locked.save(update_fields=["status", "updated_at"])
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=locked, fields=["status"])
    return locked


def parsed(version: InstrumentVersion) -> rules.Instrument:
    return rules.parse_instrument(version.definition)


def answer_problems(instrument: rules.Instrument, error: rules.AnswerError) -> dict[str, str]:
    """The problems of ``error`` as sentences in the reader's language, by indicator code."""
    out: dict[str, str] = {}
    for code, problem in error.fields.items():
        indicator = instrument.indicator(code)
        if problem == "unknown_indicator" or indicator is None:
            out[code] = str(_("There is no such question in this survey."))
        else:
            out[code] = str(
                _("Not one of the answers to this question: %(options)s.")
                % {"options": ", ".join(o.value for o in indicator.options)}
            )
    return out


def response_record(
    *,
    actor: User,
    returnee: Returnee,
    version: InstrumentVersion,
    answers: Mapping[str, Any],
    collected_on: date | None = None,
    source: str = ResponseSource.FORM,
    external_id: str = "",
    check_warnings: bool = True,
) -> SurveyResponse:
    """Record a follow-up survey of a returnee in the actor's scope, scored against the version answered.

    ``check_warnings=False`` is for an import of several surveys: the importer runs the rules once per
    person after all of them are in place (``warnings_check``), so that a follow-up answered by a later
    row of the same file does not count as overdue.
    """
    if not has_capability(actor, Capability.EDIT_RECORDS) or not can_edit(actor, returnee):
        raise NotFound(_("Not found."))
    if version.status == VersionStatus.RETIRED:
        raise Conflict(
            _("This version of the survey is retired; record the answers on the version in use."),
            code="retired",
        )
    if source not in ResponseSource.values:
        raise AwdaError(_("Unknown source."), code="invalid", fields={"source": [_("Unknown source.")]})
    today = timezone.localdate()
    if collected_on is not None and collected_on > today:
        raise AwdaError(
            _("Please correct the fields below."),
            code="invalid",
            fields={"collected_on": [_("The date cannot be in the future.")]},
        )
    instrument = parsed(version)
    clean = {str(k): v for k, v in answers.items() if v not in (None, "")}
    try:
        scores = rules.score(instrument, clean)
    except rules.AnswerError as error:
        raise AwdaError(
            _("Some answers are not among the options of the survey."),
            code="invalid",
            fields={
                f"answers.{code}": [message] for code, message in answer_problems(instrument, error).items()
            },
        ) from error
    if not any(scores.answered.values()):
        raise AwdaError(
            _("Answer at least one question."),
            code="invalid",
            fields={"answers": [_("Answer at least one question.")]},
        )
    with transaction.atomic():
        response = SurveyResponse.objects.create(
            returnee=returnee,
            version=version,
            answers=clean,
            collected_on=collected_on or today,
            collected_by=actor,
            source=source,
            external_id=external_id,
            economic=scores.dimensions["economic"],
            social=scores.dimensions["social"],
            psychosocial=scores.dimensions["psychosocial"],
            composite=scores.composite,
            answered=scores.answered,
        )
        audit.record(actor=actor, action=AuditAction.CREATE, obj=response)
        # A setback shows at once, on the case and in the worker's list.
        if check_warnings:
            warnings_check(returnee=returnee)
    return response


# --------------------------------------------------------------------------------------------------
# Early warning
# --------------------------------------------------------------------------------------------------


def warnings_check(*, returnee: Returnee, today: date | None = None) -> list[Alert]:
    """Run the early-warning rules on one case; raise an alert for each setback not already raised."""
    if returnee.status == CaseStatus.CLOSED or returnee.merged_into_id is not None:
        return []
    return warnings_for([returnee.pk], today or timezone.localdate())


def warnings_for(ids: list[int], today: date) -> list[Alert]:
    """Run the rules on these cases, reading their facts in a few queries for all of them together.

    The facts are read by the range of keys from the lowest to the highest: pass one case, or a run of
    consecutive keys as the daily scan does, not keys scattered over the whole registry.
    """
    specs = queries.warning_specs()
    if not specs or not ids:
        return []
    states = queries.case_states(ids, today)
    pending = queries.pending_alerts(ids)
    rules_by_code = {r.code: r for r in WarningRule.objects.filter(code__in=[s.code for s in specs])}
    new: list[Alert] = []
    now = timezone.now()
    for pk, (state, place) in states.items():
        for finding in rules.early_warnings(specs, state, today):
            if (pk, finding.code) in pending:
                continue
            new.append(
                Alert(
                    returnee_id=pk,
                    rule=rules_by_code[finding.code],
                    kind=finding.kind,
                    severity=finding.severity,
                    details=finding.details,
                    raised_at=now,
                    governorate_id=place[0],
                    district_id=place[1],
                    institution_id=place[2],
                )
            )
    if not new:
        return []
    with transaction.atomic():
        created = Alert.objects.bulk_create(new)
        audit.record_many(actor=None, action=AuditAction.CREATE, objects=[(a, ()) for a in created])
    return created


def warnings_scan(
    *, today: date | None = None, chunk: int = 5000, on_progress: Any = None
) -> tuple[int, int]:
    """Every open case, a chunk at a time; returns how many cases were scanned and alerts raised."""
    today = today or timezone.localdate()
    cases = Returnee.objects.filter(merged_into__isnull=True).exclude(status=CaseStatus.CLOSED).order_by("pk")
    last, scanned, raised = 0, 0, 0
    while True:
        ids = list(cases.filter(pk__gt=last).values_list("pk", flat=True)[:chunk])
        if not ids:
            return scanned, raised
        raised += len(warnings_for(ids, today))
        scanned += len(ids)
        last = ids[-1]
        if on_progress is not None:
            on_progress(scanned)


def _alert_for_edit(actor: User, alert: Alert) -> Alert:
    if not has_capability(actor, Capability.EDIT_RECORDS) or not can_edit(actor, alert.returnee):
        raise NotFound(_("Not found."))
    return Alert.objects.select_for_update().get(pk=alert.pk)


def alert_acknowledge(*, actor: User, alert: Alert) -> Alert:
    with transaction.atomic():
        locked = _alert_for_edit(actor, alert)
        if locked.status != AlertStatus.OPEN:
            raise Conflict(
                _("This alert was already acknowledged or resolved."), code="transition_not_allowed"
            )
        locked.status = AlertStatus.ACKNOWLEDGED
        locked.acknowledged_by = actor
        locked.acknowledged_at = timezone.now()
        locked.save()
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=locked, fields=["status"])
    return locked


def alert_resolve(*, actor: User, alert: Alert, action_taken: str) -> Alert:
    """Close an alert with what was done about it (a referral, a visit, a call…)."""
    if not action_taken.strip():
        raise AwdaError(
            _("Please correct the fields below."),
            code="invalid",
            fields={"action_taken": [_("Say what was done about it.")]},
        )
    with transaction.atomic():
        locked = _alert_for_edit(actor, alert)
        if locked.status == AlertStatus.RESOLVED:
            raise Conflict(_("This alert is already resolved."), code="transition_not_allowed")
        if locked.acknowledged_at is None:
            locked.acknowledged_by, locked.acknowledged_at = actor, timezone.now()
        locked.status = AlertStatus.RESOLVED
        locked.resolved_by = actor
        locked.resolved_at = timezone.now()
        locked.action_taken = action_taken.strip()
        locked.save()
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=locked, fields=["status", "action_taken"])
    return locked


# --------------------------------------------------------------------------------------------------
# Service evaluation
# --------------------------------------------------------------------------------------------------


def evaluation_record(
    *, actor: User, referral: Referral, satisfaction: int, helped: str, comment: str = ""
) -> ServiceEvaluation:
    """The returnee's satisfaction with a completed referral's service, once per referral."""
    if not has_capability(actor, Capability.REFER) or not can_edit(actor, referral.returnee):
        raise NotFound(_("Not found."))
    errors: dict[str, list[Any]] = {}
    if not isinstance(satisfaction, int) or not 1 <= satisfaction <= 5:
        errors["satisfaction"] = [_("Choose from 1 (very unsatisfied) to 5 (very satisfied).")]
    if helped not in Helped.values:
        errors["helped"] = [_("Say whether the service helped.")]
    if errors:
        raise AwdaError(_("Please correct the fields below."), code="invalid", fields=errors)
    if referral.status != ReferralStatus.COMPLETED:
        raise Conflict(_("Only a completed referral's service can be evaluated."), code="not_completed")
    with transaction.atomic():
        try:
            with transaction.atomic():
                evaluation = ServiceEvaluation.objects.create(
                    referral=referral,
                    satisfaction=satisfaction,
                    helped=helped,
                    comment=comment.strip(),
                    recorded_by=actor,
                    recorded_on=timezone.localdate(),
                )
        except IntegrityError as error:
            raise Conflict(_("This service was already evaluated."), code="duplicate") from error
        audit.record(actor=actor, action=AuditAction.CREATE, obj=evaluation)
    return evaluation
