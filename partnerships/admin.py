from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import RecordLocksAdmin, keep
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


def _focus_area_kept(area) -> str:
    in_use = area.partners.count()
    if not in_use:
        return ""
    return ngettext(
        "%(count)s partner works in this area; deleting it would drop it from the partner.",
        "%(count)s partners work in this area; deleting it would drop it from them.",
        in_use,
    ) % {"count": in_use}


# The dialogue log and the selection assessments are records: corrected, never deleted.
keep(
    DialogueEntry,
    lambda entry: _("the dialogue log is a record: entries are corrected, not deleted."),
)
keep(
    SelectionAssessment,
    lambda assessment: _("a selection assessment is a record of the decision and is kept."),
)
keep(FocusArea, _focus_area_kept)


class PartnerContactInline(admin.TabularInline):
    model = PartnerContact
    extra = 0


@admin.register(Partner)
class PartnerAdmin(RecordLocksAdmin, admin.ModelAdmin):
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
class PartnerContactAdmin(RecordLocksAdmin, admin.ModelAdmin):
    versioned_parent = "partner"  # the partner's page edits its contacts
    list_display = ("name", "role", "email", "phone", "partner")
    search_fields = ("name", "email", "partner__name")
    list_select_related = ("partner",)


@admin.register(FocusArea)
class FocusAreaAdmin(RecordLocksAdmin, admin.ModelAdmin):
    list_display = ("name", "name_sv", "code", "position")
    search_fields = ("name", "name_sv", "code")


@admin.register(SelectionCriterion)
class SelectionCriterionAdmin(RecordLocksAdmin, admin.ModelAdmin):
    list_display = ("name", "name_sv", "position", "is_active")
    list_filter = ("is_active",)
    list_editable = ("position", "is_active")
    search_fields = ("name", "name_sv", "description", "description_sv")


class CriterionScoreInline(admin.TabularInline):
    model = CriterionScore
    extra = 0


@admin.register(SelectionAssessment)
class SelectionAssessmentAdmin(RecordLocksAdmin, admin.ModelAdmin):
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
class DialogueEntryAdmin(RecordLocksAdmin, admin.ModelAdmin):
    list_display = ("date", "kind", "partner", "agreement", "created_by")
    list_filter = ("kind", "date")
    search_fields = ("partner__name", "topics", "learned")
    list_select_related = ("partner", "agreement", "created_by")
    autocomplete_fields = ("partner", "our_participants")
    raw_id_fields = ("agreement",)
    readonly_fields = ("created_by", "created_at", "updated_at")
    inlines = [DialoguePartnerParticipantInline, DialogueFollowUpInline]
