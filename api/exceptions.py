"""Errors in the shape the API documents: {"detail": "..."} or field errors."""

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler


class RequestTooLarge(exceptions.APIException):
    status_code = 413
    default_code = "too_large"


def exception_handler(exc, context):
    """Django's PermissionDenied carries the rule's reason (core.permissions.require):
    keep it, as the 403 page does. A model's ValidationError becomes field errors."""
    if isinstance(exc, RequestDataTooBig):
        # A body over DATA_UPLOAD_MAX_MEMORY_SIZE, the limit the pages' forms have.
        exc = RequestTooLarge(_("The request is too large."))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            {
                ("non_field_errors" if field == "__all__" else field): messages
                for field, messages in exc.message_dict.items()
            }
            if hasattr(exc, "error_dict")
            else {"non_field_errors": exc.messages}
        )
    return drf_exception_handler(exc, context)
