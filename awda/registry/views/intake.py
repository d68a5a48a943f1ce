"""Intake: a guided registration in steps, saved as a draft after every step, with a duplicate check at the end."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from awda.accounts.access import signed_in_user
from awda.accounts.models import Office, User
from awda.accounts.roles import Capability, has_capability
from awda.core.errors import AwdaError
from awda.registry import actions, queries
from awda.registry.forms import (
    ConsentsForm,
    DocumentFormSet,
    HouseholdForm,
    IdentityForm,
    MemberFormSet,
    NeedsForm,
    QualificationFormSet,
    ReturnForm,
    SituationForm,
    SkillFormSet,
)
from awda.registry.models import IntakeDraft


@dataclass(frozen=True)
class Step:
    key: str
    title: Any


STEPS = [
    Step("identity", gettext_lazy("Identity")),
    Step("return", gettext_lazy("Return")),
    Step("situation", gettext_lazy("Situation")),
    Step("household", gettext_lazy("Household")),
    Step("needs", gettext_lazy("Needs and consent")),
]
STEP_KEYS = [s.key for s in STEPS]


def _forms_for(step: str, data: QueryDict | None, user: User) -> dict[str, Any]:
    """The forms of one step, bound to ``data`` when given; prefixes keep them apart in one POST."""
    if step == "identity":
        return {"main": IdentityForm(data, prefix="id"), "documents": DocumentFormSet(data, prefix="doc")}
    if step == "return":
        return {"main": ReturnForm(data, prefix="ret")}
    if step == "situation":
        return {
            "main": SituationForm(
                data, prefix="sit", sensitive=has_capability(user, Capability.VIEW_SENSITIVE)
            ),
            "qualifications": QualificationFormSet(data, prefix="qual"),
            "skills": SkillFormSet(data, prefix="skill"),
        }
    if step == "household":
        return {"main": HouseholdForm(data, prefix="hh"), "members": MemberFormSet(data, prefix="mem")}
    if step == "needs":
        return {
            "main": NeedsForm(data, prefix="need"),
            "consents": ConsentsForm(data, prefix="con", own_institution=user.institution),
        }
    raise Http404


def _stored(draft: IntakeDraft, step: str) -> QueryDict | None:
    raw = draft.data.get(step)
    if raw is None:
        return None
    query = QueryDict(mutable=True)
    for key, values in raw.items():
        query.setlist(key, values)
    return query


def _valid(forms_: dict[str, Any]) -> bool:
    return all(f.is_valid() for f in forms_.values())


def _draft_for(request: HttpRequest, draft_uuid: str) -> IntakeDraft:
    user = signed_in_user(request)
    if not has_capability(user, Capability.REGISTER_RECORDS):
        raise Http404
    try:
        return IntakeDraft.objects.get(uuid=draft_uuid, author=user)
    except (IntakeDraft.DoesNotExist, ValueError) as error:
        raise Http404 from error


@login_required
@require_POST
def intake_start(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if (
        not has_capability(user, Capability.REGISTER_RECORDS)
        or user.institution_id is None
        or user.office_id is None
    ):
        raise Http404
    draft = IntakeDraft.objects.create(author=user, institution_id=user.institution_id)
    return HttpResponseRedirect(reverse("registry:intake_step", args=[draft.uuid, "identity"]))


@login_required
def intake_step(request: HttpRequest, draft_uuid: str, step: str) -> HttpResponse:
    draft = _draft_for(request, draft_uuid)
    if draft.returnee_id:
        return HttpResponseRedirect(reverse("registry:case", args=[draft.returnee.uuid]))  # type: ignore[union-attr]
    if step not in STEP_KEYS:
        raise Http404
    user = signed_in_user(request)
    if request.method == "POST":
        raw = {key: request.POST.getlist(key) for key in request.POST if key != "csrfmiddlewaretoken"}
        draft.data = {**draft.data, step: raw}
        draft.step = max(draft.step, STEP_KEYS.index(step) + 1)
        draft.save(update_fields=["data", "step", "updated_at"])
        forms_ = _forms_for(step, request.POST, user)
        if _valid(forms_):
            position = STEP_KEYS.index(step)
            if "save_draft" in request.POST:
                messages.success(
                    request,
                    _("The draft has been saved. You can continue it later from the list of returnees."),
                )
                return HttpResponseRedirect(reverse("registry:returnee_list"))
            target = STEP_KEYS[position + 1] if position + 1 < len(STEP_KEYS) else None
            if target:
                return HttpResponseRedirect(reverse("registry:intake_step", args=[draft.uuid, target]))
            return HttpResponseRedirect(reverse("registry:intake_review", args=[draft.uuid]))
        status = 400
    else:
        forms_ = _forms_for(step, _stored(draft, step), user)
        status = 200
    context = {
        "draft": draft,
        "steps": STEPS,
        "step": step,
        "step_title": STEPS[STEP_KEYS.index(step)].title,
        "forms": forms_,
        "position": STEP_KEYS.index(step) + 1,
    }
    return render(request, "registry/intake_step.html", context, status=status)


def _rows(formset: forms.BaseFormSet, required: str) -> list[dict[str, Any]]:
    return [f.cleaned_data for f in formset.forms if f.cleaned_data.get(required)]


def _registration(
    draft: IntakeDraft, user: User
) -> tuple[dict[str, Any], dict[str, dict[str, Any]]] | tuple[None, str]:
    """Everything the draft says, validated; or (None, first invalid step)."""
    bound: dict[str, dict[str, Any]] = {}
    for step in STEP_KEYS:
        forms_ = _forms_for(step, _stored(draft, step) or QueryDict(), user)
        if not _valid(forms_):
            return None, step
        bound[step] = forms_
    identity, situation = bound["identity"]["main"].cleaned_data, bound["situation"]["main"].cleaned_data
    record = {**identity, **bound["return"]["main"].cleaned_data, **situation}
    record.pop("phones", None)
    record = {k: v for k, v in record.items() if k in actions.RECORD_FIELDS}
    for name in ("migration_reasons", "income_sources", "vulnerabilities"):
        record[name] = list(record.get(name) or [])
    for name in ("times_displaced",):
        if record.get(name) is None:
            record[name] = 0
    for name in ("has_debt", "sold_assets_to_migrate"):
        record[name] = bool(record.get(name))
    for name, value in list(record.items()):
        if value is None and name not in {
            "date_of_birth",
            "return_date",
            "months_abroad",
            "education_level",
            "debt_amount_usd",
            "country_of_birth",
            "country_returned_from",
            "sub_district",
        }:
            record[name] = ""
    payload = {
        "record": record,
        "phones": bound["identity"]["main"].phone_list(),
        "documents": [
            {k: d[k] for k in ("type", "number", "status", "name_on_document")}
            for d in _rows(bound["identity"]["documents"], "type")
        ],
        "qualifications": _rows(bound["situation"]["qualifications"], "title"),
        "skills": [
            {
                "occupation": s["occupation"],
                "years_experience": s.get("years_experience") or 0,
                "acquired_abroad": s["acquired_abroad"],
            }
            for s in _rows(bound["situation"]["skills"], "occupation")
        ],
        "household_members": [
            {
                "name": m["name"],
                "sex": m["sex"],
                "date_of_birth": m["date_of_birth"],
                "relationship": m["relationship"],
                "is_dependant": m["is_dependant"],
                "schooling": m["schooling"],
            }
            for m in _rows(bound["household"]["members"], "name")
        ],
        "is_head_of_household": bound["household"]["main"].cleaned_data["is_head_of_household"],
        "needs": bound["needs"]["main"].needs(),
        "consents": bound["needs"]["consents"].consents(),
    }
    return payload, bound


@login_required
def intake_review(request: HttpRequest, draft_uuid: str) -> HttpResponse:
    draft = _draft_for(request, draft_uuid)
    if draft.returnee_id:
        return HttpResponseRedirect(reverse("registry:case", args=[draft.returnee.uuid]))  # type: ignore[union-attr]
    user = signed_in_user(request)
    payload, bound = _registration(draft, user)
    if payload is None:
        messages.error(request, _("Some information is missing or not valid. Complete this step first."))
        return HttpResponseRedirect(reverse("registry:intake_step", args=[draft.uuid, bound]))
    candidates = queries.duplicate_candidates(user, payload)
    if request.method == "POST":
        choice = request.POST.get("decision", "")
        if choice.startswith("link:"):
            chosen = next((c for c in candidates if str(c.returnee.uuid) == choice[5:]), None)
            if chosen is None:
                raise Http404
            actions.duplicate_link(
                actor=user, candidate=chosen.returnee, score=chosen.score, reasons=chosen.reasons
            )
            draft.returnee = chosen.returnee
            draft.save(update_fields=["returnee", "updated_at"])
            messages.success(
                request, _("No new case was opened: the person was linked to the existing case.")
            )
            return HttpResponseRedirect(reverse("registry:case", args=[chosen.returnee.uuid]))
        if choice == "new":
            try:
                returnee = actions.returnee_register(
                    actor=user,
                    office=_office_of(user),
                    client_reference=draft.uuid,
                    duplicate_decisions=[
                        {"candidate": c.returnee, "score": c.score, "reasons": c.reasons} for c in candidates
                    ],
                    **payload,
                )
            except AwdaError as error:
                messages.error(request, str(error.message))
                for name, problems in error.fields.items():
                    for problem in problems:
                        messages.error(request, f"{name}: {problem}")
            else:
                draft.returnee = returnee
                draft.save(update_fields=["returnee", "updated_at"])
                messages.success(request, _("The case has been registered."))
                return HttpResponseRedirect(reverse("registry:case", args=[returnee.uuid]))
    context = {
        "draft": draft,
        "steps": STEPS,
        "payload": payload,
        "candidates": candidates,
        "step": "review",
        "position": len(STEPS) + 1,
    }
    return render(request, "registry/intake_review.html", context)


def _office_of(user: User) -> Office:
    if user.office is None:
        raise Http404
    return user.office


@login_required
@require_POST
def intake_discard(request: HttpRequest, draft_uuid: str) -> HttpResponse:
    draft = _draft_for(request, draft_uuid)
    draft.delete()
    messages.success(request, _("The draft has been discarded."))
    return HttpResponseRedirect(reverse("registry:returnee_list"))


def drafts_of(user: User) -> list[IntakeDraft]:
    return list(IntakeDraft.objects.filter(author=user, returnee__isnull=True).order_by("-updated_at")[:10])
