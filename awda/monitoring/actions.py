"""Every write of monitoring: loading instruments, retiring versions, recording responses with their scores."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from awda.accounts.models import User
from awda.accounts.roles import Capability, has_capability
from awda.core import audit
from awda.core.errors import AwdaError, Conflict, NotFound, PermissionDenied
from awda.core.models import AuditAction
from awda.monitoring import loaders, rules
from awda.monitoring.enums import ResponseSource, VersionStatus
from awda.monitoring.models import Instrument, InstrumentVersion, SurveyResponse
from awda.registry.access import can_edit
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
) -> SurveyResponse:
    """Record a follow-up survey of a returnee in the actor's scope, scored against the version answered."""
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
            economic=scores.dimensions["economic"],
            social=scores.dimensions["social"],
            psychosocial=scores.dimensions["psychosocial"],
            composite=scores.composite,
            answered=scores.answered,
        )
        audit.record(actor=actor, action=AuditAction.CREATE, obj=response)
    return response
