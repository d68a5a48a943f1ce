"""What the job-market pages share: who is signed in, domain errors on forms, lists by page, and what a
viewer may learn of the person behind a placement (their name, or only a candidate label)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from awda.accounts.access import signed_in_user
from awda.accounts.models import User
from awda.core import audit
from awda.core.errors import AwdaError, NotFound
from awda.core.forms import add_error_to_form
from awda.core.models import AuditAction
from awda.jobs import access
from awda.jobs.models import Placement
from awda.registry.models import Returnee
from awda.registry.queries import AGE_GROUP_LABELS, AGE_GROUPS, returnees_visible_to

PAGE_SIZE = 50


def viewer(request: HttpRequest) -> User:
    """The signed-in user (every page but the registration is behind ``login_required``)."""
    try:
        return signed_in_user(request)
    except NotFound as error:
        raise Http404 from error


def not_found(error: NotFound) -> Http404:
    return Http404(str(error.message))


def show_error(request: HttpRequest, error: AwdaError, form: forms.BaseForm | None = None) -> None:
    """On the form when there is one (field by field), else as messages at the top of the page."""
    if form is not None:
        add_error_to_form(form, error)
        return
    messages.error(request, str(error.message))
    for field_messages in error.fields.values():
        for message in field_messages:
            if str(message) != str(error.message):
                messages.error(request, str(message))


def page_of(request: HttpRequest, rows: QuerySet[Any], size: int = PAGE_SIZE) -> Page[Any]:
    return Paginator(rows, size).get_page(request.GET.get("page"))


def age_group(born: date | None, today: date | None = None) -> str:
    """The registry's age group ("25 to 39"), never the age itself."""
    if born is None:
        return _("Age not recorded")
    today = today or timezone.localdate()
    years = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    for code, (low, high) in AGE_GROUPS.items():
        if years >= low and (high is None or years <= high):
            return str(AGE_GROUP_LABELS[code])
    return _("Age not recorded")


@dataclass(frozen=True)
class Person:
    """The person of a placement as this viewer may see them."""

    label: str  # the candidate label, always
    name: str = ""  # "" when the viewer may not know who it is
    phone: str = ""
    case_link: bool = False  # the viewer may open the case

    @property
    def known(self) -> bool:
        return bool(self.name)


def people_of(user: User, placements: Iterable[Placement], *, with_phone: bool = False) -> dict[int, Person]:
    """Who each placement's person is for ``user``, with an audited read for every name shown.

    A company sees a person only once the placement was shared with it and while the person's consent
    to share with it is in force (``access.employer_may_see``); before, a label per offer. Case workers
    and the employment office see the names of the records they may see in the registry; the employment
    office, acting for a company, also what the company may see."""
    placements = list(placements)
    company = access.employer_of(user)
    visible: set[int] = set()
    if company is None:
        ids = {p.returnee_id for p in placements}
        visible = set(returnees_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))
    staff = company is None and access.employment_staff(user)
    out: dict[int, Person] = {}
    reads: list[tuple[Returnee, list[str]]] = []
    phones: dict[int, str] = {}
    disclosed: dict[int, bool] = {}
    for placement in placements:
        if company is not None or (staff and placement.returnee_id not in visible):
            disclosed[placement.pk] = access.employer_may_see(placement)
    shown = [p for p in placements if p.returnee_id in visible or disclosed.get(p.pk)]
    if with_phone and shown:
        for returnee_id, number in (
            Returnee.objects.filter(pk__in={p.returnee_id for p in shown})
            .values_list("pk", "phones__number")
            .order_by("pk", "phones__id")
        ):
            if number and returnee_id not in phones:
                phones[returnee_id] = number
    for placement in placements:
        label = access.candidate_label(access.candidate_key(placement.offer, placement.returnee.uuid))
        if placement.returnee_id in visible or disclosed.get(placement.pk):
            returnee = placement.returnee
            phone = phones.get(returnee.pk, "") if with_phone else ""
            out[placement.pk] = Person(
                label=label,
                name=returnee.full_name or returnee.full_name_latin,
                phone=phone,
                case_link=placement.returnee_id in visible and company is None,
            )
            reads.append((returnee, ["identity", "contact"] if phone else ["identity"]))
        else:
            out[placement.pk] = Person(label=label)
    if reads:
        audit.record_many(actor=user, action=AuditAction.READ, objects=reads)
    return out
