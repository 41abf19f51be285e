from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from agreements import services
from agreements.models import (
    Agreement,
    AgreementEvent,
    Amendment,
    AmendmentGoal,
    AmendmentObligation,
    Goal,
    Obligation,
    TermsVersion,
)
from core.admin import RecordLocksAdmin, keep

keep(
    Agreement,
    lambda agreement: (
        "" if agreement.is_editable else _("submitted and approved agreements are kept.")
    ),
)
# The workflow's record: who drafted, submitted, returned and approved, and when.
keep(AgreementEvent, lambda event: _("the events of an agreement's workflow are kept."))


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
class AgreementAdmin(RecordLocksAdmin, admin.ModelAdmin):
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
        # Filed on the agreement's page once it is approved (drafts are not signed).
        "signed_document",
        "signed_on",
        "signed_document_added_by",
        "signed_document_added_at",
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

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # An edit here shapes the terms as much as one on the page (four-eyes).
        services.record_terms_shaped_by(form.instance, request.user)


@admin.register(AgreementEvent)
class AgreementEventAdmin(RecordLocksAdmin, admin.ModelAdmin):
    """The workflow's record: written by agreements.services only."""

    read_only = True
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


class _ReadOnly:
    """Amendments and terms versions change only through the workflow service: the admin
    shows them and changes nothing."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AmendmentGoalInline(_ReadOnly, admin.TabularInline):
    model = AmendmentGoal
    extra = 0


class AmendmentObligationInline(_ReadOnly, admin.TabularInline):
    model = AmendmentObligation
    extra = 0


@admin.register(Amendment)
class AmendmentAdmin(_ReadOnly, RecordLocksAdmin, admin.ModelAdmin):
    read_only = True

    list_display = ("__str__", "status", "effective_date", "created_by", "approved_by")
    list_filter = ("status",)
    search_fields = ("agreement__reference", "reason")
    list_select_related = ("agreement", "created_by", "approved_by")
    inlines = [AmendmentGoalInline, AmendmentObligationInline]


@admin.register(TermsVersion)
class TermsVersionAdmin(_ReadOnly, RecordLocksAdmin, admin.ModelAdmin):
    read_only = True

    list_display = ("__str__", "effective_from", "economic_amount", "amendment")
    search_fields = ("agreement__reference",)
    list_select_related = ("agreement", "amendment__agreement")
