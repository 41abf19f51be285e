from django.contrib import admin

from core.admin import RecordLocksAdmin
from webhooks.models import WebhookDelivery, WebhookEndpoint


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(RecordLocksAdmin, admin.ModelAdmin):
    """Read here; managers register endpoints on their own pages (/webhooks/), which
    check the address. The secret is never shown."""

    list_display = ("name", "url", "is_active", "created_at")
    readonly_fields = ("name", "url", "event_types", "is_active", "created_by", "created_at")
    exclude = ("secret",)

    def has_add_permission(self, request):
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(RecordLocksAdmin, admin.ModelAdmin):
    # The delivery log: written by the sending job only, like reminder deliveries.
    read_only = True

    list_display = ("event", "endpoint", "status", "attempts", "last_status_code", "created_at")
    list_filter = ("status", "endpoint")
    readonly_fields = [field.name for field in WebhookDelivery._meta.fields]
