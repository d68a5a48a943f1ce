"""Template helpers of the catalogue's forms: a field's value and errors by name."""

from typing import Any

from django import template

register = template.Library()


@register.simple_tag
def field_value(doc: dict[str, Any], name: str) -> Any:
    return doc.get(name)


@register.simple_tag
def field_errors(errors: dict[str, list[Any]], name: str) -> list[Any]:
    return errors.get(name, [])


@register.filter
def lookup(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key, "")


@register.filter
def shown(count: int) -> str:
    from awda.catalogue.queries import shown_count

    return shown_count(int(count))


@register.filter
def field_part(message: str) -> str:
    """The field of an import problem written "field: message"."""
    return message.split(": ", 1)[0] if ": " in message else ""


@register.filter
def message_part(message: str) -> str:
    return message.split(": ", 1)[1] if ": " in message else message
