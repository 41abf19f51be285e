from django.contrib import admin

from governance.models import Incident, IncidentEvent


class IncidentEventInline(admin.TabularInline):
    model = IncidentEvent
    extra = 0
    can_delete = False
    readonly_fields = ("created_at", "actor", "from_status", "to_status", "outcome", "comment")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin):
    """For looking up; incidents are recorded, reviewed and closed on the pages, where
    the rules (restricted details, who closes) apply. Nothing is changed or deleted here."""

    list_display = ("__str__", "partner", "category", "severity", "status", "recorded_at")
    list_filter = ("status", "severity", "category")
    search_fields = ("partner__name", "description")
    list_select_related = ("partner",)
    inlines = [IncidentEventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
