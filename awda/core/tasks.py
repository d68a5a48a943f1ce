"""Background tasks of the kernel."""

from __future__ import annotations

from typing import Any

from django_tasks import TaskContext, task

from awda.core import audit, progress
from awda.core.models import AuditEntry


@task(takes_context=True)
def audit_verify_task(context: TaskContext) -> dict[str, Any]:
    """Verify the audit chain, reporting progress; the outcome names the first broken link."""
    task_id = str(context.task_result.id)
    total = AuditEntry.objects.count()
    progress.progress_set(task_id=task_id, current=0, total=total)
    broken = audit.verify(on_progress=lambda done: progress.progress_set(task_id=task_id, current=done))
    outcome: dict[str, Any] = {"entries": total, "intact": broken is None}
    if broken is not None:
        outcome.update(seq=broken.seq, reason=broken.reason, expected_seq=broken.expected_seq)
    progress.progress_finish(task_id=task_id, outcome=outcome)
    return outcome


@task()
def deliver_notification_task(notification_id: int) -> None:
    """Send a notification by email and SMS (the row in the app exists already)."""
    from awda.core.notifications import deliver

    deliver(notification_id)
