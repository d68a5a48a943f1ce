"""Progress of background tasks: tasks report it, pages show it as a progress bar."""

from __future__ import annotations

from typing import Any

from django.db.models import F
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from awda.core.models import TaskProgress

# What each kind of background task is called on its page; apps add theirs with ``register_kind``.
TASK_KINDS: dict[str, str | Promise] = {"audit_verify": _("Verification of the audit chain")}


def register_kind(kind: str, label: str | Promise) -> None:
    TASK_KINDS[kind] = label


def kind_label(kind: str) -> str | Promise:
    return TASK_KINDS.get(kind, _("Background task"))


def progress_start(*, task_id: str, kind: str, owner_id: int | None = None, total: int = 0) -> TaskProgress:
    progress, _created = TaskProgress.objects.update_or_create(
        task_id=task_id, defaults={"kind": kind, "owner_id": owner_id, "total": total, "current": 0}
    )
    return progress


def progress_set(*, task_id: str, current: int, total: int | None = None) -> None:
    values: dict[str, Any] = {"current": current}
    if total is not None:
        values["total"] = total
    TaskProgress.objects.filter(task_id=task_id).update(**values)


def progress_finish(*, task_id: str, outcome: dict[str, Any]) -> None:
    TaskProgress.objects.filter(task_id=task_id).update(current=F("total"), outcome=outcome)


def enqueue_with_progress(task: Any, *, kind: str, owner_id: int | None, **kwargs: Any) -> str:
    """Enqueue a task and create its progress row at once, so its page can show it from the start."""
    result = task.enqueue(**kwargs)
    progress_start(task_id=str(result.id), kind=kind, owner_id=owner_id)
    return str(result.id)
