"""The public catalogue: anyone finds services by category, place and language, without signing in."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from awda.catalogue.enums import ServiceLanguage
from awda.catalogue.models import Organisation, ServiceCategory
from awda.catalogue.queries import SearchFilters, running_services, search_services
from awda.catalogue.views.common import category_choices, place_choices, service_card
from awda.geo.models import District, Governorate

PAGE_SIZE = 20


def filters_from(params: Any) -> SearchFilters:
    """Filters from a query string; unknown values are ignored, never an error page."""
    category = ServiceCategory.objects.filter(code=params.get("category", ""), is_active=True).first()
    district = District.objects.filter(pcode=params.get("district", "")).select_related("governorate").first()
    governorate = Governorate.objects.filter(pcode=params.get("governorate", "")).first()
    if district is not None and governorate is not None and district.governorate_id != governorate.pcode:
        district = None  # a district left over from another governorate
    language = params.get("language", "")
    return SearchFilters(
        q=str(params.get("q", ""))[:200],
        category=category,
        governorate=governorate or (district.governorate if district else None),
        district=district,
        language=language if language in ServiceLanguage.values else "",
    )


@require_GET
def service_search(request: HttpRequest) -> HttpResponse:
    filters = filters_from(request.GET)
    services = search_services(filters)
    page = Paginator(services, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "catalogue/public_search.html",
        {
            "filters": filters,
            "cards": [service_card(s) for s in page.object_list],
            "page": page,
            "query": query.urlencode(),
            "categories": category_choices(),
            "places": place_choices(),
            "service_languages": ServiceLanguage.choices,
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
