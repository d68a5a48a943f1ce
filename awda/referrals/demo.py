"""Demo referrals and reintegration plans (``awda demo``), made through the real actions.

MoMD Baghdad's demo case worker refers about twenty-five of their cases to MoLSA and to the NGO Al-Amal
(whose demo provider finds several waiting in the inbox, and has accepted, served or declined others),
transfers one case to the Migrant Resource Centre, and keeps five reintegration plans: one approved
with an action done, one waiting for the supervisor, three drafts. Each person's consent to share is
recorded with the referral (given verbally), and only services the ranking suggests for the person
are chosen, so nothing is refused. Idempotent: does nothing once there is any referral.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from awda.accounts.models import Institution, User
from awda.catalogue.actions import service_document, service_publish
from awda.catalogue.models import Service
from awda.referrals import actions, queries
from awda.referrals.enums import DeclineReason, Dimension, Horizon, Outcome
from awda.referrals.models import Referral, ReintegrationPlan
from awda.registry.enums import CaseStatus, NeedCategory
from awda.registry.models import Returnee
from awda.registry.queries import returnees_editable_by

# Al-Amal is an Erbil NGO in the demo catalogue. Its Baghdad outreach (published here, once, by the
# catalogue administrator) gives MoMD Baghdad's case worker somewhere to refer people to it: legal
# advice in Baghdad, and its apprenticeships in local workshops, now also in Baghdad.
AMAL_LEGAL = "amal-legal-advice"
AMAL_LEGAL_BAGHDAD = "amal-legal-advice-baghdad"
AMAL_EXTENDED = "amal-workshop-apprenticeships"
BAGHDAD = "IQG08"

# What becomes of each referral, per receiving organisation. MoLSA has no demo account to answer its
# referrals, so they wait (one was revoked by the case worker, one is still a draft).
AMAL_STATES = [
    "sent",
    "completed",
    "sent",
    "accepted",
    "sent",
    "completed",
    "declined",
    "sent",
    "in_progress",
    "sent",
    "accepted",
    "completed",
    "sent",
    "declined",
]
MOLSA_STATES = ["sent", "sent", "revoked", "sent", "sent", "draft", "sent", "sent", "sent", "sent"]
MOLSA = ("molsa", "molsa-mrc")

DIMENSION_OF = {
    NeedCategory.LEGAL: Dimension.SOCIAL,
    NeedCategory.DOCUMENTATION: Dimension.SOCIAL,
    NeedCategory.HOUSING: Dimension.SOCIAL,
    NeedCategory.SOCIAL: Dimension.SOCIAL,
    NeedCategory.EDUCATION: Dimension.SOCIAL,
    NeedCategory.EMPLOYMENT: Dimension.ECONOMIC,
    NeedCategory.VOCATIONAL_TRAINING: Dimension.ECONOMIC,
    NeedCategory.BUSINESS_STARTUP: Dimension.ECONOMIC,
    NeedCategory.FINANCIAL: Dimension.ECONOMIC,
    NeedCategory.HEALTH: Dimension.PSYCHOSOCIAL,
    NeedCategory.PSYCHOSOCIAL: Dimension.PSYCHOSOCIAL,
}
# Goals in the three languages, so the printed plan reads in the person's language.
GOAL_OF: dict[str, dict[str, str]] = {
    NeedCategory.LEGAL: {
        "ar": "تسوية المسائل القانونية للأسرة (الأحوال المدنية والملكية)",
        "ckb": "چارەسەرکردنی پرسە یاساییەکانی خێزان (باری شارستانی و موڵک)",
        "en": "Settle the family's legal questions (civil status, property)",
    },
    NeedCategory.DOCUMENTATION: {
        "ar": "الحصول مجدداً على وثائق مدنية سارية",
        "ckb": "دیسان هەبوونی بەڵگەنامەی شارستانیی کارا",
        "en": "Hold valid civil documents again",
    },
    NeedCategory.HOUSING: {
        "ar": "السكن في مسكن آمن بعقد إيجار مستقر",
        "ckb": "ژیان لە خانوویەکی سەلامەت بە گرێبەستی کرێی جێگیر",
        "en": "Live in safe housing with a secure tenancy",
    },
    NeedCategory.EMPLOYMENT: {
        "ar": "الحصول على عمل مأجور مستقر في بغداد",
        "ckb": "دۆزینەوەی کارێکی جێگیری بەکرێ لە بەغدا",
        "en": "Find steady paid work in Baghdad",
    },
    NeedCategory.VOCATIONAL_TRAINING: {
        "ar": "إكمال تدريب مهني في ورشة",
        "ckb": "تەواوکردنی ڕاهێنانی پیشەیی لە کارگەیەک",
        "en": "Complete a trade apprenticeship",
    },
    NeedCategory.FINANCIAL: {
        "ar": "بدء مشروع صغير بقرض",
        "ckb": "دەستپێکردنی پڕۆژەیەکی بچووک بە قەرز",
        "en": "Start a small project with a loan",
    },
    NeedCategory.HEALTH: {
        "ar": "الحصول على منحة الإعاقة ورعاية منتظمة",
        "ckb": "وەرگرتنی بەخششی کەمئەندامی و چاودێریی بەردەوام",
        "en": "Receive the disability allowance and regular care",
    },
    NeedCategory.PSYCHOSOCIAL: {
        "ar": "الشعور بالاستقرار والدعم في البيت",
        "ckb": "هەستکردن بە جێگیری و پشتگیری لە ماڵەوە",
        "en": "Feel settled and supported at home",
    },
}
INCOME = {
    "ar": "تحقيق دخل منتظم للأسرة",
    "ckb": "بەدەستهێنانی داهاتێکی بەردەوام بۆ خێزان",
    "en": "Earn a regular income for the household",
}
COMMUNITY = {
    "ar": "المشاركة في الأنشطة المجتمعية في الحي",
    "ckb": "بەشداریکردن لە چالاکییە کۆمەڵایەتییەکانی گەڕەک",
    "en": "Take part in the neighbourhood's community activities",
}
NOTES = [
    "Returned three months ago; the family is staying with relatives.",
    "Prefers to be called in the morning.",
    "Asked for help as soon as possible.",
    "",
    "Speaks Arabic and some English.",
]


@dataclass
class _Pick:
    returnee: Returnee
    need: str
    service: Service
    rank: int


def _amal_reaches_baghdad(admin: User) -> None:
    """Publish Al-Amal's Baghdad outreach as the catalogue administrator (kept in the services' history)."""
    legal = Service.objects.filter(code=AMAL_LEGAL, organisation__code="amal").first()
    if legal is not None and not Service.objects.filter(code=AMAL_LEGAL_BAGHDAD).exists():
        document = service_document(legal) | {
            "code": AMAL_LEGAL_BAGHDAD,
            "name_ar": "استشارات قانونية للعائدين في بغداد",
            "name_ckb": "ڕاوێژی یاسایی بۆ گەڕاوەکان لە بەغدا",
            "name_en": "Legal advice for returnees in Baghdad",
            "governorates": [BAGHDAD],
            "districts": [],
            "languages": ["ar", "en"],
            "capacity_per_month": 40,
            "current_load": 0,
            "starts_on": timezone.localdate().replace(day=1).isoformat(),
        }
        service_publish(actor=admin, document=document, note="Al-Amal's Baghdad outreach (demo)")
    for service in Service.objects.filter(code=AMAL_EXTENDED, organisation__code="amal"):
        document = service_document(service)
        if BAGHDAD not in document["governorates"]:
            document["governorates"] = sorted([*document["governorates"], BAGHDAD])
            service_publish(
                actor=admin, document=document, service=service, note="Al-Amal's Baghdad outreach (demo)"
            )


def _picks(worker: User, organisations: tuple[str, ...], used: set[int]) -> Iterator[_Pick]:
    """People of the worker's cases with a need one of these organisations is suggested for, ranked afresh
    for each (places taken by the referrals accepted meanwhile count). ``used``: people already referred,
    or with nothing to suggest from these organisations."""
    people = (
        returnees_editable_by(worker)
        .filter(status=CaseStatus.OPEN, governorate_id=BAGHDAD)
        .prefetch_related("needs")
        .order_by("pk")[:400]
    )
    for returnee in people:
        if returnee.pk in used:
            continue
        for need in returnee.needs.all():
            if need.is_interest:
                continue
            for suggestion in queries.suggestions(returnee, need.category):
                if suggestion.service.organisation.code in organisations:
                    yield _Pick(returnee, need.category, suggestion.service, suggestion.ranked.rank)
                    break
            else:
                continue
            break
        used.add(returnee.pk)


def _refer(worker: User, pick: _Pick, index: int, *, send: bool = True) -> Referral:
    override = ""
    if pick.rank != 1:
        override = (
            f"The person asked for {pick.service.organisation.name_en}, who are easier for them to reach."
        )
    return actions.referral_make(
        actor=worker,
        returnee=pick.returnee,
        service=pick.service,
        need_category=pick.need,
        note=NOTES[index % len(NOTES)],
        override_reason=override,
        consent_method="verbal",
        send=send,
    )


def _answer(provider: User, worker: User, referral: Referral, state: str, index: int) -> Referral:
    """Move a sent referral to the state wanted, each step by the side that takes it."""
    if state == "declined":
        reason = DeclineReason.INCOMPLETE if index % 2 else DeclineReason.DUPLICATE
        note = (
            "Please add a phone number we can reach."
            if reason == DeclineReason.INCOMPLETE
            else "Already followed by our Erbil office."
        )
        return actions.referral_decline(actor=provider, referral=referral, reason=reason, note=note)
    if state == "revoked":
        return actions.referral_revoke(
            actor=worker, referral=referral, note="The person found work and no longer needs this."
        )
    if state in ("accepted", "in_progress", "completed"):
        referral = actions.referral_accept(actor=provider, referral=referral, note="We will call the person.")
    if state == "in_progress":
        referral = actions.referral_start(actor=provider, referral=referral, note="First session held.")
    if state == "completed":
        referral = actions.referral_complete(
            actor=provider,
            referral=referral,
            outcome=Outcome.PARTLY_MET if index % 3 == 2 else Outcome.NEED_MET,
            service_delivered="Two sessions with a lawyer; the application was filed."
            if referral.need_category == NeedCategory.LEGAL
            else "Placed with a workshop for a three-month apprenticeship.",
            delivered_on=timezone.localdate() - timedelta(days=2),
        )
    return referral


def _plan(worker: User, referral: Referral, *, more: bool = False) -> ReintegrationPlan:
    """A plan with a six-month goal for the referred need and the referral as its action (and, with
    ``more``, a two-year goal in another dimension with an action of the case worker's own)."""
    plan = actions.plan_create(actor=worker, returnee=referral.returnee)
    need = NeedCategory(referral.need_category)
    texts = GOAL_OF[need]
    goal = actions.plan_goal_add(
        actor=worker,
        plan=plan,
        dimension=DIMENSION_OF[need],
        horizon=Horizon.SIX_MONTHS,
        text=texts["ar"],
        texts=texts,
        need_category=need,
    )
    service = referral.service.name if referral.service else referral.to_organisation.name
    actions.plan_action_add(actor=worker, goal=goal, text=service, referral=referral)
    if more:
        economic = DIMENSION_OF[need] == Dimension.ECONOMIC
        texts = COMMUNITY if economic else INCOME
        later = actions.plan_goal_add(
            actor=worker,
            plan=plan,
            dimension=Dimension.SOCIAL if economic else Dimension.ECONOMIC,
            horizon=Horizon.TWO_YEARS,
            text=texts["ar"],
            texts=texts,
        )
        actions.plan_action_add(
            actor=worker,
            goal=later,
            text="Review the household's budget together" if not economic else "Visit the community centre",
            due_on=timezone.localdate() + timedelta(days=45),
        )
    return plan


def demo_referrals() -> str:
    """Create the demo referrals and plans once; says what it did."""
    if Referral.objects.exists():
        return "already there"
    users = {u.username: u for u in User.objects.filter(username__in=["admin", "caseworker", "supervisor"])}
    provider = User.objects.filter(username="provider", institution__code="amal").first()
    if len(users) < 3 or provider is None:
        return "no demo accounts"
    worker, supervisor = users["caseworker"], users["supervisor"]
    if not Service.objects.filter(organisation__code="amal").exists():
        return "no demo catalogue"
    with transaction.atomic():
        _amal_reaches_baghdad(users["admin"])
        referred: set[int] = set()
        made: dict[str, list[tuple[Referral, str]]] = {"amal": [], "molsa": []}
        for organisations, states, key in (
            (("amal",), AMAL_STATES, "amal"),
            (MOLSA, MOLSA_STATES, "molsa"),
        ):
            passed = set(referred)
            for index, state in enumerate(states):
                pick = next(_picks(worker, organisations, passed), None)
                if pick is None:
                    break
                passed.add(pick.returnee.pk)
                referred.add(pick.returnee.pk)
                referral = _refer(worker, pick, index, send=state != "draft")
                made[key].append((referral, state))
        for key in made:
            made[key] = [
                (_answer(provider, worker, referral, state, index), state)
                if state not in ("sent", "draft")
                else (referral, state)
                for index, (referral, state) in enumerate(made[key])
            ]
        transfers = _transfer(worker, referred)
        plans = _plans(worker, supervisor, made)
    referrals = len(made["amal"]) + len(made["molsa"]) + transfers
    waiting = sum(1 for _r, state in made["amal"] if state == "sent")
    return (
        f"{referrals} referrals ({len(made['amal'])} to Al-Amal, {waiting} of them waiting in its inbox), "
        f"{plans} reintegration plans"
    )


def _transfer(worker: User, used: set[int]) -> int:
    """One case transferred whole to the Migrant Resource Centre, waiting for its answer."""
    institution = Institution.objects.filter(code="molsa-mrc").first()
    if institution is None:
        return 0
    returnee = (
        returnees_editable_by(worker)
        .filter(status=CaseStatus.OPEN, governorate_id=BAGHDAD)
        .exclude(pk__in=used)
        .order_by("-pk")
        .first()
    )
    if returnee is None:
        return 0
    actions.transfer_make(
        actor=worker,
        returnee=returnee,
        institution=institution,
        note="The person is looking for work and the centre's job counselling suits them better.",
        consent_method="verbal",
    )
    used.add(returnee.pk)
    return 1


def _plans(worker: User, supervisor: User, made: dict[str, list[tuple[Referral, str]]]) -> int:
    """Five plans: approved (an action done), submitted (waiting for the supervisor), three drafts."""
    amal = made["amal"]
    completed = [r for r, state in amal if state == "completed"]
    sent = [r for r, state in amal if state == "sent"]
    underway = [r for r, state in amal if state in ("in_progress", "accepted")]
    waiting = [r for r, state in made["molsa"] if state == "sent"]
    others = [*waiting[:1], *underway[:1], *waiting[1:]]
    count = 0
    if completed:
        plan = _plan(worker, completed[0], more=True)
        plan = actions.plan_submit(actor=worker, plan=plan)
        plan = actions.plan_approve(actor=supervisor, plan=plan, note="Good plan; review in three months.")
        actions.plan_record_agreement(actor=worker, plan=plan, method="verbal")
        count += 1
    if sent:
        plan = _plan(worker, sent[0])
        actions.plan_submit(actor=worker, plan=plan)
        count += 1
    for index, referral in enumerate(others[:3]):
        _plan(worker, referral, more=index == 0)
        count += 1
    return count
