"""Forms of the organisation pages: the organisation, its offices and focal points, its programmes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from awda.catalogue import enums
from awda.catalogue.models import Organisation, ServiceCategory
from awda.geo.models import District, Governorate
from awda.registry.enums import NeedCategory
from awda.registry.models import Category


class OrganisationForm(forms.Form):
    code = forms.SlugField(label=_("Short code"), max_length=60)
    type = forms.ChoiceField(label=_("Type"), choices=enums.OrganisationType.choices)
    acronym = forms.CharField(label=_("Acronym"), max_length=20, required=False)
    name_ar = forms.CharField(label=_("Name (Arabic)"), max_length=200)
    name_ckb = forms.CharField(label=_("Name (Kurdish)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200)
    mandate_ar = forms.CharField(
        label=_("Mandate (Arabic)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    mandate_ckb = forms.CharField(
        label=_("Mandate (Kurdish)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    mandate_en = forms.CharField(
        label=_("Mandate (English)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=enums.ServiceLanguage.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    referral_response_days = forms.IntegerField(
        label=_("Working days to answer a referral"),
        required=False,
        min_value=1,
        max_value=60,
        initial=5,
        help_text=_("After this many working days without an answer, a referral expires."),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, organisation: Organisation | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organisation is not None:
            self.fields["code"].disabled = True
            if organisation.institution_id is not None:
                # The names and state of an institution are kept on the institution's own page.
                for name in ("name_ar", "name_ckb", "name_en", "is_active"):
                    self.fields[name].disabled = True


class OfficeForm(forms.Form):
    name_ar = forms.CharField(label=_("Name (Arabic)"), max_length=200)
    name_ckb = forms.CharField(label=_("Name (Kurdish)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200)
    governorate = forms.ModelChoiceField(label=_("Governorate"), queryset=Governorate.objects.all())
    district = forms.ModelChoiceField(label=_("District"), queryset=District.objects.all(), required=False)
    address_ar = forms.CharField(label=_("Address (Arabic)"), max_length=255, required=False)
    address_ckb = forms.CharField(label=_("Address (Kurdish)"), max_length=255, required=False)
    address_en = forms.CharField(label=_("Address (English)"), max_length=255, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        district, governorate = data.get("district"), data.get("governorate")
        if district is not None and governorate is not None and district.governorate_id != governorate.pcode:
            self.add_error("district", _("The district is not in this governorate."))
        return data


class FocalPointForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=160)
    title_ar = forms.CharField(label=_("Title (Arabic)"), max_length=160, required=False)
    title_ckb = forms.CharField(label=_("Title (Kurdish)"), max_length=160, required=False)
    title_en = forms.CharField(label=_("Title (English)"), max_length=160, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    email = forms.EmailField(label=_("Email"), required=False)


OfficeFormSet = forms.formset_factory(OfficeForm, extra=1, can_delete=True)
FocalPointFormSet = forms.formset_factory(FocalPointForm, extra=1, can_delete=True)


class ProgrammeForm(forms.Form):
    code = forms.SlugField(label=_("Short code"), max_length=60)
    name_ar = forms.CharField(label=_("Name (Arabic)"), max_length=200)
    name_ckb = forms.CharField(label=_("Name (Kurdish)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200)
    description_ar = forms.CharField(
        label=_("Description (Arabic)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    description_ckb = forms.CharField(
        label=_("Description (Kurdish)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    description_en = forms.CharField(
        label=_("Description (English)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    funder = forms.ModelChoiceField(label=_("Funded by"), queryset=Organisation.objects.all(), required=False)
    starts_on = forms.DateField(
        label=_("Starts"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(label=_("Ends"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    governorates = forms.ModelMultipleChoiceField(
        label=_("Governorates"),
        queryset=Governorate.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    target_groups = forms.MultipleChoiceField(
        label=_("Target groups"), widget=forms.CheckboxSelectMultiple, required=False, choices=()
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["target_groups"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(c.code, c.name) for c in Category.objects.filter(is_active=True)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The end date is before the start date."))
        return data


class ServiceCategoryForm(forms.Form):
    code = forms.SlugField(label=_("Short code"), max_length=60)
    parent = forms.ModelChoiceField(
        label=_("Part of"),
        queryset=ServiceCategory.objects.filter(parent__isnull=True),
        required=False,
        help_text=_("Leave empty for a category; choose one for a subcategory."),
    )
    name_ar = forms.CharField(label=_("Name (Arabic)"), max_length=120)
    name_ckb = forms.CharField(label=_("Name (Kurdish)"), max_length=120)
    name_en = forms.CharField(label=_("Name (English)"), max_length=120)
    need_category = forms.ChoiceField(
        label=_("Need answered"),
        choices=[("", "—"), *NeedCategory.choices],
        required=False,
        help_text=_("The need of the case form that these services answer, for the mapping of gaps."),
    )
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=32767, required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
