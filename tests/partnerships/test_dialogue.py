"""The dialogue log: conversations with a partner, their follow-ups, and who may do what."""

import datetime

import pytest
from django.utils import timezone

from partnerships import services
from partnerships.models import DialogueEntry, DialogueFollowUp, DialoguePartnerParticipant
from tests.conftest import log_in
from tests.factories import (
    AgreementFactory,
    DialogueEntryFactory,
    DialogueFollowUpFactory,
    PartnerContactFactory,
    PartnerFactory,
    UserFactory,
)
from tests.partnerships.test_partner_form import partner_data


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def partner(db, staff):
    return PartnerFactory(name="Föreningen Läslust Malmö", responsible=staff)


def entry_data(*, follow_ups=(), total_forms=2, initial_forms=0, **overrides):
    """The dialogue form as a browser posts it; `follow_ups` fill the rows in order."""
    data = {
        "date": days(-3).isoformat(),
        "kind": "visit",
        "agreement": "",
        "our_other_participants": "",
        "partner_participants": "",
        "topics": "Läxhjälpen i Rosengård och vårens bokcirklar.",
        "learned": "Föräldrarna kommer hellre på kvällar; flytta träffarna.",
        "follow_ups-TOTAL_FORMS": str(total_forms),
        "follow_ups-INITIAL_FORMS": str(initial_forms),
        "follow_ups-MIN_NUM_FORMS": "0",
        "follow_ups-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(follow_ups):
        for field, value in row.items():
            data[f"follow_ups-{index}-{field}"] = value
    data.update(overrides)
    return data


def test_staff_logs_a_visit_with_participants_and_follow_ups(
    staff_client, staff, other_staff, partner
):
    contact = PartnerContactFactory(partner=partner, name="Sara Nyström")
    PartnerContactFactory(partner=partner, name="Jonas Ek")
    agreement = AgreementFactory(approved=True, partner=partner, created_by=staff)
    data = entry_data(
        agreement=agreement.pk,
        our_participants=[staff.pk, other_staff.pk],
        our_other_participants="Styrelseledamot Eva",
        partner_contacts=[contact.pk],
        partner_participants="Två läxhjälpare",
        follow_ups=[
            {"description": "Skicka kvällsschemat", "owner": staff.pk, "due_date": days(10)},
            {"description": "Boka författarbesök", "owner": other_staff.pk, "due_date": days(30)},
        ],
    )
    response = staff_client.post(f"/partners/{partner.pk}/dialogue/new/", data, follow=True)

    entry = DialogueEntry.objects.get()
    assert response.redirect_chain[-1][0] == f"/partners/{partner.pk}/dialogue/{entry.pk}/"
    assert "The conversation is logged." in response.content.decode()
    assert entry.partner == partner and entry.agreement == agreement
    assert entry.kind == "visit" and entry.created_by == staff
    assert set(entry.our_participants.all()) == {staff, other_staff}
    assert entry.partner_side_names() == ["Sara Nyström", "Två läxhjälpare"]
    follow_ups = list(entry.follow_ups.order_by("due_date"))
    assert [(f.description, f.owner) for f in follow_ups] == [
        ("Skicka kvällsschemat", staff),
        ("Boka författarbesök", other_staff),
    ]
    page = staff_client.get(f"/partners/{partner.pk}/").content.decode()
    assert 'id="dialogue"' in page
    assert "Läxhjälpen i Rosengård" in page and "Föräldrarna kommer hellre på kvällar" in page
    assert "Skicka kvällsschemat" in page and "Sara Nyström, Två läxhjälpare" in page


def test_a_bad_follow_up_saves_nothing(staff_client, staff, partner):
    data = entry_data(
        follow_ups=[
            {"description": "Skicka kvällsschemat", "owner": staff.pk, "due_date": days(10)},
            {"description": "Boka författarbesök", "owner": "", "due_date": "inte ett datum"},
        ]
    )
    response = staff_client.post(f"/partners/{partner.pk}/dialogue/new/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing was saved" in html
    assert "Choose who sees to it." in html and "Enter a valid date." in html
    assert not DialogueEntry.objects.exists()
    assert not DialogueFollowUp.objects.exists()


def test_a_follow_up_due_before_the_conversation_is_refused(staff_client, staff, partner):
    data = entry_data(
        date=days(-3).isoformat(),
        follow_ups=[{"description": "Ring tillbaka", "owner": staff.pk, "due_date": days(-5)}],
    )
    response = staff_client.post(f"/partners/{partner.pk}/dialogue/new/", data)
    assert "The due date cannot be before the date of the conversation." in (
        response.content.decode()
    )
    assert not DialogueEntry.objects.exists()


def test_empty_follow_up_rows_are_skipped(staff_client, partner):
    staff_client.post(f"/partners/{partner.pk}/dialogue/new/", entry_data())
    entry = DialogueEntry.objects.get()
    assert not entry.follow_ups.exists()


def test_a_conversation_cannot_be_logged_in_advance(staff_client, partner):
    response = staff_client.post(
        f"/partners/{partner.pk}/dialogue/new/", entry_data(date=days(1).isoformat())
    )
    assert "The date cannot be in the future." in response.content.decode()
    assert not DialogueEntry.objects.exists()


def test_missing_topics_and_kind_are_named(staff_client, partner):
    response = staff_client.post(
        f"/partners/{partner.pk}/dialogue/new/", entry_data(topics="", kind="")
    )
    html = response.content.decode()
    assert "Say what the conversation was about." in html
    assert "Choose the kind of conversation." in html
    assert not DialogueEntry.objects.exists()


def test_only_the_partners_own_agreements_and_contacts_can_be_chosen(staff_client, partner):
    other_agreement = AgreementFactory(approved=True)
    other_contact = PartnerContactFactory()
    response = staff_client.post(
        f"/partners/{partner.pk}/dialogue/new/",
        entry_data(agreement=other_agreement.pk, partner_contacts=[other_contact.pk]),
    )
    form = response.context["form"]
    assert "agreement" in form.errors and "partner_contacts" in form.errors
    assert not DialogueEntry.objects.exists()


def test_the_model_refuses_another_partners_agreement(db, partner):
    from django.core.exceptions import ValidationError

    entry = DialogueEntryFactory.build(
        partner=partner, agreement=AgreementFactory(approved=True), created_by=None
    )
    with pytest.raises(ValidationError, match="this partner's own agreements"):
        entry.full_clean()


def test_editing_keeps_done_follow_ups_and_changes_open_ones(staff_client, staff, partner):
    entry = DialogueEntryFactory(partner=partner, topics="Före")
    done = DialogueFollowUpFactory(entry=entry, description="Klar sedan länge")
    services.follow_up_complete(follow_up=done, user=staff, note="Gjort.")
    open_one = DialogueFollowUpFactory(entry=entry, description="Öppen")
    form = staff_client.get(f"/partners/{partner.pk}/dialogue/{entry.pk}/edit/")
    formset = form.context["follow_up_formset"]
    assert [f.instance for f in formset.initial_forms] == [open_one]
    assert "Klar sedan länge" in form.content.decode()  # listed as done, not editable

    data = entry_data(
        date=entry.date.isoformat(),
        kind=entry.kind,
        topics="Efter",
        edit_version=entry.version,
        total_forms=2,
        initial_forms=1,
        follow_ups=[
            {
                "id": open_one.pk,
                "entry": entry.pk,
                "description": "Öppen, omformulerad",
                "owner": staff.pk,
                "due_date": days(20),
            },
            {"description": "Ny uppföljning", "owner": staff.pk, "due_date": days(40)},
        ],
    )
    response = staff_client.post(f"/partners/{partner.pk}/dialogue/{entry.pk}/edit/", data)
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.topics == "Efter" and entry.version == 2
    assert sorted(entry.follow_ups.values_list("description", flat=True)) == [
        "Klar sedan länge",
        "Ny uppföljning",
        "Öppen, omformulerad",
    ]
    done.refresh_from_db()
    assert done.is_done and done.done_note == "Gjort."


def test_an_edit_over_a_newer_version_saves_nothing(staff_client, partner):
    entry = DialogueEntryFactory(partner=partner, topics="Första", version=3)
    data = entry_data(date=entry.date.isoformat(), topics="Min ändring", edit_version=2)
    response = staff_client.post(f"/partners/{partner.pk}/dialogue/{entry.pk}/edit/", data)
    assert response.status_code == 200
    assert "Someone else saved changes here" in response.content.decode()
    entry.refresh_from_db()
    assert entry.topics == "Första"


def test_edits_are_in_the_entry_history(staff_client, staff, partner):
    contact = PartnerContactFactory(partner=partner, name="Sara Nyström")
    staff_client.post(
        f"/partners/{partner.pk}/dialogue/new/",
        entry_data(topics="Före", partner_contacts=[contact.pk]),
    )
    entry = DialogueEntry.objects.get()
    staff_client.post(
        f"/partners/{partner.pk}/dialogue/{entry.pk}/edit/",
        entry_data(topics="Efter", edit_version=entry.version, total_forms=0),
    )
    html = staff_client.get(f"/partners/{partner.pk}/dialogue/{entry.pk}/").content.decode()
    assert "Change history" in html
    assert "Före → Efter" in html
    assert "Deleted: Partner participant: Sara Nyström" in html
    assert entry.history.latest().history_user == staff


def test_a_contact_removed_from_the_partner_stays_named_in_the_conversation(
    staff_client, staff, partner
):
    contact = PartnerContactFactory(partner=partner, name="Sara Nyström")
    entry = DialogueEntryFactory(partner=partner)
    DialoguePartnerParticipant.objects.create(entry=entry, contact=contact, name=contact.name)
    data = partner_data(
        staff,
        name=partner.name,
        organisation_number="",
        **{
            "contacts-TOTAL_FORMS": "1",
            "contacts-INITIAL_FORMS": "1",
            "contacts-0-id": contact.pk,
            "contacts-0-partner": partner.pk,
            "contacts-0-name": contact.name,
            "contacts-0-DELETE": "on",
        },
    )
    assert staff_client.post(f"/partners/{partner.pk}/edit/", data).status_code == 302
    assert not partner.contacts.exists()
    html = staff_client.get(f"/partners/{partner.pk}/dialogue/{entry.pk}/").content.decode()
    assert "Sara Nyström" in html


def test_partner_page_shows_the_newest_five_and_links_to_the_whole_log(staff_client, partner):
    for number in range(7):
        DialogueEntryFactory(partner=partner, date=days(-number - 1), topics=f"Ämne {number}")
    response = staff_client.get(f"/partners/{partner.pk}/")
    shown = [entry.topics for entry in response.context["dialogue_entries"]]
    assert shown == [f"Ämne {number}" for number in range(5)]
    assert "Show all 7" in response.content.decode()
    listing = staff_client.get(f"/partners/{partner.pk}/dialogue/")
    assert listing.context["page"].paginator.count == 7
    assert "Ämne 6" in listing.content.decode()


def test_partner_page_queries_do_not_grow_with_the_log(
    client, staff, partner, django_assert_max_num_queries
):
    def queries_for_page():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/partners/{partner.pk}/").status_code == 200
        return len(captured)

    log_in(client, staff)
    entry = DialogueEntryFactory(partner=partner)
    DialogueFollowUpFactory(entry=entry)
    few = queries_for_page()
    for _number in range(8):
        entry = DialogueEntryFactory(partner=partner)
        entry.our_participants.add(staff, UserFactory(staff=True))
        DialogueFollowUpFactory.create_batch(3, entry=entry)
    # One more: the count of entries, asked only once the page is full.
    assert queries_for_page() <= few + 1


@pytest.mark.parametrize(
    "url",
    ["/partners/{pk}/dialogue/new/", "/partners/{pk}/dialogue/", "/partners/follow-ups/"],
)
def test_anonymous_is_sent_to_login(client, partner, url):
    response = client.get(url.format(pk=partner.pk))
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_a_user_without_a_role_can_neither_read_nor_log(client, no_role_user, partner):
    entry = DialogueEntryFactory(partner=partner)
    log_in(client, no_role_user)
    assert client.get(f"/partners/{partner.pk}/dialogue/").status_code == 403
    assert client.get(f"/partners/{partner.pk}/dialogue/{entry.pk}/").status_code == 403
    response = client.post(f"/partners/{partner.pk}/dialogue/new/", entry_data())
    assert response.status_code == 403
    response = client.post(
        f"/partners/{partner.pk}/dialogue/{entry.pk}/edit/",
        entry_data(topics="Kapat", edit_version=entry.version, total_forms=0),
    )
    assert response.status_code == 403
    assert DialogueEntry.objects.get().topics == entry.topics


def test_the_log_of_an_archived_partner_is_read_only(staff_client, staff):
    partner = PartnerFactory(archived=True, responsible=staff)
    entry = DialogueEntryFactory(partner=partner)
    # A form sent anyway (opened before the archiving) comes back with the reason.
    response = staff_client.post(f"/partners/{partner.pk}/dialogue/new/", entry_data())
    assert response.status_code == 200
    assert "Restore it before logging a conversation" in response.content.decode()
    assert staff_client.get(f"/partners/{partner.pk}/dialogue/{entry.pk}/edit/").status_code == 403
    page = staff_client.get(f"/partners/{partner.pk}/").content.decode()
    assert "Log a conversation" not in page
    assert DialogueEntry.objects.count() == 1


def test_roles_cannot_delete_dialogue(db):
    from django.contrib.auth.models import Group

    codenames = set(
        Group.objects.filter(name__in=["Staff", "Managers"]).values_list(
            "permissions__codename", flat=True
        )
    )
    assert {"add_dialogueentry", "change_dialogueentry", "change_dialoguefollowup"} <= codenames
    assert not {c for c in codenames if c.startswith("delete_dialogue")}


# Follow-ups done


def test_the_owner_marks_a_follow_up_done_with_a_note(client, staff, partner):
    follow_up = DialogueFollowUpFactory(entry__partner=partner, owner=staff, overdue=True)
    log_in(client, staff)
    url = f"/partners/follow-ups/{follow_up.pk}/done/"
    page = client.get(url)
    assert page.status_code == 200 and follow_up.description in page.content.decode()
    follow_up.refresh_from_db()
    assert not follow_up.is_done  # opening the page changes nothing

    response = client.post(url, {"note": "Mallen skickad 3 maj.", "next": "/"}, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert "Follow-up marked done." in response.content.decode()
    follow_up.refresh_from_db()
    assert follow_up.is_done and follow_up.done_by == staff
    assert follow_up.done_note == "Mallen skickad 3 maj."
    assert follow_up.history.latest().history_user == staff


def test_a_manager_may_close_someone_elses_follow_up(manager_client, manager, staff, partner):
    follow_up = DialogueFollowUpFactory(entry__partner=partner, owner=staff)
    response = manager_client.post(f"/partners/follow-ups/{follow_up.pk}/done/", {"note": ""})
    assert response.status_code == 302
    assert response.url == follow_up.entry.get_absolute_url()
    follow_up.refresh_from_db()
    assert follow_up.done_by == manager


def test_another_staff_member_cannot_close_the_follow_up(client, other_staff, staff, partner):
    follow_up = DialogueFollowUpFactory(entry__partner=partner, owner=staff)
    log_in(client, other_staff)
    response = client.post(f"/partners/follow-ups/{follow_up.pk}/done/", {"note": "x"})
    assert response.status_code == 403
    assert "Only the owner of the follow-up or a manager" in response.content.decode()
    follow_up.refresh_from_db()
    assert not follow_up.is_done


def test_a_follow_up_is_done_once(client, staff, partner):
    follow_up = DialogueFollowUpFactory(entry__partner=partner, owner=staff)
    services.follow_up_complete(follow_up=follow_up, user=staff, note="Först")
    log_in(client, staff)
    response = client.post(
        f"/partners/follow-ups/{follow_up.pk}/done/", {"note": "Igen"}, follow=True
    )
    assert "already marked this follow-up done" in response.content.decode()
    follow_up.refresh_from_db()
    assert follow_up.done_note == "Först"


def test_two_simultaneous_completions_record_one(db, staff, manager, partner):
    follow_up = DialogueFollowUpFactory(entry__partner=partner, owner=staff)
    stale_copy = DialogueFollowUp.objects.get(pk=follow_up.pk)
    services.follow_up_complete(follow_up=follow_up, user=staff, note="Ägaren")
    with pytest.raises(services.FollowUpAlreadyDone):
        services.follow_up_complete(follow_up=stale_copy, user=manager, note="Chefen")
    follow_up.refresh_from_db()
    assert follow_up.done_by == staff and follow_up.done_note == "Ägaren"


def test_an_outside_next_address_is_ignored(client, staff, partner):
    follow_up = DialogueFollowUpFactory(entry__partner=partner, owner=staff)
    log_in(client, staff)
    response = client.post(
        f"/partners/follow-ups/{follow_up.pk}/done/", {"next": "https://evil.example/"}
    )
    assert response.url == follow_up.entry.get_absolute_url()


# The owner's dashboard


def overdue_panel(client):
    return client.get("/").context["overdue_follow_ups"]


def test_an_overdue_follow_up_is_on_its_owners_dashboard_only(
    client, staff, other_staff, manager, partner
):
    overdue = DialogueFollowUpFactory(
        entry__partner=partner, owner=staff, overdue=True, description="Skicka mallen"
    )
    DialogueFollowUpFactory(entry__partner=partner, owner=staff, due_date=days(0))  # due today
    DialogueFollowUpFactory(entry__partner=partner, owner=staff, due_date=days(5))
    done = DialogueFollowUpFactory(entry__partner=partner, owner=staff, overdue=True)
    services.follow_up_complete(follow_up=done, user=staff)

    log_in(client, staff)
    panel = overdue_panel(client)
    assert panel.items == [overdue] and panel.count == 1
    html = client.get("/").content.decode()
    assert "My overdue follow-ups" in html and "Skicka mallen" in html
    listing = client.get(panel.url)
    assert listing.context["page"].paginator.count == panel.count

    for someone_else in (other_staff, manager):
        log_in(client, someone_else)
        assert overdue_panel(client).count == 0
        assert "Skicka mallen" not in client.get("/").content.decode()


def test_my_follow_ups_lists_every_open_one(client, staff, partner):
    DialogueFollowUpFactory(entry__partner=partner, owner=staff, overdue=True)
    DialogueFollowUpFactory(entry__partner=partner, owner=staff, due_date=days(5))
    log_in(client, staff)
    assert client.get("/partners/follow-ups/").context["page"].paginator.count == 2
    assert client.get("/partners/follow-ups/?due=overdue").context["page"].paginator.count == 1


@pytest.mark.parametrize("count", [2, 30])
def test_dashboard_queries_stay_constant_with_overdue_follow_ups(
    client, staff, partner, count, django_assert_max_num_queries
):
    for number in range(count):
        DialogueFollowUpFactory(entry__partner=partner, owner=staff, due_date=days(-1 - number % 5))
    log_in(client, staff)
    # The staff dashboard's six panels (each also checks the "responsible" choice),
    # timeline and page take 25; the follow-ups one or two; the partner reports awaiting
    # review a count and the first rows, and the "responsible" check.
    with django_assert_max_num_queries(30):
        response = client.get("/")
    assert response.context["overdue_follow_ups"].count == count


def test_the_new_entry_form_starts_from_today_and_the_author(staff_client, staff, partner):
    form = staff_client.get(f"/partners/{partner.pk}/dialogue/new/").context["form"]
    assert form["date"].value() == timezone.localdate()
    assert form["our_participants"].value() == [staff.pk]
