"""The floor: bare list views over our tables, what Django itself does for a list page.

bench/run.py serves these beside the app (ROOT_URLCONF = "bench.floor": the app's URLs
plus /bench-floor/...). Nothing in the app imports this module. Each view is a
Paginator of 25 rows over one queryset with select_related, at most one filter or a
plain icontains search, and a template of a table and a "next" link: no filter form,
no permissions, no base template.
"""

import datetime

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.template import engines
from django.urls import path
from django.utils import timezone

from agreements.models import Agreement
from config.urls import urlpatterns as app_urlpatterns
from partnerships.models import Partner

_TABLE = engines["django"].from_string(
    """<!doctype html><html><head><title>{{ title }}</title></head><body>
<h1>{{ title }}</h1><p>{{ page.paginator.count }}</p>
<table>{% for row in page.object_list %}<tr>{% for cell in row %}<td>{{ cell }}</td>{% endfor %}</tr>{% endfor %}</table>
{% if page.has_next %}<a href="?page={{ page.next_page_number }}">next</a>{% endif %}
</body></html>"""
)


def _render(request, title, queryset, row):
    page = Paginator(queryset, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [row(obj) for obj in page.object_list]
    page.object_list = rows
    return HttpResponse(_TABLE.render({"title": title, "page": page}, request))


def partners(request):
    queryset = Partner.objects.select_related("responsible").order_by("name", "pk")
    if q := request.GET.get("q", "").strip():
        queryset = queryset.filter(name__icontains=q)
    return _render(
        request,
        "Partners",
        queryset,
        lambda p: (p.name, p.organisation_number, p.city, p.get_kind_display(), p.responsible),
    )


def agreements(request):
    queryset = Agreement.objects.select_related("partner", "responsible").order_by(
        "-start_date", "-pk"
    )
    if q := request.GET.get("q", "").strip():
        queryset = queryset.filter(
            Q(reference__icontains=q) | Q(title__icontains=q) | Q(partner__name__icontains=q)
        )
    if status := request.GET.get("status"):
        queryset = queryset.filter(status=status)
    if days := request.GET.get("ends_within"):
        today = timezone.localdate()
        queryset = queryset.filter(
            end_date__gte=today, end_date__lte=today + datetime.timedelta(days=int(days))
        )
    return _render(
        request,
        "Agreements",
        queryset,
        lambda a: (
            a.reference,
            a.title,
            a.partner.name,
            a.get_status_display(),
            a.start_date,
            a.end_date,
            a.responsible,
        ),
    )


urlpatterns = [
    path("bench-floor/partners/", partners),
    path("bench-floor/agreements/", agreements),
    *app_urlpatterns,
]
