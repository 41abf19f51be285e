"""Test data that reads like the domain: PartnerFactory(), UserFactory(manager=True)."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import User
from accounts.roles import MANAGERS_GROUP, STAFF_GROUP
from agreements.amendments import first_terms_version
from agreements.models import (
    Agreement,
    AgreementType,
    Goal,
    GoalKind,
    Obligation,
    ObligationCategory,
    Side,
    Status,
)
from evaluations.models import Evaluation, EvaluationPeriod, EvaluationStatus, GoalResult
from evaluations.services import cut_evaluation_periods, schedule_evaluation_periods
from partnerships.models import (
    DialogueEntry,
    DialogueFollowUp,
    DialogueKind,
    Partner,
    PartnerContact,
    PartnerKind,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("password-for-tests")

    # The role group to join: UserFactory(role="Staff") or the traits staff / manager.
    role = None

    class Params:
        staff = factory.Trait(role=STAFF_GROUP)
        manager = factory.Trait(role=MANAGERS_GROUP)

    @classmethod
    def _create(cls, model_class, *args, role=None, **kwargs):
        user = super()._create(model_class, *args, **kwargs)
        if role:
            user.groups.add(Group.objects.get(name=role))
        return user


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Partner organisation {n}")
    kind = PartnerKind.CIVIL_SOCIETY
    country = "SE"
    responsible = factory.SubFactory(UserFactory, staff=True)

    class Params:
        due_diligence_done = factory.Trait(
            shares_values=True,
            values_confirmed_on=factory.Faker("past_date"),
            code_of_conduct_accepted_on=factory.Faker("past_date"),
            financial_routines_documented=True,
            financial_routines_document=factory.django.FileField(
                filename="routines.pdf", data=b"%PDF-1.4 test"
            ),
            risk_level="low",
            last_due_diligence_review_on=factory.Faker("past_date"),
        )
        archived = factory.Trait(archived_at=factory.LazyFunction(timezone.now))


class PartnerContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerContact

    partner = factory.SubFactory(PartnerFactory)
    name = factory.Faker("name")
    role = "Coordinator"
    email = factory.Sequence(lambda n: f"contact{n}@partner.example")


class DialogueEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DialogueEntry
        skip_postgeneration_save = True

    partner = factory.SubFactory(PartnerFactory)
    date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10))
    kind = DialogueKind.MEETING
    topics = "Årsplanen och rapporteringen."
    learned = "Kvällsträffar når fler föräldrar."
    created_by = factory.SelfAttribute("partner.responsible")


class DialogueFollowUpFactory(factory.django.DjangoModelFactory):
    """Open and due in a week by default; `overdue=True` for one past its due date."""

    class Meta:
        model = DialogueFollowUp

    entry = factory.SubFactory(DialogueEntryFactory)
    description = "Skicka mall för årsrapporten."
    owner = factory.SelfAttribute("entry.partner.responsible")
    due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))

    class Params:
        overdue = factory.Trait(
            due_date=factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=3))
        )


class AgreementFactory(factory.django.DjangoModelFactory):
    """A draft by default. Traits: complete (goal and obligations of both sides),
    pending, approved, terminated."""

    class Meta:
        model = Agreement
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"AGR-2000-{n:04d}")
    partner = factory.SubFactory(PartnerFactory)
    title = factory.Sequence(lambda n: f"Läsprojekt {n}")
    agreement_type = AgreementType.TIME_LIMITED
    responsible = factory.SelfAttribute("created_by")
    created_by = factory.SubFactory(UserFactory, staff=True)
    start_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    end_date = factory.LazyAttribute(lambda a: a.start_date + datetime.timedelta(days=730))
    economic_amount = Decimal("50000.00")
    payment_terms = "Två delbetalningar per år."
    marketing_contributions = "Logotyp på affischer och webbplats."
    conduct = "Båda parter uppträder enligt vår uppförandekod."
    exchange = "Vi får synlighet, partnern får finansiering."

    class Params:
        complete = factory.Trait(
            goal=factory.RelatedFactory("tests.factories.GoalFactory", "agreement"),
            our_obligation=factory.RelatedFactory(
                "tests.factories.ObligationFactory", "agreement", side=Side.OURS
            ),
            partner_obligation=factory.RelatedFactory(
                "tests.factories.ObligationFactory", "agreement", side=Side.PARTNER
            ),
        )
        pending = factory.Trait(
            complete=True,
            status=Status.PENDING,
            submitted_by=factory.SelfAttribute("created_by"),
            submitted_at=factory.LazyFunction(timezone.now),
        )
        approved = factory.Trait(
            complete=True,
            status=Status.APPROVED,
            submitted_by=factory.SelfAttribute("created_by"),
            submitted_at=factory.LazyFunction(timezone.now),
            approved_by=factory.SubFactory(UserFactory, manager=True),
            approved_at=factory.LazyFunction(timezone.now),
        )
        terminated = factory.Trait(
            approved=True,
            status=Status.TERMINATED,
            terminated_by=factory.SelfAttribute("approved_by"),
            terminated_on=factory.LazyFunction(timezone.localdate),
            termination_cause="guidelines_breached",
            termination_reason="Riktlinjerna följdes inte.",
        )

    @factory.post_generation
    def evaluation_periods(agreement, create, extracted, **kwargs):
        # What the approval and termination services do.
        if create and agreement.status in (Status.APPROVED, Status.TERMINATED):
            first_terms_version(agreement=agreement)
            schedule_evaluation_periods(agreement=agreement)
            if agreement.status == Status.TERMINATED:
                cut_evaluation_periods(agreement=agreement)


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    agreement = factory.SubFactory(AgreementFactory)
    description = "Fler barn läser på fritiden"
    kind = GoalKind.QUANTITATIVE
    indicator = "Deltagare i bokcirklar"
    baseline = Decimal("40")
    target_value = Decimal("120")
    unit = "barn"


class ObligationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Obligation

    agreement = factory.SubFactory(AgreementFactory)
    side = Side.PARTNER
    category = ObligationCategory.REPORTING
    description = "Rapportera resultat och resursanvändning årligen."


class EvaluationFactory(factory.django.DjangoModelFactory):
    """A draft by default; `completed=True` fills in every goal's result and completes it."""

    class Meta:
        model = Evaluation
        skip_postgeneration_save = True

    period = factory.SubFactory("tests.factories.EvaluationPeriodFactory")
    evaluator = factory.SubFactory(UserFactory, staff=True)
    held_on = factory.LazyAttribute(lambda e: min(e.period.end_date, timezone.localdate()))
    resources_description = "Medlen användes till bokinköp och ledare."
    overall_rating = 4
    recommendation = "continue"

    class Params:
        completed = factory.Trait(
            status=EvaluationStatus.COMPLETED,
            completed_at=factory.LazyFunction(timezone.now),
            completed_by=factory.SelfAttribute("evaluator"),
        )

    @factory.post_generation
    def results(evaluation, create, extracted, **kwargs):
        if not create:
            return
        for goal in evaluation.period.goals():
            GoalResult.objects.create(
                evaluation=evaluation,
                goal=goal,
                measured_value=goal.target_value if goal.kind == "quantitative" else None,
                assessment="" if goal.kind == "quantitative" else "Tydlig förbättring.",
                achievement="achieved",
            )


class EvaluationPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EvaluationPeriod
        django_get_or_create = ("agreement", "number")

    agreement = factory.SubFactory(AgreementFactory, approved=True)
    number = 1
    start_date = factory.SelfAttribute("agreement.start_date")
    end_date = factory.LazyAttribute(
        lambda p: p.agreement.start_date + datetime.timedelta(days=364)
    )


class PartnerUserFactory(factory.django.DjangoModelFactory):
    """A partner organisation's portal login that has set its password (`invited=True`
    for one that has not yet)."""

    class Meta:
        model = "portal.PartnerUser"

    user = factory.SubFactory(UserFactory, role="Partner users")
    partner = factory.SubFactory(PartnerFactory)
    contact = factory.SubFactory(
        PartnerContactFactory,
        partner=factory.SelfAttribute("..partner"),
        email=factory.SelfAttribute("..user.email"),
    )
    invited_by = factory.SelfAttribute("partner.responsible")
    activated_at = factory.LazyFunction(timezone.now)

    class Params:
        invited = factory.Trait(activated_at=None)
