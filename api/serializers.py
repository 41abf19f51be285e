"""What the API answers: read-only representations of the records. Writes go through the
pages' forms and services (api.forms), never through these."""

import datetime

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agreements.models import (
    Agreement,
    AgreementEvent,
    Amendment,
    AmendmentType,
    Goal,
    Obligation,
    Phase,
    TerminationCause,
)
from evaluations.models import Evaluation, EvaluationPeriod, GoalResult, PeriodState
from partnerships.models import (
    DialogueEntry,
    DialogueFollowUp,
    FocusArea,
    Partner,
    PartnerContact,
)


class UserSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField(source="__str__")


class _Summary(serializers.Serializer):
    id = serializers.IntegerField()


class PartnerSummarySerializer(_Summary):
    name = serializers.CharField()


class AgreementSummarySerializer(_Summary):
    reference = serializers.CharField()
    title = serializers.CharField()


class ProgrammePeriodSummarySerializer(_Summary):
    name = serializers.CharField()


def _today(serializer) -> datetime.date:
    return serializer.context.get("today") or timezone.localdate()


# Partners


class FocusAreaSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="__str__")

    class Meta:
        model = FocusArea
        fields = ["code", "name"]


class ContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = PartnerContact
        fields = ["id", "name", "role", "email", "phone"]


class DueDiligenceSerializer(serializers.ModelSerializer):
    complete = serializers.BooleanField(source="due_diligence_complete")
    missing = serializers.ListField(child=serializers.CharField(), source="missing_due_diligence")

    class Meta:
        model = Partner
        fields = [
            "complete",
            "missing",
            "shares_values",
            "values_confirmed_on",
            "code_of_conduct_accepted_on",
            "financial_routines_documented",
            "risk_level",
            "risk_note",
            "last_due_diligence_review_on",
        ]


class PartnerSerializer(serializers.ModelSerializer):
    responsible = UserSummarySerializer()
    focus_areas = FocusAreaSerializer(many=True)
    contacts = ContactSerializer(many=True)
    archived = serializers.BooleanField(source="is_archived")
    due_diligence = serializers.SerializerMethodField(
        help_text="Due diligence and risk: for managers only, null for others."
    )

    class Meta:
        model = Partner
        fields = [
            "id",
            "name",
            "organisation_number",
            "country",
            "kind",
            "website",
            "email",
            "phone",
            "street_address",
            "postal_code",
            "city",
            "description",
            "focus_areas",
            "responsible",
            "contacts",
            "archived",
            "archived_at",
            "created_at",
            "updated_at",
            "due_diligence",
        ]

    @extend_schema_field(DueDiligenceSerializer(allow_null=True))
    def get_due_diligence(self, partner):
        if not self.context.get("show_due_diligence"):
            return None
        return DueDiligenceSerializer(partner).data


# Agreements


class GoalSerializer(serializers.ModelSerializer):
    class Meta:
        model = Goal
        fields = [
            "id",
            "description",
            "kind",
            "indicator",
            "baseline",
            "target_value",
            "unit",
            "expected_outcome",
            "assessment_method",
        ]


class ObligationSerializer(serializers.ModelSerializer):
    agreement = serializers.IntegerField(source="agreement_id")
    fulfilment_recorded_by = UserSummarySerializer(allow_null=True)
    has_evidence = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField(
        help_text="Open, of an approved agreement, and past its due date."
    )

    class Meta:
        model = Obligation
        fields = [
            "id",
            "agreement",
            "side",
            "category",
            "description",
            "due_date",
            "fulfilment",
            "fulfilled_on",
            "fulfilment_note",
            "has_evidence",
            "fulfilment_recorded_by",
            "fulfilment_recorded_at",
            "overdue",
        ]

    def get_has_evidence(self, obligation) -> bool:
        return bool(obligation.fulfilment_evidence)

    def get_overdue(self, obligation) -> bool:
        return obligation.is_overdue(_today(self))


class AmendmentSerializer(serializers.ModelSerializer):
    """An approved amendment: what it changed and from when."""

    types = serializers.ListField(
        child=serializers.ChoiceField(choices=AmendmentType.choices),
        help_text="What the amendment changes.",
    )
    approved_by = UserSummarySerializer(allow_null=True)

    class Meta:
        model = Amendment
        fields = ["number", "types", "reason", "effective_date", "approved_by", "approved_at"]


def _current_term(name, field_class, **kwargs):
    """A term as the agreement's latest approved terms version says (an approved
    amendment may have changed it); the agreement's own field until it is approved."""
    return field_class(source=f"current_terms.{name}", read_only=True, **kwargs)


class AgreementSerializer(serializers.ModelSerializer):
    partner = PartnerSummarySerializer()
    responsible = UserSummarySerializer()
    programme_period = ProgrammePeriodSummarySerializer(allow_null=True)
    follows = AgreementSummarySerializer(allow_null=True)
    approved_by = UserSummarySerializer(allow_null=True)
    phase = serializers.SerializerMethodField(
        help_text="For an approved agreement: upcoming, active or expired today."
    )
    has_signed_document = serializers.SerializerMethodField()
    # Not editable on the model, so not described by itself: empty until terminated.
    termination_cause = serializers.ChoiceField(
        choices=TerminationCause.choices, allow_blank=True, read_only=True
    )
    economic_amount = _current_term(
        "economic_amount", serializers.DecimalField, max_digits=14, decimal_places=2
    )
    payment_terms = _current_term("payment_terms", serializers.CharField)
    marketing_contributions = _current_term("marketing_contributions", serializers.CharField)
    conduct = _current_term("conduct", serializers.CharField)
    exchange = _current_term("exchange", serializers.CharField)
    termination_terms = _current_term("termination_terms", serializers.CharField)
    terms_version = serializers.SerializerMethodField(
        help_text="The number of the terms in force at the end of the agreement: 1 as first "
        "approved, one more for each approved amendment; null until approved."
    )
    # The goals and obligations of the latest terms; replaced and removed ones are in
    # the amendments' history on the agreement page.
    goals = GoalSerializer(many=True, source="current_goals")
    obligations = ObligationSerializer(many=True, source="current_obligations")
    amendments = AmendmentSerializer(many=True, source="approved_amendments")

    class Meta:
        model = Agreement
        fields = [
            "id",
            "reference",
            "title",
            "agreement_type",
            "description",
            "partner",
            "responsible",
            "programme_period",
            "follows",
            "start_date",
            "end_date",
            "economic_amount",
            "currency",
            "payment_terms",
            "marketing_contributions",
            "conduct",
            "exchange",
            "termination_terms",
            "status",
            "phase",
            "has_signed_document",
            "created_at",
            "updated_at",
            "submitted_at",
            "approved_by",
            "approved_at",
            "terminated_on",
            "termination_cause",
            "termination_reason",
            "terms_version",
            "goals",
            "obligations",
            "amendments",
        ]

    def get_terms_version(self, agreement) -> int | None:
        return agreement.terms.number if agreement.terms_id else None

    @extend_schema_field(serializers.ChoiceField(choices=Phase.choices, allow_null=True))
    def get_phase(self, agreement):
        return agreement.phase(_today(self)) or None

    def get_has_signed_document(self, agreement) -> bool:
        return bool(agreement.signed_document)


class EventSerializer(serializers.ModelSerializer):
    actor = UserSummarySerializer()

    class Meta:
        model = AgreementEvent
        fields = ["created_at", "actor", "from_status", "to_status", "comment"]


class PeriodOfAgreementSerializer(serializers.ModelSerializer):
    state = serializers.SerializerMethodField()
    evaluations = serializers.SerializerMethodField(help_text="Ids of its evaluations.")

    class Meta:
        model = EvaluationPeriod
        fields = ["id", "number", "start_date", "end_date", "state", "evaluations"]

    @extend_schema_field(serializers.ChoiceField(choices=PeriodState.choices))
    def get_state(self, period):
        return period.state(_today(self))

    def get_evaluations(self, period) -> list[int]:
        return [evaluation.pk for evaluation in period.evaluations.all()]


class AgreementDetailSerializer(AgreementSerializer):
    evaluation_periods = PeriodOfAgreementSerializer(many=True)
    events = EventSerializer(many=True)

    class Meta(AgreementSerializer.Meta):
        fields = [*AgreementSerializer.Meta.fields, "evaluation_periods", "events"]


# Evaluations


class GoalResultSerializer(serializers.ModelSerializer):
    goal = serializers.IntegerField(source="goal_id")
    percent_of_target = serializers.DecimalField(
        max_digits=20, decimal_places=0, allow_null=True, read_only=True
    )

    class Meta:
        model = GoalResult
        fields = [
            "goal",
            "measured_value",
            "assessment",
            "achievement",
            "comment",
            "percent_of_target",
        ]


class PeriodSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = EvaluationPeriod
        fields = ["id", "number", "start_date", "end_date"]


class EvaluationSerializer(serializers.ModelSerializer):
    period = PeriodSummarySerializer()
    agreement = AgreementSummarySerializer(source="period.agreement")
    partner = PartnerSummarySerializer(source="period.agreement.partner")
    evaluator = UserSummarySerializer()
    completed_by = UserSummarySerializer(allow_null=True)
    results = GoalResultSerializer(many=True)

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "period",
            "agreement",
            "partner",
            "status",
            "evaluator",
            "held_on",
            "participants",
            "amount_spent",
            "resources_description",
            "partner_report_received",
            "target_group_involvement",
            "values_upheld",
            "lessons_learned",
            "overall_rating",
            "recommendation",
            "completed_at",
            "completed_by",
            "results",
        ]


class EvaluationPeriodSerializer(PeriodOfAgreementSerializer):
    agreement = AgreementSummarySerializer()
    overdue_after = serializers.DateField(
        read_only=True, help_text="After this day a missing evaluation is overdue."
    )

    class Meta(PeriodOfAgreementSerializer.Meta):
        fields = [
            "id",
            "agreement",
            "number",
            "start_date",
            "end_date",
            "overdue_after",
            "state",
            "evaluations",
        ]


# The dialogue log


class FollowUpSerializer(serializers.ModelSerializer):
    owner = UserSummarySerializer()
    done_by = UserSummarySerializer(allow_null=True)

    class Meta:
        model = DialogueFollowUp
        fields = ["id", "description", "owner", "due_date", "done_at", "done_by", "done_note"]


class DialogueEntrySerializer(serializers.ModelSerializer):
    partner = serializers.IntegerField(source="partner_id")
    agreement = AgreementSummarySerializer(allow_null=True)
    our_participants = UserSummarySerializer(many=True)
    partner_contacts = serializers.SerializerMethodField(
        help_text="The partner's contact people who took part, by name."
    )
    follow_ups = FollowUpSerializer(many=True, source="shown_follow_ups")
    created_by = UserSummarySerializer(allow_null=True)

    class Meta:
        model = DialogueEntry
        fields = [
            "id",
            "partner",
            "date",
            "kind",
            "agreement",
            "our_participants",
            "our_other_participants",
            "partner_contacts",
            "partner_participants",
            "topics",
            "learned",
            "follow_ups",
            "created_by",
            "created_at",
        ]

    def get_partner_contacts(self, entry) -> list[str]:
        return [row.name for row in entry.partner_participant_rows.all()]


# The budget


class PartnerShareSerializer(serializers.Serializer):
    partner_id = serializers.IntegerField()
    name = serializers.CharField()
    amount = serializers.DecimalField(max_digits=16, decimal_places=2)
    percent = serializers.DecimalField(max_digits=7, decimal_places=2)


class OtherCurrencySerializer(serializers.Serializer):
    currency = serializers.CharField()
    amount = serializers.DecimalField(max_digits=16, decimal_places=2)
    agreements = serializers.IntegerField()


class BudgetLineSerializer(serializers.Serializer):
    label = serializers.CharField(help_text="The year, or the programme period's name.")
    start = serializers.DateField()
    end = serializers.DateField()
    budget = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    committed = serializers.DecimalField(max_digits=16, decimal_places=2)
    remaining = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    percent_used = serializers.DecimalField(max_digits=9, decimal_places=2, allow_null=True)
    over_budget = serializers.BooleanField()
    partner_count = serializers.IntegerField()
    largest = PartnerShareSerializer(many=True)
    other_currencies = serializers.SerializerMethodField(
        help_text="Contributions in other currencies, apart and not converted."
    )

    @extend_schema_field(OtherCurrencySerializer(many=True))
    def get_other_currencies(self, line):
        return [
            {"currency": code, "amount": str(amount), "agreements": count}
            for code, (amount, count) in line.other_currencies.items()
        ]


class BudgetSerializer(serializers.Serializer):
    currency = serializers.CharField(help_text="The organisation's currency.")
    years = BudgetLineSerializer(many=True)
    programme_periods = BudgetLineSerializer(many=True)


# Errors, for the schema


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()
