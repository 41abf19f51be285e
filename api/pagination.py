from django.conf import settings
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
