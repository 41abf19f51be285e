from django.contrib import admin

from agreements import services
from agreements.models import Agreement, AgreementEvent, Goal, Obligation


class GoalInline(admin.StackedInline):
    model = Goal
    extra = 0


class ObligationInline(admin.TabularInline):
    model = Obligation
    extra = 0


class AgreementEventInline(admin.TabularInline):
    model = AgreementEvent
    extra = 0
    can_delete = False
    readonly_fields = ("created_at", "actor", "from_status", "to_status", "comment")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    """The same rules as the application: terms lock on approval, and status changes
    only through the workflow service (the actions below)."""

    list_display = (
        "reference",
        "title",
        "partner",
        "agreement_type",
        "status",
        "start_date",
        "end_date",
        "responsible",
    )
    list_filter = ("status", "agreement_type", "start_date", "end_date")
    search_fields = ("reference", "title", "partner__name")
    list_select_related = ("partner", "responsible")
    readonly_fields = (
        "reference",
        "status",
        "follows",
        "created_by",
        "created_at",
        "submitted_by",
        "submitted_at",
        "approved_by",
        "approved_at",
        "terminated_by",
        "terminated_on",
        "termination_cause",
        "termination_reason",
    )
    inlines = [GoalInline, ObligationInline, AgreementEventInline]
    # No approving here: an approval needs the manager's declaration of interest and
    # acknowledgement of open serious incidents, made on the agreement's approval page.

    def has_add_permission(self, request):
        # New agreements get their reference and first event from the application's form.
        return False

    def has_change_permission(self, request, obj=None):
        if obj is not None and not obj.is_editable:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not obj.is_editable:
            return False
        return super().has_delete_permission(request, obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # An edit here shapes the terms as much as one on the page (four-eyes).
        services.record_terms_shaped_by(form.instance, request.user)


@admin.register(AgreementEvent)
class AgreementEventAdmin(admin.ModelAdmin):
    list_display = ("agreement", "created_at", "actor", "from_status", "to_status")
    list_filter = ("to_status",)
    search_fields = ("agreement__reference", "comment")
    list_select_related = ("agreement", "actor")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
