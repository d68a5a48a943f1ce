"""Forms of accounts: sign-in, two-factor code, users, institutions and offices."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from awda.accounts.enums import Role
from awda.accounts.models import Institution, Office
from awda.core.models import AuditAction
from awda.geo.models import District, Governorate


class _TypedFieldsMixin:
    fields: dict[str, Any]

    def _field(self, name: str) -> Any:
        """The bound form's field (choice fields and model choice fields, typed loosely for mypy)."""
        return self.fields[name]


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("The user name or password is not correct. Both are case-sensitive."),
        "inactive": _("This account is inactive."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("User name")
        self.fields["password"].label = _("Password")
        self.fields["username"].widget.attrs.update({"dir": "ltr", "autocomplete": "username"})


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Six-digit code from your authenticator app"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "dir": "ltr",
                "pattern": "[0-9]{6}",
            }
        ),
        error_messages={
            "required": _("Enter the six-digit code."),
            "min_length": _("Enter the six-digit code."),
            "max_length": _("Enter the six-digit code."),
        },
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].strip()
        if not token.isdigit():
            raise forms.ValidationError(_("Enter the six-digit code."))
        return token


class LanguageForm(_TypedFieldsMixin, forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=[])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from django.conf import settings

        super().__init__(*args, **kwargs)
        self._field("language").choices = settings.LANGUAGES


class UserForm(_TypedFieldsMixin, forms.Form):
    username = forms.RegexField(
        label=_("User name"),
        max_length=150,
        regex=r"^[\w.@+-]+$",
        help_text=_("Letters, digits and . @ + - _ only."),
        error_messages={"invalid": _("Use only letters, digits and . @ + - _")},
        widget=forms.TextInput(attrs={"dir": "ltr"}),
    )
    password = forms.CharField(
        label=_("Initial password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters. The user should change it after signing in."),
    )
    first_name = forms.CharField(label=_("Given name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Family name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email"), required=False, widget=forms.EmailInput(attrs={"dir": "ltr"}))
    phone = forms.CharField(
        label=_("Phone"), max_length=32, required=False, widget=forms.TextInput(attrs={"dir": "ltr"})
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    scope = forms.ChoiceField(
        label=_("Data scope"),
        choices=[],
        help_text=_("Which personal records the user sees, always within their institution."),
    )
    institution = forms.ModelChoiceField(
        label=_("Institution"), queryset=Institution.objects.none(), required=False
    )
    office = forms.ModelChoiceField(label=_("Office"), queryset=Office.objects.none(), required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(
        self, *args: Any, institutions: Any, offices: Any, roles: Any, editing: bool = False, **kwargs: Any
    ) -> None:
        from awda.accounts.enums import ScopeLevel

        super().__init__(*args, **kwargs)
        self._field("institution").queryset = institutions
        self._field("office").queryset = offices
        self._field("role").choices = [(value, label) for value, label in Role.choices if value in roles]
        self._field("scope").choices = ScopeLevel.choices
        if editing:
            del self.fields["username"]
            del self.fields["password"]
        else:
            del self.fields["is_active"]


class InstitutionForm(forms.ModelForm):
    class Meta:
        model = Institution
        fields = ["code", "name_ar", "name_ckb", "name_en", "type", "parent", "is_active"]
        widgets = {
            "code": forms.TextInput(attrs={"dir": "ltr"}),
            "name_ar": forms.TextInput(attrs={"dir": "rtl", "lang": "ar"}),
            "name_ckb": forms.TextInput(attrs={"dir": "rtl", "lang": "ckb"}),
            "name_en": forms.TextInput(attrs={"dir": "ltr", "lang": "en"}),
        }


class OfficeForm(_TypedFieldsMixin, forms.ModelForm):
    class Meta:
        model = Office
        fields = ["name_ar", "name_ckb", "name_en", "governorate", "district", "area_level", "is_active"]
        widgets = {
            "name_ar": forms.TextInput(attrs={"dir": "rtl", "lang": "ar"}),
            "name_ckb": forms.TextInput(attrs={"dir": "rtl", "lang": "ckb"}),
            "name_en": forms.TextInput(attrs={"dir": "ltr", "lang": "en"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._field("governorate").queryset = Governorate.objects.all()
        self._field("district").queryset = District.objects.select_related("governorate")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        district, governorate = cleaned.get("district"), cleaned.get("governorate")
        if district and governorate and district.governorate_id != governorate.pk:
            self.add_error("district", _("The district is not in the chosen governorate."))
        return cleaned


class AuditSearchForm(forms.Form):
    actor = forms.CharField(
        label=_("User name"), required=False, widget=forms.TextInput(attrs={"dir": "ltr"})
    )
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("Any")), *AuditAction.choices]
    )
    object_type = forms.CharField(
        label=_("Object type"), required=False, widget=forms.TextInput(attrs={"dir": "ltr"})
    )
    object_id = forms.CharField(
        label=_("Object"), required=False, widget=forms.TextInput(attrs={"dir": "ltr"})
    )
    request_id = forms.CharField(
        label=_("Request"), required=False, widget=forms.TextInput(attrs={"dir": "ltr"})
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned
