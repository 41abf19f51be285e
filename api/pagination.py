from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.pagination import CursorPagination


class StableCursorPagination(CursorPagination):
    """Cursor pages in the list's own order (the FilterSet's `ordering`, which ends in
    the primary key so ties keep their place), or by id where the list has none. A
    cursor stays right while rows are added, unlike page numbers."""

    page_size = settings.PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = settings.API_MAX_PAGE_SIZE
    ordering = ("pk",)

    def get_ordering(self, request, queryset, view):
        return tuple(queryset.query.order_by) or self.ordering

    def decode_cursor(self, request):
        # A cursor we did not give out is a bad request (400, as for a bad filter), not a
        # missing page (DRF answers 404).
        try:
            return super().decode_cursor(request)
        except exceptions.NotFound:
            raise exceptions.ValidationError(
                {self.cursor_query_param: [_("This cursor is not one the API gave out.")]}
            ) from None
