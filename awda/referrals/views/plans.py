"""The reintegration plan: goals per dimension and horizon, actions tied to referrals, approval,
the returnee's agreement, reviews, and a printable copy in the returnee's language."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from awda.accounts.roles import Capability, has_capability
from awda.core.errors import AwdaError, NotFound
from awda.referrals import actions, queries
from awda.referrals.access import access_plan_by_id
from awda.referrals.enums import ActionStatus, Dimension, GoalStatus, Horizon, PlanStatus
from awda.referrals.forms import (
    ActionForm,
    AgreeForm,
    ApproveForm,
    GoalForm,
    NoteForm,
    PlanCreateForm,
    ReviewForm,
)
from awda.referrals.models import PlanAction, PlanGoal, ReintegrationPlan
from awda.referrals.plan_panels import plan_panels
from awda.referrals.views.cases import _case
from awda.referrals.views.common import show_error, user_with
from awda.registry.access import can_edit


@login_required
@require_POST
def plan_create(request: HttpRequest, returnee_uuid: str) -> HttpResponse:
    user, returnee = _case(request, returnee_uuid, Capability.REFER)
    form = PlanCreateForm(request.POST)
    form.is_valid()
    try:
        plan = actions.plan_create(
            actor=user, returnee=returnee, for_household=bool(form.cleaned_data.get("for_household"))
        )
    except AwdaError as error:
        show_error(request, error)
        return redirect("registry:case", returnee_uuid=returnee.uuid)
    return redirect("referrals:plan", plan_uuid=plan.uuid)


def _plan(request: HttpRequest, plan_uuid: str) -> tuple[Any, ReintegrationPlan]:
    user = user_with(request, Capability.REFER, Capability.APPROVE_PLANS)
    try:
        return user, access_plan_by_id(user, plan_uuid)
    except NotFound as error:
        raise Http404 from error


def _grid(plan: ReintegrationPlan) -> list[dict[str, Any]]:
    """Goals by horizon, then dimension, with their actions: the shape of the printed plan too."""
    goals = list(
        plan.goals.prefetch_related(
            "actions__referral__service", "actions__referral__to_organisation"
        ).order_by("order", "id")
    )
    out = []
    for horizon, horizon_label in Horizon.choices:
        dimensions: list[dict[str, Any]] = []
        count = 0
        for dimension, dimension_label in Dimension.choices:
            these = [g for g in goals if g.horizon == horizon and g.dimension == dimension]
            dimensions.append({"label": dimension_label, "goals": these})
            count += len(these)
        out.append(
            {
                "horizon": horizon,
                "label": horizon_label,
                "dimensions": dimensions,
                "count": count,
            }
        )
    return out


def _forms(plan: ReintegrationPlan, data: Any = None, which: str = "") -> dict[str, forms.Form]:
    def bound(name: str) -> Any:
        return data if name == which else None

    goals = plan.goals.all()
    referrals = plan.returnee.referrals.filter(plan_action__isnull=True).exclude(
        status__in=["revoked", "draft"]
    )
    return {
        "goal": GoalForm(bound("goal"), prefix="goal"),
        "action": ActionForm(
            bound("action"),
            prefix="action",
            goals=goals,
            referrals=referrals.select_related("service", "to_institution"),
        ),
        "approve": ApproveForm(bound("approve"), prefix="approve"),
        "return": NoteForm(bound("return"), prefix="return"),
        "agree": AgreeForm(bound("agree"), prefix="agree"),
        "review": ReviewForm(bound("review"), prefix="review"),
        "close": NoteForm(bound("close"), prefix="close"),
    }


def _render(
    request: HttpRequest, user: Any, plan: ReintegrationPlan, plan_forms: dict[str, forms.Form]
) -> HttpResponse:
    editable = (
        has_capability(user, Capability.REFER)
        and can_edit(user, plan.returnee)
        and plan.status != PlanStatus.CLOSED
    )
    approver = has_capability(user, Capability.APPROVE_PLANS) and can_edit(user, plan.returnee)
    context = {
        "plan": plan,
        "returnee": plan.returnee,
        "grid": _grid(plan),
        "events": plan.events.select_related("actor"),
        "forms": plan_forms,
        "editable": editable,
        "may_approve": approver and plan.status == PlanStatus.SUBMITTED,
        "languages": [("ar", "العربية"), ("ckb", "کوردی"), ("en", "English")],
        "goal_statuses": GoalStatus.choices,
        "action_statuses": [(v, label) for v, label in ActionStatus.choices if v != ActionStatus.IN_PROGRESS],
        "panels": plan_panels(user, plan, request),
    }
    return render(request, "referrals/plan_page.html", context)


@login_required
def plan_page(request: HttpRequest, plan_uuid: str) -> HttpResponse:
    user, plan = _plan(request, plan_uuid)
    return _render(request, user, plan, _forms(plan))


@login_required
@require_POST
def plan_step(request: HttpRequest, plan_uuid: str, step: str) -> HttpResponse:
    user, plan = _plan(request, plan_uuid)
    plan_forms = _forms(plan, request.POST, step)
    try:
        if step == "submit":
            actions.plan_submit(actor=user, plan=plan)
        elif step in plan_forms:
            form = plan_forms[step]
            if not form.is_valid():
                return _render(request, user, plan, plan_forms)
            data = form.cleaned_data
            if step == "goal":
                actions.plan_goal_add(
                    actor=user,
                    plan=plan,
                    dimension=data["dimension"],
                    horizon=data["horizon"],
                    text=data["text"],
                    need_category=data["need_category"],
                )
            elif step == "action":
                actions.plan_action_add(
                    actor=user,
                    goal=data["goal"],
                    text=data["text"],
                    due_on=data["due_on"],
                    referral=data["referral"],
                )
            elif step == "approve":
                actions.plan_approve(actor=user, plan=plan, note=data["note"])
            elif step == "return":
                actions.plan_return(actor=user, plan=plan, note=data["note"])
            elif step == "agree":
                actions.plan_record_agreement(actor=user, plan=plan, method=data["method"])
            elif step == "review":
                actions.plan_review(
                    actor=user, plan=plan, note=data["note"], next_review_on=data["next_review_on"]
                )
            elif step == "close":
                actions.plan_close(actor=user, plan=plan, note=data["note"])
        elif step.startswith("goal-") or step.startswith("action-"):
            kind, _sep, rest = step.partition("-")
            key, _sep, _status = rest.partition("-")
            if kind == "goal":
                goal = PlanGoal.objects.filter(plan=plan, pk=int(key) if key.isdigit() else 0).first()
                if goal is None:
                    raise Http404
                actions.plan_goal_set_status(actor=user, goal=goal, status=request.POST.get("status", ""))
            else:
                item = PlanAction.objects.filter(goal__plan=plan, pk=int(key) if key.isdigit() else 0).first()
                if item is None:
                    raise Http404
                actions.plan_action_set_status(actor=user, action=item, status=request.POST.get("status", ""))
        else:
            raise Http404
    except AwdaError as error:
        failed = plan_forms.get(step)
        show_error(request, error, failed)
        if failed is not None:
            return _render(request, user, ReintegrationPlan.objects.get(pk=plan.pk), plan_forms)
        return redirect("referrals:plan", plan_uuid=plan.uuid)
    messages.success(request, _("Saved."))
    return redirect("referrals:plan", plan_uuid=plan.uuid)


@login_required
def plan_print(request: HttpRequest, plan_uuid: str) -> HttpResponse:
    """The plan as the returnee takes it home, in the language they read (chosen with ?language=)."""
    _user, plan = _plan(request, plan_uuid)
    language = request.GET.get("language", "")
    if language not in ("ar", "ckb", "en"):
        language = translation.get_language() or "ar"
    with translation.override(language):
        response = render(
            request,
            "referrals/plan_print.html",
            {
                "plan": plan,
                "returnee": plan.returnee,
                "grid": _grid(plan),
                "print_language": language,
                "print_direction": "ltr" if language == "en" else "rtl",
            },
        )
    return response


@login_required
def approvals(request: HttpRequest) -> HttpResponse:
    user = user_with(request, Capability.APPROVE_PLANS)
    plans = queries.plans_to_approve(user).select_related("returnee", "created_by")[:100]
    return render(request, "referrals/approvals.html", {"plans": plans})
