"""Template filters of the job-market pages."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.translation import gettext as _

from awda.jobs.forms import language_names

register = template.Library()


@register.filter
def language_list(codes: Iterable[str] | None) -> str:
    """Language codes ("ar", "ckb", "tr") named in the reader's language, as one list."""
    names = language_names()
    return _(", ").join(names.get(code, code) for code in codes or ()) or "—"
