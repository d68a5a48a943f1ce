"""Every write of accounts: one function per use case, one transaction, one audit row."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.models import Token

from awda.accounts.enums import Role
from awda.accounts.models import Institution, Office, User
from awda.accounts.roles import Capability, default_scope, has_capability
from awda.core import audit
from awda.core.errors import AwdaError, PermissionDenied
from awda.core.models import AuditAction

USER_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "role",
    "scope",
    "institution",
    "office",
    "is_active",
    "language",
)
# Supervisors manage their own unit; they cannot hand out roles above their own.
UNIT_ASSIGNABLE_ROLES = frozenset({Role.CASE_WORKER, Role.SUPERVISOR})


def _snapshot(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(obj, f"{name}_id", getattr(obj, name, None)) for name in fields}


def _check_user_assignment(
    *, actor: User, role: str, institution: Institution | None, office: Office | None
) -> None:
    if office is not None and institution is not None and office.institution_id != institution.pk:
        raise AwdaError(
            _("The office does not belong to the chosen institution."),
            code="invalid",
            fields={"office": [_("The office does not belong to the chosen institution.")]},
        )
    if role != Role.RETURNEE and institution is None:
        raise AwdaError(
            _("Staff must belong to an institution."),
            code="invalid",
            fields={"institution": [_("Staff must belong to an institution.")]},
        )
    if has_capability(actor, Capability.MANAGE_ALL_USERS):
        return
    if has_capability(actor, Capability.MANAGE_UNIT_USERS):
        if role not in UNIT_ASSIGNABLE_ROLES:
            raise PermissionDenied(_("You may not give this role."))
        if (
            institution is None
            or institution.pk != actor.institution_id
            or office is None
            or office.pk != actor.office_id
        ):
            raise PermissionDenied(_("You may only manage accounts of your own office."))
        return
    raise PermissionDenied(_("You are not allowed to manage accounts."))


@transaction.atomic
def user_create(
    *,
    actor: User,
    username: str,
    password: str,
    role: str,
    institution: Institution | None,
    office: Office | None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    phone: str = "",
    scope: str | None = None,
    language: str = "",
) -> User:
    _check_user_assignment(actor=actor, role=role, institution=institution, office=office)
    if User.objects.filter(username__iexact=username).exists():
        raise AwdaError(
            _("This user name is taken."),
            code="invalid",
            fields={"username": [_("This user name is taken.")]},
        )
    user = User(
        username=username,
        role=role,
        institution=institution,
        office=office,
        first_name=first_name,
        last_name=last_name,
        email=email,
        phone=phone,
        scope=scope or default_scope(role),
        language=language,
    )
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise AwdaError(
            _("The password is not strong enough."), code="invalid", fields={"password": list(error.messages)}
        ) from error
    user.set_password(password)
    user.save()
    audit.record(actor=actor, action=AuditAction.CREATE, obj=user, fields=("username", *USER_FIELDS))
    return user


@transaction.atomic
def user_update(*, actor: User, user: User, **changes: Any) -> User:
    unknown = set(changes) - set(USER_FIELDS)
    if unknown:
        raise AwdaError(_("Some fields cannot be changed here."), code="invalid")
    before = _snapshot(user, USER_FIELDS)
    for name, value in changes.items():
        setattr(user, name, value)
    _check_user_assignment(actor=actor, role=user.role, institution=user.institution, office=user.office)
    if user.pk == actor.pk and (not user.is_active or user.role != before["role"]):
        raise AwdaError(_("You cannot change your own role or deactivate yourself."), code="invalid")
    changed = audit.changed_field_names(before, _snapshot(user, USER_FIELDS))
    if changed:
        user.save()
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=user, fields=changed)
    return user


@transaction.atomic
def user_set_language(*, user: User, language: str) -> None:
    if user.language != language:
        user.language = language
        user.save(update_fields=["language", "updated_at"])
        audit.record(actor=user, action=AuditAction.UPDATE, obj=user, fields=["language"])


@transaction.atomic
def user_token_create(*, user: User) -> Token:
    """A new API token for the user; an earlier one stops working."""
    Token.objects.filter(user=user).delete()
    token = Token.objects.create(user=user)
    audit.record(
        actor=user, action=AuditAction.CREATE, object_type="authtoken.token", object_id=str(user.uuid)
    )
    return token


@transaction.atomic
def user_token_revoke(*, user: User) -> None:
    deleted, _counts = Token.objects.filter(user=user).delete()
    if deleted:
        audit.record(
            actor=user, action=AuditAction.DELETE, object_type="authtoken.token", object_id=str(user.uuid)
        )


INSTITUTION_FIELDS = ("code", "name_ar", "name_ckb", "name_en", "type", "parent", "is_active")
OFFICE_FIELDS = ("name_ar", "name_ckb", "name_en", "governorate", "district", "area_level", "is_active")


def _require(actor: User, capability: Capability) -> None:
    if not has_capability(actor, capability):
        raise PermissionDenied(_("You are not allowed to do this."))


@transaction.atomic
def institution_create(*, actor: User, **values: Any) -> Institution:
    _require(actor, Capability.MANAGE_INSTITUTIONS)
    if Institution.objects.filter(code=values.get("code")).exists():
        raise AwdaError(
            _("This short code is taken."), code="invalid", fields={"code": [_("This short code is taken.")]}
        )
    institution = Institution.objects.create(**{k: v for k, v in values.items() if k in INSTITUTION_FIELDS})
    audit.record(actor=actor, action=AuditAction.CREATE, obj=institution, fields=values.keys())
    return institution


@transaction.atomic
def institution_update(*, actor: User, institution: Institution, **changes: Any) -> Institution:
    _require(actor, Capability.MANAGE_INSTITUTIONS)
    before = _snapshot(institution, INSTITUTION_FIELDS)
    for name, value in changes.items():
        if name in INSTITUTION_FIELDS:
            setattr(institution, name, value)
    if Institution.objects.filter(code=institution.code).exclude(pk=institution.pk).exists():
        raise AwdaError(
            _("This short code is taken."), code="invalid", fields={"code": [_("This short code is taken.")]}
        )
    changed = audit.changed_field_names(before, _snapshot(institution, INSTITUTION_FIELDS))
    if changed:
        institution.save()
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=institution, fields=changed)
    return institution


def _check_office_place(values: dict[str, Any]) -> None:
    district, governorate = values.get("district"), values.get("governorate")
    if district is not None and governorate is not None and district.governorate_id != governorate.pk:
        message = _("The district is not in the chosen governorate.")
        raise AwdaError(message, code="invalid", fields={"district": [message]})


@transaction.atomic
def office_create(*, actor: User, institution: Institution, **values: Any) -> Office:
    _require(actor, Capability.MANAGE_INSTITUTIONS)
    _check_office_place(values)
    office = Office.objects.create(
        institution=institution, **{k: v for k, v in values.items() if k in OFFICE_FIELDS}
    )
    audit.record(actor=actor, action=AuditAction.CREATE, obj=office, fields=values.keys())
    return office


@transaction.atomic
def office_update(*, actor: User, office: Office, **changes: Any) -> Office:
    _require(actor, Capability.MANAGE_INSTITUTIONS)
    before = _snapshot(office, OFFICE_FIELDS)
    for name, value in changes.items():
        if name in OFFICE_FIELDS:
            setattr(office, name, value)
    _check_office_place({"district": office.district, "governorate": office.governorate})
    changed = audit.changed_field_names(before, _snapshot(office, OFFICE_FIELDS))
    if changed:
        office.save()
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=office, fields=changed)
    return office
