"""Background tasks of the job market."""

from __future__ import annotations

from typing import Any

from django_tasks import TaskContext, task

from awda.core import progress


@task(takes_context=True)
def rematch_task(context: TaskContext) -> dict[str, Any]:
    """Re-rank every job seeker's best offers, reporting progress."""
    from awda.jobs.rematch import rematch

    task_id = str(context.task_result.id)
    progress.progress_set(task_id=task_id, current=0, total=0)
    result = rematch(
        on_progress=lambda done, total: progress.progress_set(task_id=task_id, current=done, total=total)
    )
    outcome = {"people": result.people, "offers": result.offers, "matches": result.matches}
    progress.progress_finish(task_id=task_id, outcome=outcome)
    return outcome
