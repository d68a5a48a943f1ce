"""`awda demo`'s job market: 50 companies and 300 offers, placements in every state made through the actions,
a retention check due, and nothing new on a second run."""

from __future__ import annotations

import pytest
from django.db.models import Count
from django.utils import timezone

from awda.accounts.demo import demo_accounts
from awda.accounts.models import User
from awda.core.models import AuditEntry
from awda.jobs import access, queries
from awda.jobs.demo import demo_jobs
from awda.jobs.enums import EmployerStatus, OfferKind, OfferStatus, PlacementStatus
from awda.jobs.models import (
    Commitment,
    Employer,
    JobProfile,
    Offer,
    Placement,
    PlacementTransition,
    RetentionCheck,
)
from awda.registry.demo import demo_returnees
from awda.registry.enums import ConsentPurpose
from awda.registry.models import Consent


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            Employer,
            Commitment,
            Offer,
            JobProfile,
            Placement,
            PlacementTransition,
            RetentionCheck,
            Consent,
            User,
            AuditEntry,
        )
    }


@pytest.mark.django_db
def test_the_demo_job_market() -> None:
    # Given the demo accounts and returnees
    demo_accounts()
    demo_returnees(300, seed=7)

    # When the job market's demo runs
    summary = demo_jobs()

    # Then 50 companies: 45 approved, 4 waiting for review, 1 rejected
    assert summary.startswith("50 companies (45 approved), 300 offers")
    statuses = dict(Employer.objects.values_list("status").annotate(n=Count("id")))
    assert statuses == {EmployerStatus.APPROVED: 45, EmployerStatus.PENDING: 4, EmployerStatus.REJECTED: 1}
    company = Employer.objects.get(institution__code="rafidain-build")
    assert company.status == EmployerStatus.APPROVED and company.platform_member
    assert access.employer_of(User.objects.get(username="employer")) == company
    members = Employer.objects.filter(platform_member=True)
    assert members.count() >= 10
    assert (
        Commitment.objects.filter(employer__in=members).values("employer").distinct().count()
        == members.count()
    )

    # 300 offers, of every kind, most open, some drafts, closed and filled, across places
    assert Offer.objects.count() == 300
    by_status = dict(Offer.objects.values_list("status").annotate(n=Count("id")))
    assert by_status[OfferStatus.OPEN] > 200
    assert min(by_status[OfferStatus.DRAFT], by_status[OfferStatus.CLOSED], by_status[OfferStatus.FILLED]) > 0
    assert set(Offer.objects.values_list("kind", flat=True)) == set(OfferKind.values)
    assert Offer.objects.values("governorate").distinct().count() >= 12
    assert set(Offer.objects.values_list("settlement", flat=True)) == {"urban", "rural"}
    assert Offer.objects.filter(remote=True).exists()
    assert not Offer.objects.exclude(employer__status=EmployerStatus.APPROVED).exists()
    assert all(len(code) == 4 for code in Offer.objects.values_list("occupation_id", flat=True))
    assert Offer.objects.filter(skills__isnull=False).distinct().count() > 250

    # job profiles for the case workers' job seekers with an occupation
    assert JobProfile.objects.count() > 40
    assert not JobProfile.objects.filter(returnee__skills__isnull=True).exists()

    # placements in every state, each with its history, on people a demo case worker may act for
    placements = list(Placement.objects.select_related("offer__employer", "returnee"))
    assert {p.status for p in placements} == set(PlacementStatus.values)
    workers = [User.objects.get(username=n) for n in ("caseworker", "caseworker.erbil")]
    for placement in placements:
        assert any(access.case_side(w, placement) for w in workers), placement.returnee.case_number
        assert placement.transitions.last().to_status == placement.status
    assert Placement.objects.filter(requested_by_employer=True, offer__employer=company).exists()
    shared = [p for p in placements if p.status not in (PlacementStatus.PROPOSED, PlacementStatus.DECLINED)]
    for placement in shared:  # agreeing recorded the person's consent to share with the company
        assert placement.consent is not None
        assert placement.consent.purpose == ConsentPurpose.SHARING_EMPLOYERS
        assert placement.consent.shared_with_id == placement.offer.employer.institution_id

    # hires with retention checks at 3 and 6 months; one recorded, one overdue, listed for MoLSA
    hired = [p for p in placements if p.status == PlacementStatus.HIRED]
    assert hired and any(p.offer.employer == company for p in hired)
    for placement in hired:
        assert sorted(placement.retention_checks.values_list("months", flat=True)) == [3, 6]
    assert RetentionCheck.objects.exclude(result="").exists()
    staff = User.objects.get(username="jobs")
    assert access.employment_staff(staff) and staff.institution.code == "molsa"
    due = list(queries.retention_due(staff))
    assert due and any(c.due_on < timezone.localdate() for c in due)
    assert Offer.objects.filter(status=OfferStatus.FILLED, placements__status=PlacementStatus.HIRED).exists()

    # When it runs again, then nothing new
    before = _counts()
    assert demo_jobs() == "already there"
    assert _counts() == before


@pytest.mark.django_db
def test_without_the_demo_accounts_it_does_nothing() -> None:
    assert demo_jobs() == "no demo accounts"
    assert not Employer.objects.exists()
