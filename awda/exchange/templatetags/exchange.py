"""Template filters of data exchange pages."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """``{{ labels|get_item:code }}``: a dictionary lookup with a variable key ("" when absent)."""
    if hasattr(mapping, "get"):
        return mapping.get(key, "")
    return ""
