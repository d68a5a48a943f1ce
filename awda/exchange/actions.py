"""Every write of data exchange: sources, imports, linkage runs, review decisions, merges and their undo."""

from __future__ import annotations

import hashlib
import json
import uuid as uuid_module
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from awda.accounts.models import Institution, User
from awda.accounts.roles import Capability, has_capability
from awda.core import audit
from awda.core.errors import AwdaError, Conflict, NotFound, PermissionDenied
from awda.core.models import AuditAction
from awda.core.tables import FileProblem, Table, open_table
from awda.exchange import enums, rules
from awda.exchange.linkage.settings import LinkageSettings
from awda.exchange.models import (
    CandidatePair,
    ExternalRecord,
    ImportBatch,
    LinkRun,
    Merge,
    RowError,
    Source,
)
from awda.registry import actions as registry_actions
from awda.registry.enums import CaseEventKind
from awda.registry.models import IdentityDocument, Phone, Returnee
from awda.registry.queries import returnees_editable_by

if TYPE_CHECKING:
    from awda.exchange.linkage.engine import ProgressCallback, ScoredPair

CHUNK = 2000
PREVIEW_ROWS = 20
MAX_API_RECORDS = 10_000
# Fields of the survivor a merge may fill from the merged record when the survivor has none.
FILLABLE_FIELDS = (
    "grandfather_name",
    "great_grandfather_name",
    "family_name",
    "given_name_latin",
    "father_name_latin",
    "grandfather_name_latin",
    "family_name_latin",
    "known_as",
    "mother_name",
    "date_of_birth",
    "place_of_birth",
    "country_of_birth_id",
    "country_returned_from_id",
    "return_date",
    "months_abroad",
    "address",
)


def _require(actor: User, capability: Capability = Capability.EXCHANGE_DATA) -> int:
    """The actor's institution, if they may do this; data exchange is always for one institution."""
    if not has_capability(actor, capability) or actor.institution_id is None:
        raise PermissionDenied(_("You are not allowed to do this."))
    return actor.institution_id


def imports_dir() -> Path:
    path = Path(settings.DATA_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


# --------------------------------------------------------------------------------------------------
# Sources


def _validate_mapping(mapping: Mapping[str, str], sync_fields: Iterable[str]) -> dict[str, str]:
    known = set(enums.SourceField.values)
    errors: dict[str, list[str | Promise]] = {}
    cleaned = {k: v.strip() for k, v in mapping.items() if v and v.strip()}
    for key in cleaned:
        if key not in known:
            errors.setdefault(key, []).append(_("Unknown field."))
    if "record_id" not in cleaned:
        errors.setdefault("record_id", []).append(
            _("Choose the column that holds each person's ID in the source.")
        )
    if "full_name" not in cleaned and "given_name" not in cleaned:
        errors.setdefault("full_name", []).append(
            _("Choose the column of the full name or of the given name.")
        )
    used: dict[str, str] = {}
    for key, column in cleaned.items():
        if column in used:
            errors.setdefault(key, []).append(
                _("The column “%(column)s” is already used for another field.") % {"column": column}
            )
        used[column] = key
    for key in sync_fields:
        if key not in cleaned:
            errors.setdefault("sync_fields", []).append(
                _("Only mapped fields can be shown on case pages (%(field)s is not mapped).") % {"field": key}
            )
    if errors:
        raise AwdaError(_("The column mapping is not complete."), code="invalid", fields=errors)
    return cleaned


def source_create(
    *,
    actor: User,
    held_by: Institution,
    name_ar: str,
    name_ckb: str,
    name_en: str,
    kind: str,
    status_label_ar: str = "",
    status_label_ckb: str = "",
    status_label_en: str = "",
) -> Source:
    institution_id = _require(actor)
    names = {"name_ar": name_ar.strip(), "name_ckb": name_ckb.strip(), "name_en": name_en.strip()}
    missing: dict[str, list[str | Promise]] = {
        k: [_("This field is required.")] for k, v in names.items() if not v
    }
    if kind not in enums.SourceKind.values:
        missing["kind"] = [_("Unknown kind of register.")]
    if missing:
        raise AwdaError(_("Please correct the fields below."), code="invalid", fields=missing)
    if Source.objects.filter(institution_id=institution_id, name_en=names["name_en"]).exists():
        raise AwdaError(
            _("Please correct the fields below."),
            code="invalid",
            fields={"name_en": [_("Your institution already has a source with this name.")]},
        )
    with transaction.atomic():
        source = Source.objects.create(
            institution_id=institution_id,
            held_by=held_by,
            kind=kind,
            created_by=actor,
            status_label_ar=status_label_ar,
            status_label_ckb=status_label_ckb,
            status_label_en=status_label_en,
            **names,
        )
        audit.record(actor=actor, action=AuditAction.CREATE, obj=source)
    return source


def source_set_mapping(
    *, actor: User, source: Source, mapping: Mapping[str, str], sync_fields: Iterable[str] = ()
) -> Source:
    _require(actor)
    sync = list(dict.fromkeys(sync_fields))
    cleaned = _validate_mapping(mapping, sync)
    with transaction.atomic():
        source.column_mapping = cleaned
        source.sync_fields = sync
        source.save(update_fields=["column_mapping", "sync_fields", "updated_at"])
        audit.record(
            actor=actor, action=AuditAction.UPDATE, obj=source, fields=["column_mapping", "sync_fields"]
        )
    return source


# --------------------------------------------------------------------------------------------------
# Imports


def _format_of(file_name: str) -> str:
    suffix = Path(file_name).suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        return enums.FileFormat.CSV
    if suffix == ".xlsx":
        return enums.FileFormat.XLSX
    if suffix == ".xls":
        raise AwdaError(
            _("Old Excel files (.xls) cannot be read; save the file as .xlsx or CSV UTF-8."), code="invalid"
        )
    raise AwdaError(_("Awda imports CSV and XLSX files."), code="invalid")


def batch_upload(*, actor: User, source: Source, file_name: str, chunks: Iterable[bytes]) -> ImportBatch:
    """Keep an uploaded file and read its header; refused files leave nothing behind."""
    _require(actor)
    file_format = _format_of(file_name)
    batch_uuid = uuid_module.uuid4()
    path = imports_dir() / f"{batch_uuid}.{file_format}"
    digest = hashlib.sha256()
    size = 0
    limit = settings.AWDA_IMPORT_MAX_BYTES
    try:
        with path.open("wb") as out:
            for chunk in chunks:
                size += len(chunk)
                if size > limit:
                    raise AwdaError(
                        _("The file is larger than %(limit)s MB; split it into smaller files.")
                        % {"limit": limit // (1024 * 1024)},
                        code="invalid",
                    )
                digest.update(chunk)
                out.write(chunk)
        sha = digest.hexdigest()
        earlier = ImportBatch.objects.filter(
            source=source, sha256=sha, status=enums.BatchStatus.COMMITTED
        ).first()
        if earlier is not None:
            raise Conflict(
                _("This file was already imported on %(date)s; nothing was changed.")
                % {
                    "date": timezone.localtime(earlier.committed_at).strftime("%Y-%m-%d %H:%M")
                    if earlier.committed_at
                    else ""
                }
            )
        table = open_table(path, file_format)
    except FileProblem as problem:
        path.unlink(missing_ok=True)
        raise AwdaError(str(problem), code="invalid") from problem
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            uuid=batch_uuid,
            source=source,
            file_name=Path(file_name).name[:255],
            file_format=file_format,
            file_size=size,
            sha256=sha,
            stored_path=str(path),
            encoding=table.encoding,
            preview={"headers": table.headers, "rows": []},
            created_by=actor,
        )
        audit.record(actor=actor, action=AuditAction.CREATE, obj=batch)
    return batch


def missing_columns(batch: ImportBatch) -> list[str]:
    """Mapped columns the file does not have (a renamed or missing column)."""
    headers = set(batch.preview.get("headers", []))
    return [column for column in batch.source.column_mapping.values() if column not in headers]


def _table(batch: ImportBatch) -> Table:
    return Table(
        headers=batch.preview.get("headers", []),
        encoding=batch.encoding,
        path=Path(batch.stored_path),
        file_format=batch.file_format,
    )


def checked_rows(batch: ImportBatch, today: date) -> Iterator[tuple[int, rules.CheckedRow]]:
    """Every row of the batch's file, checked; duplicate IDs within the file are a problem of the later row."""
    mapping = (
        {key: key for key in enums.SourceField.values}
        if batch.file_format == enums.FileFormat.JSON
        else batch.source.column_mapping
    )
    seen: set[str] = set()
    id_column = mapping.get("record_id", "")
    for number, raw in _table(batch).rows():
        checked = rules.check_row(raw, mapping, today=today)
        record_id = checked.values.get("record_id")
        if record_id:
            if record_id in seen:
                checked.problems.append((id_column, enums.RowErrorCode.DUPLICATE_ID, record_id))
            seen.add(record_id)
        yield number, checked


def batch_validate(*, batch: ImportBatch, progress: Any = None) -> ImportBatch:
    """Check every row and keep the problems; nothing is imported yet."""
    missing = missing_columns(batch)
    if missing:
        raise AwdaError(
            _("The file has no column “%(column)s”; change the mapping or the file.")
            % {"column": missing[0]},
            code="invalid",
        )
    RowError.objects.filter(batch=batch).delete()
    total = valid = with_errors = 0
    preview: list[dict[str, Any]] = []
    pending: list[RowError] = []
    try:
        for number, checked in checked_rows(batch, timezone.localdate()):
            total += 1
            if checked.ok:
                valid += 1
            else:
                with_errors += 1
                pending.extend(
                    RowError(
                        batch=batch, row_number=number, column=column[:200], code=code, value=value[:200]
                    )
                    for column, code, value in checked.problems
                )
            if len(preview) < PREVIEW_ROWS:
                preview.append(
                    {"row": number, "values": checked.values, "problems": [p[1] for p in checked.problems]}
                )
            if len(pending) >= CHUNK:
                RowError.objects.bulk_create(pending)
                pending = []
            if progress and total % 5000 == 0:
                progress(total)
    except FileProblem as problem:
        RowError.objects.filter(batch=batch).delete()
        batch.status = enums.BatchStatus.REFUSED
        batch.failure = str(problem)[:500]
        batch.save(update_fields=["status", "failure", "updated_at"])
        return batch
    RowError.objects.bulk_create(pending)
    if total == 0:
        batch.status = enums.BatchStatus.REFUSED
        batch.failure = _("The file has a header but no rows.")
    else:
        batch.status = enums.BatchStatus.VALIDATED
        batch.failure = ""
    batch.rows_total, batch.rows_valid, batch.rows_with_errors = total, valid, with_errors
    batch.preview = {**batch.preview, "rows": preview}
    batch.save()
    return batch


def batch_commit_request(*, actor: User, batch: ImportBatch, skip_invalid_rows: bool) -> ImportBatch:
    """Accept a checked batch for import; the import itself runs in the background (``batch_commit``)."""
    _require(actor)
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status != enums.BatchStatus.VALIDATED:
            raise Conflict(
                _("This file is not waiting for import (it is: %(status)s).")
                % {"status": locked.get_status_display()}
            )
        if locked.rows_with_errors and not skip_invalid_rows:
            raise AwdaError(
                _("%(count)s rows have problems. Correct the file, or choose to leave those rows out.")
                % {"count": locked.rows_with_errors},
                code="invalid",
            )
        if locked.rows_valid == 0:
            raise AwdaError(_("No row of this file can be imported."), code="invalid")
        if ImportBatch.objects.filter(
            source=locked.source, sha256=locked.sha256, status=enums.BatchStatus.COMMITTED
        ).exists():
            raise Conflict(_("This file was already imported; nothing was changed."))
        locked.status = enums.BatchStatus.COMMITTING
        locked.skip_invalid_rows = skip_invalid_rows
        locked.save(update_fields=["status", "skip_invalid_rows", "updated_at"])
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=locked, fields=["status"])
    return locked


def batch_commit(*, batch: ImportBatch, progress: Any = None) -> ImportBatch:
    """Import every valid row in one transaction: all rows or, on any failure, none."""
    now = timezone.now()
    counts = {"new": 0, "updated": 0, "unchanged": 0}

    # A source's first file has nothing to update: no lookups. (They would also be slow: inside the
    # one transaction the planner still thinks the table is as small as it was.)
    first_file = not ExternalRecord.objects.filter(source=batch.source).exists()
    if not first_file and connection.vendor == "postgresql":
        # Statistics may not know yet of the previous file's rows; without them each lookup below
        # becomes a scan of the whole table.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE exchange_externalrecord")

    def flush(rows: list[tuple[int, dict[str, str]]]) -> None:
        ids = [values["record_id"] for _number, values in rows]
        existing = (
            {}
            if first_file
            else {
                r.external_id: r
                for r in ExternalRecord.objects.filter(source=batch.source, external_id__in=ids)
            }
        )
        new: list[ExternalRecord] = []
        changed: list[ExternalRecord] = []
        seen_again: list[int] = []
        for number, values in rows:
            record_values = {k: v for k, v in values.items() if k != "record_id"}
            record = existing.get(values["record_id"])
            if record is None:
                new.append(
                    ExternalRecord(
                        source=batch.source,
                        external_id=values["record_id"],
                        values=record_values,
                        provenance={},  # every value is from this batch and row
                        batch=batch,
                        row_number=number,
                        governorate_id=record_values.get("governorate"),
                    )
                )
                continue
            if record.values == record_values:
                counts["unchanged"] += 1
                seen_again.append(record.pk)
                continue
            # Values this file repeats keep where they came from; changed ones come from this row,
            # which the record names itself (batch, row_number), so they need no entry.
            before = record.value_provenance()
            provenance = {k: before[k] for k, v in record_values.items() if record.values.get(k) == v}
            record.values, record.provenance = record_values, provenance
            record.batch, record.row_number, record.updated_at = batch, number, now
            record.governorate_id = record_values.get("governorate")
            changed.append(record)
        ExternalRecord.objects.bulk_create(new)
        # A record the newer file still holds is fresh, even unchanged (the quality report's "stale").
        ExternalRecord.objects.filter(pk__in=seen_again).update(updated_at=now)
        # Django builds one CASE per field and batch: small batches keep that quick.
        ExternalRecord.objects.bulk_update(
            changed,
            ["values", "provenance", "batch", "row_number", "updated_at", "governorate"],
            batch_size=250,
        )
        counts["new"] += len(new)
        counts["updated"] += len(changed)

    try:
        with transaction.atomic():
            pending: list[tuple[int, dict[str, str]]] = []
            done = 0
            for number, checked in checked_rows(batch, timezone.localdate()):
                if not checked.ok:
                    continue
                pending.append((number, checked.values))
                if len(pending) >= CHUNK:
                    flush(pending)
                    done += len(pending)
                    pending = []
                    if progress:
                        progress(done)
            flush(pending)
            batch.status = enums.BatchStatus.COMMITTED
            batch.committed_at = now
            batch.rows_new, batch.rows_updated, batch.rows_unchanged = (
                counts["new"],
                counts["updated"],
                counts["unchanged"],
            )
            batch.save()
            # One audit row for the file: the batch names every record it wrote through provenance.
            audit.record(actor=batch.created_by, action=AuditAction.CREATE, obj=batch, fields=["records"])
    except (FileProblem, IntegrityError) as problem:
        batch.status = enums.BatchStatus.REFUSED
        batch.failure = (
            str(problem)[:500] if isinstance(problem, FileProblem) else _("The file was already imported.")
        )
        batch.save(update_fields=["status", "failure", "updated_at"])
    return batch


def batch_discard(*, actor: User, batch: ImportBatch) -> ImportBatch:
    _require(actor)
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status not in (
            enums.BatchStatus.UPLOADED,
            enums.BatchStatus.VALIDATED,
            enums.BatchStatus.REFUSED,
        ):
            raise Conflict(
                _("This file can no longer be discarded (it is: %(status)s).")
                % {"status": locked.get_status_display()}
            )
        locked.status = enums.BatchStatus.DISCARDED
        locked.save(update_fields=["status", "updated_at"])
        RowError.objects.filter(batch=locked).delete()
        audit.record(actor=actor, action=AuditAction.DELETE, obj=locked)
    Path(locked.stored_path).unlink(missing_ok=True)
    return locked


def records_push(*, actor: User, source: Source, records: list[Mapping[str, Any]]) -> ImportBatch:
    """Records pushed as JSON through the API: checked and committed at once, or refused with every problem."""
    _require(actor)
    if not records:
        raise AwdaError(_("There are no records to import."), code="invalid")
    if len(records) > MAX_API_RECORDS:
        raise AwdaError(
            _("Send at most %(count)s records at a time, or upload a file.") % {"count": MAX_API_RECORDS},
            code="invalid",
        )
    identity = {key: key for key in enums.SourceField.values}
    body = json.dumps(records, sort_keys=True, ensure_ascii=False, default=str).encode()
    sha = hashlib.sha256(body).hexdigest()
    if ImportBatch.objects.filter(source=source, sha256=sha, status=enums.BatchStatus.COMMITTED).exists():
        raise Conflict(_("These records were already imported; nothing was changed."))
    today = timezone.localdate()
    problems: dict[str, list[str | Promise]] = {}
    seen: set[str] = set()
    checked_list: list[tuple[int, dict[str, str]]] = []
    labels = dict(enums.RowErrorCode.choices)
    for index, raw in enumerate(records):
        if not isinstance(raw, Mapping):
            problems[str(index)] = [_("Each record must be an object.")]
            continue
        text = {k: "" if v is None else str(v) for k, v in raw.items()}
        checked = rules.check_row(text, identity, today=today)
        record_id = checked.values.get("record_id", "")
        if record_id in seen:
            checked.problems.append(("record_id", enums.RowErrorCode.DUPLICATE_ID, record_id))
        seen.add(record_id)
        for column, code, _value in checked.problems:
            problems.setdefault(f"{index}.{column}", []).append(str(labels.get(code, code)))
        checked_list.append((index + 1, checked.values))
    if problems:
        raise AwdaError(
            _("Some records have problems; nothing was imported."), code="invalid", fields=problems
        )
    path = imports_dir() / f"{uuid_module.uuid4()}.json"
    path.write_bytes(body)
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            source=source,
            file_name="api.json",
            file_format=enums.FileFormat.JSON,
            preview={"headers": list(enums.SourceField.values), "rows": []},
            file_size=len(body),
            sha256=sha,
            stored_path=str(path),
            encoding="utf-8",
            status=enums.BatchStatus.VALIDATED,
            rows_total=len(records),
            rows_valid=len(records),
            created_by=actor,
        )
    # The JSON is kept like a file, so the batch commits through the same code as an upload.
    return batch_commit(batch=batch)


# --------------------------------------------------------------------------------------------------
# Linkage runs


def link_run_create(
    *,
    actor: User,
    kind: str,
    source: Source | None = None,
    match_threshold: float | None = None,
    review_threshold: float | None = None,
) -> LinkRun:
    """A run waiting for the worker; thresholds default to the engine's measured defaults."""
    institution_id = _require(actor)
    defaults = LinkageSettings()
    match = defaults.match_threshold if match_threshold is None else match_threshold
    review = defaults.review_threshold if review_threshold is None else review_threshold
    if not 0 < review <= match <= 1:
        raise AwdaError(
            _("Please correct the fields below."),
            code="invalid",
            fields={
                "review_threshold": [
                    _("The review threshold must be above 0 and at most the match threshold.")
                ]
            },
        )
    if kind == enums.RunKind.SOURCE_TO_REGISTRY:
        if source is None or source.institution_id != institution_id:
            raise NotFound(_("Not found."))
        if not source.records.exists():
            raise AwdaError(_("This source has no records yet; import a file first."), code="invalid")
    elif kind != enums.RunKind.REGISTRY_DUPLICATES:
        raise AwdaError(_("Unknown kind of run."), code="invalid")
    with transaction.atomic():
        if LinkRun.objects.filter(
            institution_id=institution_id, status__in=[enums.RunStatus.QUEUED, enums.RunStatus.RUNNING]
        ).exists():
            raise Conflict(
                _("A linkage run of your institution is already under way; wait for it to finish.")
            )
        run = LinkRun.objects.create(
            institution_id=institution_id,
            source=source if kind == enums.RunKind.SOURCE_TO_REGISTRY else None,
            kind=kind,
            match_threshold=match,
            review_threshold=review,
            started_by=actor,
        )
        audit.record(actor=actor, action=AuditAction.CREATE, obj=run)
    return run


def registry_linkage_records(institution_id: int) -> Iterator[dict[str, str]]:
    """The institution's current registry records in the engine's input form; ids are "r<pk>"."""
    phone = Phone.objects.filter(returnee=OuterRef("pk")).order_by("pk").values("number")[:1]
    document = (
        IdentityDocument.objects.filter(returnee=OuterRef("pk"))
        .exclude(number_key="")
        .order_by("pk")
        .values("number_key")[:1]
    )
    rows = (
        Returnee.objects.filter(institution_id=institution_id, merged_into__isnull=True)
        .annotate(first_phone=Subquery(phone), first_document=Subquery(document))
        .values(
            "pk",
            "given_name",
            "father_name",
            "grandfather_name",
            "great_grandfather_name",
            "family_name",
            "mother_name",
            "date_of_birth",
            "birth_date_precision",
            "sex",
            "governorate_id",
            "first_phone",
            "first_document",
        )
    )
    for row in rows.iterator(chunk_size=5000):
        born = row["date_of_birth"]
        if born is None:
            dob = ""
        elif row["birth_date_precision"] == "year":
            dob = str(born.year)
        else:
            dob = born.isoformat()
        parts = [
            row["given_name"],
            row["father_name"],
            row["grandfather_name"],
            row["great_grandfather_name"],
            row["family_name"],
        ]
        yield {
            "record_id": f"r{row['pk']}",
            "full_name": " ".join(p for p in parts if p),
            "given_name": row["given_name"],
            "father_name": row["father_name"],
            "grandfather_name": row["grandfather_name"],
            "family_name": row["family_name"],
            "mother_name": row["mother_name"],
            "date_of_birth": dob,
            "sex": {"male": "M", "female": "F"}.get(row["sex"], ""),
            "governorate": row["governorate_id"] or "",
            "phone": row["first_phone"] or "",
            "national_id": row["first_document"] or "",
        }


def source_linkage_records(source: Source) -> Iterator[dict[str, str]]:
    for pk, values in source.records.values_list("pk", "values").iterator(chunk_size=5000):
        yield {**{k: str(v) for k, v in values.items()}, "record_id": f"e{pk}"}


def _explanation(pair: ScoredPair) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = [
        {
            "comparison": e.comparison,
            "level": e.level,
            "level_label": e.level_label,
            "match_weight": e.match_weight,
        }
        for e in pair.explanation
    ]
    if pair.outranked_by is not None:
        # Not a weight: why a pair above the match threshold was not linked.
        items.append({"comparison": "competition", "level": "outranked", "contradicts_on": pair.outranked_on})
    return items


def link_run_execute(*, run: LinkRun, progress: ProgressCallback | None = None) -> LinkRun:
    """Score the run's records and file the pairs: links above the match threshold, the rest for review.

    Pairs decided earlier are not asked again: a steward's "different people" holds for later runs.
    """
    LinkRun.objects.filter(pk=run.pk).update(status=enums.RunStatus.RUNNING)
    from awda.exchange.linkage.engine import dedupe_records, link_records

    settings_ = LinkageSettings(match_threshold=run.match_threshold, review_threshold=run.review_threshold)
    right = list(registry_linkage_records(run.institution_id))
    try:
        if run.kind == enums.RunKind.SOURCE_TO_REGISTRY:
            assert run.source is not None
            left = list(source_linkage_records(run.source))
            result = link_records(left, right, settings=settings_, progress=progress)
            run.left_count, run.right_count = len(left), len(right)
        else:
            result = dedupe_records(right, settings=settings_, progress=progress)
            run.left_count = run.right_count = len(right)
    except Exception as error:  # Splink/DuckDB raise many kinds; the run must end with a reason, not hang
        run.status, run.failure, run.finished_at = enums.RunStatus.FAILED, str(error)[:500], timezone.now()
        run.save()
        raise
    with transaction.atomic():
        linked = for_review = 0
        new: list[CandidatePair] = []
        if run.kind == enums.RunKind.SOURCE_TO_REGISTRY:
            known = set(
                CandidatePair.objects.filter(record__source=run.source).values_list(
                    "record_id", "returnee_id"
                )
            )
        else:
            known = set(
                CandidatePair.objects.filter(
                    kind=enums.RunKind.REGISTRY_DUPLICATES, returnee__institution_id=run.institution_id
                ).values_list("returnee_id", "other_returnee_id")
            )
        for pair in result.pairs():
            if run.kind == enums.RunKind.SOURCE_TO_REGISTRY:
                record_id, returnee_id = int(pair.left_id[1:]), int(pair.right_id[1:])
                key: tuple[int, int] = (record_id, returnee_id)
                fields: dict[str, Any] = {"record_id": record_id, "returnee_id": returnee_id}
                # A pair outranked by a better candidate waits for a person (see linkage.competition).
                status = enums.PairStatus.LINKED if pair.is_match else enums.PairStatus.PENDING
            else:
                a, b = sorted((int(pair.left_id[1:]), int(pair.right_id[1:])))
                key = (a, b)
                fields = {"returnee_id": a, "other_returnee_id": b}
                # Nothing is merged silently: every suspected duplicate waits for a person.
                status = enums.PairStatus.PENDING
            if key in known:
                continue
            known.add(key)
            linked += status == enums.PairStatus.LINKED
            for_review += status == enums.PairStatus.PENDING
            new.append(
                CandidatePair(
                    run=run,
                    kind=run.kind,
                    match_probability=round(pair.match_probability, 6),
                    match_weight=round(pair.match_weight, 3),
                    explanation=_explanation(pair),
                    status=status,
                    **fields,
                )
            )
            if len(new) >= CHUNK:
                CandidatePair.objects.bulk_create(new)
                new = []
        CandidatePair.objects.bulk_create(new)
        run.linked, run.for_review = linked, for_review
        run.status, run.finished_at = enums.RunStatus.FINISHED, timezone.now()
        run.save()
        audit.record(actor=run.started_by, action=AuditAction.UPDATE, obj=run, fields=["pairs"])
    return run


# --------------------------------------------------------------------------------------------------
# Review and merge


def pair_decide(*, actor: User, pair: CandidatePair, same: bool, note: str = "") -> CandidatePair:
    """Record a steward's decision on a pair; a decided pair is a label for later runs."""
    _require(actor)
    with transaction.atomic():
        locked = CandidatePair.objects.select_for_update().get(pk=pair.pk)
        if locked.status in (enums.PairStatus.MERGED,) or (
            locked.status in (enums.PairStatus.SAME, enums.PairStatus.DIFFERENT)
            and locked.decided_by_id != actor.pk
        ):
            raise Conflict(
                _("Someone decided on this pair already: %(status)s.")
                % {"status": locked.get_status_display()}
            )
        locked.status = enums.PairStatus.SAME if same else enums.PairStatus.DIFFERENT
        locked.decided_by, locked.decided_at, locked.note = actor, timezone.now(), note.strip()[:500]
        locked.save(update_fields=["status", "decided_by", "decided_at", "note", "updated_at"])
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=locked, fields=["status"])
    return locked


def _snapshot(returnee: Returnee) -> dict[str, Any]:
    """Every value of a record as registered, for the merge to keep (dates as ISO text)."""
    skip = {"id", "uuid", "merged_into"}
    values: dict[str, Any] = {}
    for model_field in Returnee._meta.concrete_fields:
        if (
            model_field.name in skip
            or model_field.name.endswith("_key")
            or model_field.name.endswith("_skeleton")
        ):
            continue
        values[model_field.attname] = _json_value(getattr(returnee, model_field.attname))
    values["phones"] = list(returnee.phones.values_list("number", flat=True))
    values["documents"] = [
        {"type": t, "number": n, "status": s}
        for t, n, s in returnee.documents.values_list("type", "number", "status")
    ]
    return values


def returnees_merge(*, actor: User, pair: CandidatePair, survivor_uuid: Any) -> Merge:
    """Merge a reviewed duplicate pair: the survivor keeps its values and fills its gaps from the other.

    The other record is hidden, not deleted, and every one of its values is kept in the merge with
    where it came from; ``merge_undo`` restores both records as they were.
    """
    _require(actor)
    if not has_capability(actor, Capability.EDIT_RECORDS):
        raise PermissionDenied(_("You are not allowed to do this."))
    with transaction.atomic():
        locked = CandidatePair.objects.select_for_update().get(pk=pair.pk)
        if locked.kind != enums.RunKind.REGISTRY_DUPLICATES or locked.other_returnee_id is None:
            raise AwdaError(_("Only two registry records can be merged."), code="invalid")
        if locked.status not in (enums.PairStatus.PENDING, enums.PairStatus.SAME):
            raise Conflict(
                _("This pair was decided already: %(status)s.") % {"status": locked.get_status_display()}
            )
        editable = returnees_editable_by(actor).filter(pk__in=[locked.returnee_id, locked.other_returnee_id])
        records = {r.uuid: r for r in editable.select_for_update()}
        if len(records) != 2:
            raise NotFound(_("Not found."))
        survivor = (
            records.get(survivor_uuid)
            if not isinstance(survivor_uuid, str)
            else next((r for u, r in records.items() if str(u) == survivor_uuid), None)
        )
        if survivor is None:
            raise AwdaError(
                _("Please correct the fields below."),
                code="invalid",
                fields={"survivor": [_("Choose one of the two records to keep.")]},
            )
        merged = next(r for r in records.values() if r.pk != survivor.pk)
        snapshot = _snapshot(merged)
        changes = {
            name: getattr(merged, name)
            for name in FILLABLE_FIELDS
            if getattr(survivor, name) in (None, "") and getattr(merged, name) not in (None, "")
        }
        filled = {name: _json_value(getattr(survivor, name)) for name in changes}
        if changes:
            survivor = registry_actions.returnee_update(
                actor=actor, returnee=survivor, expected_version=survivor.version, changes=changes
            )
        moved = list(
            CandidatePair.objects.filter(returnee=merged, record__isnull=False).values_list("pk", flat=True)
        )
        # A source record linked to both stays linked to the survivor only once.
        CandidatePair.objects.filter(pk__in=moved).exclude(
            record_id__in=CandidatePair.objects.filter(returnee=survivor, record__isnull=False).values(
                "record_id"
            )
        ).update(returnee=survivor)
        Returnee.objects.filter(pk=merged.pk).update(merged_into=survivor, updated_at=timezone.now())
        merge = Merge.objects.create(
            survivor=survivor,
            merged=merged,
            pair=locked,
            filled=filled,
            merged_values={
                "institution": merged.institution_id,
                "case_number": merged.case_number,
                "merged_at": timezone.now().isoformat(),
                "values": snapshot,
            },
            moved={"pairs": moved},
            merged_by=actor,
        )
        locked.status, locked.decided_by, locked.decided_at = enums.PairStatus.MERGED, actor, timezone.now()
        locked.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
        registry_actions.case_event(survivor, actor, CaseEventKind.MERGED, {"other": merged.case_number})
        registry_actions.case_event(merged, actor, CaseEventKind.MERGED, {"other": survivor.case_number})
        audit.record(
            actor=actor, action=AuditAction.UPDATE, obj=merge, fields=["survivor", "merged", *filled]
        )
    return merge


def _json_value(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def merge_undo(*, actor: User, merge: Merge) -> Merge:
    """Restore both records: the survivor's filled fields go back to what they were, the other reappears."""
    _require(actor)
    with transaction.atomic():
        locked = Merge.objects.select_for_update().select_related("survivor", "merged").get(pk=merge.pk)
        if locked.undone_at is not None:
            raise Conflict(_("This merge was undone already."))
        survivor = returnees_editable_by(actor).filter(pk=locked.survivor_id).first()
        if survivor is None:
            raise NotFound(_("Not found."))
        restore = {}
        for name, before in locked.filled.items():
            field_obj = Returnee._meta.get_field(name.removesuffix("_id"))
            restore[name] = field_obj.to_python(before) if before not in (None, "") else before  # type: ignore[union-attr]
        if restore:
            registry_actions.returnee_update(
                actor=actor, returnee=survivor, expected_version=survivor.version, changes=restore
            )
        CandidatePair.objects.filter(pk__in=locked.moved.get("pairs", [])).update(returnee=locked.merged)
        Returnee.objects.filter(pk=locked.merged_id).update(merged_into=None, updated_at=timezone.now())
        if locked.pair_id:
            CandidatePair.objects.filter(pk=locked.pair_id).update(
                status=enums.PairStatus.PENDING, decided_by=None, decided_at=None
            )
        locked.undone_at, locked.undone_by = timezone.now(), actor
        locked.save(update_fields=["undone_at", "undone_by", "updated_at"])
        registry_actions.case_event(
            locked.survivor, actor, CaseEventKind.MERGE_UNDONE, {"other": locked.merged.case_number}
        )
        registry_actions.case_event(
            locked.merged, actor, CaseEventKind.MERGE_UNDONE, {"other": locked.survivor.case_number}
        )
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=locked, fields=["undone_at", *locked.filled])
    return locked
