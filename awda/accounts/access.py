"""The audited doors to personal records of accounts: absent and forbidden both give "not found"."""

from __future__ import annotations

import uuid as uuid_module

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from rest_framework.request import Request

from awda.accounts.models import User
from awda.accounts.queries import users_visible_to
from awda.core import audit
from awda.core.errors import NotFound
from awda.core.models import AuditAction


def access_user_by_uuid(viewer: User, user_uuid: uuid_module.UUID | str) -> User:
    try:
        user = users_visible_to(viewer).get(uuid=user_uuid)
    except (User.DoesNotExist, ValueError, TypeError) as error:
        raise NotFound(_("Not found.")) from error
    audit.record(actor=viewer, action=AuditAction.READ, obj=user)
    return user


def signed_in_user(request: HttpRequest | Request) -> User:
    """The request's user as an account; views behind login_required or IsAuthenticated use it."""
    user = request.user
    if not isinstance(user, User):
        raise NotFound(_("Not found."))
    return user
