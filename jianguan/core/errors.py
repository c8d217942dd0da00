"""The one error type services raise for a refused request.

Views show `message`; the API turns it into the error shape {"code", "message", "field"}.
"""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class DomainError(Exception):
    """A request the rules refuse. `field` names the input at fault, when there is one."""

    status = 400

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid"):
        super().__init__(message)
        self.message = str(message)
        self.field = field
        self.code = code

    @classmethod
    def from_validation_error(cls, exc: ValidationError, *, field: str | None = None) -> "DomainError":
        if hasattr(exc, "error_dict"):
            name, errors = next(iter(exc.error_dict.items()))
            first = errors[0]
            return cls(" ".join(first.messages), field=None if name == "__all__" else name, code=first.code or "invalid")
        return cls(" ".join(exc.messages), field=field, code=getattr(exc, "code", None) or "invalid")


class NotFound(DomainError):
    """Does not exist, or exists out of the user's scope: the two look the same on purpose."""

    status = 404

    def __init__(self, message: str | None = None):
        super().__init__(message or _("未找到该对象，或您无权查看"), code="not_found")


class PermissionDeniedError(DomainError):
    """The object is visible but this action is not the user's to take."""

    status = 403

    def __init__(self, message: str):
        super().__init__(message, code="permission_denied")


class Conflict(DomainError):
    status = 409

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message, field=field, code="conflict")
