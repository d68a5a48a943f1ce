"""Recording a follow-up survey in Awda's own form, in the worker's language."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from awda.accounts.access import signed_in_user
from awda.accounts.roles import Capability, has_capability
from awda.core.errors import AwdaError, NotFound
from awda.core.models import active_language
from awda.monitoring import actions, rules
from awda.monitoring.queries import version_in_use
from awda.registry.access import access_returnee_by_uuid


def _questions(instrument: rules.Instrument, language: str, answers: dict[str, str]) -> list[dict[str, Any]]:
    sections = []
    for dimension in instrument.dimensions:
        items = [
            {
                "code": i.code,
                "question": i.question.get(language) or i.question["ar"],
                "options": [
                    {
                        "value": o.value,
                        "label": o.label.get(language) or o.label["ar"],
                        "checked": answers.get(i.code) == o.value,
                    }
                    for o in i.options
                ],
            }
            for i in instrument.indicators
            if i.dimension == dimension.code
        ]
        sections.append({"name": dimension.name.get(language) or dimension.name["ar"], "items": items})
    return sections


@login_required
def survey_new(request: HttpRequest, returnee_uuid: str, code: str) -> HttpResponse:
    user = signed_in_user(request)
    if not has_capability(user, Capability.EDIT_RECORDS):
        raise Http404
    try:
        returnee = access_returnee_by_uuid(user, returnee_uuid, for_edit=True)
    except NotFound as error:
        raise Http404 from error
    version = version_in_use(code)
    if version is None:
        raise Http404
    instrument = actions.parsed(version)
    answers = (
        {i.code: request.POST.get(i.code, "") for i in instrument.indicators}
        if request.method == "POST"
        else {}
    )
    errors: dict[str, list[str]] = {}
    collected = (
        request.POST.get("collected_on", "") if request.method == "POST" else timezone.localdate().isoformat()
    )
    if request.method == "POST":
        try:
            collected_on = date.fromisoformat(collected) if collected else None
        except ValueError:
            collected_on = None
            errors["collected_on"] = [_("Enter a date such as 2026-11-27.")]
        if not errors:
            try:
                response = actions.response_record(
                    actor=user, returnee=returnee, version=version, answers=answers, collected_on=collected_on
                )
            except AwdaError as error:
                messages.error(request, str(error.message))
                errors = {k: [str(m) for m in v] for k, v in error.fields.items()}
            else:
                messages.success(
                    request,
                    _("The survey was recorded. Composite score: %(score)s.")
                    % {"score": "—" if response.composite is None else f"{response.composite:.2f}"},
                )
                return redirect(f"/returnees/{returnee.uuid}/#surveys")
    context = {
        "returnee": returnee,
        "version": version,
        "sections": _questions(instrument, active_language(), answers),
        "collected_on": collected,
        "errors": errors,
    }
    return render(request, "monitoring/survey_form.html", context, status=400 if errors else 200)


@login_required
def follow_ups(request: HttpRequest) -> HttpResponse:
    """The worker's task list: follow-up surveys due or overdue on the cases in their scope."""
    from awda.monitoring.queries import follow_ups_due, versions_in_use

    user = signed_in_user(request)
    if not has_capability(user, Capability.EDIT_RECORDS):
        raise Http404
    today = timezone.localdate()
    versions = versions_in_use()
    context = {
        "items": follow_ups_due(user, today),
        "today": today,
        "instrument": versions[0].instrument.code if versions else "",
    }
    return render(request, "monitoring/follow_ups.html", context)


def _version_or_404(code: str) -> Any:
    version = version_in_use(code)
    if version is None:
        raise Http404
    return version


@login_required
def survey_xlsform(request: HttpRequest, code: str) -> HttpResponse:
    """The survey as an XLSForm for KoboToolbox or ODK (no personal data in it)."""
    from awda.monitoring.kobo import build_survey_xlsform, form_id

    user = signed_in_user(request)
    if not has_capability(user, Capability.EDIT_RECORDS):
        raise Http404
    version = _version_or_404(code)
    response = HttpResponse(
        build_survey_xlsform(version),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{form_id(version)}_v{version.number}.xlsx"'
    return response


@login_required
def survey_import(request: HttpRequest, code: str) -> HttpResponse:
    """Submissions exported from KoboToolbox or ODK, imported as responses: all of them or none."""
    from awda.core.tables import FileProblem
    from awda.monitoring.kobo import import_submissions, read_submissions

    user = signed_in_user(request)
    if not has_capability(user, Capability.EDIT_RECORDS):
        raise Http404
    version = _version_or_404(code)
    context: dict[str, Any] = {"version": version, "code": code, "result": None, "file_error": ""}
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            context["file_error"] = _("Choose the file exported from KoboToolbox or ODK.")
            status = 400
        else:
            try:
                headers, rows = read_submissions(upload.read(), upload.name or "")
                result = import_submissions(actor=user, version=version, headers=headers, rows=rows)
            except FileProblem as error:
                context["file_error"] = str(error)
                status = 400
            except AwdaError as error:
                context["file_error"] = str(error.message)
                status = 400
            else:
                context["result"] = result
                status = 400 if result.problems else 200
    return render(request, "monitoring/survey_import.html", context, status=status)
