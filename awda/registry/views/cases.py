"""The list of returnees with its filters and export, the case page, and editing a case by section."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from awda.accounts.access import signed_in_user
from awda.accounts.models import User
from awda.accounts.roles import Capability, has_capability
from awda.core import audit
from awda.core.api.pagination import CappedCountPaginator
from awda.core.errors import AwdaError, NotFound
from awda.core.forms import add_error_to_form
from awda.core.models import AuditAction
from awda.registry import actions, consents, enums, queries
from awda.registry.access import access_consent_by_uuid, access_returnee_by_uuid, can_edit, can_see_sensitive
from awda.registry.actions import EditConflict
from awda.registry.forms import (
    ConsentForm,
    DocumentFormSet,
    IdentityForm,
    MemberForm,
    NeedsForm,
    QualificationFormSet,
    ReturneeFilterForm,
    ReturnForm,
    SituationForm,
    SkillFormSet,
    StatusForm,
)
from awda.registry.models import HouseholdMember, Returnee
from awda.registry.panels import case_panels
from awda.registry.queries import merged_survivor_uuid
from awda.registry.views.intake import drafts_of

DUPLICATE_REASONS = {
    "same_document": gettext_lazy("Same document number"),
    "same_phone": gettext_lazy("Same phone number"),
    "same_given_name": gettext_lazy("Same given name (in another spelling)"),
    "similar_given_name": gettext_lazy("Similar given name"),
    "different_given_name": gettext_lazy("Different given name"),
    "same_father_name": gettext_lazy("Same father's name"),
    "same_grandfather_name": gettext_lazy("Same grandfather's name"),
    "same_family_name": gettext_lazy("Same family name"),
    "same_mother_name": gettext_lazy("Same mother's name"),
    "different_mother_name": gettext_lazy("Different mother's name"),
    "same_birth_date": gettext_lazy("Same date of birth"),
    "close_birth_date": gettext_lazy(
        "Close date of birth (placeholder day, swapped day and month, or within a month)"
    ),
    "same_birth_year": gettext_lazy("Same year of birth"),
    "different_birth_date": gettext_lazy("Different date of birth"),
}
EXPORT_LIMIT = 100_000


def _viewer(request: HttpRequest) -> User:
    user = signed_in_user(request)
    if not has_capability(user, Capability.VIEW_RECORDS):
        raise Http404
    return user


@login_required
def returnee_list(request: HttpRequest) -> HttpResponse:
    user = _viewer(request)
    form = ReturneeFilterForm(request.GET or None)
    visible = queries.returnees_visible_to(user)
    hits = None
    if form.is_valid():
        filtered = queries.filter_returnees(visible, form.filters())
        query = form.cleaned_data.get("q", "")
        if query:
            hits = queries.search_returnees(user, query, base=filtered, limit=100)
    else:
        filtered = visible if not form.is_bound else visible.none()
    if hits is not None:
        page = Paginator([h.returnee for h in hits], 50).get_page(request.GET.get("page"))
        total = len(hits)
    else:
        ordered = filtered.select_related("governorate").order_by("-created_at", "-id")
        paginator = CappedCountPaginator(ordered, 50)
        page = paginator.get_page(request.GET.get("page"))
        total = paginator.count
    query_string = request.GET.copy()
    query_string.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "total": total,
        "total_is_exact": total <= CappedCountPaginator.cap,
        "cap": CappedCountPaginator.cap,
        "page_query": query_string.urlencode(),
        "can_register": has_capability(user, Capability.REGISTER_RECORDS) and user.office_id is not None,
        "can_export": has_capability(user, Capability.EXPORT_RECORDS),
        "drafts": drafts_of(user) if has_capability(user, Capability.REGISTER_RECORDS) else [],
    }
    return render(request, "registry/returnee_list.html", context, status=400 if form.errors else 200)


EXPORT_COLUMNS: list[tuple[str, Any, str]] = [
    ("case_number", gettext_lazy("case number"), "#case+code"),
    ("full_name", gettext_lazy("full name"), "#beneficiary+name"),
    ("full_name_latin", gettext_lazy("full name (Latin letters)"), "#beneficiary+name+latin"),
    ("sex", gettext_lazy("sex"), "#beneficiary+sex"),
    ("date_of_birth", gettext_lazy("date of birth"), "#beneficiary+birth+date"),
    ("governorate_id", gettext_lazy("governorate"), "#adm1+code"),
    ("district_id", gettext_lazy("district"), "#adm2+code"),
    ("settlement", gettext_lazy("urban or rural"), "#loc+type"),
    ("return_type", gettext_lazy("type of return"), "#beneficiary+return+type"),
    ("country_returned_from_id", gettext_lazy("country returned from"), "#country+code+origin"),
    ("return_date", gettext_lazy("return date"), "#date+return"),
    ("status", gettext_lazy("status"), "#status"),
    ("categories", gettext_lazy("categories"), "#beneficiary+category"),
]


def _export_rows(records: list[Returnee]) -> list[list[str]]:
    rows = []
    for r in records:
        codes = ",".join(sorted(c.category.code for c in r.categories.all()))
        values = {
            **{name: getattr(r, name) for name, _l, _h in EXPORT_COLUMNS if name != "categories"},
            "categories": codes,
        }
        rows.append(["" if values[name] is None else str(values[name]) for name, _l, _h in EXPORT_COLUMNS])
    return rows


@login_required
def returnee_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The filtered list as CSV or XLSX (with HXL hashtags), for roles allowed to export; audited."""
    user = _viewer(request)
    if not has_capability(user, Capability.EXPORT_RECORDS) or fmt not in ("csv", "xlsx"):
        raise Http404
    form = ReturneeFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return returnee_list(request)
    filters = form.filters() if form.is_bound else {}
    records = list(
        queries.filter_returnees(queries.returnees_editable_by(user), filters)
        .prefetch_related("categories__category")
        .order_by("case_number")[:EXPORT_LIMIT]
    )
    audit.record(
        actor=user,
        action=AuditAction.EXPORT,
        object_type="registry.returnee",
        object_id=f"{len(records)} records",
        fields=[name for name, _l, _h in EXPORT_COLUMNS],
    )
    header = [str(label) for _n, label, _h in EXPORT_COLUMNS]
    hxl = [tag for _n, _l, tag in EXPORT_COLUMNS]
    rows = _export_rows(records)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerows([header, hxl, *rows])
        response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("returnees")
        for row in [header, hxl, *rows]:
            sheet.append(row)
        out = io.BytesIO()
        workbook.save(out)
        response = HttpResponse(
            out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    response["Content-Disposition"] = f'attachment; filename="awda-returnees-{stamp}.{fmt}"'
    return response


def _case_or_404(
    request: HttpRequest, returnee_uuid: str, *, for_edit: bool = False
) -> tuple[User, Returnee]:
    user = _viewer(request)
    try:
        return user, access_returnee_by_uuid(user, returnee_uuid, for_edit=for_edit)
    except NotFound as error:
        raise Http404 from error


@login_required
def case_page(request: HttpRequest, returnee_uuid: str) -> HttpResponse:
    survivor = merged_survivor_uuid(_viewer(request), returnee_uuid)
    if survivor is not None:
        messages.info(request, _("This record was merged into the one below; the merge can be undone."))
        return redirect("registry:case", returnee_uuid=survivor)
    user, returnee = _case_or_404(request, returnee_uuid)
    editable = can_edit(user, returnee)
    context = {
        "returnee": returnee,
        "editable": editable,
        "sensitive": can_see_sensitive(user, returnee),
        "phones": list(returnee.phones.all()),
        "documents": list(returnee.documents.all()),
        "qualifications": list(returnee.qualifications.select_related("country")),
        "skills": list(returnee.skills.select_related("occupation")),
        "needs": list(returnee.needs.all()),
        "members": list(returnee.household.members.select_related("returnee"))  # type: ignore[union-attr]
        if returnee.household_id
        else [],
        "categories": list(
            returnee.categories.select_related("category").order_by("category__kind", "category__order")
        ),
        "consents": list(
            returnee.consents.select_related("shared_with", "recorded_by").order_by("-recorded_at")
        ),
        "events": list(returnee.events.select_related("actor")[:50]),
        "panels": case_panels(user, returnee, request),
        "contact_allowed": consents.contact_allowed(returnee),
        "status_form": StatusForm(
            initial={"status": returnee.status, "closure_reason": returnee.closure_reason}
        ),
        "consent_form": ConsentForm(),
        "member_form": MemberForm(prefix="member"),
        "shared_view": returnee.institution_id != user.institution_id,
        "extra_answers": _extra_answers(returnee),
        "extra_form": actions.published_form(returnee.institution_id),
        "reason_choices": enums.MigrationReason.choices,
        "income_choices": enums.IncomeSource.choices,
        "vulnerability_choices": enums.Vulnerability.choices,
    }
    return render(request, "registry/case_page.html", context)


def _answer_text(question: Any, value: Any) -> str:
    if value is True:
        return str(_("Yes"))
    if value is False:
        return str(_("No"))
    if question.type in ("select_one", "select_multiple"):
        language = (get_language() or "ar").split("-")[0]
        labels = {c["value"]: c.get(f"label_{language}") or c["label_en"] for c in question.choices}
        values = value if isinstance(value, list) else [value]
        return "، ".join(str(labels.get(v) or v) for v in values)
    return str(value)


def _extra_answers(returnee: Returnee) -> list[tuple[int, list[tuple[str, str]]]]:
    """Each answered version with its questions' labels (as they were asked) and the answers."""
    result = []
    for row in returnee.extra_answers.select_related("form").order_by("-form__version"):
        questions = {q.code: q for q in row.form.questions.all()}
        rows = [
            (questions[code].name, _answer_text(questions[code], value))
            for code, value in row.answers.items()
            if code in questions
        ]
        result.append((row.form.version, rows))
    return result


SECTIONS = {
    "identity": gettext_lazy("Identity"),
    "return": gettext_lazy("Return"),
    "situation": gettext_lazy("Situation"),
    "needs": gettext_lazy("Needs"),
}


def _section_forms(section: str, data: QueryDict | None, returnee: Returnee, user: User) -> dict[str, Any]:
    sensitive = can_see_sensitive(user, returnee)
    if section == "identity":
        phones = "\n".join(p.number for p in returnee.phones.all())
        documents = [
            {"type": d.type, "number": d.number, "status": d.status, "name_on_document": d.name_on_document}
            for d in returnee.documents.all()
        ]
        return {
            "main": IdentityForm(data, instance=returnee, prefix="id", initial={"phones": phones}),
            "documents": DocumentFormSet(data, prefix="doc", initial=documents),
        }
    if section == "return":
        return {"main": ReturnForm(data, instance=returnee, prefix="ret")}
    if section == "situation":
        qualifications = [
            {"title": q.title, "country": q.country_id, "recognised": q.recognised}
            for q in returnee.qualifications.all()
        ]
        skills = [
            {
                "occupation": s.occupation_id,
                "years_experience": s.years_experience,
                "acquired_abroad": s.acquired_abroad,
            }
            for s in returnee.skills.all()
        ]
        return {
            "main": SituationForm(data, instance=returnee, prefix="sit", sensitive=sensitive),
            "qualifications": QualificationFormSet(data, prefix="qual", initial=qualifications),
            "skills": SkillFormSet(data, prefix="skill", initial=skills),
        }
    if section == "needs":
        initial = {
            f"need_{n.category}": "interest" if n.is_interest else n.priority for n in returnee.needs.all()
        }
        return {"main": NeedsForm(data, prefix="need", initial=initial)}
    raise Http404


def _section_changes(section: str, forms_: dict[str, Any]) -> dict[str, Any]:
    main = forms_["main"]
    if section == "needs":
        return {"changes": {}, "needs": main.needs()}
    changes = {name: main.cleaned_data[name] for name in main.fields if name in actions.RECORD_FIELDS}
    for name in ("migration_reasons", "income_sources", "vulnerabilities"):
        if name in changes:
            changes[name] = list(changes[name] or [])
    for name, value in list(changes.items()):
        field = Returnee._meta.get_field(name)
        if value is None and not field.null:
            changes[name] = 0 if name == "times_displaced" else ""
    result: dict[str, Any] = {"changes": changes}
    if section == "identity":
        result["phones"] = main.phone_list()
        result["documents"] = [
            {k: d[k] for k in ("type", "number", "status", "name_on_document")}
            for d in forms_["documents"].cleaned_data
            if d.get("type")
        ]
    if section == "situation":
        result["qualifications"] = [q for q in forms_["qualifications"].cleaned_data if q.get("title")]
        result["skills"] = [
            {
                "occupation": s["occupation"],
                "years_experience": s.get("years_experience") or 0,
                "acquired_abroad": s["acquired_abroad"],
            }
            for s in forms_["skills"].cleaned_data
            if s.get("occupation")
        ]
    return result


@login_required
def case_edit(request: HttpRequest, returnee_uuid: str, section: str) -> HttpResponse:
    if section not in SECTIONS:
        raise Http404
    user, returnee = _case_or_404(request, returnee_uuid, for_edit=True)
    conflict: EditConflict | None = None
    if request.method == "POST":
        forms_ = _section_forms(section, request.POST, returnee, user)
        if all(f.is_valid() for f in forms_.values()):
            try:
                expected = int(request.POST.get("version", "0"))
            except ValueError:
                expected = 0
            try:
                actions.returnee_update(
                    actor=user,
                    returnee=returnee,
                    expected_version=expected,
                    **_section_changes(section, forms_),
                )
            except EditConflict as error:
                conflict = error
            except AwdaError as error:
                add_error_to_form(forms_["main"], error)
            else:
                messages.success(request, _("The case has been saved."))
                return HttpResponseRedirect(reverse("registry:case", args=[returnee.uuid]))
        version = returnee.version if conflict is None else conflict.current_version
        status = 409 if conflict else 400
    else:
        forms_ = _section_forms(section, None, returnee, user)
        version, status = returnee.version, 200
    context = {
        "returnee": returnee,
        "section": section,
        "section_title": SECTIONS[section],
        "forms": forms_,
        "version": version,
        "conflict": conflict,
        "event_labels": dict(Returnee._meta.get_field("status").choices or []),
    }
    return render(request, "registry/case_edit.html", context, status=status)


@login_required
@require_POST
def case_status(request: HttpRequest, returnee_uuid: str) -> HttpResponse:
    user, returnee = _case_or_404(request, returnee_uuid, for_edit=True)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            actions.case_set_status(actor=user, returnee=returnee, **form.cleaned_data)
        except AwdaError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("The status has been changed."))
    else:
        messages.error(request, _("Choose a valid status."))
    return HttpResponseRedirect(reverse("registry:case", args=[returnee.uuid]))


@login_required
@require_POST
def consent_add(request: HttpRequest, returnee_uuid: str) -> HttpResponse:
    user, returnee = _case_or_404(request, returnee_uuid, for_edit=True)
    form = ConsentForm(request.POST)
    if form.is_valid():
        try:
            actions.consent_record(actor=user, returnee=returnee, data=form.cleaned_data)
        except AwdaError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("The consent has been recorded."))
    else:
        messages.error(request, _("The consent could not be recorded: some fields are missing."))
    return HttpResponseRedirect(reverse("registry:case", args=[returnee.uuid]) + "#consents")


@login_required
@require_POST
def consent_withdraw(request: HttpRequest, returnee_uuid: str, consent_uuid: str) -> HttpResponse:
    user, returnee = _case_or_404(request, returnee_uuid, for_edit=True)
    try:
        consent = access_consent_by_uuid(user, consent_uuid)
    except NotFound as error:
        raise Http404 from error
    if consent.returnee_id != returnee.pk:
        raise Http404
    try:
        actions.consent_withdraw(actor=user, consent=consent)
    except AwdaError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The consent has been withdrawn."))
    return HttpResponseRedirect(reverse("registry:case", args=[returnee.uuid]) + "#consents")


@login_required
@require_POST
def member_add(request: HttpRequest, returnee_uuid: str) -> HttpResponse:
    user, returnee = _case_or_404(request, returnee_uuid, for_edit=True)
    form = MemberForm(request.POST, prefix="member")
    if form.is_valid() and form.cleaned_data.get("name"):
        data = dict(form.cleaned_data.items())
        try:
            actions.household_member_add(actor=user, returnee=returnee, member=data)
        except AwdaError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("The household member has been added."))
    else:
        messages.error(request, _("Give the member's name and relationship."))
    return HttpResponseRedirect(reverse("registry:case", args=[returnee.uuid]) + "#household")


@login_required
@require_POST
def member_remove(request: HttpRequest, returnee_uuid: str, member_uuid: str) -> HttpResponse:
    user, returnee = _case_or_404(request, returnee_uuid, for_edit=True)
    member = HouseholdMember.objects.filter(uuid=member_uuid, household__returnees=returnee).first()
    if member is None:
        raise Http404
    try:
        actions.household_member_remove(actor=user, returnee=returnee, member=member)
    except AwdaError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The household member has been removed."))
    return HttpResponseRedirect(reverse("registry:case", args=[returnee.uuid]) + "#household")


@login_required
def case_form_xlsform(request: HttpRequest) -> HttpResponse:
    """The standard case form as an XLSForm for KoboToolbox and ODK."""
    _viewer(request)
    from awda.registry.xlsform import FORM_VERSION, build_xlsform

    response = HttpResponse(
        build_xlsform(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="awda-case-form-{FORM_VERSION}.xlsx"'
    return response
