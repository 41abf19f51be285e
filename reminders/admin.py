from django.contrib import admin

from reminders.models import Delivery, Reminder


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    readonly_fields = (
        "recipient",
        "email",
        "status",
        "attempts",
        "last_error",
        "subject",
        "sent_at",
    )
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """Read-only: reminders are claimed and sent by the daily jobs."""

    list_display = ("claim_key", "kind", "for_date", "created_at")
    list_filter = ("kind", "for_date")
    search_fields = ("claim_key", "agreement__reference")
    inlines = [DeliveryInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("reminder", "email", "status", "attempts", "sent_at")
    list_filter = ("status",)
    search_fields = ("email", "reminder__claim_key")
    list_select_related = ("reminder",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
