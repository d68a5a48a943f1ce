"""Pages of data exchange: the review queue of uncertain pairs, a pair side by side, merges and their undo."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from awda.accounts.models import User
from awda.core import audit
from awda.core.errors import AwdaError
from awda.core.models import AuditAction
from awda.exchange import actions, enums
from awda.exchange.access import home
from awda.exchange.explain import explanation_rows, outranked_reason
from awda.exchange.forms import DecisionForm
from awda.exchange.models import CandidatePair, ImportBatch, Merge
from awda.exchange.views.imports import steward
from awda.registry.models import Returnee
from awda.registry.queries import returnees_visible_to

# What the side-by-side view shows of a registry record, in this order.
RETURNEE_ROWS = (
    ("given_name", gettext_lazy("Given name")),
    ("father_name", gettext_lazy("Father's name")),
    ("grandfather_name", gettext_lazy("Grandfather's name")),
    ("family_name", gettext_lazy("Family or tribal name")),
    ("mother_name", gettext_lazy("Mother's name")),
    ("date_of_birth", gettext_lazy("Date of birth")),
    ("sex", gettext_lazy("Sex")),
    ("governorate", gettext_lazy("Governorate")),
    ("phone", gettext_lazy("Phone")),
    ("national_id", gettext_lazy("National ID number")),
)


def pairs_of(user: User) -> Any:
    """Pairs whose registry records the user may see; the second record of a duplicate pair too."""
    visible = returnees_visible_to(user).filter(institution_id=home(user))
    return CandidatePair.objects.filter(returnee__in=visible).exclude(
        other_returnee__isnull=False, other_returnee__merged_into__isnull=False
    )


def pair_of(user: User, pair_uuid: Any) -> CandidatePair:
    pair = (
        pairs_of(user)
        .select_related("returnee", "other_returnee", "record__source", "record__batch", "run")
        .filter(uuid=pair_uuid)
        .first()
    )
    if pair is None:
        raise Http404
    return pair


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    user = steward(request)
    kind = request.GET.get("kind", "")
    status = request.GET.get("status", enums.PairStatus.PENDING)
    pairs = pairs_of(user).select_related("returnee", "other_returnee", "record__source")
    if kind in enums.RunKind.values:
        pairs = pairs.filter(kind=kind)
    if status in enums.PairStatus.values:
        pairs = pairs.filter(status=status)
    page = Paginator(pairs.order_by("-match_probability", "pk"), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "exchange/review_queue.html",
        {
            "page": page,
            "kind": kind,
            "status": status,
            "kinds": enums.RunKind.choices,
            "statuses": enums.PairStatus.choices,
            "page_query": f"kind={kind}&status={status}",
        },
    )


def _returnee_column(returnee: Returnee) -> dict[str, str]:
    phone = returnee.phones.values_list("number", flat=True).first() or ""
    document = returnee.documents.exclude(number="").values_list("number", flat=True).first() or ""
    return {
        "given_name": returnee.given_name,
        "father_name": returnee.father_name,
        "grandfather_name": returnee.grandfather_name,
        "family_name": returnee.family_name,
        "mother_name": returnee.mother_name,
        "date_of_birth": returnee.date_of_birth.isoformat() if returnee.date_of_birth else "",
        "sex": returnee.get_sex_display(),
        "governorate": str(returnee.governorate) if returnee.governorate_id else "",
        "phone": phone,
        "national_id": document,
    }


def _readings(values: dict[str, str]) -> dict[str, str]:
    """How Awda reads a source's own sex and governorate values, in the reader's language: the page shows
    the value as the source wrote it (provenance) and this beside it when it differs ("IQG08: Baghdad")."""
    from awda.exchange.linkage import governorate_pcode, normalise_sex
    from awda.geo.models import Governorate
    from awda.registry.enums import Sex

    readings: dict[str, str] = {}
    sex = normalise_sex(values.get("sex", ""))
    if sex is not None:
        readings["sex"] = str(Sex.MALE.label if sex == "M" else Sex.FEMALE.label)
    pcode = governorate_pcode(values.get("governorate", ""))
    governorate = Governorate.objects.filter(pcode=pcode).first() if pcode else None
    if governorate is not None:
        readings["governorate"] = str(governorate)
    return {key: text for key, text in readings.items() if text.casefold() != values.get(key, "").casefold()}


@login_required
def pair_page(request: HttpRequest, pair_uuid: Any) -> HttpResponse:
    user = steward(request)
    pair = pair_of(user, pair_uuid)
    left = _returnee_column(pair.returnee)
    audit.record(actor=user, action=AuditAction.READ, obj=pair.returnee)
    if pair.record is not None:
        values = pair.record.values
        right = {key: values.get(key, "") for key, _label in RETURNEE_ROWS}
        if not right["given_name"]:
            right["given_name"] = values.get("full_name", "")
        audit.record(actor=user, action=AuditAction.READ, obj=pair.record)
        batches = {
            str(b.uuid): b
            for b in ImportBatch.objects.filter(
                uuid__in={p[0] for p in pair.record.value_provenance().values()}
            )
        }
        provenance = {
            key: (batches.get(str(tag)), row) for key, (tag, row) in pair.record.value_provenance().items()
        }
        other_title = pair.record.source.name
        readings = _readings(values)
    else:
        assert pair.other_returnee is not None
        right = _returnee_column(pair.other_returnee)
        audit.record(actor=user, action=AuditAction.READ, obj=pair.other_returnee)
        provenance = {}
        readings = {}
        other_title = pair.other_returnee.case_number
    rows = [
        {
            "label": label,
            "left": left.get(key, ""),
            "right": right.get(key, ""),
            "reading": readings.get(key, ""),
            "provenance": provenance.get(key),
        }
        for key, label in RETURNEE_ROWS
    ]
    merges = (
        Merge.objects.filter(pair=pair, undone_at__isnull=True).first() if pair.other_returnee_id else None
    )
    return render(
        request,
        "exchange/pair_page.html",
        {
            "pair": pair,
            "rows": rows,
            "other_title": other_title,
            "full_name": pair.record.values.get("full_name", "") if pair.record else "",
            "explanation": explanation_rows(pair.explanation, match_weight=pair.match_weight),
            "outranked": outranked_reason(pair.explanation),
            "form": DecisionForm(),
            "merge": merges,
            "can_merge": pair.kind == enums.RunKind.REGISTRY_DUPLICATES
            and pair.status in (enums.PairStatus.PENDING, enums.PairStatus.SAME),
        },
    )


@login_required
@require_POST
def pair_decide(request: HttpRequest, pair_uuid: Any) -> HttpResponse:
    user = steward(request)
    pair = pair_of(user, pair_uuid)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose same person or different people."))
        return redirect("exchange:pair", pair_uuid=pair.uuid)
    try:
        actions.pair_decide(
            actor=user,
            pair=pair,
            same=form.cleaned_data["decision"] == "same",
            note=form.cleaned_data["note"],
        )
    except AwdaError as error:
        messages.error(request, str(error.message))
        return redirect("exchange:pair", pair_uuid=pair.uuid)
    messages.success(request, _("Your decision was recorded."))
    following = (
        pairs_of(user).filter(status=enums.PairStatus.PENDING).order_by("-match_probability", "pk").first()
    )
    if following is not None:
        return redirect("exchange:pair", pair_uuid=following.uuid)
    return redirect("exchange:review")


@login_required
@require_POST
def pair_merge(request: HttpRequest, pair_uuid: Any) -> HttpResponse:
    user = steward(request)
    pair = pair_of(user, pair_uuid)
    try:
        merge = actions.returnees_merge(actor=user, pair=pair, survivor_uuid=request.POST.get("survivor", ""))
    except AwdaError as error:
        messages.error(
            request, str(error.message if not error.fields else next(iter(error.fields.values()))[0])
        )
        return redirect("exchange:pair", pair_uuid=pair.uuid)
    messages.success(
        request,
        _("The records were merged into %(case)s. The merge can be undone from the list of merges.")
        % {"case": merge.survivor.case_number},
    )
    return redirect("registry:case", returnee_uuid=merge.survivor.uuid)


@login_required
def merge_list(request: HttpRequest) -> HttpResponse:
    user = steward(request)
    visible = returnees_visible_to(user).filter(institution_id=home(user))
    merges = Merge.objects.filter(survivor__in=visible).select_related(
        "survivor", "merged", "merged_by", "undone_by"
    )
    page = Paginator(merges, 25).get_page(request.GET.get("page"))
    return render(request, "exchange/merge_list.html", {"page": page})


@login_required
@require_POST
def merge_undo(request: HttpRequest, merge_uuid: Any) -> HttpResponse:
    user = steward(request)
    visible = returnees_visible_to(user).filter(institution_id=home(user))
    merge = Merge.objects.filter(uuid=merge_uuid, survivor__in=visible).first()
    if merge is None:
        raise Http404
    try:
        actions.merge_undo(actor=user, merge=merge)
    except AwdaError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The merge was undone: both records are back as they were."))
    return redirect("exchange:merges")


urlpatterns: list[URLPattern] = [
    path("review/", review_queue, name="review"),
    path("review/<uuid:pair_uuid>/", pair_page, name="pair"),
    path("review/<uuid:pair_uuid>/decide/", pair_decide, name="pair_decide"),
    path("review/<uuid:pair_uuid>/merge/", pair_merge, name="pair_merge"),
    path("merges/", merge_list, name="merges"),
    path("merges/<uuid:merge_uuid>/undo/", merge_undo, name="merge_undo"),
]
