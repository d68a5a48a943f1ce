"""Forms of the standard case form, one per step of intake (and per section when editing)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from awda.accounts.enums import InstitutionType
from awda.accounts.models import Institution
from awda.geo.enums import Settlement
from awda.geo.models import Country, District, Governorate, SubDistrict
from awda.registry import enums
from awda.registry.models import Category, Occupation, Returnee
from awda.registry.queries import AGE_GROUP_LABELS

ARABIC_INPUT = {"dir": "rtl", "lang": "ar"}
LATIN_INPUT = {"dir": "ltr", "lang": "en"}


class _LooseFields:
    fields: dict[str, Any]

    def _field(self, name: str) -> Any:
        return self.fields[name]


def _countries() -> Any:
    return Country.objects.all()


class IdentityForm(_LooseFields, forms.ModelForm):
    phones = forms.CharField(
        label=_("Phones"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "ltr"}),
        help_text=_("One per line, in any format: 0770 123 4567, +964 770 123 4567…"),
    )

    class Meta:
        model = Returnee
        fields = [
            "given_name", "father_name", "grandfather_name", "great_grandfather_name", "family_name",
            "given_name_latin", "father_name_latin", "grandfather_name_latin", "family_name_latin",
            "known_as", "mother_name", "sex", "date_of_birth", "birth_date_precision", "place_of_birth", "country_of_birth",
        ]  # fmt: skip
        widgets = {
            **{
                name: forms.TextInput(attrs=ARABIC_INPUT)
                for name in (
                    "given_name",
                    "father_name",
                    "grandfather_name",
                    "great_grandfather_name",
                    "family_name",
                    "mother_name",
                )
            },
            **{
                name: forms.TextInput(attrs=LATIN_INPUT)
                for name in (
                    "given_name_latin",
                    "father_name_latin",
                    "grandfather_name_latin",
                    "family_name_latin",
                )
            },
            "date_of_birth": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._field("country_of_birth").queryset = _countries()
        for name in ("given_name", "father_name", "sex"):
            self.fields[name].required = True

    def phone_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("phones", "").splitlines() if line.strip()]


class DocumentForm(forms.Form):
    type = forms.ChoiceField(
        label=_("Document"), choices=[("", "—"), *enums.DocumentType.choices], required=False
    )
    number = forms.CharField(
        label=_("Number"), max_length=40, required=False, widget=forms.TextInput(attrs={"dir": "ltr"})
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", "—"), *enums.DocumentStatus.choices], required=False
    )
    name_on_document = forms.CharField(label=_("Name on the document"), max_length=160, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("type") and not data.get("status"):
            self.add_error("status", _("Say whether the document is held, lost, expired or in another name."))
        if (data.get("number") or data.get("status")) and not data.get("type"):
            self.add_error("type", _("Choose the kind of document."))
        return data


DocumentFormSet = forms.formset_factory(DocumentForm, extra=3, max_num=8)


class ReturnForm(_LooseFields, forms.ModelForm):
    migration_reasons = forms.MultipleChoiceField(
        label=_("Reasons for migrating"),
        choices=enums.MigrationReason.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Returnee
        fields = [
            "country_returned_from", "return_date", "return_type", "assistance_programme", "months_abroad", "status_abroad",
            "times_displaced", "migration_reasons", "aspirations", "intends_to_migrate_again",
        ]  # fmt: skip
        widgets = {
            "return_date": forms.DateInput(attrs={"type": "date"}),
            "aspirations": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._field("country_returned_from").queryset = _countries()
        self.fields["return_type"].required = True


class SituationForm(_LooseFields, forms.ModelForm):
    income_sources = forms.MultipleChoiceField(
        label=_("Income sources"),
        choices=enums.IncomeSource.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    vulnerabilities = forms.MultipleChoiceField(
        label=_("Vulnerabilities"),
        choices=enums.Vulnerability.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Returnee
        fields = [
            "governorate", "district", "sub_district", "settlement", "address", "housing", "land_property",
            "education_level", "employment_status", "work_experience", "income_sources", "has_debt", "debt_amount_usd",
            "sold_assets_to_migrate", "health_notes", "psychosocial_notes", "vulnerabilities",
        ]  # fmt: skip
        widgets = {
            "work_experience": forms.Textarea(attrs={"rows": 2}),
            "health_notes": forms.Textarea(attrs={"rows": 2}),
            "psychosocial_notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, sensitive: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._field("governorate").queryset = Governorate.objects.all()
        self._field("district").queryset = District.objects.all()
        self._field("sub_district").queryset = SubDistrict.objects.all()
        self.fields["settlement"].required = True
        self._field("settlement").choices = Settlement.choices
        if not sensitive:
            del self.fields["health_notes"]
            del self.fields["psychosocial_notes"]


class QualificationForm(forms.Form):
    title = forms.CharField(label=_("Qualification"), max_length=160, required=False)
    country = forms.ModelChoiceField(
        label=_("Where obtained"), queryset=Country.objects.none(), required=False
    )
    recognised = forms.BooleanField(label=_("Recognised in Iraq"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = _countries()  # type: ignore[attr-defined]


QualificationFormSet = forms.formset_factory(QualificationForm, extra=2, max_num=8)


class SkillForm(forms.Form):
    occupation = forms.ModelChoiceField(
        label=_("Occupation (ISCO-08)"), queryset=Occupation.objects.none(), required=False
    )
    years_experience = forms.IntegerField(
        label=_("Years of experience"), min_value=0, max_value=70, required=False
    )
    acquired_abroad = forms.BooleanField(label=_("Acquired abroad"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["occupation"].queryset = Occupation.objects.filter(level=4)  # type: ignore[attr-defined]


SkillFormSet = forms.formset_factory(SkillForm, extra=2, max_num=8)


class MemberForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=160, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), *enums.Sex.choices], required=False)
    date_of_birth = forms.DateField(
        label=_("Date of birth"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    relationship = forms.ChoiceField(
        label=_("Relationship to the head"), choices=[("", "—"), *enums.Relationship.choices], required=False
    )
    is_dependant = forms.BooleanField(label=_("Dependant"), required=False)
    schooling = forms.ChoiceField(
        label=_("Schooling"), choices=[("", "—"), *enums.Schooling.choices], required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("name") and not data.get("relationship"):
            self.add_error("relationship", _("Say how this person is related to the head of household."))
        return data


MemberFormSet = forms.formset_factory(MemberForm, extra=4, max_num=20)


class HouseholdForm(forms.Form):
    is_head_of_household = forms.BooleanField(
        label=_("The returnee is the head of the household"), required=False
    )


class NeedsForm(forms.Form):
    """Needs and interests by category, each with a priority."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for value, label in enums.NeedCategory.choices:
            self.fields[f"need_{value}"] = forms.ChoiceField(
                label=label,
                required=False,
                choices=[
                    ("", _("No need")),
                    ("high", _("Need: high priority")),
                    ("medium", _("Need: medium priority")),
                    ("low", _("Need: low priority")),
                    ("interest", _("Interested")),
                ],
            )

    def needs(self) -> list[dict[str, Any]]:
        rows = []
        for value, _label in enums.NeedCategory.choices:
            choice = self.cleaned_data.get(f"need_{value}")
            if choice == "interest":
                rows.append({"category": value, "priority": "medium", "is_interest": True})
            elif choice:
                rows.append({"category": value, "priority": choice, "is_interest": False})
        return rows


class ConsentsForm(_LooseFields, forms.Form):
    method = forms.ChoiceField(label=_("How consent was given"), choices=enums.ConsentMethod.choices)
    registration = forms.BooleanField(
        label=_("Agrees to be registered and to have a case opened"),
        required=True,
        error_messages={
            "required": _("Without the person's consent to registration, no case can be opened.")
        },
    )
    follow_up_contact = forms.BooleanField(label=_("Agrees to be contacted for follow-up"), required=False)
    sharing_employers = forms.BooleanField(
        label=_("Agrees to share their profile with employers"), required=False
    )
    share_with = forms.ModelMultipleChoiceField(
        label=_("Agrees to share their case with these institutions"),
        queryset=Institution.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    share_with_types = forms.MultipleChoiceField(
        label=_("Agrees to share their case with these kinds of institution"),
        choices=InstitutionType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, own_institution: Institution | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        others = Institution.objects.filter(is_active=True)
        if own_institution is not None:
            others = others.exclude(pk=own_institution.pk)
        self._field("share_with").queryset = others

    def consents(self) -> list[dict[str, Any]]:
        method = self.cleaned_data["method"]
        rows: list[dict[str, Any]] = [{"purpose": "registration", "granted": True, "method": method}]
        rows.append(
            {
                "purpose": "follow_up_contact",
                "granted": bool(self.cleaned_data.get("follow_up_contact")),
                "method": method,
            }
        )
        rows.append(
            {
                "purpose": "sharing_employers",
                "granted": bool(self.cleaned_data.get("sharing_employers")),
                "method": method,
            }
        )
        for institution in self.cleaned_data.get("share_with") or []:
            rows.append(
                {
                    "purpose": "sharing_institution",
                    "granted": True,
                    "method": method,
                    "shared_with": institution,
                }
            )
        for kind in self.cleaned_data.get("share_with_types") or []:
            rows.append(
                {
                    "purpose": "sharing_institution_type",
                    "granted": True,
                    "method": method,
                    "shared_with_type": kind,
                }
            )
        return rows


class ConsentForm(_LooseFields, forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=enums.ConsentPurpose.choices)
    granted = forms.TypedChoiceField(
        label=_("Decision"), choices=[("1", _("Agrees")), ("0", _("Refuses"))], coerce=lambda v: v == "1"
    )
    shared_with = forms.ModelChoiceField(
        label=_("Institution"), queryset=Institution.objects.none(), required=False
    )
    shared_with_type = forms.ChoiceField(
        label=_("Kind of institution"), choices=[("", "—"), *InstitutionType.choices], required=False
    )
    method = forms.ChoiceField(label=_("How it was given"), choices=enums.ConsentMethod.choices)
    note = forms.CharField(label=_("Note"), max_length=255, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._field("shared_with").queryset = Institution.objects.filter(is_active=True)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=enums.CaseStatus.choices)
    closure_reason = forms.ChoiceField(
        label=_("Closure reason"), choices=[("", "—"), *enums.ClosureReason.choices], required=False
    )
    override_reason = forms.CharField(
        label=_("Supervisor's reason to close anyway"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only when the scores do not show reintegration achieved: a supervisor explains why."),
    )


class ReturneeFilterForm(_LooseFields, forms.Form):
    q = forms.CharField(label=_("Name, case number, phone or document"), required=False)
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.none(), required=False, to_field_name="code"
    )
    vulnerability = forms.ModelChoiceField(
        label=_("Vulnerability"), queryset=Category.objects.none(), required=False, to_field_name="code"
    )
    governorate = forms.ModelChoiceField(
        label=_("Governorate"), queryset=Governorate.objects.all(), required=False
    )
    settlement = forms.ChoiceField(
        label=_("Urban or rural"), choices=[("", _("Any")), *Settlement.choices], required=False
    )
    return_type = forms.ChoiceField(
        label=_("Type of return"), choices=[("", _("Any")), *enums.ReturnType.choices], required=False
    )
    country = forms.ModelChoiceField(
        label=_("Country returned from"), queryset=Country.objects.all(), required=False
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", _("Any")), *enums.Sex.choices], required=False)
    age_group = forms.ChoiceField(
        label=_("Age group"), choices=[("", _("Any")), *AGE_GROUP_LABELS.items()], required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any")), *enums.CaseStatus.choices], required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._field("category").queryset = Category.objects.filter(kind="category", is_active=True)
        self._field("vulnerability").queryset = Category.objects.filter(kind="vulnerability", is_active=True)

    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "category": data["category"].code if data.get("category") else "",
            "vulnerability": data["vulnerability"].code if data.get("vulnerability") else "",
            "governorate": data["governorate"].pk if data.get("governorate") else "",
            "settlement": data.get("settlement", ""),
            "return_type": data.get("return_type", ""),
            "country": data["country"].pk if data.get("country") else "",
            "sex": data.get("sex", ""),
            "age_group": data.get("age_group", ""),
            "status": data.get("status", ""),
        }


class CategoryRuleForm(forms.Form):
    name_ar = forms.CharField(
        label=_("name (Arabic)"), max_length=120, widget=forms.TextInput(attrs=ARABIC_INPUT)
    )
    name_ckb = forms.CharField(
        label=_("name (Kurdish)"), max_length=120, widget=forms.TextInput(attrs={"dir": "rtl", "lang": "ckb"})
    )
    name_en = forms.CharField(
        label=_("name (English)"), max_length=120, widget=forms.TextInput(attrs=LATIN_INPUT)
    )
    condition = forms.JSONField(
        label=_("Rule"),
        widget=forms.Textarea(attrs={"rows": 10, "dir": "ltr", "class": "mono"}),
        help_text=_("A condition over the record's facts, written as JSON. Try it before saving."),
    )
    is_active = forms.BooleanField(label=_("active"), required=False)
