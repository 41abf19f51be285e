from django.contrib import admin

from partnerships.models import (
    CriterionScore,
    DialogueEntry,
    DialogueFollowUp,
    DialoguePartnerParticipant,
    FocusArea,
    Partner,
    PartnerContact,
    SelectionAssessment,
    SelectionCriterion,
)


class PartnerContactInline(admin.TabularInline):
    model = PartnerContact
    extra = 0


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "organisation_number",
        "country",
        "kind",
        "risk_level",
        "responsible",
        "updated_at",
        "archived_at",
    )
    list_filter = ("kind", "country", "risk_level", "focus_areas", "archived_at")
    search_fields = ("name", "organisation_number", "email", "contacts__name", "contacts__email")
    list_select_related = ("responsible",)
    autocomplete_fields = ("responsible",)
    filter_horizontal = ("focus_areas",)
    # The risk level and the review date change on the partner's page, which records the
    # change with its reason (and the review) in the partner's due-diligence record.
    readonly_fields = (
        "values_confirmed_by",
        "created_by",
        "created_at",
        "updated_at",
        "risk_level",
        "last_due_diligence_review_on",
    )
    inlines = [PartnerContactInline]


@admin.register(PartnerContact)
class PartnerContactAdmin(admin.ModelAdmin):
    list_display = ("name", "role", "email", "phone", "partner")
    search_fields = ("name", "email", "partner__name")
    list_select_related = ("partner",)


@admin.register(FocusArea)
class FocusAreaAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "position")
    search_fields = ("name", "code")


@admin.register(SelectionCriterion)
class SelectionCriterionAdmin(admin.ModelAdmin):
    list_display = ("name", "position", "is_active")
    list_filter = ("is_active",)
    list_editable = ("position", "is_active")
    search_fields = ("name", "description")


class CriterionScoreInline(admin.TabularInline):
    model = CriterionScore
    extra = 0


@admin.register(SelectionAssessment)
class SelectionAssessmentAdmin(admin.ModelAdmin):
    list_display = ("partner", "assessed_on", "assessed_by", "recommendation")
    list_filter = ("recommendation", "assessed_on")
    search_fields = ("partner__name", "summary")
    list_select_related = ("partner", "assessed_by")
    inlines = [CriterionScoreInline]


class DialogueFollowUpInline(admin.TabularInline):
    model = DialogueFollowUp
    extra = 0
    readonly_fields = ("done_at", "done_by", "done_note")
    autocomplete_fields = ("owner",)

    def has_delete_permission(self, request, obj=None):
        return False


class DialoguePartnerParticipantInline(admin.TabularInline):
    model = DialoguePartnerParticipant
    extra = 0


@admin.register(DialogueEntry)
class DialogueEntryAdmin(admin.ModelAdmin):
    list_display = ("date", "kind", "partner", "agreement", "created_by")
    list_filter = ("kind", "date")
    search_fields = ("partner__name", "topics", "learned")
    list_select_related = ("partner", "agreement", "created_by")
    autocomplete_fields = ("partner", "our_participants")
    raw_id_fields = ("agreement",)
    readonly_fields = ("created_by", "created_at", "updated_at")
    inlines = [DialoguePartnerParticipantInline, DialogueFollowUpInline]

    def has_delete_permission(self, request, obj=None):
        # The dialogue log is a record: entries are corrected, never deleted.
        return False
