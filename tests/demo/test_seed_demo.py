import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import User
from agreements.models import Agreement
from demo.data import DEMO_USERS
from partnerships.models import Partner


def test_seed_demo_creates_users_with_roles_and_partners(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    for username, password, *_rest, group in DEMO_USERS:
        user = User.objects.get(username=username)
        assert user.check_password(password)
        assert user.groups.filter(name=group).exists()
    names = list(Partner.objects.values_list("name", flat=True))
    assert len(names) >= 5
    assert any(letter in "".join(names) for letter in "åäö")
    assert Partner.objects.exclude(country="SE").exists()
    assert Partner.objects.due_diligence_complete().exists()
    assert Partner.objects.due_diligence_incomplete().exists()


def test_seed_demo_if_empty_leaves_an_existing_database_alone(db, settings, staff):
    settings.DEBUG = True
    call_command("seed_demo", "--if-empty")
    assert not Partner.objects.exists()
    assert not User.objects.filter(username="anna").exists()


def test_seed_demo_twice_creates_nothing_twice(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    count = Partner.objects.count()
    call_command("seed_demo")
    assert Partner.objects.count() == count


def test_seed_demo_is_refused_with_debug_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG off"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_seed_demo_creates_agreements_in_every_state(db, settings):
    from agreements.models import Agreement

    settings.DEBUG = True
    call_command("seed_demo")
    states = {agreement.state_code() for agreement in Agreement.objects.all()}
    assert {"draft", "pending", "returned", "active", "upcoming", "expired"} <= states
    for agreement in Agreement.objects.filter(status="pending"):
        assert agreement.completeness_problems() == []
    # Approved ones have their terms as approved, version 1, as the approval writes it,
    # and one more for each approved amendment.
    for agreement in Agreement.objects.filter(status="approved"):
        assert agreement.terms.number == 1 + agreement.amendments.filter(status="approved").count()
        assert agreement.terms_versions.get(number=1).amendment is None


def test_seed_demo_logs_dialogue_with_follow_ups_of_every_kind(db, settings):
    from partnerships.models import DialogueEntry, DialogueFollowUp

    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")  # nothing twice
    today = timezone.localdate()
    assert DialogueEntry.objects.count() == 6
    assert DialogueFollowUp.objects.exclude(done_at=None).exists()
    assert DialogueFollowUp.objects.overdue(today).filter(owner__username="anna").exists()
    assert DialogueFollowUp.objects.open().filter(due_date__gte=today).exists()
    # An evaluation that is awaited has conversations in its period to build on.
    kulturskola = Agreement.objects.get(title="Kulturskola för alla")
    period = kulturskola.evaluation_periods.awaiting_evaluation(today).get(end_date__lt=today)
    assert DialogueEntry.objects.filter(
        partner=kulturskola.partner, date__range=(period.start_date, period.end_date)
    ).exists()
