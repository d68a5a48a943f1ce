"""Background tasks of the registry."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks import TaskContext, task

from awda.core import progress
from awda.registry.categorisation import active_categories, apply_categories, prefetched, returnee_facts
from awda.registry.models import Returnee

progress.register_kind("recategorise", _("Recomputing the categories of every record"))
BATCH = 500


@task(takes_context=True)
def recategorise_all_task(context: TaskContext) -> dict[str, Any]:
    """After a rule changes, every record's categories are computed again, in batches, with progress."""
    task_id = str(context.task_result.id)
    categories = active_categories()
    total = Returnee.objects.count()
    progress.progress_set(task_id=task_id, current=0, total=total)
    changed = done = 0
    last_pk = 0
    today = timezone.localdate()
    while True:
        batch = list(prefetched(Returnee.objects.filter(pk__gt=last_pk).order_by("pk"))[:BATCH])
        if not batch:
            break
        for returnee in batch:
            changed += apply_categories(
                returnee, categories=categories, facts=returnee_facts(returnee, today=today)
            )
        done += len(batch)
        last_pk = batch[-1].pk
        progress.progress_set(task_id=task_id, current=done)
    outcome = {"records": done, "changed": changed}
    progress.progress_finish(task_id=task_id, outcome=outcome)
    return outcome
