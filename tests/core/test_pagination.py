"""Pages after the first read their ids first, then those rows: the same rows in the same
order as an OFFSET page, one query more, however deep the page."""

from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements.models import Agreement
from core.pagination import IdsFirstPaginator
from tests.factories import AgreementFactory


def test_deep_pages_hold_the_rows_of_an_offset_page_in_order(db):
    for _ in range(12):
        AgreementFactory()
    rows = Agreement.objects.select_related("partner").order_by("-start_date", "-id")
    for number in (1, 2, 3):
        expected = list(Paginator(rows, 5).page(number).object_list)
        page = IdsFirstPaginator(rows, 5).page(number)
        assert list(page.object_list) == expected
        assert page.number == number


def test_a_deep_page_reads_ids_without_the_joins(db):
    for _ in range(6):
        AgreementFactory()
    rows = Agreement.objects.select_related("partner", "responsible")
    paginator = IdsFirstPaginator(rows, 2)
    paginator.count  # noqa: B018 (counted before, as the page template does)
    with CaptureQueriesContext(connection) as queries:
        page = paginator.page(3)
        names = [agreement.partner.name for agreement in page.object_list]
    assert len(names) == 2
    assert len(queries) == 2
    ids_query, rows_query = (query["sql"] for query in queries)
    assert "JOIN" not in ids_query and "OFFSET" in ids_query
    assert "JOIN" in rows_query and "OFFSET" not in rows_query
