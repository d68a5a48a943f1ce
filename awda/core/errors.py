"""Domain errors: a stable code for machines and a translated message for people."""

from __future__ import annotations

from django.utils.functional import Promise


class AwdaError(Exception):
    """Raised by actions when a request cannot be carried out; views and the API translate it."""

    code = "error"
    status = 400

    def __init__(
        self,
        message: str | Promise,
        *,
        code: str | None = None,
        fields: dict[str, list[str | Promise]] | None = None,
    ) -> None:
        super().__init__(str(message))
        self.message = message
        if code:
            self.code = code
        self.fields = fields or {}


class NotFound(AwdaError):
    """Absent and forbidden look the same from outside: both are "not found"."""

    code = "not_found"
    status = 404


class PermissionDenied(AwdaError):
    code = "permission_denied"
    status = 403


class Conflict(AwdaError):
    code = "conflict"
    status = 409
