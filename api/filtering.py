from django_filters.rest_framework import DjangoFilterBackend


class FilterSetBackend(DjangoFilterBackend):
    """The list pages' own FilterSet (view.filterset_class), given the request as the
    pages give it. An invalid filter answers 400 with the errors by field; the FilterSet
    itself fails closed as well (core.filters.FilterSet), so no path widens a list."""

    raise_exception = True
