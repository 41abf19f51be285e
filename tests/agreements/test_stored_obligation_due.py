"""Agreement.first_open_obligation_due, the stored earliest due date of an agreement's
open obligations, equals the rule for every agreement after each kind of change:
approval, recording an outcome, an amendment that moves a due date and adds an
obligation, termination, a stale save of the agreement, and direct writes. The
overdue-obligations rule that reads it gives, on every day around the due dates and
the in-force dates, the agreements whose obligations are overdue one by one
(Obligation.is_overdue, the rule written for one row)."""

import datetime

import pytest
from django.db.models import Min

from agreements import services
from agreements.forms import ObligationOutcomeForm
from agreements.models import Agreement, Fulfilment, Obligation, Side
from tests.agreements.amending import form_data
from tests.agreements.test_amendments import approved, draft
from tests.agreements.test_services import NO_INTEREST
from tests.factories import AgreementFactory, ObligationFactory

DAY = datetime.timedelta(days=1)
TODAY = datetime.date.today


def _days_to_check() -> list[datetime.date]:
    days = {TODAY()}
    for row in Obligation.objects.values("due_date", "in_force_from", "in_force_until"):
        for day in row.values():
            if day is not None:
                days.update((day - DAY, day, day + DAY))
    return sorted(days)


def assert_stored_due_is_the_rule():
    derived = dict(
        Obligation.objects.filter(fulfilment=Fulfilment.OPEN)
        .values("agreement_id")
        .annotate(first=Min("due_date"))
        .values_list("agreement_id", "first")
    )
    stored = dict(Agreement.objects.values_list("pk", "first_open_obligation_due"))
    assert stored == {pk: derived.get(pk) for pk in stored}
    obligations = list(Obligation.objects.select_related("agreement"))
    for day in _days_to_check():
        overdue = {o.agreement_id for o in obligations if o.is_overdue(day)}
        in_query = set(Agreement.objects.with_overdue_obligations(day).values_list("pk", flat=True))
        assert in_query == overdue, day


@pytest.fixture
def two_agreements(staff):
    """Agreements started a year ago with an obligation due half a year ago, pending."""
    start = TODAY() - 365 * DAY
    agreements = []
    for _ in range(2):
        agreement = AgreementFactory(
            pending=True, created_by=staff, start_date=start, end_date=start + 1094 * DAY
        )
        ObligationFactory(agreement=agreement, description="Sen", due_date=TODAY() - 180 * DAY)
        ObligationFactory(
            agreement=agreement, side=Side.OURS, description="Snart", due_date=TODAY() + 30 * DAY
        )
        agreements.append(agreement)
    return agreements


def test_the_stored_due_date_follows_every_kind_of_change(staff, manager, two_agreements):
    first, second = two_agreements
    assert_stored_due_is_the_rule()
    for agreement in two_agreements:
        services.agreement_transition(
            agreement=agreement, action="approve", user=manager, statement=NO_INTEREST
        )
    assert_stored_due_is_the_rule()
    assert Agreement.objects.with_overdue_obligations().count() == 2

    # Fulfilled: the next open one is not yet due.
    late = first.obligations.get(description="Sen")
    form = ObligationOutcomeForm(
        {"fulfilment": "fulfilled", "fulfilled_on": TODAY().isoformat(), "edit_version": "1"},
        instance=late,
    )
    assert form.is_valid(), form.errors
    services.obligation_record_outcome(obligation=late, form=form, user=staff)
    assert_stored_due_is_the_rule()
    assert Agreement.objects.with_overdue_obligations().count() == 1

    # An amendment moves the open one's due date earlier and adds one: the replaced row
    # stays open, in force until the day before the effective date (in ten days).
    coming = first.obligations.get(description="Snart")
    data = form_data(first)
    row = next(n for n in range(9) if data.get(f"obligations-{n}-obligation") == str(coming.pk))
    added = sum(1 for name in data if name.endswith("-description") and name.startswith("obl"))
    amendment = draft(
        first,
        staff,
        types=["obligations"],
        **{
            f"obligations-{row}-due_date": (TODAY() + 15 * DAY).isoformat(),
            f"obligations-{added}-side": "ours",
            f"obligations-{added}-category": "marketing",
            f"obligations-{added}-description": "Nämna partnern i årsberättelsen.",
            f"obligations-{added}-due_date": (TODAY() + 90 * DAY).isoformat(),
        },
    )
    approved(amendment, staff, manager)
    assert_stored_due_is_the_rule()

    # A stale copy of the agreement saved after its obligations changed keeps the
    # stored date it did not write.
    stale = Agreement.objects.get(pk=second.pk)
    second.obligations.update(fulfilment=Fulfilment.NOT_FULFILLED)
    stale.title = "Nytt namn"
    stale.save()
    assert_stored_due_is_the_rule()

    services.agreement_transition(
        agreement=first,
        action="terminate",
        user=manager,
        comment="Brott.",
        terminated_on=TODAY(),
        termination_cause="code_of_conduct",
    )
    assert_stored_due_is_the_rule()


def test_direct_writes_keep_it_right_too(staff):
    """Factories, the admin, imports and scripts write rows without the services."""
    agreement = AgreementFactory(approved=True, created_by=staff)
    assert_stored_due_is_the_rule()
    obligation = ObligationFactory(agreement=agreement, due_date=TODAY() - 3 * DAY)
    assert_stored_due_is_the_rule()
    Obligation.objects.filter(pk=obligation.pk).update(due_date=TODAY() - 30 * DAY)
    assert_stored_due_is_the_rule()
    Obligation.objects.bulk_create(
        [Obligation(agreement=agreement, side=Side.OURS, category="economic", due_date=TODAY())]
    )
    assert_stored_due_is_the_rule()
    obligation.refresh_from_db()
    obligation.fulfilment = Fulfilment.FULFILLED
    obligation.fulfilled_on = TODAY()
    Obligation.objects.bulk_update([obligation], ["fulfilment", "fulfilled_on"])
    assert_stored_due_is_the_rule()
    obligation.delete()
    assert_stored_due_is_the_rule()
    agreement.obligations.all().delete()
    assert_stored_due_is_the_rule()
    agreement.refresh_from_db()
    assert agreement.first_open_obligation_due is None
