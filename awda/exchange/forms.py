"""Forms of data exchange pages: a new source, a column mapping, an upload, a linkage run, a decision."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from awda.accounts.models import Institution
from awda.exchange import enums
from awda.exchange.linkage.settings import LinkageSettings


class SourceForm(forms.Form):
    name_ar = forms.CharField(label=_("Name (Arabic)"), max_length=200)
    name_ckb = forms.CharField(label=_("Name (Kurdish)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200)
    held_by = forms.ModelChoiceField(
        label=_("Data from"), queryset=Institution.objects.filter(is_active=True), to_field_name="uuid"
    )
    kind = forms.ChoiceField(label=_("Kind of register"), choices=enums.SourceKind.choices)
    status_label_ar = forms.CharField(
        label=_("What a link means, for case pages (Arabic)"),
        max_length=200,
        required=False,
        help_text=_("For example: Registered as unemployed at MoLSA."),
    )
    status_label_ckb = forms.CharField(
        label=_("What a link means, for case pages (Kurdish)"), max_length=200, required=False
    )
    status_label_en = forms.CharField(
        label=_("What a link means, for case pages (English)"), max_length=200, required=False
    )


class MappingForm(forms.Form):
    """One choice of the file's columns per Awda field, and which fields case pages show."""

    def __init__(self, *args: Any, headers: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("(not in this file)")), *((h, h) for h in headers)]
        for value, label in enums.SourceField.choices:
            self.fields[value] = forms.ChoiceField(label=label, choices=choices, required=False)
        self.fields["sync_fields"] = forms.MultipleChoiceField(
            label=_("Show on the case pages of linked returnees"),
            choices=[(f.value, f.label) for f in enums.STATUS_FIELDS],
            widget=forms.CheckboxSelectMultiple,
            required=False,
        )

    def mapping(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(key) or "" for key in enums.SourceField.values}


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File (CSV or XLSX)"))


class CommitForm(forms.Form):
    skip_invalid_rows = forms.BooleanField(
        label=_("Import the rows without problems and leave out the rows with problems"), required=False
    )


class RunForm(forms.Form):
    match_threshold = forms.FloatField(
        label=_("Match threshold"),
        min_value=0.01,
        max_value=1,
        initial=LinkageSettings.match_threshold,
        help_text=_("Pairs at least this likely are linked without review."),
    )
    review_threshold = forms.FloatField(
        label=_("Review threshold"),
        min_value=0.01,
        max_value=1,
        initial=LinkageSettings.review_threshold,
        help_text=_("Pairs from this likelihood up to the match threshold go to the review queue."),
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("same", _("Same person")), ("different", _("Different people"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
