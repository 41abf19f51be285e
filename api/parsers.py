from io import BytesIO

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.parsers import JSONParser


class RequestTooLarge(exceptions.APIException):
    status_code = 413
    default_code = "too_large"


class LimitedJSONParser(JSONParser):
    """JSON bodies up to DATA_UPLOAD_MAX_MEMORY_SIZE, the limit forms have too (DRF
    reads the stream itself, past Django's check on request.body)."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        content = stream.read(limit + 1) if stream is not None else b""
        if len(content) > limit:
            raise RequestTooLarge(_("The request is too large."))
        return super().parse(BytesIO(content), media_type, parser_context)
