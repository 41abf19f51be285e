from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import RecordLocksAdmin, keep
from governance.models import Incident, IncidentEvent

# What was reported, and each step of its review, is the basis of later decisions.
keep(Incident, lambda incident: _("incidents and their reviews are kept."))
keep(IncidentEvent, lambda event: _("the steps of an incident's review are kept."))


class IncidentEventInline(admin.TabularInline):
    model = IncidentEvent
    extra = 0
    can_delete = False
    readonly_fields = ("created_at", "actor", "from_status", "to_status", "outcome", "comment")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Incident)
class IncidentAdmin(RecordLocksAdmin, admin.ModelAdmin):
    """For looking up; incidents are recorded, reviewed and closed on the pages, where
    the rules (restricted details, who closes) apply. Nothing is changed or deleted here."""

    read_only = True

    list_display = ("__str__", "partner", "category", "severity", "status", "recorded_at")
    list_filter = ("status", "severity", "category")
    search_fields = ("partner__name", "description")
    list_select_related = ("partner",)
    inlines = [IncidentEventInline]
