"""Helpers that show a domain error on the form it came from."""

from __future__ import annotations

from django import forms

from awda.core.errors import AwdaError


def add_error_to_form(form: forms.BaseForm, error: AwdaError) -> None:
    if not error.fields:
        form.add_error(None, str(error.message))
        return
    for name, messages in error.fields.items():
        target = name if name in form.fields else None
        for message in messages:
            form.add_error(target, str(message))
