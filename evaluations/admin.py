from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import RecordLocksAdmin, keep
from evaluations.models import (
    Evaluation,
    EvaluationAttachment,
    EvaluationEvent,
    EvaluationPeriod,
    GoalResult,
)


def _evaluation_kept(evaluation) -> str:
    # Events are written when an evaluation is completed and reopened: one that has
    # them was completed once, and its record stays.
    if evaluation.is_completed or evaluation.events.exists():
        return _("an evaluation that was completed is kept; a manager can reopen it instead.")
    return ""


keep(Evaluation, _evaluation_kept)
keep(EvaluationPeriod, lambda period: _("evaluation periods follow from the agreement's dates."))


class GoalResultInline(admin.TabularInline):
    model = GoalResult
    extra = 0


class EvaluationAttachmentInline(admin.TabularInline):
    model = EvaluationAttachment
    extra = 0


class EvaluationEventInline(admin.TabularInline):
    model = EvaluationEvent
    extra = 0
    can_delete = False
    readonly_fields = ("created_at", "actor", "action", "comment")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(EvaluationPeriod)
class EvaluationPeriodAdmin(RecordLocksAdmin, admin.ModelAdmin):
    """Periods follow from the agreement's dates (evaluations.periods)."""

    read_only = True
    list_display = ("agreement", "number", "start_date", "end_date")
    search_fields = ("agreement__reference", "agreement__title")
    list_select_related = ("agreement",)


@admin.register(Evaluation)
class EvaluationAdmin(RecordLocksAdmin, admin.ModelAdmin):
    """Completing and reopening happen in the application (they record events);
    a completed evaluation is read-only here as there, and kept."""

    list_display = ("period", "status", "evaluator", "held_on", "overall_rating", "recommendation")
    list_filter = ("status", "recommendation", "overall_rating")
    search_fields = ("period__agreement__reference", "period__agreement__partner__name")
    list_select_related = ("period__agreement", "evaluator")
    readonly_fields = ("status", "completed_at", "completed_by")
    inlines = [GoalResultInline, EvaluationAttachmentInline, EvaluationEventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_completed:
            return False
        return super().has_change_permission(request, obj)
