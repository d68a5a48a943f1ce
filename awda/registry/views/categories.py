"""Administrators edit the categorisation rules: tried on existing records before saving, then applied to all."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from awda.accounts.access import signed_in_user
from awda.accounts.roles import Capability, has_capability
from awda.core import audit
from awda.core.models import AuditAction
from awda.core.progress import enqueue_with_progress
from awda.registry import rules
from awda.registry.categorisation import preview_condition
from awda.registry.forms import CategoryRuleForm
from awda.registry.models import Category, ReturneeCategory
from awda.registry.tasks import recategorise_all_task


def _admin(request: HttpRequest) -> None:
    if not has_capability(signed_in_user(request), Capability.MANAGE_CATEGORIES):
        raise Http404


@login_required
def category_list(request: HttpRequest) -> HttpResponse:
    _admin(request)
    counts = dict(ReturneeCategory.objects.values_list("category").annotate(n=Count("id")))
    categories = [(c, counts.get(c.pk, 0)) for c in Category.objects.order_by("kind", "order", "code")]
    return render(request, "registry/category_list.html", {"categories": categories})


@login_required
def category_edit(request: HttpRequest, code: str) -> HttpResponse:
    _admin(request)
    category = Category.objects.filter(code=code).first()
    if category is None:
        raise Http404
    initial = {
        "name_ar": category.name_ar,
        "name_ckb": category.name_ckb,
        "name_en": category.name_en,
        "condition": category.condition,
        "is_active": category.is_active,
    }
    form = CategoryRuleForm(request.POST or None, initial=initial)
    preview = None
    problems: list[str] = []
    language = (get_language() or "ar").split("-")[0]
    if request.method == "POST" and form.is_valid():
        condition = form.cleaned_data["condition"]
        problems = [
            f"{e.path}: {e.message.get(language) or e.message['en']}"
            for e in rules.validate_condition(condition)
        ]
        if problems:
            form.add_error("condition", _("The rule is not valid."))
        else:
            preview = preview_condition(condition, category=category)
            if "save" in request.POST:
                with transaction.atomic():
                    changed = [
                        n
                        for n in ("name_ar", "name_ckb", "name_en", "condition", "is_active")
                        if getattr(category, n) != form.cleaned_data[n]
                    ]
                    for name in changed:
                        setattr(category, name, form.cleaned_data[name])
                    if "condition" in changed or "is_active" in changed:
                        category.rule_version += 1
                    category.save()
                    audit.record(
                        actor=signed_in_user(request), action=AuditAction.UPDATE, obj=category, fields=changed
                    )
                if "condition" in changed or "is_active" in changed:
                    task_id = enqueue_with_progress(
                        recategorise_all_task, kind="recategorise", owner_id=request.user.pk
                    )
                    messages.success(
                        request, _("The rule has been saved. Every record's categories are being recomputed.")
                    )
                    return HttpResponseRedirect(reverse("portal:task", args=[task_id]))
                messages.success(request, _("The category has been saved."))
                return HttpResponseRedirect(reverse("registry:category_list"))
    return render(
        request,
        "registry/category_edit.html",
        {
            "category": category,
            "form": form,
            "preview": preview,
            "problems": problems,
            "facts": sorted(rules.FACTS),
        },
        status=400 if form.errors else 200,
    )
