"""Pages of data exchange: sources, uploading a file, mapping its columns, checking it and importing it."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from awda.accounts.access import signed_in_user
from awda.accounts.models import User
from awda.core.errors import AwdaError
from awda.core.forms import add_error_to_form
from awda.core.progress import enqueue_with_progress
from awda.exchange import actions, enums, rules
from awda.exchange.access import access_batch_by_id, access_source_by_id, home, is_steward
from awda.exchange.forms import CommitForm, MappingForm, RunForm, SourceForm, UploadForm
from awda.exchange.models import CandidatePair, ImportBatch, LinkRun, RowError, Source
from awda.exchange.tasks import batch_commit_task, batch_validate_task, link_run_task
from awda.geo.models import Governorate
from awda.registry.enums import Sex


def steward(request: HttpRequest) -> User:
    """The signed-in user, if they may work on data exchange; others see "not found"."""
    user = signed_in_user(request)
    if not is_steward(user):
        raise Http404
    return user


def source_of(user: User, source_uuid: Any) -> Source:
    source = access_source_by_id(user, source_uuid)
    if source is None:
        raise Http404
    return source


def batch_of(user: User, batch_uuid: Any) -> ImportBatch:
    batch = access_batch_by_id(user, batch_uuid)
    if batch is None:
        raise Http404
    return batch


@login_required
def source_list(request: HttpRequest) -> HttpResponse:
    user = steward(request)
    form = SourceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            source = actions.source_create(actor=user, **form.cleaned_data)
        except AwdaError as error:
            add_error_to_form(form, error)
        else:
            messages.success(request, _("The source was created. Upload its first file."))
            return redirect("exchange:source", source_uuid=source.uuid)
    sources = (
        Source.objects.filter(institution_id=home(user))
        .select_related("held_by")
        .annotate(record_count=Count("records", distinct=True))
    )
    runs = LinkRun.objects.filter(institution_id=home(user)).select_related("source")[:10]
    pending = actions_pending_count(user)
    return render(
        request,
        "exchange/source_list.html",
        {"sources": sources, "form": form, "runs": runs, "pending": pending, "run_form": RunForm()},
    )


def actions_pending_count(user: User) -> int:
    return CandidatePair.objects.filter(
        status=enums.PairStatus.PENDING, returnee__institution_id=home(user)
    ).count()


@login_required
def source_page(request: HttpRequest, source_uuid: Any) -> HttpResponse:
    user = steward(request)
    source = source_of(user, source_uuid)
    batches = source.batches.select_related("created_by")[:20]
    counts = source.records.aggregate(
        total=Count("id"),
        linked=Count("pairs", filter=Q(pairs__status__in=["linked", "same"]), distinct=True),
    )
    return render(
        request,
        "exchange/source_page.html",
        {
            "source": source,
            "batches": batches,
            "counts": counts,
            "upload_form": UploadForm(),
            "run_form": RunForm(),
            "runs": source.runs.all()[:10],
            "field_labels": dict(enums.SourceField.choices),
        },
    )


@login_required
@require_POST
def batch_upload(request: HttpRequest, source_uuid: Any) -> HttpResponse:
    user = steward(request)
    source = source_of(user, source_uuid)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file to upload."))
        return redirect("exchange:source", source_uuid=source.uuid)
    upload = form.cleaned_data["file"]
    try:
        batch = actions.batch_upload(actor=user, source=source, file_name=upload.name, chunks=upload.chunks())
    except AwdaError as error:
        messages.error(request, str(error.message))
        return redirect("exchange:source", source_uuid=source.uuid)
    return redirect("exchange:batch_mapping", batch_uuid=batch.uuid)


@login_required
def batch_mapping(request: HttpRequest, batch_uuid: Any) -> HttpResponse:
    """Match the file's columns to Awda's fields; the mapping is saved for the source's next files."""
    user = steward(request)
    batch = batch_of(user, batch_uuid)
    if batch.status not in (
        enums.BatchStatus.UPLOADED,
        enums.BatchStatus.VALIDATED,
        enums.BatchStatus.REFUSED,
    ):
        return redirect("exchange:batch", batch_uuid=batch.uuid)
    headers = batch.preview.get("headers", [])
    saved = {k: v for k, v in batch.source.column_mapping.items() if v in headers}
    initial = {**rules.suggest_mapping(headers, rules.USUAL_HEADERS), **saved}
    initial["sync_fields"] = batch.source.sync_fields
    form = MappingForm(request.POST or None, headers=headers, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.source_set_mapping(
                actor=user,
                source=batch.source,
                mapping=form.mapping(),
                sync_fields=form.cleaned_data["sync_fields"],
            )
        except AwdaError as error:
            add_error_to_form(form, error)
        else:
            _start_validation(user, batch)
            return redirect("exchange:batch", batch_uuid=batch.uuid)
    return render(
        request,
        "exchange/batch_mapping.html",
        {
            "batch": batch,
            "form": form,
            "missing": actions.missing_columns(batch) if batch.source.column_mapping else [],
        },
    )


def _start_validation(user: User, batch: ImportBatch) -> None:
    batch.status = enums.BatchStatus.VALIDATING
    batch.task_id = enqueue_with_progress(
        batch_validate_task, kind="import_validate", owner_id=user.pk, batch_id=batch.pk
    )
    batch.save(update_fields=["status", "task_id", "updated_at"])


@login_required
def batch_page(request: HttpRequest, batch_uuid: Any) -> HttpResponse:
    user = steward(request)
    batch = batch_of(user, batch_uuid)
    errors = Paginator(RowError.objects.filter(batch=batch), 50).get_page(request.GET.get("page"))
    summary = (
        RowError.objects.filter(batch=batch).values("code").annotate(n=Count("id")).order_by("-n")
        if batch.rows_with_errors
        else []
    )
    labels = dict(enums.RowErrorCode.choices)
    field_labels = dict(enums.SourceField.choices)
    preview_fields = [f for f in enums.SourceField.values if f in batch.source.column_mapping]
    preview = [
        {
            "row": r["row"],
            "cells": [_shown(f, r["values"].get(f, "")) for f in preview_fields],
            "problems": [labels.get(p, p) for p in r["problems"]],
        }
        for r in batch.preview.get("rows", [])
    ]
    return render(
        request,
        "exchange/batch_page.html",
        {
            "batch": batch,
            "errors": errors,
            "error_labels": labels,
            "summary": [(labels.get(s["code"], s["code"]), s["n"]) for s in summary],
            "preview_headers": [field_labels[f] for f in preview_fields],
            "preview": preview,
            "commit_form": CommitForm(),
            "working": batch.status in (enums.BatchStatus.VALIDATING, enums.BatchStatus.COMMITTING),
        },
    )


def _shown(field: str, value: str) -> str:
    """A normalised value as the reader knows it: the sex in their language, the governorate by name."""
    if field == "sex" and value:
        return str(dict(Sex.choices).get(value, value))
    if field == "governorate" and value:
        governorate = Governorate.objects.filter(pcode=value).first()
        return governorate.name if governorate else value
    return value


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
def batch_errors_csv(request: HttpRequest, batch_uuid: Any) -> StreamingHttpResponse:
    """Every problem of the file, to correct it in a spreadsheet (row numbers as the spreadsheet shows them)."""
    user = steward(request)
    batch = batch_of(user, batch_uuid)
    labels = dict(enums.RowErrorCode.choices)
    writer = csv.writer(_Echo())

    def lines() -> Any:
        yield "\ufeff" + writer.writerow([_("Row"), _("Column"), _("Value"), _("Problem")])
        for error in RowError.objects.filter(batch=batch).iterator(chunk_size=2000):
            yield writer.writerow(
                [error.row_number, error.column, error.value, labels.get(error.code, error.code)]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="problems-{batch.uuid}.csv"'
    return response


@login_required
@require_POST
def batch_commit(request: HttpRequest, batch_uuid: Any) -> HttpResponse:
    user = steward(request)
    batch = batch_of(user, batch_uuid)
    form = CommitForm(request.POST)
    skip = form.is_valid() and form.cleaned_data["skip_invalid_rows"]
    try:
        batch = actions.batch_commit_request(actor=user, batch=batch, skip_invalid_rows=skip)
    except AwdaError as error:
        messages.error(request, str(error.message))
        return redirect("exchange:batch", batch_uuid=batch.uuid)
    batch.task_id = enqueue_with_progress(
        batch_commit_task, kind="import_commit", owner_id=user.pk, batch_id=batch.pk
    )
    batch.save(update_fields=["task_id", "updated_at"])
    return redirect("exchange:batch", batch_uuid=batch.uuid)


@login_required
@require_POST
def batch_discard(request: HttpRequest, batch_uuid: Any) -> HttpResponse:
    user = steward(request)
    batch = batch_of(user, batch_uuid)
    try:
        actions.batch_discard(actor=user, batch=batch)
    except AwdaError as error:
        messages.error(request, str(error.message))
        return redirect("exchange:batch", batch_uuid=batch.uuid)
    messages.success(request, _("The file was discarded; nothing was imported."))
    return redirect("exchange:source", source_uuid=batch.source.uuid)


@login_required
@require_POST
def run_start(request: HttpRequest) -> HttpResponse:
    """Start a linkage run: a source against the registry (``source`` given) or the registry's duplicates."""
    user = steward(request)
    source = source_of(user, request.POST["source"]) if request.POST.get("source") else None
    kind = enums.RunKind.SOURCE_TO_REGISTRY if source else enums.RunKind.REGISTRY_DUPLICATES
    form = RunForm(request.POST)
    back = redirect("exchange:source", source_uuid=source.uuid) if source else redirect("exchange:sources")
    if not form.is_valid():
        messages.error(request, _("The thresholds must be numbers between 0 and 1."))
        return back
    try:
        run = actions.link_run_create(actor=user, kind=kind, source=source, **form.cleaned_data)
    except AwdaError as error:
        messages.error(request, str(error.message))
        return back
    run.task_id = enqueue_with_progress(link_run_task, kind="link_run", owner_id=user.pk, run_id=run.pk)
    run.save(update_fields=["task_id", "updated_at"])
    return redirect("portal:task", task_id=run.task_id)


urlpatterns: list[URLPattern] = [
    path("sources/", source_list, name="sources"),
    path("sources/<uuid:source_uuid>/", source_page, name="source"),
    path("sources/<uuid:source_uuid>/upload/", batch_upload, name="batch_upload"),
    path("imports/<uuid:batch_uuid>/", batch_page, name="batch"),
    path("imports/<uuid:batch_uuid>/mapping/", batch_mapping, name="batch_mapping"),
    path("imports/<uuid:batch_uuid>/problems.csv", batch_errors_csv, name="batch_errors"),
    path("imports/<uuid:batch_uuid>/commit/", batch_commit, name="batch_commit"),
    path("imports/<uuid:batch_uuid>/discard/", batch_discard, name="batch_discard"),
    path("runs/", run_start, name="run_start"),
]
