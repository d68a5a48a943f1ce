"""Forms of the job-market pages. They render and redisplay; the rules live in actions.py, which checks a
whole company, offer or profile at once and names every field in error, in the reader's language."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from awda.core.models import active_language, localized
from awda.geo.enums import Settlement
from awda.geo.models import District, Governorate
from awda.jobs import enums, vocab
from awda.jobs.models import Commitment, Sector, SkillTerm
from awda.referrals.models import PlanGoal, Referral
from awda.registry.enums import ConsentMethod, EducationLevel
from awda.registry.models import Category, Occupation

DATE = {"type": "date"}
ISO_DATE = "%Y-%m-%d"
LTR = {"dir": "ltr"}


class ActionCheckedChoiceField(forms.ChoiceField):
    """A choice rendered by the form and checked by the action, which says what is wrong in its own words
    (and together with every other field's problem), instead of Django's generic "not a valid choice"."""

    def valid_value(self, value: Any) -> bool:
        return True


class ActionCheckedMultipleChoiceField(forms.MultipleChoiceField):
    def valid_value(self, value: Any) -> bool:
        return True


def _blank(label: Any = "—") -> list[tuple[str, Any]]:
    return [("", label)]


def governorate_choices() -> list[tuple[str, str]]:
    return [(g.pcode, g.name) for g in Governorate.objects.order_by("pcode")]


def district_choices() -> list[tuple[str, Any]]:
    """Districts grouped by governorate (an ``<optgroup>`` each, as the catalogue's forms show them); the
    action refuses a district outside the governorate chosen."""
    groups: dict[str, list[tuple[str, str]]] = {}
    names = dict(governorate_choices())
    for district in District.objects.order_by("governorate_id", "pcode"):
        groups.setdefault(district.governorate_id, []).append((district.pcode, district.name))
    return [
        *_blank(_("Anywhere in the governorate")),
        *[(names.get(g, g), rows) for g, rows in groups.items()],
    ]


def sector_choices() -> list[tuple[str, str]]:
    return [(s.code, f"{s.code} · {s.name}") for s in Sector.objects.all()]


def skill_choices() -> list[tuple[str, str]]:
    terms = [(t.code, t.name) for t in SkillTerm.objects.all()]
    return sorted(terms, key=lambda item: item[1])


def occupation_label(occupation: Occupation) -> str:
    return f"{occupation.code} · {occupation.name}"


def occupation_choices(selected: str = "") -> list[tuple[str, str]]:
    """The ISCO-08 unit groups, plus the chosen code when it is a broader group."""
    rows = [(o.code, occupation_label(o)) for o in Occupation.objects.filter(level=4).order_by("code")]
    if selected and selected not in {code for code, _label in rows}:
        chosen = Occupation.objects.filter(code=selected).first()
        if chosen is not None:
            rows.insert(0, (chosen.code, occupation_label(chosen)))
    return [*_blank(_("Choose an occupation")), *rows]


def language_names() -> dict[str, str]:
    """Language codes of the vocabulary, named in the reader's language."""
    language = active_language()
    return {row["code"]: row.get(f"name_{language}") or row["name_en"] for row in vocab.languages()}


def language_choices() -> list[tuple[str, str]]:
    return list(language_names().items())


def category_choices() -> list[tuple[str, str]]:
    return [(c.code, localized(c, "name")) for c in Category.objects.filter(is_active=True)]


class EmployerForm(forms.Form):
    """A company's profile, as the company itself or the employment office enters it."""

    name_ar = forms.CharField(label=_("Company name in Arabic"), required=False, max_length=200)
    name_ckb = forms.CharField(label=_("Company name in Kurdish"), required=False, max_length=200)
    name_en = forms.CharField(
        label=_("Company name in English"), required=False, max_length=200, widget=forms.TextInput(attrs=LTR)
    )
    sector = ActionCheckedChoiceField(label=_("Sector (ISIC)"), required=False)
    size = ActionCheckedChoiceField(
        label=_("Size"), required=False, choices=[*_blank(), *enums.CompanySize.choices]
    )
    governorates = ActionCheckedMultipleChoiceField(
        label=_("Governorates where the company works"), required=False, widget=forms.CheckboxSelectMultiple
    )
    contact_name = forms.CharField(label=_("Contact person"), required=False, max_length=120)
    contact_phone = forms.CharField(
        label=_("Contact phone"),
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={**LTR, "type": "tel"}),
    )
    contact_email = forms.CharField(
        label=_("Contact email"), required=False, max_length=254, widget=forms.EmailInput(attrs=LTR)
    )
    registration_number = forms.CharField(
        label=_("Company registration number"),
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs=LTR),
    )
    website = forms.CharField(
        label=_("Website"), required=False, max_length=200, widget=forms.TextInput(attrs=LTR)
    )
    address = forms.CharField(label=_("Address"), required=False, max_length=255)
    platform_member = forms.BooleanField(
        label=_("The company joins the multi-stakeholder platform"),
        required=False,
        help_text=_("Members meet with the ministries and service providers to plan jobs and training."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = [*_blank(), *sector_choices()]  # type: ignore[attr-defined]
        self.fields["governorates"].choices = governorate_choices()  # type: ignore[attr-defined]

    def action_data(self) -> dict[str, Any]:
        return dict(self.cleaned_data)

    def fieldsets(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [
            (
                _("The company"),
                self._bound(
                    "name_ar",
                    "name_ckb",
                    "name_en",
                    "sector",
                    "size",
                    "registration_number",
                    "website",
                    "governorates",
                    "platform_member",
                ),
            ),
            (_("Contact"), self._bound("contact_name", "contact_phone", "contact_email", "address")),
        ]

    def _bound(self, *names: str) -> list[forms.BoundField]:
        return [self[name] for name in names if name in self.fields]


class RegisterForm(EmployerForm):
    """A company registers itself and the account of the person who signs in for it."""

    username = forms.CharField(
        label=_("User name"),
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={**LTR, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label=_("Password again"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def fieldsets(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [
            *super().fieldsets(),
            (_("Your account on Awda"), self._bound("username", "password", "password_again")),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two passwords are not the same."))
        return data


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (enums.EmployerStatus.APPROVED.value, _("Approve")),
            (enums.EmployerStatus.REJECTED.value, _("Reject")),
            (enums.EmployerStatus.SUSPENDED.value, _("Suspend")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note for the company"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed to reject or suspend: the company reads it."),
    )


class CommitmentForm(forms.Form):
    kind = ActionCheckedChoiceField(
        label=_("The company commits to"), required=False, choices=[*_blank(), *enums.CommitmentKind.choices]
    )
    quantity = forms.CharField(
        label=_("How many"), required=False, widget=forms.NumberInput(attrs={"min": 1})
    )
    description = forms.CharField(label=_("Description"), required=False, max_length=300)
    due_on = forms.CharField(
        label=_("To be fulfilled by"), required=False, widget=forms.DateInput(format=ISO_DATE, attrs=DATE)
    )


class FulfilledForm(forms.Form):
    fulfilled_by_hand = forms.CharField(
        label=_("Fulfilled outside Awda"), widget=forms.NumberInput(attrs={"min": 0})
    )


class OfferForm(forms.Form):
    """An offer; the occupation is chosen by searching ISCO-08 titles in Arabic, Kurdish or English."""

    kind = ActionCheckedChoiceField(
        label=_("Kind of offer"), required=False, choices=enums.OfferKind.choices, initial=enums.OfferKind.JOB
    )
    title = forms.CharField(label=_("Title"), required=False, max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    occupation = ActionCheckedChoiceField(
        label=_("Occupation (ISCO-08)"),
        required=False,
        help_text=_("Search by a word of the title in any language, or by the code."),
    )
    skills = ActionCheckedMultipleChoiceField(
        label=_("Skills asked"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("Hold Ctrl (or ⌘) to choose several."),
    )
    education_min = ActionCheckedChoiceField(label=_("Minimum education"), required=False)
    languages = ActionCheckedMultipleChoiceField(
        label=_("Languages asked"), required=False, widget=forms.CheckboxSelectMultiple
    )
    governorate = ActionCheckedChoiceField(label=_("Governorate"), required=False)
    district = ActionCheckedChoiceField(label=_("District"), required=False)
    settlement = ActionCheckedChoiceField(
        label=_("Urban or rural"), required=False, choices=[*_blank(), *Settlement.choices]
    )
    remote = forms.BooleanField(label=_("Can be done remotely"), required=False)
    working_time = ActionCheckedChoiceField(
        label=_("Working time"), required=False, choices=enums.WorkingTime.choices
    )
    conditions = forms.CharField(
        label=_("Pay and conditions"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    places = forms.CharField(
        label=_("Places"), required=False, initial=1, widget=forms.NumberInput(attrs={"min": 1})
    )
    opens_on = forms.CharField(
        label=_("Opens"), required=False, widget=forms.DateInput(format=ISO_DATE, attrs=DATE)
    )
    closes_on = forms.CharField(
        label=_("Closes"), required=False, widget=forms.DateInput(format=ISO_DATE, attrs=DATE)
    )
    priority_categories = ActionCheckedMultipleChoiceField(
        label=_("Priority for"), required=False, widget=forms.CheckboxSelectMultiple
    )
    commitment = ActionCheckedChoiceField(label=_("Counts towards the commitment"), required=False)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, commitments: QuerySet[Commitment], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("opens_on", timezone.localdate().isoformat())
        selected = str(self.data.get("occupation") or self.initial.get("occupation") or "")
        self._choices("occupation", occupation_choices(selected))
        self._choices("skills", skill_choices())
        self._choices(
            "education_min",
            [*_blank(_("No minimum")), *[(str(v), label) for v, label in EducationLevel.choices]],
        )
        self._choices("languages", language_choices())
        self._choices("governorate", [*_blank(), *governorate_choices()])
        self._choices("district", district_choices())
        self._choices("priority_categories", category_choices())
        self._choices(
            "commitment",
            [*_blank(_("None")), *[(str(c.uuid), str(c)) for c in commitments]],
        )

    def _choices(self, name: str, choices: list[tuple[str, Any]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def action_data(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}

    def fieldsets(self) -> list[tuple[Any, list[forms.BoundField]]]:
        groups = [
            (_("The offer"), ("kind", "title", "occupation", "description")),
            (_("What it asks"), ("skills", "education_min", "languages")),
            (_("Where"), ("governorate", "district", "settlement", "remote")),
            (_("Conditions and dates"), ("working_time", "places", "opens_on", "closes_on", "conditions")),
            (_("Priority and commitment"), ("priority_categories", "commitment")),
        ]
        return [(title, [self[name] for name in names]) for title, names in groups]


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=[(enums.OfferStatus.OPEN.value, ""), (enums.OfferStatus.CLOSED.value, "")]
    )


class RequestForm(forms.Form):
    candidate = forms.CharField(max_length=40)
    note = forms.CharField(required=False, max_length=500)


class ProfileForm(forms.Form):
    """What the registry does not hold of a person's job search."""

    seeking = forms.BooleanField(label=_("Looking for work or training"), required=False, initial=True)
    languages = ActionCheckedMultipleChoiceField(
        label=_("Languages spoken"), required=False, widget=forms.CheckboxSelectMultiple
    )
    skills = ActionCheckedMultipleChoiceField(
        label=_("Skills"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 12}),
        help_text=_("Hold Ctrl (or ⌘) to choose several."),
    )
    mobility = ActionCheckedChoiceField(
        label=_("How far they will go for work"),
        required=False,
        choices=enums.Mobility.choices,
        initial=enums.Mobility.GOVERNORATE,
        widget=forms.RadioSelect,
    )
    available_from = forms.CharField(
        label=_("Available from"), required=False, widget=forms.DateInput(format=ISO_DATE, attrs=DATE)
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["languages"].choices = language_choices()  # type: ignore[attr-defined]
        self.fields["skills"].choices = skill_choices()  # type: ignore[attr-defined]


class ReferralChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        service = obj.service.name if obj.service else obj.to_organisation.name
        return f"{service} · {obj.get_status_display()}"


class ProposeForm(forms.Form):
    """Propose an offer to the person, tied where it helps to a referral and to their plan's economic goal."""

    referral = ReferralChoiceField(
        label=_("Referral it answers"), queryset=Referral.objects.none(), required=False, to_field_name="uuid"
    )
    plan_goal = forms.ModelChoiceField(
        label=_("Economic goal of the plan"), queryset=PlanGoal.objects.none(), required=False
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self, *args: Any, referrals: QuerySet[Referral], goals: QuerySet[PlanGoal], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        referral = self.fields["referral"]
        goal = self.fields["plan_goal"]
        assert isinstance(referral, forms.ModelChoiceField) and isinstance(goal, forms.ModelChoiceField)
        referral.queryset = referrals
        goal.queryset = goals


# Steps of a placement ------------------------------------------------------------------------------


class StepForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class AgreeForm(StepForm):
    method = forms.ChoiceField(label=_("How the person agreed"), choices=ConsentMethod.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=255)


class DeclineForm(StepForm):
    method = forms.ChoiceField(label=_("How the person answered"), choices=ConsentMethod.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=255)


class InterviewForm(StepForm):
    interview_at = forms.CharField(
        label=_("Date and time of the interview"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )


class HireForm(StepForm):
    hired_on = forms.CharField(label=_("Start date"), widget=forms.DateInput(format=ISO_DATE, attrs=DATE))
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class ReasonForm(StepForm):
    note = forms.CharField(
        label=_("Reason"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class RetentionForm(forms.Form):
    result = forms.ChoiceField(label=_("Result"), choices=enums.RetentionResult.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)
