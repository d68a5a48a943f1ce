"""Providers keep their services; administrators review the changes, import and export the catalogue."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from awda.accounts.access import signed_in_user
from awda.accounts.models import User
from awda.catalogue import actions, enums, rules, spreadsheets
from awda.catalogue.access import access_change_by_id, access_service_for_editing, is_reviewer, may_provide
from awda.catalogue.models import Organisation, Programme, Service, ServiceChange
from awda.catalogue.queries import search_services
from awda.catalogue.views.common import category_choices, place_choices, shown_value, value_names
from awda.catalogue.views.public import filters_from
from awda.core.errors import AwdaError
from awda.core.models import active_language
from awda.core.tables import FileProblem
from awda.registry import rules as registry_rules
from awda.registry.models import Category
from awda.registry.names import normalize_name

MAX_UPLOAD = 10 * 1024 * 1024


def provider(request: HttpRequest) -> User:
    user = signed_in_user(request)
    if not may_provide(user):
        raise Http404
    return user


def reviewer(request: HttpRequest) -> User:
    user = signed_in_user(request)
    if not is_reviewer(user):
        raise Http404
    return user


def _organisations_for(user: User) -> list[Organisation]:
    organisations = Organisation.objects.filter(is_active=True)
    if not is_reviewer(user):
        organisations = organisations.filter(institution_id=user.institution_id or 0)
    return list(organisations.order_by("code"))


@login_required
@require_GET
def catalogue_home(request: HttpRequest) -> HttpResponse:
    user = provider(request)
    services = Service.objects.select_related("organisation", "category__parent").order_by(
        "organisation__code", "code"
    )
    changes = ServiceChange.objects.select_related("organisation", "service", "proposed_by")
    if not is_reviewer(user):
        services = services.filter(organisation__institution_id=user.institution_id or 0)
        changes = changes.filter(organisation__institution_id=user.institution_id or 0)
    query = request.GET.get("q", "").strip()
    if query:
        services = services.filter(search_text__contains=normalize_name(query))
    page = Paginator(services, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "catalogue/manage_home.html",
        {
            "page": page,
            "q": query,
            "pending": changes.filter(status=enums.ChangeStatus.PENDING).order_by("created_at"),
            "recent": changes.exclude(status=enums.ChangeStatus.PENDING).order_by("-updated_at")[:10],
            "is_reviewer": is_reviewer(user),
        },
    )


# --------------------------------------------------------------------------------------------------
# The form of a service, rendered from a list of fields
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    name: str
    label: Any
    kind: str  # text, textarea, select, checkboxes, places, bool, int, date, time, tel, email
    choices: tuple[tuple[str, str], ...] = ()
    help: Any = ""
    lang: str = ""


def _fact_choices(fact: str) -> tuple[tuple[str, str], ...]:
    language = active_language()
    return tuple((value, texts[language]) for value, texts in registry_rules.FACTS[fact].choices.items())


def form_sections(user: User) -> list[tuple[Any, list[Field]]]:
    language_names = {"ar": "العربية", "ckb": "کوردی", "en": "English"}
    texts: list[Field] = []
    for name, label in (
        ("name", gettext_lazy("Name")),
        ("description", gettext_lazy("Description")),
        ("how_to_access", gettext_lazy("How to get the service")),
    ):
        for code in rules.LANGUAGES:
            texts.append(
                Field(
                    f"{name}_{code}",
                    f"{label} ({language_names[code]})",
                    "text" if name == "name" else "textarea",
                    lang=code,
                )
            )
    organisations = tuple((o.code, o.name) for o in _organisations_for(user))
    programmes = (
        ("", "—"),
        *tuple(
            (p.code, f"{p.organisation.name}: {p.name}")
            for p in Programme.objects.select_related("organisation").filter(
                organisation__code__in=[code for code, _name in organisations]
            )
        ),
    )
    categories = tuple(
        (item.code, ("· " if item.parent_id else "") + item.name)
        for top, subs in category_choices()
        for item in (top, *subs)
    )
    registry_categories = tuple((c.code, c.name) for c in Category.objects.filter(is_active=True))
    return [
        (
            gettext_lazy("The service"),
            [
                Field(
                    "code",
                    gettext_lazy("Short code"),
                    "text",
                    help=gettext_lazy(
                        "Lower-case Latin letters, digits and hyphens; it names the service in files."
                    ),
                ),
                Field("organisation", gettext_lazy("Provider"), "select", organisations),
                Field("programme", gettext_lazy("Programme"), "select", programmes),
                Field("category", gettext_lazy("Kind of service"), "select", categories),
            ],
        ),
        (gettext_lazy("In three languages"), texts),
        (
            gettext_lazy("Where"),
            [
                Field("nationwide", gettext_lazy("The whole country"), "bool"),
                Field("remote", gettext_lazy("By phone or online, from anywhere"), "bool"),
                Field("governorates", gettext_lazy("Whole governorates"), "governorates"),
                Field(
                    "districts",
                    gettext_lazy("Districts"),
                    "districts",
                    help=gettext_lazy("Only districts outside the governorates chosen above."),
                ),
                Field(
                    "settlements",
                    gettext_lazy("Urban or rural"),
                    "checkboxes",
                    _fact_choices("settlement"),
                    help=gettext_lazy("Leave empty for both."),
                ),
            ],
        ),
        (
            gettext_lazy("Who it is for"),
            [
                Field("min_age", gettext_lazy("Minimum age"), "int"),
                Field("max_age", gettext_lazy("Maximum age"), "int"),
                Field(
                    "sexes",
                    gettext_lazy("Sex"),
                    "checkboxes",
                    _fact_choices("sex"),
                    help=gettext_lazy("Leave a list empty when it does not matter."),
                ),
                Field(
                    "return_types", gettext_lazy("Type of return"), "checkboxes", _fact_choices("return_type")
                ),
                Field(
                    "statuses_abroad",
                    gettext_lazy("Status abroad"),
                    "checkboxes",
                    _fact_choices("status_abroad"),
                ),
                Field(
                    "employment_statuses",
                    gettext_lazy("Employment"),
                    "checkboxes",
                    _fact_choices("employment_status"),
                ),
                Field(
                    "vulnerabilities",
                    gettext_lazy("Vulnerabilities (any of)"),
                    "checkboxes",
                    _fact_choices("vulnerabilities"),
                ),
                Field(
                    "categories",
                    gettext_lazy("Categories of returnees (any of)"),
                    "checkboxes",
                    registry_categories,
                ),
                Field(
                    "min_months_since_return", gettext_lazy("Returned at least this many months ago"), "int"
                ),
                Field(
                    "max_months_since_return", gettext_lazy("Returned at most this many months ago"), "int"
                ),
            ],
        ),
        (
            gettext_lazy("Capacity, cost and contact"),
            [
                Field(
                    "capacity_per_month",
                    gettext_lazy("Places per month"),
                    "int",
                    help=gettext_lazy("Leave empty when there is no fixed limit."),
                ),
                Field(
                    "cost",
                    gettext_lazy("Cost"),
                    "select",
                    tuple((str(v), str(label)) for v, label in enums.Cost.choices),
                ),
                Field(
                    "languages",
                    gettext_lazy("Languages of the service"),
                    "checkboxes",
                    tuple((str(v), str(label)) for v, label in enums.ServiceLanguage.choices),
                ),
                Field("phone", gettext_lazy("Phone"), "tel"),
                Field("email", gettext_lazy("Email"), "email"),
                Field(
                    "hours_days",
                    gettext_lazy("Open on"),
                    "checkboxes",
                    tuple((str(v), str(label)) for v, label in enums.Weekday.choices),
                ),
                Field("hours_opens", gettext_lazy("Opens at"), "time"),
                Field("hours_closes", gettext_lazy("Closes at"), "time"),
                Field("starts_on", gettext_lazy("Available from"), "date"),
                Field("ends_on", gettext_lazy("Available until"), "date"),
            ],
        ),
    ]


def document_from_post(post: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {}
    for name in rules.FIELDS:
        if name in rules.LIST_FIELDS:
            doc[name] = post.getlist(name)
        elif name in rules.BOOL_FIELDS:
            doc[name] = post.get(name) == "on"
        else:
            doc[name] = post.get(name, "")
    return doc


def _render_form(
    request: HttpRequest,
    user: User,
    doc: dict[str, Any],
    errors: dict[str, list[Any]],
    service: Service | None,
) -> HttpResponse:
    return render(
        request,
        "catalogue/service_form.html",
        {
            "sections": form_sections(user),
            "doc": doc,
            "errors": errors,
            "service": service,
            "places": place_choices(),
            "is_reviewer": is_reviewer(user),
        },
        status=400 if errors else 200,
    )


def _empty_document(user: User) -> dict[str, Any]:
    organisations = _organisations_for(user)
    doc: dict[str, Any] = {name: [] if name in rules.LIST_FIELDS else "" for name in rules.FIELDS}
    doc.update(nationwide=False, remote=False, cost="free", current_load=0)
    if len(organisations) == 1:
        doc["organisation"] = organisations[0].code
    return doc


@login_required
def service_new(request: HttpRequest) -> HttpResponse:
    user = provider(request)
    return _service_form(request, user, None)


@login_required
def service_edit(request: HttpRequest, service_uuid: Any) -> HttpResponse:
    user = provider(request)
    service = access_service_for_editing(user, service_uuid)
    return _service_form(request, user, service)


def _service_form(request: HttpRequest, user: User, service: Service | None) -> HttpResponse:
    if request.method != "POST":
        doc = actions.service_document(service) if service is not None else _empty_document(user)
        return _render_form(request, user, doc, {}, service)
    doc = document_from_post(request.POST)
    publish = is_reviewer(user) and request.POST.get("publish") == "1"
    try:
        if publish:
            saved = actions.service_publish(
                actor=user, document=doc, service=service, note=request.POST.get("note", "")
            )
            messages.success(request, _("The service is published."))
            return redirect("catalogue:service_history", service_uuid=saved.uuid)
        change = actions.service_propose(actor=user, document=doc, service=service)
    except AwdaError as error:
        errors = dict(error.fields)
        if not errors:
            errors = {"__all__": [error.message]}
        return _render_form(request, user, doc, errors, service)
    messages.success(
        request, _("Your proposal was sent for review. It becomes public once an administrator approves it.")
    )
    return redirect("catalogue:change", change_uuid=change.uuid)


# --------------------------------------------------------------------------------------------------
# Review
# --------------------------------------------------------------------------------------------------


def _labels(user: User) -> dict[str, str]:
    labels = {field.name: str(field.label) for _title, fields in form_sections(user) for field in fields}
    labels["current_load"] = str(_("Places taken this month"))  # kept on the service's page, not in the form
    return labels


_LATIN_FIELDS = frozenset({"code", "phone", "email", "hours_opens", "hours_closes", "starts_on", "ends_on"})


def _diff(
    labels: dict[str, str],
    names: dict[str, dict[str, str]],
    before: dict[str, Any] | None,
    after: dict[str, Any],
) -> list[tuple[str, str, str, bool, str]]:
    """Each field as (label, before, after, changed, script), values said with names, not codes.

    ``script`` is "en" for English texts and "ltr" for codes, numbers and addresses, so that the page
    marks their language and direction.
    """
    rows = []
    for name in rules.FIELDS:
        old = before.get(name) if before is not None else None
        new = after.get(name)
        changed = before is not None and spreadsheets.cell(old) != spreadsheets.cell(new)
        script = "en" if name.endswith("_en") else "ltr" if name in _LATIN_FIELDS else ""
        shown_old = shown_value(name, old, names) if before is not None else ""
        rows.append((labels.get(name, name), shown_old, shown_value(name, new, names), changed, script))
    return rows


@login_required
def change_page(request: HttpRequest, change_uuid: Any) -> HttpResponse:
    user = provider(request)
    change = access_change_by_id(user, change_uuid)
    if request.method == "POST":
        decision = request.POST.get("decision", "")
        note = request.POST.get("note", "")
        try:
            if decision == "approve":
                actions.service_change_approve(actor=user, change=change, note=note)
                messages.success(request, _("The change is approved and public."))
            elif decision == "reject":
                actions.service_change_reject(actor=user, change=change, note=note)
                messages.success(request, _("The proposal was returned to the provider."))
            elif decision == "withdraw":
                actions.service_change_withdraw(actor=user, change=change)
                messages.success(request, _("The proposal was withdrawn."))
            else:
                raise AwdaError(_("Choose approve or return."), code="invalid")
        except AwdaError as error:
            messages.error(
                request, " ".join([str(error.message), *(str(m) for ms in error.fields.values() for m in ms)])
            )
        return redirect("catalogue:change", change_uuid=change.uuid)
    current = actions.service_document(change.service) if change.service is not None else None
    return render(
        request,
        "catalogue/change_page.html",
        {
            "change": change,
            "rows": _diff(
                _labels(user),
                value_names(),
                current if change.status == enums.ChangeStatus.PENDING else None,
                change.document,
            ),
            "is_new": change.service is None or change.base_version is None,
            "stale": change.service is not None
            and change.base_version is not None
            and change.service.version != change.base_version
            and change.status == enums.ChangeStatus.PENDING,
            "is_reviewer": is_reviewer(user),
        },
    )


@login_required
@require_GET
def service_history(request: HttpRequest, service_uuid: Any) -> HttpResponse:
    user = provider(request)
    service = access_service_for_editing(user, service_uuid)
    versions = list(service.versions.select_related("approved_by", "change__proposed_by").order_by("-number"))
    labels = _labels(user)
    names = value_names()
    entries = []
    for index, version in enumerate(versions):
        previous = versions[index + 1].document if index + 1 < len(versions) else None
        entries.append(
            {
                "version": version,
                "changes": [r for r in _diff(labels, names, previous, version.document) if r[3]],
            }
        )
    return render(
        request,
        "catalogue/service_history.html",
        {"service": service, "entries": entries, "is_reviewer": is_reviewer(user)},
    )


@login_required
@require_POST
def service_load(request: HttpRequest, service_uuid: Any) -> HttpResponse:
    user = provider(request)
    service = access_service_for_editing(user, service_uuid)
    try:
        load = int(request.POST.get("current_load", ""))
        actions.service_set_load(actor=user, service=service, load=load)
        messages.success(request, _("The places taken this month were updated."))
    except ValueError:
        messages.error(request, _("Enter a whole number."))
    except AwdaError as error:
        messages.error(
            request, " ".join([str(error.message), *(str(m) for ms in error.fields.values() for m in ms)])
        )
    return redirect("catalogue:service_history", service_uuid=service.uuid)


@login_required
@require_POST
def service_active(request: HttpRequest, service_uuid: Any) -> HttpResponse:
    user = provider(request)
    service = access_service_for_editing(user, service_uuid)
    try:
        actions.service_set_active(actor=user, service=service, active=request.POST.get("active") == "1")
        messages.success(request, _("Saved."))
    except AwdaError as error:
        messages.error(request, str(error.message))
    return redirect("catalogue:service_history", service_uuid=service.uuid)


# --------------------------------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------------------------------


@login_required
def catalogue_import(request: HttpRequest) -> HttpResponse:
    user = reviewer(request)
    context: dict[str, Any] = {"problems": None, "counts": None}
    if request.method == "POST":
        upload = request.FILES.get("file")
        name = (upload.name or "").lower() if upload is not None else ""
        file_format = "xlsx" if name.endswith(".xlsx") else "csv" if name.endswith(".csv") else ""
        refusal = ""
        if upload is None:
            refusal = _("Choose a file.")
        elif not file_format:
            refusal = _("Upload a CSV or XLSX file.")
        elif upload.size is not None and upload.size > MAX_UPLOAD:
            refusal = _("The file is larger than 10 MB.")
        if refusal:
            messages.error(request, refusal)
        if not refusal and upload is not None:
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / f"catalogue.{file_format}"
                with path.open("wb") as handle:
                    for chunk in upload.chunks():
                        handle.write(chunk)
                try:
                    rows = list(spreadsheets.read_rows(path, file_format))
                    counts = actions.services_import(
                        actor=user,
                        rows=rows,
                        note=(_("Imported from %(file)s") % {"file": upload.name})[:255],
                    )
                except FileProblem as problem:
                    refusal = str(problem)
                    messages.error(request, refusal)
                except AwdaError as error:
                    refusal = str(error.message)
                    messages.error(request, refusal)
                    context["problems"] = sorted(error.fields.items(), key=lambda item: _row_key(item[0]))
                else:
                    context["counts"] = counts
                    messages.success(request, _("The catalogue was imported."))
        status = 400 if context["problems"] is not None or refusal else 200
        return render(request, "catalogue/import.html", context, status=status)
    return render(request, "catalogue/import.html", context)


def _row_key(label: str) -> int:
    digits = "".join(ch for ch in label if ch.isdigit())
    return int(digits) if digits else 0


@require_GET
def catalogue_export(request: HttpRequest, fmt: str) -> HttpResponse | StreamingHttpResponse:
    """The public catalogue as a spreadsheet (the same filters as the search page); public data only."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    services = search_services(filters_from(request.GET)).prefetch_related("governorates", "districts")
    documents = (actions.service_document(s) for s in services.select_related("programme"))
    if fmt == "csv":
        response: HttpResponse | StreamingHttpResponse = StreamingHttpResponse(
            spreadsheets.to_csv(documents), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(
            spreadsheets.to_xlsx(documents),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="awda-services.{fmt}"'
    return response
