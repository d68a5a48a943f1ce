"""Template filters of the registry: labels of codes, reasons in the active language."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def duplicate_reason(code: str) -> Any:
    from awda.registry.views.cases import DUPLICATE_REASONS

    return DUPLICATE_REASONS.get(code, code)


@register.filter
def in_language(texts: Any) -> str:
    """A {"ar", "ckb", "en"} dictionary in the active language."""
    if not isinstance(texts, dict):
        return str(texts)
    language = (get_language() or "ar").split("-")[0]
    return str(texts.get(language) or texts.get("ar") or texts.get("en") or "")


@register.filter
def choice_labels(values: Any, choices: Any) -> str:
    labels = dict(choices)
    return "، ".join(str(labels.get(v, v)) for v in values or [])


@register.filter
def field_label(name: str) -> Any:
    """The case form's label of a field name (as written on the timeline)."""
    from django.core.exceptions import FieldDoesNotExist
    from django.utils.translation import gettext_lazy as _

    from awda.registry.models import Returnee

    extra = {
        "phones": _("Phones"),
        "documents": _("Identity documents"),
        "qualifications": _("Qualifications"),
        "skills": _("Occupations and skills"),
        "needs": _("Needs and interests"),
    }
    if name in extra:
        return extra[name]
    try:
        return getattr(Returnee._meta.get_field(name), "verbose_name", name)
    except FieldDoesNotExist:
        return name
