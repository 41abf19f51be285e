"""The schema and the reference page (Swagger UI from our own static files)."""

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import IsAuthenticated


class Schema(SpectacularAPIView):
    """The OpenAPI 3 schema, for those who may use the API."""

    permission_classes = [IsAuthenticated]


class Reference(SpectacularSwaggerSplitView):
    """The page and its start-up script are separate files: the Content-Security-Policy
    allows no inline script or style."""

    permission_classes = [IsAuthenticated]
    template_name = "api/reference.html"
    url_name = "api:schema"
