"""Base models of the kernel, the append-only audit log and the progress of background tasks."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Every Awda model knows when it was created and last changed."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, editable=False)

    class Meta:
        abstract = True


class PublicModel(TimeStampedModel):
    """A model addressed from outside (URLs, API) by a UUID, never by its sequential key."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        abstract = True


class TranslatedNameMixin:
    """For configurable content kept as data with a text per language: ``name_ar``, ``name_ckb``, ``name_en``."""

    name_ar: str
    name_ckb: str
    name_en: str

    @property
    def name(self) -> str:
        return localized(self, "name")

    def __str__(self) -> str:
        return self.name


def active_language() -> str:
    """The language of the current request as Awda names it (``ar``, ``ckb`` or ``en``)."""
    return (get_language() or "ar").split("-")[0]


def localized(obj: object, field: str, language: str | None = None) -> str:
    """The text of ``field`` in the active language, falling back to Arabic, then English."""
    language = language or active_language()
    for code in (language, "ar", "en", "ckb"):
        value = getattr(obj, f"{field}_{code}", "")
        if value:
            return str(value)
    return ""


class AuditAction(models.TextChoices):
    READ = "read", _("Read")
    CREATE = "create", _("Create")
    UPDATE = "update", _("Update")
    DELETE = "delete", _("Delete")
    EXPORT = "export", _("Export")
    LOGIN = "login", _("Signed in")
    LOGIN_FAILED = "login_failed", _("Failed sign-in")
    LOGOUT = "logout", _("Signed out")
    LOCKED_OUT = "locked_out", _("Locked out")


class AuditEntry(models.Model):
    """One access to personal data or one security event. Rows are only ever inserted.

    ``seq`` orders the chain without gaps; ``hash`` covers this row's content and the previous
    row's hash, so editing, deleting or inserting a row breaks the chain at that point.
    No personal data is stored here: objects are named by type and UUID, changes by field name.
    """

    seq = models.BigIntegerField(unique=True, editable=False)
    at = models.DateTimeField(_("time"), db_index=True)
    actor_id = models.BigIntegerField(_("actor"), null=True, blank=True, db_index=True)
    actor_username = models.CharField(_("user name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object"), max_length=64, blank=True)
    changed_fields = models.JSONField(_("changed fields"), default=list, blank=True)
    request_id = models.CharField(_("request"), max_length=64, blank=True, db_index=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, editable=False)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"


class TaskProgress(models.Model):
    """How far a background task has come, for the progress bar on its page."""

    task_id = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=64)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    current = models.PositiveBigIntegerField(default=0)
    total = models.PositiveBigIntegerField(default=0)
    outcome = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("task progress")
        verbose_name_plural = _("task progress")

    def __str__(self) -> str:
        return f"{self.kind} {self.current}/{self.total}"

    @property
    def label(self) -> object:
        from awda.core.progress import kind_label

        return kind_label(self.kind)

    @property
    def percent(self) -> int:
        if not self.total:
            return 0
        return min(100, int(self.current * 100 / self.total))


class Notification(models.Model):
    """A message to one user: shown in the app, and sent by email (and SMS where a backend is set)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    url = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    texted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at", "-created_at"], name="notification_inbox_idx")
        ]

    def __str__(self) -> str:
        return self.subject
