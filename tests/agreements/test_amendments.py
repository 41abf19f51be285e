"""Amendments through their services: each type, the rules of a proposal, four-eyes,
one open amendment, termination, two managers at once, and the terms versions."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.formats import date_format

from agreements import amendments, permissions, services
from agreements.models import (
    AgreementEvent,
    Amendment,
    AmendmentContributor,
    AmendmentStatus,
    Fulfilment,
    Goal,
    Obligation,
    Side,
    Status,
    TermsVersion,
)
from tests.agreements.amending import bound_forms, form_data, save
from tests.agreements.test_services import NO_INTEREST
from tests.factories import AgreementFactory, UserFactory

TODAY = timezone.localdate
DAY = datetime.timedelta(days=1)


@pytest.fixture
def agreement(staff):
    return AgreementFactory(approved=True, created_by=staff)


def effective(days=10):
    return (TODAY() + days * DAY).isoformat()


def draft(agreement, user, **changes):
    changes.setdefault("effective_date", effective())
    changes.setdefault("reason", "Budgeten reviderades i styrelsen.")
    return save(agreement, user, **changes)


def step(amendment, action, user, comment=""):
    return services.amendment_transition(
        amendment=amendment,
        action=action,
        user=user,
        comment=comment,
        statement=NO_INTEREST if action == "approve" else None,
    )


def approved(amendment, author, approver):
    step(amendment, "submit", author)
    return step(amendment, "approve", approver)


def test_an_approved_agreement_has_terms_version_one_as_first_approved(agreement):
    version = agreement.terms
    assert (version.number, version.effective_from) == (1, agreement.start_date)
    assert version.economic_amount == agreement.economic_amount
    assert version.amendment is None


def test_approving_an_agreement_writes_terms_version_one(staff, manager):
    agreement = AgreementFactory(pending=True, created_by=staff)
    services.agreement_transition(
        agreement=agreement, action="approve", user=manager, statement=NO_INTEREST
    )
    agreement.refresh_from_db()
    assert agreement.terms.number == 1
    assert agreement.terms.payment_terms == agreement.payment_terms


def test_an_amendment_is_numbered_per_agreement_and_records_its_draft_event(agreement, staff):
    amendment = draft(agreement, staff, types=["economic_contribution"], economic_amount="60000")
    assert amendment.number == 1
    assert str(amendment) == f"{agreement.reference} / amendment 1"
    assert amendment.status == AmendmentStatus.DRAFT
    assert amendment.based_on == agreement.terms
    event = AgreementEvent.objects.get(amendment=amendment)
    assert (event.from_status, event.to_status, event.actor) == ("", "draft", staff)
    assert amendment.history.count() == 1


def test_an_economic_contribution_amendment_becomes_terms_version_two(agreement, staff, manager):
    amendment = draft(
        agreement,
        staff,
        types=["economic_contribution"],
        economic_amount="60000",
        payment_terms="Tre delbetalningar per år.",
    )
    approved(amendment, staff, manager)
    agreement.refresh_from_db()
    version = agreement.terms
    assert (version.number, version.amendment, version.effective_from) == (
        2,
        amendment,
        amendment.effective_date,
    )
    assert version.economic_amount == Decimal("60000.00")
    assert version.payment_terms == "Tre delbetalningar per år."
    # Nothing is copied back: the agreement's own fields and version 1 are as approved.
    assert agreement.economic_amount == Decimal("50000.00")
    first = TermsVersion.objects.get(agreement=agreement, number=1)
    assert first.economic_amount == Decimal("50000.00")
    assert agreement.current_terms == version


@pytest.mark.parametrize(
    "amendment_type, changes",
    [
        ("marketing_contributions", {"marketing_contributions": "Logotyp på matchtröjor."}),
        (
            "other_terms",
            {"conduct": "Ny uppförandekod från 2027.", "termination_terms": "30 dagar."},
        ),
        ("other_terms", {"exchange": "Vi får en monter på mässan."}),
        ("administrative_correction", {"payment_terms": "Två delbetalningar per år (rättat)."}),
    ],
)
def test_each_type_of_text_terms_is_amended(agreement, staff, manager, amendment_type, changes):
    amendment = draft(agreement, staff, types=[amendment_type], **changes)
    approved(amendment, staff, manager)
    agreement.refresh_from_db()
    for name, value in changes.items():
        assert getattr(agreement.terms, name) == value
        assert getattr(agreement, name) != value


def test_a_goals_amendment_changes_adds_and_removes_goals_without_losing_the_old(
    agreement, staff, manager
):
    kept_then_removed = agreement.goals.create(
        description="Fler föräldrar deltar",
        kind="qualitative",
        expected_outcome="Föräldrar kommer till träffarna.",
        assessment_method="Närvarolistor.",
    )
    changed = agreement.goals.get(description="Fler barn läser på fritiden")
    data = form_data(agreement)
    index = {data[f"goals-{n}-goal"]: n for n in range(2)}
    amendment = draft(
        agreement,
        staff,
        types=["goals"],
        **{
            f"goals-{index[str(changed.pk)]}-target_value": "150",
            f"goals-{index[str(kept_then_removed.pk)]}-DELETE": "on",
            "goals-2-description": "Fler bibliotekslån",
            "goals-2-kind": "quantitative",
            "goals-2-indicator": "Lån per månad",
            "goals-2-baseline": "10",
            "goals-2-target_value": "40",
            "goals-2-unit": "lån",
        },
    )
    assert sorted(amendment.goal_changes.values_list("change", flat=True)) == [
        "added",
        "changed",
        "removed",
    ]
    approved(amendment, staff, manager)
    agreement.refresh_from_db()
    version = agreement.terms
    day_before = amendment.effective_date - DAY
    changed.refresh_from_db()
    kept_then_removed.refresh_from_db()
    assert (changed.superseded_in, changed.in_force_until) == (version, day_before)
    assert (kept_then_removed.superseded_in, kept_then_removed.in_force_until) == (
        version,
        day_before,
    )
    successor = Goal.objects.get(origin=changed)
    assert successor.target_value == Decimal("150")
    assert (successor.introduced_in, successor.in_force_from) == (version, amendment.effective_date)
    assert sorted(agreement.goals.current().values_list("description", flat=True)) == [
        "Fler barn läser på fritiden",
        "Fler bibliotekslån",
    ]
    in_force_today = agreement.goals.in_force_on(TODAY())
    assert set(in_force_today) == {changed, kept_then_removed}


def test_an_obligations_amendment_moves_a_due_date_and_adds_one(agreement, staff, manager):
    obligation = agreement.obligations.get(side=Side.PARTNER)
    data = form_data(agreement)
    row = next(n for n in range(2) if data[f"obligations-{n}-obligation"] == str(obligation.pk))
    new_due = (TODAY() + 60 * DAY).isoformat()
    amendment = draft(
        agreement,
        staff,
        types=["obligations"],
        **{
            f"obligations-{row}-due_date": new_due,
            "obligations-2-side": "ours",
            "obligations-2-category": "marketing",
            "obligations-2-description": "Nämna partnern i årsberättelsen.",
        },
    )
    approved(amendment, staff, manager)
    obligation.refresh_from_db()
    assert obligation.superseded_in == amendment.terms_version
    successor = Obligation.objects.get(origin=obligation)
    assert successor.due_date.isoformat() == new_due
    assert successor.fulfilment == Fulfilment.OPEN
    assert agreement.obligations.current().count() == 3


def test_a_followed_up_obligation_cannot_be_changed(agreement, staff):
    obligation = agreement.obligations.get(side=Side.PARTNER)
    obligation.fulfilment = Fulfilment.FULFILLED
    obligation.fulfilled_on = TODAY()
    obligation.save()
    data = form_data(agreement)
    # Only open obligations are offered for change.
    offered = {data.get(f"obligations-{n}-obligation") for n in range(3)}
    assert str(obligation.pk) not in offered


def _refused(agreement, user, **changes):
    with pytest.raises(ValidationError) as refused:
        draft(agreement, user, **changes)
    assert not Amendment.objects.filter(agreement=agreement).exists()
    return refused.value.message_dict


def test_a_change_outside_the_ticked_types_is_refused_by_field(agreement, staff):
    problems = _refused(
        agreement, staff, types=["marketing_contributions"], economic_amount="60000"
    )
    assert problems["economic_amount"] == [
        "This is not among what the amendment changes: tick “Economic contribution”, or "
        "leave it as it was."
    ]
    assert problems["types"] == [
        "“Marketing contributions” is ticked, but nothing of it is changed."
    ]


def test_an_amendment_that_changes_nothing_is_refused(agreement, staff):
    problems = _refused(agreement, staff, types=["administrative_correction"])
    assert problems == {
        "types": ["The amendment changes nothing yet: change the terms it is about."]
    }


@pytest.mark.parametrize(
    "day, message",
    [
        (lambda a: a.end_date + DAY, "must be within the agreement's term, which ends"),
        (lambda a: a.start_date - DAY, "must be within the agreement's term, which starts"),
        (lambda a: TODAY() - DAY, "takes effect on the day it is approved at the earliest"),
    ],
)
def test_an_effective_date_outside_the_term_or_in_the_past_is_refused(
    agreement, staff, day, message
):
    bad_day = day(agreement).isoformat()
    changes = {"types": ["economic_contribution"], "economic_amount": "60000", "reason": "Höjt."}
    # The form says so next to the field...
    form, _goals, _obligations = bound_forms(
        agreement, form_data(agreement, effective_date=bad_day, **changes)
    )
    assert not form.is_valid()
    assert message in form.errors["effective_date"][0]
    # ...and the service refuses it whatever the form let through (a script, a stale page).
    form, goals, obligations = bound_forms(
        agreement, form_data(agreement, effective_date=effective(), **changes)
    )
    assert form.is_valid() and goals.is_valid() and obligations.is_valid()
    form.cleaned_data["effective_date"] = day(agreement)
    with pytest.raises(ValidationError) as refused:
        amendments.amendment_save(
            agreement=agreement,
            form=form,
            goal_formset=goals,
            obligation_formset=obligations,
            user=staff,
        )
    assert message in refused.value.message_dict["effective_date"][0]
    assert not Amendment.objects.exists()


def test_a_contribution_below_what_was_already_counted_is_refused(staff):
    # 730 days of 100 a day; 30 days have passed and 40 will have by the effective date.
    agreement = AgreementFactory(
        approved=True,
        created_by=staff,
        start_date=TODAY() - 30 * DAY,
        end_date=TODAY() + 699 * DAY,
        economic_amount=Decimal("73000"),
    )
    problems = _refused(agreement, staff, types=["economic_contribution"], economic_amount="3999")
    assert problems["economic_amount"] == [
        "The amended contribution cannot be less than SEK\u00a04,000.00: the current terms "
        "already count that much for the days before "
        f"{date_format(TODAY() + 10 * DAY, 'SHORT_DATE_FORMAT')}."
    ]


def test_removing_the_last_goal_is_refused(agreement, staff):
    problems = _refused(agreement, staff, types=["goals"], **{"goals-0-DELETE": "on"})
    assert problems["goals"] == ["The agreement keeps at least one measurable goal."]


def test_the_form_refuses_a_changed_end_date_and_an_empty_reason(agreement):
    data = form_data(
        agreement,
        types=["economic_contribution"],
        economic_amount="60000",
        effective_date=effective(),
        reason="   ",
        end_date=(agreement.end_date + 365 * DAY).isoformat(),
    )
    form, _goals, _obligations = bound_forms(agreement, data)
    assert not form.is_valid()
    assert form.errors["reason"] == ["Give the reason for the amendment."]
    assert form.errors["end_date"][0].startswith("The period cannot be amended")


def test_the_reason_and_a_type_are_required_by_the_database_too(agreement, staff):
    amendment = draft(agreement, staff, types=["economic_contribution"], economic_amount="60000")
    with pytest.raises(IntegrityError), transaction.atomic():
        Amendment.objects.filter(pk=amendment.pk).update(reason="")
    with pytest.raises(IntegrityError), transaction.atomic():
        Amendment.objects.filter(pk=amendment.pk).update(type_economic_contribution=False)


def test_only_one_amendment_is_open_at_a_time(agreement, staff, other_staff):
    first = draft(agreement, staff, types=["economic_contribution"], economic_amount="60000")
    with pytest.raises(PermissionDenied, match="is in progress"):
        draft(
            agreement, other_staff, types=["marketing_contributions"], marketing_contributions="X"
        )
    # The database refuses a second open one, whatever the path.
    with pytest.raises(IntegrityError), transaction.atomic():
        Amendment.objects.create(
            agreement=agreement,
            number=2,
            reason="Ett till.",
            type_marketing_contributions=True,
            effective_date=first.effective_date,
            based_on=agreement.terms,
            created_by=other_staff,
        )


def test_a_withdrawn_amendment_keeps_its_number_and_frees_the_agreement(agreement, staff):
    first = draft(agreement, staff, types=["economic_contribution"], economic_amount="60000")
    step(first, "withdraw", staff, comment="Fel belopp.")
    second = draft(agreement, staff, types=["economic_contribution"], economic_amount="55000")
    assert (first.status, second.number) == (AmendmentStatus.WITHDRAWN, 2)


def test_the_author_and_the_submitter_cannot_approve(agreement, staff, manager):
    amendment = draft(agreement, manager, types=["economic_contribution"], economic_amount="60000")
    step(amendment, "submit", manager)
    with pytest.raises(PermissionDenied, match="You drafted this amendment"):
        step(amendment, "approve", manager)
    other = UserFactory(manager=True)
    submitted_by_other = draft(
        AgreementFactory(approved=True, created_by=staff),
        staff,
        types=["economic_contribution"],
        economic_amount="60000",
    )
    submitted_by_other.agreement.responsible = other
    submitted_by_other.agreement.save()
    step(submitted_by_other, "submit", other)
    with pytest.raises(PermissionDenied, match="You submitted this amendment"):
        step(submitted_by_other, "approve", other)


def test_a_manager_who_edited_the_draft_cannot_approve_it(agreement, staff, manager):
    amendment = draft(agreement, staff, types=["economic_contribution"], economic_amount="60000")
    save(agreement, manager, amendment, economic_amount="999999")
    step(amendment, "submit", staff)
    with pytest.raises(PermissionDenied, match="You edited this amendment"):
        step(amendment, "approve", manager)
    assert Amendment.objects.awaiting_approval_by(manager).count() == 0
    other_manager = UserFactory(manager=True)
    assert list(Amendment.objects.awaiting_approval_by(other_manager)) == [amendment]


def test_edit_after_return_then_approve_by_the_editor_is_refused(agreement, staff, manager):
    amendment = draft(agreement, staff, types=["economic_contribution"], economic_amount="60000")
    step(amendment, "submit", staff)
    step(amendment, "return", manager, comment="Beloppet ska vara 70 000.")
    amendment.refresh_from_db()
    save(agreement, manager, amendment, economic_amount="70000")
    step(amendment, "submit", staff)
    with pytest.raises(PermissionDenied, match="You edited this amendment"):
        step(amendment, "approve", manager)
    amendment.refresh_from_db()
    assert amendment.status == AmendmentStatus.PENDING


def test_the_database_refuses_an_approver_who_shaped_the_amendment(agreement, staff):
    amendment = draft(agreement, staff, types=["economic_contribution"], economic_amount="60000")
    with pytest.raises(IntegrityError), transaction.atomic():
        AmendmentContributor.objects.create(amendment=amendment, user=staff, approved=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Amendment.objects.filter(pk=amendment.pk).update(approved_by=staff)


def test_every_step_writes_one_event_and_a_history_row(agreement, staff, manager):
    amendment = draft(agreement, staff, types=["economic_contribution"], economic_amount="60000")
    step(amendment, "submit", staff)
    step(amendment, "return", manager, comment="Ange skälet tydligare.")
    step(amendment, "submit", staff)
    step(amendment, "approve", UserFactory(manager=True))
    steps = list(
        AgreementEvent.objects.filter(amendment=amendment).values_list("from_status", "to_status")
    )
    assert steps == [
        ("", "draft"),
        ("draft", "pending"),
        ("pending", "returned"),
        ("returned", "pending"),
        ("pending", "approved"),
    ]
    assert amendment.history.count() == 5
    assert TermsVersion.history.filter(amendment_id=amendment.pk).count() == 1


def test_an_approval_after_the_effective_date_has_passed_is_refused(agreement, staff, manager):
    amendment = draft(agreement, staff, types=["economic_contribution"], economic_amount="60000")
    step(amendment, "submit", staff)
    Amendment.objects.filter(pk=amendment.pk).update(effective_date=TODAY() - DAY)
    amendment.refresh_from_db()
    with pytest.raises(services.TransitionRefused) as refused:
        step(amendment, "approve", manager)
    assert "takes effect on the day it is approved at the earliest" in refused.value.problems[0]
    assert not TermsVersion.objects.filter(amendment=amendment).exists()


def test_terminating_withdraws_the_open_amendment_with_an_event(agreement, staff, manager):
    amendment = draft(agreement, staff, types=["economic_contribution"], economic_amount="60000")
    step(amendment, "submit", staff)
    services.agreement_transition(
        agreement=agreement,
        action="terminate",
        user=manager,
        comment="Partnern lade ner verksamheten.",
        terminated_on=TODAY(),
        termination_cause="partner_closed",
    )
    amendment.refresh_from_db()
    assert amendment.status == AmendmentStatus.WITHDRAWN
    event = AgreementEvent.objects.filter(amendment=amendment).latest("id")
    assert (event.from_status, event.to_status, event.actor) == ("pending", "withdrawn", manager)
    assert agreement.reference in event.comment


def test_a_terminated_or_expired_agreement_cannot_be_amended(client, staff):
    terminated = AgreementFactory(terminated=True, created_by=staff)
    expired = AgreementFactory(
        approved=True,
        created_by=staff,
        start_date=TODAY() - 400 * DAY,
        end_date=TODAY() - DAY,
    )
    client.force_login(staff)
    for agreement, reason in ((terminated, "Only approved"), (expired, "has ended")):
        decision = permissions.can_amend_agreement(staff, agreement)
        assert not decision and reason in decision.reason
        response = client.get(f"/agreements/{agreement.pk}/amendments/new/")
        assert response.status_code == 403 and reason in response.content.decode()


def test_a_stale_second_approval_is_a_conflict_and_writes_nothing(agreement, staff, manager):
    amendment = draft(agreement, staff, types=["economic_contribution"], economic_amount="60000")
    step(amendment, "submit", staff)
    first_view = Amendment.objects.get(pk=amendment.pk)
    second_view = Amendment.objects.get(pk=amendment.pk)
    step(first_view, "approve", manager)
    with pytest.raises(services.TransitionConflict, match="Someone else changed this amendment"):
        step(second_view, "approve", UserFactory(manager=True))
    assert TermsVersion.objects.filter(agreement=agreement).count() == 2
    assert (
        AgreementEvent.objects.filter(amendment=amendment, to_status=Status.APPROVED).count() == 1
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_managers_approving_one_amendment_at_once_produce_one_approval():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need a server database; SQLite serialises writers")
    author = UserFactory(staff=True)
    agreement = AgreementFactory(approved=True, created_by=author)
    amendment = draft(agreement, author, types=["economic_contribution"], economic_amount="60000")
    step(amendment, "submit", author)
    managers = [UserFactory(manager=True) for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes = []

    def approve(manager):
        stale = Amendment.objects.get(pk=amendment.pk)
        barrier.wait()
        try:
            step(stale, "approve", manager)
            outcomes.append("approved")
        except services.TransitionConflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(m,)) for m in managers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["approved", "conflict"]
    assert AgreementEvent.objects.filter(amendment=amendment, to_status="approved").count() == 1
    assert TermsVersion.objects.filter(agreement=agreement).count() == 2


def test_the_admin_shows_amendments_and_changes_nothing(client, agreement, staff):
    amendment = draft(agreement, staff, types=["economic_contribution"], economic_amount="60000")
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    assert client.get("/admin/agreements/amendment/").status_code == 200
    assert client.get(f"/admin/agreements/amendment/{amendment.pk}/change/").status_code == 200
    assert client.post(f"/admin/agreements/amendment/{amendment.pk}/delete/").status_code == 403
    assert (
        client.get(f"/admin/agreements/termsversion/{agreement.terms.pk}/change/").status_code
        == 200
    )
    assert Amendment.objects.filter(pk=amendment.pk).exists()
