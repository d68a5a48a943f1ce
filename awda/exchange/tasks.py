"""Background tasks of data exchange: checking and importing files, and linkage runs, with progress."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django_tasks import TaskContext, task

from awda.core import progress
from awda.exchange import actions, enums
from awda.exchange.models import ImportBatch, LinkRun

progress.register_kind("import_validate", _("Checking the rows of a file"))
progress.register_kind("import_commit", _("Importing a file"))
progress.register_kind("link_run", _("Linking records"))


@task(takes_context=True)
def batch_validate_task(context: TaskContext, batch_id: int) -> dict[str, Any]:
    task_id = str(context.task_result.id)
    batch = ImportBatch.objects.select_related("source").get(pk=batch_id)
    progress.progress_set(task_id=task_id, current=0, total=0)
    batch = actions.batch_validate(
        batch=batch, progress=lambda n: progress.progress_set(task_id=task_id, current=n)
    )
    outcome = {"status": batch.status, "rows": batch.rows_total, "errors": batch.rows_with_errors}
    progress.progress_finish(task_id=task_id, outcome=outcome)
    return outcome


@task(takes_context=True)
def batch_commit_task(context: TaskContext, batch_id: int) -> dict[str, Any]:
    task_id = str(context.task_result.id)
    batch = ImportBatch.objects.select_related("source", "created_by").get(pk=batch_id)
    progress.progress_set(task_id=task_id, current=0, total=batch.rows_valid)
    batch = actions.batch_commit(
        batch=batch, progress=lambda n: progress.progress_set(task_id=task_id, current=n)
    )
    outcome = {"status": batch.status, "new": batch.rows_new, "updated": batch.rows_updated}
    progress.progress_finish(task_id=task_id, outcome=outcome)
    return outcome


@task(takes_context=True)
def link_run_task(context: TaskContext, run_id: int) -> dict[str, Any]:
    task_id = str(context.task_result.id)
    run = LinkRun.objects.select_related("source", "started_by").get(pk=run_id)
    stages = {"features": 0, "training": 1, "scoring": 2, "clustering": 3}
    progress.progress_set(task_id=task_id, current=0, total=100)

    def report(stage: str, done: int, total: int) -> None:
        # Four stages share the bar; within one, its own fraction.
        share = stages.get(stage, 0) * 25 + (25 * done // total if total else 0)
        progress.progress_set(task_id=task_id, current=min(share, 99))

    run = actions.link_run_execute(run=run, progress=report)
    outcome = {"status": run.status, "linked": run.linked, "for_review": run.for_review}
    if run.status != enums.RunStatus.FINISHED:
        outcome["failure"] = run.failure
    progress.progress_finish(task_id=task_id, outcome=outcome)
    return outcome
