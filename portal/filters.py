import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import FilterSet
from partnerships.filters import partner_filter
from partnerships.selectors import staff_users
from portal.models import MutualReviewRating, PartnerReport, ReportStatus


class PartnerReportFilter(FilterSet):
    """The staff list of partner reports; "awaiting review" is status=submitted."""

    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ReportStatus.choices, empty_label=_("Any status")
    )
    partner = partner_filter(field_name="period__agreement__partner")
    responsible = django_filters.ModelChoiceFilter(
        label=_("Responsible"),
        field_name="period__agreement__responsible",
        queryset=staff_users(),
        empty_label=_("Anyone"),
    )
    year = django_filters.NumberFilter(
        label=_("Period ending in year"),
        field_name="period__end_date",
        lookup_expr="year",
        min_value=2000,
        max_value=2100,
    )

    class Meta:
        model = PartnerReport
        fields = []

    @property
    def qs(self):
        # Oldest waiting first: the longest-waiting report is reviewed first.
        return super().qs.order_by("updated_at", "pk")


class MutualReviewFilter(FilterSet):
    """The partners' reviews of our cooperation, by the year reviewed."""

    year = django_filters.NumberFilter(
        label=_("Year"), field_name="review__year", min_value=2000, max_value=2100
    )

    class Meta:
        model = MutualReviewRating
        fields = []
