"""Background tasks run by the worker report progress, shown to their owner only."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from awda.accounts.enums import Role
from awda.core import audit
from awda.core.models import AuditAction, TaskProgress
from conftest import verified_client


@pytest.mark.django_db
def test_audit_verification_runs_in_the_worker_with_progress(make_user: Any, run_worker: Any) -> None:
    admin = make_user(Role.ADMINISTRATOR, username="boss")
    for i in range(7):
        audit.record(actor=None, action=AuditAction.READ, object_type="t.t", object_id=str(i))
    client = verified_client(admin)
    started = client.post("/manage/audit/verify/")
    assert started.status_code == 302
    task_page = started["Location"]
    task_id = task_page.rstrip("/").rsplit("/", 1)[-1]
    waiting = client.get(f"/tasks/{task_id}/progress/")
    assert 'value="0"' in waiting.content.decode()
    assert "hx-get" in waiting.content.decode()  # keeps polling while the task waits

    run_worker()

    progress = TaskProgress.objects.get(task_id=task_id)
    assert (progress.current, progress.total, progress.percent) == (progress.total, progress.total, 100)
    assert progress.outcome == {"entries": progress.total, "intact": True}
    done = client.get(f"/tasks/{task_id}/progress/")
    body = done.content.decode()
    assert 'value="100"' in body
    assert "hx-get" not in body  # polling stops
    assert done["HX-Trigger"] == "task-finished"
    assert f"The audit chain is intact: {progress.total} entries verified." in body
    api = client.get(f"/api/v1/tasks/{task_id}/").json()
    assert (api["status"], api["percent"], api["kind"]) == ("SUCCESSFUL", 100, "audit_verify")
    # Someone else's task is not found, for pages and the API alike.
    other = verified_client(make_user(Role.ADMINISTRATOR, username="other"))
    assert other.get(task_page).status_code == 404
    assert other.get(f"/api/v1/tasks/{task_id}/").status_code == 404
    assert Client().get(task_page).status_code == 302
