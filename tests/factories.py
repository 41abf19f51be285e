"""Test data that reads like the domain: PartnerFactory(), UserFactory(manager=True)."""

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import User
from accounts.roles import MANAGERS_GROUP, STAFF_GROUP
from partnerships.models import Partner, PartnerContact, PartnerKind


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

    class Params:
        staff = factory.Trait(role=STAFF_GROUP)
        manager = factory.Trait(role=MANAGERS_GROUP)

    @factory.post_generation
    def role(user, create, extracted, **kwargs):
        if create and extracted:
            user.groups.add(Group.objects.get(name=extracted))


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
