"""Pages of data exchange: data-sharing agreements, and extracts under them as CSV or XLSX with HXL hashtags."""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from awda.accounts.access import signed_in_user
from awda.accounts.models import Institution, User
from awda.accounts.roles import Capability, has_capability
from awda.core.errors import AwdaError, NotFound
from awda.core.forms import add_error_to_form
from awda.exchange import sharing
from awda.exchange.enums import FileFormat
from awda.exchange.models import SharingAgreement
from awda.geo.models import Governorate

# An XLSX sheet holds at most this many rows; a larger extract goes on to further sheets.
XLSX_SHEET_ROWS = 1_048_576
_XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class AgreementForm(forms.Form):
    recipient = forms.ModelChoiceField(
        label=gettext_lazy("Institution receiving the data"), queryset=Institution.objects.none()
    )
    reference = forms.CharField(label=gettext_lazy("Reference of the signed agreement"), max_length=120)
    purpose = forms.CharField(
        label=gettext_lazy("Purpose"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "What the receiving institution will use the data for, as the agreement says."
        ),
    )
    shared_fields = forms.MultipleChoiceField(
        label=gettext_lazy("Fields shared"),
        choices=[(f.key, f.label) for f in sharing.FIELDS],
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Only these fields are in the extracts; everything else stays."),
    )
    governorates = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Governorates"),
        queryset=Governorate.objects.order_by("pcode"),
        required=False,
        help_text=gettext_lazy("Leave empty for every governorate."),
    )
    valid_from = forms.DateField(
        label=gettext_lazy("Valid from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_until = forms.DateField(
        label=gettext_lazy("Valid until"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, provider: Institution, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        recipient: Any = self.fields["recipient"]
        recipient.queryset = Institution.objects.filter(is_active=True).exclude(pk=provider.pk)


def _steward(request: HttpRequest) -> User:
    """Agreements are the business of data stewards; for anybody else these pages do not exist."""
    user = signed_in_user(request)
    if not has_capability(user, Capability.MANAGE_AGREEMENTS) or user.institution_id is None:
        raise Http404
    return user


def _agreement_or_404(user: User, agreement_uuid: object) -> SharingAgreement:
    try:
        return sharing.access_agreement_by_uuid(user, str(agreement_uuid))
    except NotFound as error:
        raise Http404 from error


@login_required
def agreement_list(request: HttpRequest) -> HttpResponse:
    user = _steward(request)
    agreements = list(sharing.agreements_visible_to(user).order_by("-valid_until", "reference"))
    today = timezone.localdate()
    context = {
        "given": [
            (a, sharing.agreement_in_force(a, today))
            for a in agreements
            if a.provider_id == user.institution_id
        ],
        "received": [
            (a, sharing.agreement_in_force(a, today))
            for a in agreements
            if a.recipient_id == user.institution_id
        ],
    }
    return render(request, "exchange/agreement_list.html", context)


@login_required
def agreement_create(request: HttpRequest) -> HttpResponse:
    user = _steward(request)
    provider = user.institution
    assert provider is not None
    form = AgreementForm(request.POST or None, provider=provider)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            agreement = sharing.agreement_create(
                actor=user,
                provider=provider,
                recipient=data["recipient"],
                reference=data["reference"],
                purpose=data["purpose"],
                fields=data["shared_fields"],
                governorates=list(data["governorates"]),
                valid_from=data["valid_from"],
                valid_until=data["valid_until"],
            )
        except AwdaError as error:
            # The domain names the model's field; the form's field has a name that does not clash with Form.fields.
            error.fields = {("shared_fields" if k == "fields" else k): v for k, v in error.fields.items()}
            add_error_to_form(form, error)
        else:
            messages.success(request, _("The agreement has been recorded."))
            return HttpResponseRedirect(reverse("exchange:agreement_detail", args=[agreement.uuid]))
    return render(request, "exchange/agreement_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def agreement_detail(request: HttpRequest, agreement_uuid: object) -> HttpResponse:
    user = _steward(request)
    agreement = _agreement_or_404(user, agreement_uuid)
    today = timezone.localdate()
    context = {
        "agreement": agreement,
        "fields": sharing.fields_of(agreement),
        "governorates": list(agreement.governorates.all()),
        "in_force": sharing.agreement_in_force(agreement, today),
        "can_revoke": sharing.may_manage(user, agreement) and agreement.revoked_at is None,
        "can_extract": sharing.may_extract(user, agreement) and sharing.agreement_in_force(agreement, today),
        "exports": list(agreement.exports.select_related("made_by")[:100]),
        "formats": [FileFormat.CSV, FileFormat.XLSX],
    }
    return render(request, "exchange/agreement_detail.html", context)


@login_required
@require_POST
def agreement_revoke(request: HttpRequest, agreement_uuid: object) -> HttpResponse:
    user = _steward(request)
    agreement = _agreement_or_404(user, agreement_uuid)
    try:
        sharing.agreement_revoke(actor=user, agreement=agreement)
    except NotFound as error:
        raise Http404 from error
    except AwdaError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request, _("The agreement has been revoked. No extract can be made under it any more.")
        )
    return HttpResponseRedirect(reverse("exchange:agreement_detail", args=[agreement.uuid]))


class _Echo:
    """A file that hands back what is written to it, so that csv.writer can feed a streamed response."""

    def write(self, value: str) -> str:
        return value


def _csv_stream(
    header: list[str], hxl: list[str], keys: list[str], rows: Iterator[dict[str, str]]
) -> Iterator[str]:
    writer = csv.writer(_Echo())
    # The byte-order mark makes Excel read the file as UTF-8 (Arabic and Kurdish names).
    yield "\ufeff" + writer.writerow(header)
    yield writer.writerow(hxl)
    for row in rows:
        yield writer.writerow([row[key] for key in keys])


def _xlsx_file(header: list[str], hxl: list[str], keys: list[str], rows: Iterator[dict[str, str]]) -> Any:
    """The workbook written row by row (openpyxl's write-only mode keeps rows on disk), in a temporary file."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet: Any = None
    used = XLSX_SHEET_ROWS
    for row in rows:
        if used >= XLSX_SHEET_ROWS:
            sheet = workbook.create_sheet(f"returnees {len(workbook.worksheets) + 1}")
            sheet.append(header)
            sheet.append(hxl)
            used = 2
        cells = []
        for key in keys:
            cell = WriteOnlyCell(sheet, value=row[key])
            # A value that starts with "=" is text, never a formula for the spreadsheet to run.
            cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
        used += 1
    if sheet is None:
        sheet = workbook.create_sheet("returnees 1")
        sheet.append(header)
        sheet.append(hxl)
    # FileResponse closes the file when the download is sent; a with-block would close it too early.
    out = tempfile.TemporaryFile()  # noqa: SIM115
    workbook.save(out)
    out.seek(0)
    return out


@login_required
@require_POST
def agreement_extract(request: HttpRequest, agreement_uuid: object, fmt: str) -> HttpResponseBase:
    """The extract as a file. The export and its audit row are written before the first row is sent."""
    user = _steward(request)
    agreement = _agreement_or_404(user, agreement_uuid)
    if fmt not in (FileFormat.CSV, FileFormat.XLSX) or not sharing.may_extract(user, agreement):
        raise Http404
    today = timezone.localdate()
    try:
        rows = sharing.extract_rows(agreement=agreement, actor_or_none=user, today=today)
        export = sharing.export_record(actor=user, agreement=agreement, file_format=fmt, today=today)
    except NotFound as error:
        raise Http404 from error
    except AwdaError as error:
        messages.error(request, str(error.message))
        return HttpResponseRedirect(reverse("exchange:agreement_detail", args=[agreement.uuid]))
    header, hxl = sharing.header_rows(agreement)
    keys = [f.key for f in sharing.fields_of(agreement)]
    name = f"awda-{agreement.provider.code}-{agreement.recipient.code}-{today:%Y%m%d}-{str(export.uuid)[:8]}.{fmt}"
    response: HttpResponseBase
    if fmt == FileFormat.CSV:
        response = StreamingHttpResponse(
            _csv_stream(header, hxl, keys, rows), content_type="text/csv; charset=utf-8"
        )
    else:
        response = FileResponse(_xlsx_file(header, hxl, keys, rows), content_type=_XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


urlpatterns: list[URLPattern] = [
    path("agreements/", agreement_list, name="agreement_list"),
    path("agreements/new/", agreement_create, name="agreement_create"),
    path("agreements/<uuid:agreement_uuid>/", agreement_detail, name="agreement_detail"),
    path("agreements/<uuid:agreement_uuid>/revoke/", agreement_revoke, name="agreement_revoke"),
    path("agreements/<uuid:agreement_uuid>/extract.<str:fmt>", agreement_extract, name="agreement_extract"),
]
