"""Referrals between institutions and to providers, their log, reintegration plans and case-response rules."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from awda.accounts.models import Institution, Office
from awda.catalogue.models import Organisation, Service
from awda.core.models import PublicModel, TimeStampedModel, TranslatedNameMixin, active_language
from awda.referrals import enums
from awda.registry.enums import ConsentMethod, NeedCategory, NeedPriority, NeedUrgency
from awda.registry.models import Consent, Household, Returnee

OPEN_STATUSES = (
    enums.ReferralStatus.DRAFT,
    enums.ReferralStatus.SENT,
    enums.ReferralStatus.ACCEPTED,
    enums.ReferralStatus.IN_PROGRESS,
)


class Referral(PublicModel):
    """One returnee referred to one service (or their case transferred to another institution)."""

    kind = models.CharField(
        _("kind"), max_length=10, choices=enums.ReferralKind.choices, default=enums.ReferralKind.SERVICE
    )
    returnee = models.ForeignKey(Returnee, on_delete=models.PROTECT, related_name="referrals")
    need_category = models.CharField(_("need"), max_length=30, choices=NeedCategory.choices, blank=True)
    priority = models.CharField(
        _("priority"), max_length=10, choices=NeedPriority.choices, default=NeedPriority.MEDIUM
    )
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=NeedUrgency.choices, default=NeedUrgency.SOON
    )
    service = models.ForeignKey(
        Service,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("service"),
    )
    from_institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="+", verbose_name=_("referred by")
    )
    from_office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="referrals_received",
        verbose_name=_("referred to"),
    )
    to_institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("handled by"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=enums.ReferralStatus.choices, default=enums.ReferralStatus.DRAFT
    )
    version = models.PositiveIntegerField(default=1)
    note = models.TextField(_("message to the receiver"), blank=True)
    # What the sender chose to share; what the receiver sees is this, cut down to the consents in force.
    shared_fields = models.JSONField(_("parts shared"), default=list)
    consent = models.ForeignKey(Consent, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    suggestion_rank = models.PositiveSmallIntegerField(null=True, blank=True)
    suggestion_score = models.FloatField(null=True, blank=True)
    override_reason = models.TextField(_("why not the first suggestion"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    answer_due_at = models.DateTimeField(_("answer due"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    decline_reason = models.CharField(
        _("reason for declining"), max_length=30, choices=enums.DeclineReason.choices, blank=True
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=enums.Outcome.choices, blank=True)
    service_delivered = models.TextField(_("service delivered"), blank=True)
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    not_completed_reason = models.CharField(
        _("reason not completed"), max_length=30, choices=enums.NotCompletedReason.choices, blank=True
    )
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    follow_up_note = models.CharField(_("follow-up note"), max_length=255, blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [
            models.Index(fields=["to_institution", "status", "-sent_at"], name="referral_inbox_idx"),
            models.Index(fields=["to_institution", "-sent_at", "-id"], name="referral_inbox_all_idx"),
            models.Index(fields=["from_institution", "status", "-created_at"], name="referral_outbox_idx"),
            models.Index(fields=["returnee", "-created_at"], name="referral_case_idx"),
            models.Index(fields=["status", "answer_due_at"], name="referral_due_idx"),
            models.Index(fields=["service", "status"], name="referral_service_idx"),
            # The follow-ups due in a receiver's inbox: few referrals have one, so the index stays small.
            models.Index(
                fields=["to_institution", "follow_up_on"],
                condition=Q(follow_up_on__isnull=False),
                name="referral_follow_up_idx",
            ),
        ]
        constraints = [
            # Twice to the same service while the first is still open: refused by the database too.
            models.UniqueConstraint(
                fields=["returnee", "service"],
                condition=Q(status__in=[s.value for s in OPEN_STATUSES]),
                name="referral_one_open_per_service",
            ),
        ]

    def __str__(self) -> str:
        return str(self.uuid)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ReferralTransition(TimeStampedModel):
    """Every change of a referral's status: who, when, from what to what, and why. Never deleted."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=enums.ReferralStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=enums.ReferralStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField()
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["referral", "at"], name="referral_transition_idx")]

    def __str__(self) -> str:
        return f"{self.from_status}→{self.to_status}"


class ReintegrationPlan(PublicModel):
    """A returnee's (or their household's) plan: goals per dimension at 6 months, 2 years and 5 years."""

    returnee = models.ForeignKey(Returnee, on_delete=models.PROTECT, related_name="plans")
    household = models.ForeignKey(
        Household,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("household"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=enums.PlanStatus.choices, default=enums.PlanStatus.DRAFT
    )
    version = models.PositiveIntegerField(default=1)
    starts_on = models.DateField(_("starts"))
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    agreed_at = models.DateTimeField(_("agreed by the returnee"), null=True, blank=True)
    agreement_method = models.CharField(
        _("how the returnee agreed"), max_length=20, choices=ConsentMethod.choices, blank=True
    )
    agreement_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("reintegration plan")
        verbose_name_plural = _("reintegration plans")
        constraints = [
            models.UniqueConstraint(
                fields=["returnee"], condition=~Q(status="closed"), name="plan_one_current_per_returnee"
            )
        ]

    def __str__(self) -> str:
        return str(self.uuid)


class PlanGoal(TimeStampedModel):
    plan = models.ForeignKey(ReintegrationPlan, on_delete=models.CASCADE, related_name="goals")
    dimension = models.CharField(_("dimension"), max_length=20, choices=enums.Dimension.choices)
    horizon = models.CharField(_("horizon"), max_length=2, choices=enums.Horizon.choices)
    need_category = models.CharField(_("need"), max_length=30, choices=NeedCategory.choices, blank=True)
    text = models.CharField(_("goal"), max_length=300)
    # A goal proposed by a case-response rule keeps its wording in every language, for the printed plan.
    texts = models.JSONField(default=dict, blank=True)
    target_on = models.DateField(_("target date"))
    status = models.CharField(
        _("status"), max_length=20, choices=enums.GoalStatus.choices, default=enums.GoalStatus.NOT_STARTED
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["target_on", "order", "id"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self) -> str:
        return self.text

    def text_in(self, language: str) -> str:
        return str(self.texts.get(language) or self.text)


class PlanAction(TimeStampedModel):
    goal = models.ForeignKey(PlanGoal, on_delete=models.CASCADE, related_name="actions")
    text = models.CharField(_("action"), max_length=300)
    referral = models.OneToOneField(
        Referral, null=True, blank=True, on_delete=models.SET_NULL, related_name="plan_action"
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=enums.ActionStatus.choices, default=enums.ActionStatus.PLANNED
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")

    def __str__(self) -> str:
        return self.text


class PlanEvent(TimeStampedModel):
    """The plan's history: submitted, approved, returned, agreed, changed, reviewed, closed."""

    plan = models.ForeignKey(ReintegrationPlan, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.kind

    @property
    def label(self) -> str:
        return str(PLAN_EVENT_LABELS.get(self.kind, self.kind))


PLAN_EVENT_LABELS = {
    "created": _("Plan started"),
    "submitted": _("Submitted for approval"),
    "approved": _("Approved"),
    "returned": _("Returned for changes"),
    "reopened": _("Changed after submission: needs approval again"),
    "agreed": _("The person agreed"),
    "reviewed": _("Reviewed"),
    "closed": _("Closed"),
}


class ResponseRule(TranslatedNameMixin, TimeStampedModel):
    """Case-response automation as data: when the condition holds, propose goals and referrals."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    name_ckb = models.CharField(_("name (Kurdish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    condition = models.JSONField(_("when"))
    # [{"need": "documentation", "priority": "high", "urgency": "immediate", "dimension": "social",
    #   "horizon": "6m", "goal_ar": …, "goal_ckb": …, "goal_en": …, "refer": true}]
    proposes = models.JSONField(_("proposes"))
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("case-response rule")
        verbose_name_plural = _("case-response rules")


def text_in(item: dict[str, str], field: str, language: str | None = None) -> str:
    """A text of a rule's proposal in the language asked, falling back like ``localized``."""
    for code in (language or active_language(), "ar", "en", "ckb"):
        if item.get(f"{field}_{code}"):
            return str(item[f"{field}_{code}"])
    return ""


class ResponseProposal(TimeStampedModel):
    """What the worker did with a rule's proposal for one case (confirmed or dismissed), so it is asked once."""

    returnee = models.ForeignKey(Returnee, on_delete=models.CASCADE, related_name="+")
    rule = models.ForeignKey(ResponseRule, on_delete=models.CASCADE, related_name="decisions")
    rule_version = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=enums.ProposalStatus.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=255, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["returnee", "rule", "rule_version"], name="response_proposal_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rule_id}:{self.status}"
