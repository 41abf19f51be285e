"""The API's views, a module per app they read from; the shared base is here."""

from django.utils import timezone, translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions
from rest_framework.generics import GenericAPIView

from api.filtering import FilterSetBackend
from api.forms import BodyRefused, require_object
from api.pagination import StableCursorPagination
from api.permissions import FollowsRule
from api.serializers import DetailSerializer

FIELD_ERRORS = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="The errors by field, in the words the page shows next to the field.",
)
REFUSED = {
    401: OpenApiResponse(DetailSerializer, description="No token, or one that does not work."),
    403: OpenApiResponse(DetailSerializer, description="Not allowed: the reason, as on the page."),
    429: OpenApiResponse(DetailSerializer, description="Too many requests with this token."),
}
LIST_ERRORS = {400: FIELD_ERRORS, **REFUSED}
NOT_FOUND = {404: OpenApiResponse(DetailSerializer, description="No such record."), **REFUSED}
WRITE_ERRORS = {400: FIELD_ERRORS, 413: DetailSerializer, **NOT_FOUND}


class ApiView(GenericAPIView):
    """Rules from the apps' permissions.py (FollowsRule), the pages' FilterSets, cursor
    pages, and the user's own language for the messages."""

    permission_classes = [FollowsRule]
    filter_backends = [FilterSetBackend]
    pagination_class = StableCursorPagination
    rules: dict = {}

    def initial(self, request, *args, **kwargs):
        self.today = timezone.localdate()
        super().initial(request, *args, **kwargs)

    def perform_authentication(self, request):
        super().perform_authentication(request)
        # A token request has no session: UserLanguageMiddleware could not see its user.
        language = getattr(request.user, "language", "")
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": getattr(self, "today", None)}

    def body(self) -> dict:
        try:
            return require_object(self.request.data)
        except BodyRefused as refused:
            raise exceptions.ValidationError(refused.errors) from None
