"""Template filters of the referral pages."""

from __future__ import annotations

from django import template

from awda.referrals.models import PlanGoal

register = template.Library()


@register.filter
def goal_text(goal: PlanGoal, language: str) -> str:
    """The goal in the language of the printed plan, when it was written in several."""
    return goal.text_in(language)
