from django.contrib import admin

from evaluations.models import (
    Evaluation,
    EvaluationAttachment,
    EvaluationEvent,
    EvaluationPeriod,
    GoalResult,
)


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
class EvaluationPeriodAdmin(admin.ModelAdmin):
    list_display = ("agreement", "number", "start_date", "end_date")
    search_fields = ("agreement__reference", "agreement__title")
    list_select_related = ("agreement",)

    def has_add_permission(self, request):
        # Periods follow from the agreement's dates (evaluations.periods).
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    """Completing and reopening happen in the application (they record events);
    a completed evaluation is read-only here as there."""

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
