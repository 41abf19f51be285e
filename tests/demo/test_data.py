"""The demo data is a state the application itself could have reached: every row is
written by a service, by someone allowed to take the step, on the day it happened."""

import datetime
import itertools
import pathlib
import re
import sys

import pytest
import time_machine
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone

from accounts.models import User
from agreements import approvals
from agreements.models import Agreement, Fulfilment, Obligation, ProgrammePeriod, Status
from demo import data as demo_data
from evaluations.models import Evaluation, EvaluationStatus
from evaluations.periods import evaluation_periods
from governance.models import Incident
from partnerships.models import DialogueEntry, DialogueFollowUp, Partner, PartnerContact

ROOT = pathlib.Path(demo_data.__file__).resolve().parents[1]
WRITE = re.compile(r'\s*(?:INSERT INTO|UPDATE|DELETE FROM)\s+"?(\w+)"?', re.IGNORECASE)
# People are set up as an administrator does it in the admin; there is no service for it.
WRITTEN_WITHOUT_A_SERVICE = {"accounts_user", "accounts_user_groups"}


def _in_a_service(filename: str) -> bool:
    """A module of ours named services.py or inside a services/ package."""
    try:
        parts = pathlib.Path(filename).resolve().relative_to(ROOT).parts
    except ValueError:
        return False  # Django, a library
    if parts[0] == "tests":
        return False
    # agreements/amendments.py holds the amendments' drafting service beside their diff.
    return (
        parts[-1] == "services.py"
        or "services" in parts[:-1]
        or parts == ("agreements", "amendments.py")
    )


class WriteWatcher:
    """Notes the table of every INSERT, UPDATE and DELETE not made from within a service."""

    def __init__(self):
        self.outside_services = []

    def __call__(self, execute, sql, params, many, context):
        match = WRITE.match(sql)
        if match:
            frame = sys._getframe(1)
            while frame is not None and not _in_a_service(frame.f_code.co_filename):
                frame = frame.f_back
            if frame is None:
                self.outside_services.append(match.group(1))
        return execute(sql, params, many, context)


def test_every_row_the_demo_writes_is_written_by_a_service(db):
    watcher = WriteWatcher()
    with connection.execute_wrapper(watcher):
        demo_data.create_demo_data()
    assert Agreement.objects.exists()
    assert set(watcher.outside_services) <= WRITTEN_WITHOUT_A_SERVICE


def test_the_write_watcher_sees_a_write_made_outside_a_service(db, staff):
    watcher = WriteWatcher()
    with connection.execute_wrapper(watcher):
        Partner.objects.filter(pk=0).update(city="x")
        staff.save()
    assert watcher.outside_services == ["partnerships_partner", "accounts_user"]


@pytest.mark.parametrize(
    "day",
    [
        # A time-limited agreement starting in a month ends late next year.
        datetime.date(2026, 12, 31),
        datetime.date(2028, 2, 29),
    ],
)
def test_the_demo_can_be_made_on_any_day_of_the_year(db, day):
    with time_machine.travel(datetime.datetime(day.year, day.month, day.day, 12), tick=True):
        demo_data.create_demo_data()
        states = {agreement.state_code() for agreement in Agreement.objects.all()}
    assert {"draft", "pending", "returned", "active", "upcoming", "expired"} <= states


@pytest.fixture(scope="class")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo made once for the checks of the class, and rolled back after them."""
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=hashers):
        with transaction.atomic():
            demo_data.create_demo_data()
            yield
            transaction.set_rollback(True)


@pytest.mark.usefixtures("seeded", "db")
class TestTheDemoIsAStateTheApplicationCanReach:
    def test_every_agreement_went_through_the_workflow_step_by_step(self):
        agreements = list(Agreement.objects.select_related("partner", "created_by"))
        assert agreements
        for agreement in agreements:
            # The agreement's own steps; its amendments' steps are theirs.
            events = list(agreement.events.filter(amendment=None).select_related("actor"))
            first = events[0]
            assert (first.from_status, first.to_status) == ("", Status.DRAFT)
            assert first.actor == agreement.created_by
            for before, after in itertools.pairwise(events):
                assert after.from_status == before.to_status, agreement.title
                assert after.created_at > before.created_at, agreement.title
            assert events[-1].to_status == agreement.status, agreement.title
            # Nobody acts on a partner before it is registered, or before they joined.
            assert agreement.partner.created_at < agreement.created_at
            for event in events:
                assert event.actor.date_joined < event.created_at
            submits = [event for event in events if event.to_status == Status.PENDING]
            if agreement.status != Status.DRAFT:
                assert submits[-1].actor == agreement.submitted_by
                assert abs(submits[-1].created_at - agreement.submitted_at) < datetime.timedelta(
                    minutes=1
                )

    def test_every_approval_was_given_by_another_manager_than_the_author(self):
        approved = list(Agreement.objects.filter(status=Status.APPROVED))
        assert len(approved) >= 4
        for agreement in approved:
            approval = agreement.events.get(to_status=Status.APPROVED, amendment=None)
            assert approval.from_status == Status.PENDING
            assert approval.actor == agreement.approved_by
            assert agreement.approved_by not in (agreement.created_by, agreement.submitted_by)
            assert agreement.approved_by.has_perm("agreements.approve_agreement")
            assert agreement.submitted_at < agreement.approved_at

    def test_the_governance_story_can_be_tried(self):
        """A second manager, one serious incident under review, one overdue review, and
        an agreement above the threshold approved once and waiting for the second."""
        johan = User.objects.get(username="johan")
        assert johan.has_perm("agreements.approve_agreement")
        incident = Incident.objects.serious_unresolved().get()
        assert incident.status == "under_review" and incident.events.count() == 2
        overdue = Partner.objects.review_overdue()
        assert [partner.name for partner in overdue] == ["Ungdomens Hus Tensta"]
        large = Agreement.objects.get(economic_amount__gt=500_000)
        assert large.status == Status.PENDING
        assert [
            (d.manager.username, d.approval_number) for d in large.approval_decisions.all()
        ] == [("johan", 1)]
        maria = User.objects.get(username="maria")
        assert large in Agreement.objects.awaiting_approval_by(maria)
        assert large not in Agreement.objects.awaiting_approval_by(johan)
        # Approving the pending agreement with Puente Andino asks for the incident.
        pending = Agreement.objects.get(partner=incident.partner, status=Status.PENDING)
        assert approvals.approvals_needed(pending) == 1

    def test_an_amendment_was_approved_and_the_partner_sees_it(self, client):
        agreement = Agreement.objects.get(title="Kulturskola för alla")
        amendment = agreement.amendments.get()
        assert amendment.status == "approved" and amendment.approved_by.username == "maria"
        assert amendment.created_by.username == "anna"
        assert agreement.terms.number == 2
        assert agreement.terms.economic_amount == 110000
        client.force_login(User.objects.get(username="lina"))
        page = client.get(f"/portal/agreements/{agreement.pk}/").content.decode()
        assert 'id="amendments"' in page and "Fler kvällsträffar" in page

    def test_a_returned_agreement_says_what_must_change(self):
        returned = Agreement.objects.get(status=Status.RETURNED)
        step = returned.events.last()
        assert (step.from_status, step.to_status) == (Status.PENDING, Status.RETURNED)
        assert step.comment
        assert step.actor.has_perm("agreements.approve_agreement")

    def test_evaluation_periods_are_the_ones_the_rule_gives(self):
        for agreement in Agreement.objects.all():
            stored = [
                (period.number, period.start_date, period.end_date)
                for period in agreement.evaluation_periods.order_by("number")
            ]
            if agreement.status == Status.APPROVED:
                rule = evaluation_periods(agreement.start_date, agreement.end_date)
                assert stored == [(period.number, period.start, period.end) for period in rule]
            else:
                assert stored == []

    def test_completed_evaluations_were_held_after_their_year_and_completed_by_someone(self):
        evaluations = list(Evaluation.objects.select_related("period__agreement"))
        assert evaluations
        for evaluation in evaluations:
            assert evaluation.status == EvaluationStatus.COMPLETED
            assert evaluation.completeness_problems() == []
            assert evaluation.period.end_date < evaluation.held_on
            assert evaluation.held_on <= timezone.localdate(evaluation.completed_at)
            assert evaluation.events.get(action="completed").actor == evaluation.completed_by
            assert evaluation.created_at <= evaluation.completed_at

    def test_followed_up_obligations_were_recorded_after_they_were_met(self):
        fulfilled = list(Obligation.objects.filter(fulfilment=Fulfilment.FULFILLED))
        assert fulfilled
        for obligation in fulfilled:
            assert obligation.fulfilment_recorded_by is not None
            assert obligation.fulfilled_on <= timezone.localdate(obligation.fulfilment_recorded_at)
            assert obligation.agreement.approved_at < obligation.fulfilment_recorded_at

    def test_done_follow_ups_were_done_after_the_conversation_by_their_owner(self):
        done = list(DialogueFollowUp.objects.exclude(done_at=None).select_related("entry"))
        assert done
        for follow_up in done:
            assert follow_up.done_by == follow_up.owner
            assert follow_up.entry.created_at < follow_up.done_at

    def test_every_change_has_a_history_with_who_made_it(self):
        histories = {
            Partner: Partner.history,
            PartnerContact: PartnerContact.history,
            Agreement: Agreement.history,
            ProgrammePeriod: ProgrammePeriod.history,
            Obligation: Obligation.history,
            Evaluation: Evaluation.history,
            DialogueEntry: DialogueEntry.history,
            DialogueFollowUp: DialogueFollowUp.history,
        }
        for model, history in histories.items():
            assert set(history.values_list("id", flat=True)) == set(
                model.objects.values_list("pk", flat=True)
            ), model.__name__
            assert not history.filter(history_user=None).exists(), model.__name__
        # The due-diligence review was a later edit of the partner, by its responsible person.
        reviewed = Partner.objects.due_diligence_complete().first()
        changes = reviewed.history.order_by("history_date")
        assert [record.history_type for record in changes][:2] == ["+", "~"]
        assert changes.last().history_user == reviewed.responsible

    def test_nothing_in_the_demo_happens_in_the_future(self):
        now = timezone.now()
        for queryset, field in [
            (Partner.objects, "created_at"),
            (Agreement.objects, "updated_at"),
            (Agreement.history, "history_date"),
            (Evaluation.objects, "completed_at"),
            (DialogueEntry.objects, "created_at"),
            (DialogueFollowUp.objects.exclude(done_at=None), "done_at"),
        ]:
            assert not queryset.filter(**{f"{field}__gt": now}).exists(), (queryset.model, field)
        assert not DialogueEntry.objects.filter(date__gt=timezone.localdate()).exists()
