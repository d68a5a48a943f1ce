"""What the referral pages share: the signed-in user with a capability, and domain errors shown on forms."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest

from awda.accounts.access import signed_in_user
from awda.accounts.models import User
from awda.accounts.roles import Capability, has_capability
from awda.core.errors import AwdaError
from awda.core.forms import add_error_to_form


def user_with(request: HttpRequest, *capabilities: Capability) -> User:
    """The signed-in user if they hold any of ``capabilities``; others get "not found"."""
    user = signed_in_user(request)
    if not any(has_capability(user, c) for c in capabilities):
        raise Http404
    return user


def show_error(request: HttpRequest, error: AwdaError, form: forms.BaseForm | None = None) -> None:
    """On the form when there is one (field by field), else as a message at the top of the page."""
    if form is not None:
        add_error_to_form(form, error)
        return
    messages.error(request, str(error.message))
    for field_messages in error.fields.values():
        for message in field_messages:
            messages.error(request, str(message))
