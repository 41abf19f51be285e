from django.contrib import admin

from calendars.models import CalendarFeed
from core.admin import RecordLocksAdmin


@admin.register(CalendarFeed)
class CalendarFeedAdmin(RecordLocksAdmin, admin.ModelAdmin):
    """Seen and turned off (deleted) here; only the user can make an address."""

    list_display = ("user", "created_at", "last_fetched_at")
    search_fields = ("user__username", "user__first_name", "user__last_name")
    readonly_fields = ("user", "created_at", "last_fetched_at")

    def has_add_permission(self, request):
        return False
