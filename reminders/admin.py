from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import RecordLocksAdmin, keep
from reminders.models import Delivery, Reminder

# A claim is what keeps a reminder from going out twice: without its row the next run
# would send it again. A delivery is the record of what was sent to whom.
keep(Reminder, lambda reminder: _("reminder claims are kept, or the reminder would go out again."))
keep(Delivery, lambda delivery: _("the record of a sent reminder is kept."))


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
class ReminderAdmin(RecordLocksAdmin, admin.ModelAdmin):
    """Read-only: reminders are claimed and sent by the daily jobs."""

    read_only = True
    list_display = ("claim_key", "kind", "for_date", "created_at")
    list_filter = ("kind", "for_date")
    search_fields = ("claim_key", "agreement__reference")
    inlines = [DeliveryInline]


@admin.register(Delivery)
class DeliveryAdmin(RecordLocksAdmin, admin.ModelAdmin):
    """Read-only: deliveries are written by the sending task."""

    read_only = True
    list_display = ("reminder", "email", "status", "attempts", "sent_at")
    list_filter = ("status",)
    search_fields = ("email", "reminder__claim_key")
    list_select_related = ("reminder",)
