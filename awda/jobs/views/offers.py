"""Offers: the list (a company's own, the employment office's all, a case worker's open ones), the offer
form with the occupation search, the offer's page with its anonymous ranked candidates and shortlist."""

from __future__ import annotations

import threading
import uuid
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from awda.accounts.models import User
from awda.accounts.roles import Capability, has_capability
from awda.core.errors import AwdaError, NotFound
from awda.geo.models import Governorate
from awda.jobs import access, actions, explain, queries, vocab
from awda.jobs.enums import EmployerStatus, OfferKind, OfferStatus
from awda.jobs.forms import (
    OfferForm,
    RequestForm,
    StatusForm,
    governorate_choices,
    language_names,
    occupation_label,
)
from awda.jobs.models import Employer, Offer, OfferMatch
from awda.jobs.views.common import age_group, not_found, page_of, people_of, show_error, viewer
from awda.jobs.workflows import FINAL
from awda.registry.enums import EducationLevel
from awda.registry.models import Occupation, Returnee

# --------------------------------------------------------------------------------------------------
# The list
# --------------------------------------------------------------------------------------------------


def _may_see_offers(user: User) -> bool:
    return has_capability(user, Capability.OFFER_JOBS) or access.can_match(user)


@login_required
def offer_list(request: HttpRequest) -> HttpResponse:
    user = viewer(request)
    if not _may_see_offers(user):
        raise Http404
    company = access.employer_of(user)
    staff = access.employment_staff(user)
    offers = access.offers_visible_to(user)
    chosen = {key: request.GET.get(key, "") for key in ("status", "kind", "governorate", "group", "employer")}
    if chosen["status"] in OfferStatus.values and (staff or company is not None):
        offers = offers.filter(status=chosen["status"])
    if chosen["kind"] in OfferKind.values:
        offers = offers.filter(kind=chosen["kind"])
    if chosen["governorate"]:
        offers = offers.filter(governorate_id=chosen["governorate"])
    if chosen["group"].isdigit() and len(chosen["group"]) == 1:
        offers = offers.filter(occupation_id__startswith=chosen["group"])
    employers: list[tuple[str, str]] = []
    if staff:
        try:
            offers = (
                offers.filter(employer__uuid=uuid.UUID(chosen["employer"])) if chosen["employer"] else offers
            )
        except ValueError:  # a malformed identifier filters nothing out
            chosen["employer"] = ""
        employers = sorted(
            ((str(e.uuid), e.name) for e in Employer.objects.select_related("institution")),
            key=lambda item: item[1],
        )
    context = {
        "page": page_of(request, offers.order_by("-opens_on", "-id")),
        "company": company,
        "staff": staff,
        "chosen": chosen,
        "statuses": OfferStatus.choices,
        "kinds": OfferKind.choices,
        "governorates": governorate_choices(),
        "groups": [(o.code, o.name) for o in Occupation.objects.filter(level=1).order_by("code")],
        "employers": employers,
        "page_query": urlencode({k: v for k, v in chosen.items() if v}),
    }
    return render(request, "jobs/offer_list.html", context)


# --------------------------------------------------------------------------------------------------
# The occupation search (an htmx fragment of <option>s)
# --------------------------------------------------------------------------------------------------

_occupation_keys: dict[str, str] = {}
_occupation_lock = threading.Lock()
SEARCH_LIMIT = 60


def _keys() -> dict[str, str]:
    """Each ISCO-08 unit group's titles in the three languages, in normal form (reference data: read once)."""
    with _occupation_lock:
        if not _occupation_keys:
            for code, *names in Occupation.objects.filter(level=4).values_list(
                "code", "name_ar", "name_ckb", "name_en"
            ):
                _occupation_keys[code] = " | ".join(vocab.normalize(n) for n in names if n)
        return _occupation_keys


def search_occupations(text: str, limit: int = SEARCH_LIMIT) -> list[str]:
    """Codes of unit groups whose code starts with ``text`` or whose title in any language holds every
    word of it; titles that begin with the words first."""
    keys = _keys()
    wanted = vocab.normalize(text)
    if not wanted:
        return sorted(keys)[:limit] if limit else sorted(keys)
    if wanted.replace(" ", "").isdigit():
        return [code for code in sorted(keys) if code.startswith(wanted.replace(" ", ""))][:limit]
    words = wanted.split()
    found = [code for code, names in keys.items() if all(w in names for w in words)]
    found.sort(key=lambda code: (not any(n.startswith(wanted) for n in keys[code].split(" | ")), code))
    return found[:limit]


@login_required
@require_GET
def occupation_search(request: HttpRequest) -> HttpResponse:
    user = viewer(request)
    if not _may_see_offers(user):
        raise Http404
    text = request.GET.get("q", "")[:100]
    selected = request.GET.get("occupation", "")[:4]
    codes = search_occupations(text, limit=0 if not text.strip() else SEARCH_LIMIT)
    if selected and selected not in codes:
        codes = [selected, *codes]
    found = Occupation.objects.in_bulk(codes)
    options = [(code, occupation_label(found[code])) for code in codes if code in found]
    return render(
        request,
        "jobs/_occupation_options.html",
        {"options": options, "selected": selected, "text": text.strip()},
    )


# --------------------------------------------------------------------------------------------------
# The offer form
# --------------------------------------------------------------------------------------------------


def _offer_initial(offer: Offer) -> dict[str, Any]:
    return {
        "kind": offer.kind,
        "title": offer.title,
        "description": offer.description,
        "occupation": offer.occupation_id,
        "skills": list(offer.skills.values_list("code", flat=True)),
        "education_min": "" if offer.education_min is None else str(offer.education_min),
        "languages": list(offer.languages or []),
        "governorate": offer.governorate_id,
        "district": offer.district_id or "",
        "settlement": offer.settlement,
        "remote": offer.remote,
        "working_time": offer.working_time,
        "conditions": offer.conditions,
        "places": offer.places,
        "opens_on": offer.opens_on.isoformat(),
        "closes_on": offer.closes_on.isoformat() if offer.closes_on else "",
        "priority_categories": list(offer.priority_categories.values_list("code", flat=True)),
        "commitment": str(offer.commitment.uuid) if offer.commitment else "",
        "version": offer.version,
    }


@login_required
@require_http_methods(["GET", "POST"])
def offer_new(request: HttpRequest, employer_uuid: Any) -> HttpResponse:
    user = viewer(request)
    try:
        employer = access.access_employer_by_id(user, employer_uuid)
    except NotFound as error:
        raise not_found(error) from error
    own = access.employer_of(user)
    if not access.employment_staff(user) and (own is None or own.pk != employer.pk):
        raise Http404
    if employer.status != EmployerStatus.APPROVED:
        messages.error(
            request,
            _(
                "The company is waiting for the employment office's review; offers can be posted once it is approved."
            )
            if employer.status == EmployerStatus.PENDING
            else _("This company is not approved; it cannot post offers."),
        )
        return redirect("jobs:employer", employer_uuid=employer.uuid)
    form = OfferForm(request.POST or None, commitments=employer.commitments.all())
    if request.method == "POST" and form.is_valid():
        publish = request.POST.get("submit") == "publish"
        try:
            offer = actions.offer_create(
                actor=user, employer=employer, data=form.action_data(), publish=publish
            )
        except AwdaError as error:
            show_error(request, error, form)
        else:
            messages.success(
                request, _("The offer was published.") if publish else _("The offer was saved as a draft.")
            )
            return redirect("jobs:offer", offer_uuid=offer.uuid)
    return render(request, "jobs/offer_form.html", {"form": form, "employer": employer, "offer": None})


@login_required
@require_http_methods(["GET", "POST"])
def offer_edit(request: HttpRequest, offer_uuid: Any) -> HttpResponse:
    user = viewer(request)
    try:
        offer = access.access_offer_by_id(user, offer_uuid, for_edit=True)
    except NotFound as error:
        raise not_found(error) from error
    form = OfferForm(
        request.POST or None, initial=_offer_initial(offer), commitments=offer.employer.commitments.all()
    )
    if request.method == "POST" and form.is_valid():
        publish = request.POST.get("submit") == "publish" and offer.status == OfferStatus.DRAFT
        try:
            with transaction.atomic():
                saved = actions.offer_update(
                    actor=user,
                    offer=offer,
                    data=form.action_data(),
                    expected_version=form.cleaned_data["version"],
                )
                if publish:
                    saved = actions.offer_set_status(actor=user, offer=saved, status=OfferStatus.OPEN)
        except AwdaError as error:
            show_error(request, error, form)
        else:
            messages.success(request, _("The offer was published.") if publish else _("The offer was saved."))
            return redirect("jobs:offer", offer_uuid=saved.uuid)
    return render(request, "jobs/offer_form.html", {"form": form, "employer": offer.employer, "offer": offer})


# --------------------------------------------------------------------------------------------------
# The offer's page: details, status, anonymous candidates, shortlist
# --------------------------------------------------------------------------------------------------

# The status buttons an editor sees, by the offer's status: (status asked for, label).
STATUS_BUTTONS = {
    OfferStatus.DRAFT: [(OfferStatus.OPEN, "publish"), (OfferStatus.CLOSED, "close")],
    OfferStatus.OPEN: [(OfferStatus.CLOSED, "close")],
    OfferStatus.FILLED: [(OfferStatus.CLOSED, "close")],
    OfferStatus.CLOSED: [(OfferStatus.OPEN, "reopen")],
}


def _candidate_rows(offer: Offer, shortlisted: set[str]) -> list[dict[str, Any]]:
    """The ranked candidates as the company may see them: a label, the score and its reasons, occupations
    with years, education, languages, governorate and age group; never a name, an age, a district, a phone
    or an identifier of the record."""
    candidates = queries.candidates_for_offer(offer, limit=50)
    if not candidates:
        return []
    facts = queries.offer_facts([offer])[offer.pk]
    codes = {code for c in candidates for code, _years in c.facts.occupations}
    occupations = Occupation.objects.in_bulk(list(codes))
    governorates = Governorate.objects.in_bulk(
        list({c.facts.governorate for c in candidates if c.facts.governorate})
    )
    born: dict[int, date | None] = dict(
        Returnee.objects.filter(pk__in=[c.returnee_id for c in candidates]).values_list("pk", "date_of_birth")
    )
    languages = language_names()
    rows = []
    for candidate in candidates:
        person = candidate.facts
        rows.append(
            {
                "key": candidate.key,
                "label": candidate.label,
                "percent": round(candidate.match.score * 100),
                "lines": explain.explain(candidate.match, facts),
                "occupations": [
                    (occupations[code].name if code in occupations else code, years)
                    for code, years in person.occupations
                ],
                "education": EducationLevel(person.education).label if person.education is not None else "",
                "languages": [languages.get(code, code) for code in sorted(person.languages)],
                "governorate": governorates[person.governorate].name
                if person.governorate in governorates
                else "",
                "age_group": age_group(born.get(candidate.returnee_id)),
                "shortlisted": candidate.key in shortlisted,
            }
        )
    return rows


def _offer_page(request: HttpRequest, user: User, offer: Offer) -> HttpResponse:
    company = access.employer_of(user)
    staff = access.employment_staff(user)
    for_company = staff or (company is not None and company.pk == offer.employer_id)
    editable = access.offers_editable_by(user).filter(pk=offer.pk).exists()
    placements = list(access.placements_visible_to(user).filter(offer=offer).order_by("-created_at"))
    people = people_of(user, placements)
    shortlist = [{"placement": p, "person": people[p.pk]} for p in placements]
    open_keys = {access.candidate_key(offer, p.returnee.uuid) for p in placements if p.status not in FINAL}
    show_candidates = for_company and offer.status in (OfferStatus.DRAFT, OfferStatus.OPEN)
    context = {
        "offer": offer,
        "editable": editable,
        "for_company": for_company,
        "status_buttons": STATUS_BUTTONS.get(OfferStatus(offer.status), []) if editable else [],
        "skills": offer.skills.all(),
        "offer_languages": [language_names().get(c, c) for c in offer.languages or []],
        "education": EducationLevel(offer.education_min).label if offer.education_min is not None else "",
        "priority": offer.priority_categories.all(),
        "candidates": _candidate_rows(offer, open_keys) if show_candidates else [],
        "show_candidates": show_candidates,
        "may_ask": for_company
        and offer.status == OfferStatus.OPEN
        and offer.employer.status == EmployerStatus.APPROVED
        and (staff or (company is not None and company.status == EmployerStatus.APPROVED)),
        "shortlist": shortlist,
        # From the last nightly re-match: how many job seekers have this offer among their best.
        "matched_people": OfferMatch.objects.filter(offer=offer).count() if for_company else 0,
    }
    return render(request, "jobs/offer_page.html", context)


def _offer(request: HttpRequest, offer_uuid: Any, *, for_edit: bool = False) -> tuple[User, Offer]:
    user = viewer(request)
    if not _may_see_offers(user):
        raise Http404
    try:
        return user, access.access_offer_by_id(user, offer_uuid, for_edit=for_edit)
    except NotFound as error:
        raise not_found(error) from error


@login_required
def offer_page(request: HttpRequest, offer_uuid: Any) -> HttpResponse:
    user, offer = _offer(request, offer_uuid)
    return _offer_page(request, user, offer)


@login_required
@require_POST
def offer_status(request: HttpRequest, offer_uuid: Any) -> HttpResponse:
    user, offer = _offer(request, offer_uuid, for_edit=True)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what to do with the offer."))
        return redirect("jobs:offer", offer_uuid=offer.uuid)
    status = form.cleaned_data["status"]
    try:
        actions.offer_set_status(actor=user, offer=offer, status=status)
    except AwdaError as error:
        show_error(request, error)
    else:
        messages.success(
            request,
            _("The offer is open: it is matched to people.")
            if status == OfferStatus.OPEN
            else _("The offer is closed."),
        )
    return redirect("jobs:offer", offer_uuid=offer.uuid)


@login_required
@require_POST
def candidate_request(request: HttpRequest, offer_uuid: Any) -> HttpResponse:
    """The company asks for an anonymous candidate; the person's case worker asks the person."""
    user, offer = _offer(request, offer_uuid)
    form = RequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("This candidate is no longer available for this offer."))
        return redirect("jobs:offer", offer_uuid=offer.uuid)
    try:
        actions.placement_request(
            actor=user, offer=offer, candidate=form.cleaned_data["candidate"], note=form.cleaned_data["note"]
        )
    except NotFound as error:
        raise not_found(error) from error
    except AwdaError as error:
        show_error(request, error)
    else:
        messages.success(
            request,
            _(
                "Your request was sent. The person's case worker will ask them whether they agree to share "
                "their profile with you; you will see their name only then."
            ),
        )
    return redirect(reverse("jobs:offer", args=[offer.uuid]) + "#shortlist")
