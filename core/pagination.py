from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import QuerySet


class IdsFirstPaginator(Paginator):
    """A Paginator whose pages after the first read their rows' ids first, then only
    those rows with their joins.

    An OFFSET makes the database build every skipped row (page 200 of a list joins
    5,000 rows to their partner and person, then drops them); reading ids walks an
    index only. Page 1 is one query, as before.
    """

    def page(self, number):
        number = self.validate_number(number)
        if number == 1 or not isinstance(self.object_list, QuerySet):
            return super().page(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = {row.pk: row for row in self.object_list.filter(pk__in=ids).order_by()}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)


def paginate(request, queryset, per_page: int | None = None):
    """The requested page of a list; a bad or too-large page number gives the nearest."""
    paginator = IdsFirstPaginator(queryset, per_page or settings.PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))
