"""Forms of the referral and plan pages; the rules themselves live in actions.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from awda.accounts.models import Institution
from awda.referrals import enums
from awda.referrals.actions import DEFAULT_PARTS
from awda.referrals.models import PlanGoal, Referral
from awda.registry.enums import ConsentMethod, NeedCategory, NeedPriority, NeedUrgency, SharedField


def consent_choices() -> list[tuple[str, str]]:
    """Built per form, in the reader's language (a lazy text formatted at import would stay English)."""
    return [
        ("", str(_("The person's consent to share is already recorded"))),
        *[
            (value, str(_("Record it now: %(method)s") % {"method": label}))
            for value, label in ConsentMethod.choices
        ],
    ]


DATE = forms.DateInput(attrs={"type": "date"})


class NeedsAssessmentForm(forms.Form):
    """One row per kind of need: a need or an interest, how much it matters, how soon, and a note."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for value, label in NeedCategory.choices:
            self.fields[f"{value}_state"] = forms.ChoiceField(
                label=label,
                required=False,
                choices=[("", _("No need")), ("need", _("Need")), ("interest", _("Interested"))],
            )
            self.fields[f"{value}_priority"] = forms.ChoiceField(
                label=_("Priority"), choices=NeedPriority.choices, initial=NeedPriority.MEDIUM
            )
            self.fields[f"{value}_urgency"] = forms.ChoiceField(
                label=_("Urgency"), choices=NeedUrgency.choices, initial=NeedUrgency.SOON
            )
            self.fields[f"{value}_description"] = forms.CharField(
                label=_("Note"), required=False, max_length=255
            )

    def rows(self) -> list[dict[str, Any]]:
        """For the template: each kind of need with its four fields."""
        return [
            {
                "label": label,
                "state": self[f"{value}_state"],
                "priority": self[f"{value}_priority"],
                "urgency": self[f"{value}_urgency"],
                "description": self[f"{value}_description"],
            }
            for value, label in NeedCategory.choices
        ]

    def needs(self) -> list[dict[str, Any]]:
        out = []
        for value, _label in NeedCategory.choices:
            state = self.cleaned_data.get(f"{value}_state")
            if not state:
                continue
            out.append(
                {
                    "category": value,
                    "is_interest": state == "interest",
                    "priority": self.cleaned_data[f"{value}_priority"],
                    "urgency": self.cleaned_data[f"{value}_urgency"],
                    "description": self.cleaned_data.get(f"{value}_description", ""),
                }
            )
        return out


class ReferForm(forms.Form):
    service = forms.ChoiceField(label=_("Service"), widget=forms.RadioSelect)
    shared_fields = forms.MultipleChoiceField(
        label=_("Share with the provider"),
        choices=SharedField.choices,
        initial=[str(p) for p in DEFAULT_PARTS],
        widget=forms.CheckboxSelectMultiple,
    )
    consent_method = forms.ChoiceField(label=_("Consent to share"), choices=(), required=False)
    override_reason = forms.CharField(
        label=_("Why not the first suggestion"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when you choose another service than the first one."),
    )
    note = forms.CharField(
        label=_("Message to the provider"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, services: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consent_method"].choices = consent_choices()  # type: ignore[attr-defined]
        self.fields["service"].choices = services  # type: ignore[attr-defined]
        if services:
            self.fields["service"].initial = services[0][0]


class TransferForm(forms.Form):
    institution = forms.ModelChoiceField(label=_("Transfer to"), queryset=Institution.objects.none())
    consent_method = forms.ChoiceField(label=_("Consent to share the whole case"), choices=(), required=False)
    note = forms.CharField(label=_("Why the case moves"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, own_institution_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consent_method"].choices = consent_choices()  # type: ignore[attr-defined]
        self.fields["institution"].queryset = (  # type: ignore[attr-defined]
            Institution.objects.filter(is_active=True, organisation__isnull=False)
            .exclude(pk=own_institution_id)
            .order_by("code")
        )


class StepForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DeclineForm(StepForm):
    reason = forms.ChoiceField(label=_("Reason"), choices=enums.DeclineReason.choices)


class CompleteForm(StepForm):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=enums.Outcome.choices)
    service_delivered = forms.CharField(
        label=_("Service delivered"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    delivered_on = forms.DateField(label=_("Delivered on"), required=False, widget=DATE)
    follow_up_on = forms.DateField(label=_("Follow up on"), required=False, widget=DATE)


class NotCompleteForm(StepForm):
    reason = forms.ChoiceField(label=_("Reason"), choices=enums.NotCompletedReason.choices)


class RevokeForm(StepForm):
    pass


class FollowUpForm(forms.Form):
    follow_up_on = forms.DateField(label=_("Follow up on"), required=False, widget=DATE)
    follow_up_note = forms.CharField(label=_("What to check"), required=False, max_length=255)


class PlanCreateForm(forms.Form):
    for_household = forms.BooleanField(label=_("A plan for the whole household"), required=False)


class GoalForm(forms.Form):
    dimension = forms.ChoiceField(label=_("Dimension"), choices=enums.Dimension.choices)
    horizon = forms.ChoiceField(label=_("Horizon"), choices=enums.Horizon.choices)
    need_category = forms.ChoiceField(
        label=_("Need answered"), choices=[("", "—"), *NeedCategory.choices], required=False
    )
    text = forms.CharField(label=_("Goal"), max_length=300)


class ActionForm(forms.Form):
    goal = forms.ModelChoiceField(label=_("Goal"), queryset=PlanGoal.objects.none())
    text = forms.CharField(label=_("Action"), max_length=300)
    due_on = forms.DateField(label=_("Due"), required=False, widget=DATE)
    referral = forms.ModelChoiceField(
        label=_("Referral"), queryset=Referral.objects.none(), required=False, to_field_name="uuid"
    )

    def __init__(self, *args: Any, goals: Any, referrals: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = goals  # type: ignore[attr-defined]
        latest = goals.order_by("-created_at", "-id").first()
        if latest is not None:
            self.fields["goal"].initial = latest.pk  # the goal just added, usually the one to act on
        self.fields["referral"].queryset = referrals  # type: ignore[attr-defined]
        self.fields["referral"].label_from_instance = lambda r: (  # type: ignore[attr-defined]
            f"{r.service.name if r.service else r.to_institution.name} · {r.get_status_display()}"
        )


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}))


class ApproveForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AgreeForm(forms.Form):
    method = forms.ChoiceField(label=_("How the person agreed"), choices=ConsentMethod.choices)


class ReviewForm(forms.Form):
    note = forms.CharField(label=_("What the review found"), widget=forms.Textarea(attrs={"rows": 2}))
    next_review_on = forms.DateField(label=_("Next review"), required=False, widget=DATE)
