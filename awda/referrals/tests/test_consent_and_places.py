"""Recording consent on a referral never narrows an earlier one; a revoked acceptance gives its place back."""

from __future__ import annotations

from typing import Any

import pytest

from awda.catalogue.models import Service
from awda.referrals import actions
from awda.registry import actions as registry_actions
from awda.registry.consents import ALL_PARTS, shared_parts
from awda.registry.models import Consent, Returnee

pytestmark = pytest.mark.django_db


def test_a_referral_consent_adds_to_an_earlier_one(
    case: Returnee, services: dict[str, Service], actors: dict[str, Any], ngo: dict[str, Any]
) -> None:
    # Given the person agreed earlier to share their whole case with the NGO
    registry_actions.consent_record(
        actor=actors["worker"],
        returnee=case,
        data={
            "purpose": "sharing_institution",
            "shared_with": ngo["institution"],
            "granted": True,
            "method": "written",
        },
    )
    # When a referral records consent for three parts
    actions.referral_make(
        actor=actors["worker"],
        returnee=case,
        service=services["ngo_docs"],
        need_category="documentation",
        shared_fields=["identity", "contact", "needs"],
        consent_method="verbal",
    )
    # Then nothing new is recorded and the whole-record consent stands
    active = Consent.objects.filter(returnee=case, purpose="sharing_institution", withdrawn_at__isnull=True)
    assert [(c.whole_record, c.method) for c in active] == [(True, "written")]
    assert shared_parts(case, ngo["institution"]) == ALL_PARTS


def test_asking_for_more_parts_keeps_the_parts_agreed_before(
    case: Returnee, services: dict[str, Service], actors: dict[str, Any], ngo: dict[str, Any]
) -> None:
    first = actions.referral_make(
        actor=actors["worker"],
        returnee=case,
        service=services["ngo_docs"],
        need_category="documentation",
        shared_fields=["identity", "documents"],
        consent_method="verbal",
    )
    actions.referral_revoke(actor=actors["worker"], referral=first, note="خطأ في الاختيار")
    actions.referral_make(
        actor=actors["worker"],
        returnee=case,
        service=services["ngo_docs"],
        need_category="documentation",
        shared_fields=["identity", "contact"],
        consent_method="verbal",
    )
    active = Consent.objects.get(returnee=case, purpose="sharing_institution", withdrawn_at__isnull=True)
    assert (active.whole_record, active.fields) == (False, ["contact", "documents", "identity"])


def test_revoking_an_accepted_referral_gives_the_place_back(
    case: Returnee, services: dict[str, Service], actors: dict[str, Any]
) -> None:
    service = services["ngo_docs"]
    referral = actions.referral_make(
        actor=actors["worker"],
        returnee=case,
        service=service,
        need_category="documentation",
        consent_method="verbal",
    )
    actions.referral_accept(actor=actors["ngo"], referral=referral)
    service.refresh_from_db()
    assert service.current_load == 1
    referral.refresh_from_db()
    actions.referral_revoke(actor=actors["worker"], referral=referral, note="انتقل الشخص إلى محافظة أخرى")
    service.refresh_from_db()
    assert service.current_load == 0
