"""Sources of other ministries' data, their imports, links to the registry, merges and sharing agreements."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from awda.accounts.models import Institution
from awda.core.models import PublicModel, TimeStampedModel, TranslatedNameMixin
from awda.exchange import enums
from awda.geo.models import Governorate
from awda.registry.models import Returnee


class Source(TranslatedNameMixin, PublicModel):
    """A register kept outside the registry ("MoLSA unemployed register"), with its saved column mapping.

    A source belongs to the institution whose data stewards import it; ``held_by`` is the institution
    the data comes from. ``column_mapping`` maps Awda's fields (``enums.SourceField``) to the file's
    column headers; ``sync_fields`` are the fields the stewards chose to show on linked case pages.
    """

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    held_by = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="+", verbose_name=_("data from")
    )
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    name_ckb = models.CharField(_("name (Kurdish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    kind = models.CharField(_("kind of register"), max_length=30, choices=enums.SourceKind.choices)
    column_mapping = models.JSONField(_("column mapping"), default=dict)
    sync_fields = models.JSONField(_("fields shown on case pages"), default=list, blank=True)
    status_label_ar = models.CharField(_("status shown on case pages (Arabic)"), max_length=200, blank=True)
    status_label_ckb = models.CharField(_("status shown on case pages (Kurdish)"), max_length=200, blank=True)
    status_label_en = models.CharField(_("status shown on case pages (English)"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["name_en"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "name_en"], name="exchange_source_unique_name")
        ]


class ImportBatch(PublicModel):
    """One file (or one API push) for a source: validated first, then committed all at once or not at all."""

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="batches")
    file_name = models.CharField(_("file"), max_length=255)
    file_format = models.CharField(max_length=10, choices=enums.FileFormat.choices)
    file_size = models.BigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, db_index=True)
    stored_path = models.CharField(max_length=500, blank=True)
    encoding = models.CharField(_("encoding"), max_length=40, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=enums.BatchStatus.choices, default=enums.BatchStatus.UPLOADED
    )
    failure = models.CharField(_("problem"), max_length=500, blank=True)
    rows_total = models.PositiveIntegerField(default=0)
    rows_valid = models.PositiveIntegerField(default=0)
    rows_with_errors = models.PositiveIntegerField(default=0)
    rows_new = models.PositiveIntegerField(default=0)
    rows_updated = models.PositiveIntegerField(default=0)
    rows_unchanged = models.PositiveIntegerField(default=0)
    skip_invalid_rows = models.BooleanField(_("rows with errors left out"), default=False)
    preview = models.JSONField(default=list, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    committed_at = models.DateTimeField(_("committed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # The same file committed twice for one source would be the same data twice.
            models.UniqueConstraint(
                fields=["source", "sha256"],
                condition=models.Q(status="committed"),
                name="exchange_batch_file_committed_once",
            )
        ]


class RowError(models.Model):
    """One problem in one row of a file; the message is a code with values, shown in the reader's language."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="errors")
    row_number = models.PositiveIntegerField()
    column = models.CharField(max_length=200, blank=True)
    code = models.CharField(max_length=40)
    value = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["row_number", "id"]
        indexes = [models.Index(fields=["batch", "row_number"])]

    def __str__(self) -> str:
        return f"{self.row_number}: {self.code}"


class ExternalRecord(PublicModel):
    """A person as another register holds them, and for every value the file and row it came from.

    ``batch`` and ``row_number`` are the last file and row that changed the record; ``provenance``
    names, for the values that row did not change, the earlier ``[batch uuid, row number]`` that set
    them (``value_provenance`` gives every value's). Kept sparse: a million rows of a first file
    carry no per-value entries at all.
    """

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="records")
    external_id = models.CharField(_("ID in the source"), max_length=100)
    values = models.JSONField(default=dict)
    provenance = models.JSONField(default=dict)
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="+")
    row_number = models.PositiveIntegerField()
    governorate = models.ForeignKey(
        Governorate, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    def value_provenance(self) -> dict[str, list[str | int]]:
        latest: list[str | int] = [str(self.batch.uuid), self.row_number]
        return {key: self.provenance.get(key, latest) for key in self.values}

    class Meta:
        ordering = ["source", "external_id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "external_id"], name="exchange_record_unique_id")
        ]


class LinkRun(PublicModel):
    """One run of the linkage engine: a source against the registry, or the registry against itself."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.PROTECT, related_name="runs")
    kind = models.CharField(max_length=20, choices=enums.RunKind.choices)
    match_threshold = models.FloatField()
    review_threshold = models.FloatField()
    status = models.CharField(max_length=20, choices=enums.RunStatus.choices, default=enums.RunStatus.QUEUED)
    failure = models.CharField(max_length=500, blank=True)
    left_count = models.PositiveIntegerField(default=0)
    right_count = models.PositiveIntegerField(default=0)
    linked = models.PositiveIntegerField(default=0)
    for_review = models.PositiveIntegerField(default=0)
    task_id = models.CharField(max_length=64, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]


class CandidatePair(PublicModel):
    """Two records the engine thinks may be one person: a source record and a returnee, or two returnees.

    Pairs at or above the match threshold of a source run are linked without review; the others wait
    for a data steward. Decisions are kept and reused: a later run never asks again about a pair that
    was decided, and the decisions are the labels the thresholds are checked against.
    """

    run = models.ForeignKey(LinkRun, on_delete=models.PROTECT, related_name="pairs")
    kind = models.CharField(max_length=20, choices=enums.RunKind.choices)
    returnee = models.ForeignKey(Returnee, on_delete=models.CASCADE, related_name="+")
    record = models.ForeignKey(
        ExternalRecord, null=True, blank=True, on_delete=models.CASCADE, related_name="pairs"
    )
    other_returnee = models.ForeignKey(
        Returnee, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    match_probability = models.FloatField()
    match_weight = models.FloatField()
    explanation = models.JSONField(default=list)
    status = models.CharField(max_length=20, choices=enums.PairStatus.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["-match_probability"]
        constraints = [
            models.UniqueConstraint(
                fields=["returnee", "record"],
                condition=models.Q(record__isnull=False),
                name="exchange_pair_link_once",
            ),
            models.UniqueConstraint(
                fields=["returnee", "other_returnee"],
                condition=models.Q(other_returnee__isnull=False),
                name="exchange_pair_duplicate_once",
            ),
        ]
        indexes = [models.Index(fields=["status", "kind"])]


class Merge(PublicModel):
    """Two registry records found to be one person: ``merged`` is kept, hidden, and can be restored.

    ``filled`` maps each field of the survivor that the merge filled to its value before (so that undo
    puts it back); ``merged_values`` keeps every value of the merged record with its provenance (its
    institution, case number and the time of the merge), so nothing that was registered is lost.
    """

    survivor = models.ForeignKey(Returnee, on_delete=models.PROTECT, related_name="+")
    merged = models.ForeignKey(Returnee, on_delete=models.PROTECT, related_name="+")
    pair = models.ForeignKey(CandidatePair, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    filled = models.JSONField(default=dict)
    merged_values = models.JSONField(default=dict)
    moved = models.JSONField(default=dict)
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]


class SharingAgreement(PublicModel):
    """A data-sharing agreement: what one institution may receive from another, for what and until when."""

    provider = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="+", verbose_name=_("from")
    )
    recipient = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="+", verbose_name=_("to")
    )
    reference = models.CharField(_("reference of the signed agreement"), max_length=120)
    purpose = models.TextField(_("purpose"))
    fields = models.JSONField(_("fields"), default=list)
    governorates = models.ManyToManyField(
        Governorate, blank=True, related_name="+", verbose_name=_("governorates")
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-valid_until"]


class Export(PublicModel):
    """One extract made under an agreement: who made it, when, how many people; the file is not kept."""

    agreement = models.ForeignKey(SharingAgreement, on_delete=models.PROTECT, related_name="exports")
    file_format = models.CharField(max_length=10, choices=enums.FileFormat.choices)
    rows = models.PositiveIntegerField(default=0)
    withheld_without_consent = models.PositiveIntegerField(default=0)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    through_api = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]


class QualitySnapshot(TimeStampedModel):
    """The data-quality figures of one source (or of the registry, without source) on one day."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.CASCADE, related_name="snapshots"
    )
    day = models.DateField()
    figures = models.JSONField(default=dict)

    class Meta:
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "source", "day"], name="exchange_snapshot_once_a_day"
            ),
            # SQL counts every empty source as different, so the registry's own snapshots need their own rule.
            models.UniqueConstraint(
                fields=["institution", "day"],
                condition=models.Q(source__isnull=True),
                name="exchange_registry_snapshot_once_a_day",
            ),
        ]
