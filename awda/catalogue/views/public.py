"""The public catalogue: anyone finds services by category, place and language, without signing in."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from awda.catalogue.enums import ServiceLanguage
from awda.catalogue.models import Organisation
from awda.catalogue.queries import SearchFilters, running_services, search_services, services_page
from awda.catalogue.views.common import category_choices, place_choices, service_card

PAGE_SIZE = 20


def filters_from(params: Any) -> SearchFilters:
    """Filters from a query string; unknown values are ignored, never an error page."""
    categories = {item.code: item for top, subs in category_choices() for item in (top, *subs)}
    governorates = {gov.pcode: gov for gov, _districts in place_choices()}
    districts = {d.pcode: d for _gov, ds in place_choices() for d in ds}
    category = categories.get(str(params.get("category", "")))
    district = districts.get(str(params.get("district", "")))
    governorate = governorates.get(str(params.get("governorate", "")))
    if district is not None and governorate is not None and district.governorate_id != governorate.pcode:
        district = None  # a district left over from another governorate
    if district is not None and governorate is None:
        governorate = governorates.get(district.governorate_id)
    language = params.get("language", "")
    return SearchFilters(
        q=str(params.get("q", ""))[:200],
        category=category,
        governorate=governorate,
        district=district,
        language=language if language in ServiceLanguage.values else "",
    )


def _options(filters: SearchFilters) -> dict[str, Any]:
    """The choices of the search form with their labels and the selected one, built in one pass."""
    chosen_category = filters.category.code if filters.category else ""
    chosen_governorate = filters.governorate.pcode if filters.governorate else ""
    chosen_district = filters.district.pcode if filters.district else ""
    return {
        "category_options": [
            (item.code, ("· " if item.parent_id else "") + item.name, item.code == chosen_category)
            for top, subs in category_choices()
            for item in (top, *subs)
        ],
        "governorate_options": [
            (gov.pcode, gov.name, gov.pcode == chosen_governorate) for gov, _districts in place_choices()
        ],
        "district_groups": [
            (gov.name, [(d.pcode, d.name, d.pcode == chosen_district) for d in districts])
            for gov, districts in place_choices()
        ],
        "language_options": [
            (code, label, code == filters.language) for code, label in ServiceLanguage.choices
        ],
    }


@require_GET
def service_search(request: HttpRequest) -> HttpResponse:
    filters = filters_from(request.GET)
    page, services = services_page(search_services(filters), request.GET.get("page"), PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "catalogue/public_search.html",
        {
            "filters": filters,
            "cards": [service_card(s) for s in services],
            "page": page,
            "query": query.urlencode(),
            **_options(filters),
            "searched": any(
                request.GET.get(k) for k in ("q", "category", "governorate", "district", "language")
            ),
        },
    )


@require_GET
def service_public(request: HttpRequest, service_uuid: str) -> HttpResponse:
    service = (
        running_services()
        .filter(uuid=service_uuid)
        .select_related("organisation", "category__parent", "programme")
        .first()
    )
    if service is None:
        raise Http404
    return render(request, "catalogue/public_service.html", service_card(service))


@require_GET
def organisation_public(request: HttpRequest, organisation_uuid: str) -> HttpResponse:
    organisation = Organisation.objects.filter(uuid=organisation_uuid, is_active=True).first()
    if organisation is None:
        raise Http404
    services = running_services().filter(organisation=organisation).select_related("category__parent")
    return render(
        request,
        "catalogue/public_organisation.html",
        {
            "organisation": organisation,
            "offices": organisation.offices.select_related("governorate", "district"),
            "programmes": organisation.programmes.select_related("funder"),
            "cards": [service_card(s) for s in services],
        },
    )
