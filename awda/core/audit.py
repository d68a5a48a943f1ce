"""Writing and verifying the hash-chained, append-only audit log."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from awda.core import context
from awda.core.models import AuditAction, AuditEntry

GENESIS = "0" * 64
# Any fixed number: the advisory lock that serialises appends to the chain on PostgreSQL.
_CHAIN_LOCK = 4_242_001


def _canonical(entry: AuditEntry) -> bytes:
    payload = {
        "seq": entry.seq,
        "at": entry.at.isoformat(),
        "actor_id": entry.actor_id,
        "actor_username": entry.actor_username,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "changed_fields": list(entry.changed_fields or []),
        "request_id": entry.request_id,
        "ip_address": entry.ip_address,
        "prev_hash": entry.prev_hash,
    }
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def compute_hash(entry: AuditEntry) -> str:
    return hashlib.sha256(_canonical(entry)).hexdigest()


def object_label(obj: models.Model) -> tuple[str, str]:
    """(type, id) naming an object without personal data: its model and UUID (or key)."""
    meta = obj._meta
    identifier = getattr(obj, "uuid", None) or obj.pk
    return f"{meta.app_label}.{meta.model_name}", str(identifier)


def _append(
    actor: Any, action: AuditAction | str, rows: list[tuple[str, str, list[str]]]
) -> list[AuditEntry]:
    """Chain ``rows`` (object type, object id, fields) after the last entry, under the chain's lock."""
    ctx = context.current()
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    now = timezone.now()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])
        last = AuditEntry.objects.order_by("-seq").values_list("seq", "hash").first()
        seq, prev_hash = (last[0], last[1]) if last else (0, GENESIS)
        entries = []
        for object_type, object_id, fields in rows:
            seq += 1
            entry = AuditEntry(
                seq=seq,
                at=now,
                actor_id=actor.pk if authenticated else None,
                actor_username=actor.get_username() if authenticated else "",
                action=str(action),
                object_type=object_type,
                object_id=object_id,
                changed_fields=fields,
                request_id=ctx.request_id if ctx else "",
                ip_address=ctx.ip_address if ctx else None,
                prev_hash=prev_hash,
            )
            entry.hash = prev_hash = compute_hash(entry)
            entries.append(entry)
        if len(entries) == 1:
            entries[0].save(force_insert=True)
        else:
            AuditEntry.objects.bulk_create(entries)
    return entries


def record(
    *,
    actor: Any,
    action: AuditAction | str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    fields: Iterable[str] = (),
) -> AuditEntry:
    """Append one row to the audit log in the caller's transaction."""
    if obj is not None:
        object_type, object_id = object_label(obj)
    return _append(actor, action, [(object_type, object_id, sorted(set(fields)))])[0]


def record_many(
    *, actor: Any, action: AuditAction | str, objects: Iterable[tuple[models.Model, Iterable[str]]]
) -> int:
    """Append one row per object (with its fields) under one lock and one insert: a list of records read."""
    rows = [(*object_label(obj), sorted(set(fields))) for obj, fields in objects]
    return len(_append(actor, action, rows)) if rows else 0


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    reason: str  # "edited" | "gap" | "relinked"
    expected_seq: int | None = None


def verify(*, chunk_size: int = 5000, on_progress: Callable[[int], None] | None = None) -> ChainBreak | None:
    """Walk the chain in order; return the first broken link, or None when the chain is whole."""
    expected_seq, prev_hash = 1, GENESIS
    checked = 0
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=chunk_size):
        if entry.seq != expected_seq:
            return ChainBreak(seq=entry.seq, reason="gap", expected_seq=expected_seq)
        if entry.prev_hash != prev_hash:
            return ChainBreak(seq=entry.seq, reason="relinked")
        if compute_hash(entry) != entry.hash:
            return ChainBreak(seq=entry.seq, reason="edited")
        expected_seq, prev_hash = entry.seq + 1, entry.hash
        checked += 1
        if on_progress and checked % chunk_size == 0:
            on_progress(checked)
    if on_progress:
        on_progress(checked)
    return None


def changed_field_names(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """Names of the fields whose values differ between two snapshots."""
    return sorted(name for name in after if before.get(name) != after.get(name))
