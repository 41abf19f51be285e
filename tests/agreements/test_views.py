"""Agreement pages, used as a person would: through their URLs."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.utils import timezone

from agreements import services
from agreements.models import Agreement, AgreementEvent, Status
from tests.agreements.amending import save
from tests.factories import (
    AgreementFactory,
    EvaluationFactory,
    GoalFactory,
    PartnerFactory,
    UserFactory,
)

TODAY = timezone.localdate


def agreement_data(partner, responsible, **overrides):
    start = TODAY() + datetime.timedelta(days=10)
    data = {
        "partner": partner.pk,
        "title": "Läslust 2027–2028",
        "agreement_type": "long_term",
        "description": "Läsfrämjande i Malmö.",
        "responsible": responsible.pk,
        "start_date": start.isoformat(),
        "end_date": (start + datetime.timedelta(days=729)).isoformat(),
        "economic_amount": "120000",
        "currency": "SEK",
        "payment_terms": "Halva beloppet vid start, resten efter årsrapport.",
        "marketing_contributions": "Vår logotyp i programbladet.",
        "conduct": "Parterna följer uppförandekoden.",
        "exchange": "Vi får synlighet; föreningen får finansiering.",
        "termination_terms": "Omedelbart vid brott mot riktlinjerna.",
        "goals-TOTAL_FORMS": "2",
        "goals-INITIAL_FORMS": "0",
        "goals-MIN_NUM_FORMS": "0",
        "goals-MAX_NUM_FORMS": "1000",
        "goals-0-description": "Fler barn läser",
        "goals-0-kind": "quantitative",
        "goals-0-indicator": "Deltagare i bokcirklar",
        "goals-0-baseline": "40",
        "goals-0-target_value": "120",
        "goals-0-unit": "barn",
        "goals-1-description": "Starkare läsmiljö",
        "goals-1-kind": "qualitative",
        "goals-1-expected_outcome": "Skolorna upplever en starkare läskultur.",
        "goals-1-assessment_method": "Intervjuer med lärare vid årsuppföljningen.",
        "obligations-TOTAL_FORMS": "4",
        "obligations-INITIAL_FORMS": "0",
        "obligations-MIN_NUM_FORMS": "0",
        "obligations-MAX_NUM_FORMS": "1000",
        "obligations-0-side": "ours",
        "obligations-0-category": "economic",
        "obligations-0-description": "Betala bidraget enligt betalningsvillkoren.",
        "obligations-1-side": "ours",
        "obligations-2-side": "partner",
        "obligations-2-category": "reporting",
        "obligations-2-description": "Årsrapport om resultat och resursanvändning.",
        "obligations-2-due_date": (start + datetime.timedelta(days=365)).isoformat(),
        "obligations-3-side": "partner",
    }
    data.update(overrides)
    return data


def test_staff_drafts_an_agreement_with_two_goals_and_obligations_on_both_sides(
    staff_client, staff
):
    partner = PartnerFactory()
    response = staff_client.post("/agreements/new/", agreement_data(partner, staff), follow=True)
    agreement = Agreement.objects.get()
    assert response.redirect_chain[-1][0] == f"/agreements/{agreement.pk}/"
    year = TODAY().year
    assert agreement.reference == f"AGR-{year}-0001"
    assert f"Draft AGR-{year}-0001 saved." in response.content.decode()
    assert agreement.status == Status.DRAFT and agreement.created_by == staff
    assert agreement.goals.count() == 2
    assert sorted(agreement.obligations.values_list("side", flat=True)) == ["ours", "partner"]
    assert AgreementEvent.objects.get(agreement=agreement).to_status == Status.DRAFT


def test_new_agreement_from_a_partner_page_has_the_partner_chosen(staff_client):
    partner = PartnerFactory(name="Kulturhuset Ängby")
    page = staff_client.get(f"/partners/{partner.pk}/")
    assert f"/agreements/new/?partner={partner.pk}" in page.content.decode()
    form = staff_client.get(f"/agreements/new/?partner={partner.pk}").context["form"]
    assert form["partner"].value() == partner.pk


def test_bad_input_is_named_next_to_its_field_and_nothing_is_saved(staff_client, staff):
    partner = PartnerFactory()
    start = TODAY().isoformat()
    data = agreement_data(
        partner,
        staff,
        end_date=start,
        start_date=start,
        economic_amount="-5",
        **{"goals-0-target_value": "", "goals-1-assessment_method": ""},
    )
    response = staff_client.post("/agreements/new/", data)
    html = response.content.decode()
    assert "The end date must be after the start date." in html
    assert (
        "Ensure this value is greater than or equal to 0." in html or "cannot be negative" in html
    )
    assert "Give the target value." in html
    assert "Say how the outcome will be judged." in html
    assert "Nothing was saved" in html
    assert not Agreement.objects.exists()


def test_end_date_is_required(staff_client, staff):
    response = staff_client.post(
        "/agreements/new/", agreement_data(PartnerFactory(), staff, end_date="")
    )
    assert "Every agreement has a fixed end date." in response.content.decode()
    assert not Agreement.objects.exists()


def test_the_form_has_no_automatic_renewal_option(staff_client):
    html = staff_client.get("/agreements/new/").content.decode().lower()
    assert "auto-renew" not in html and "renew automatically" not in html
    assert "never extended automatically" in html


def test_the_draft_form_has_no_signed_copy_signing_follows_approval(staff_client):
    html = staff_client.get("/agreements/new/").content.decode()
    assert 'name="signed_document"' not in html


def test_submitting_too_early_lists_what_is_missing(staff_client, staff):
    agreement = AgreementFactory(created_by=staff, conduct="")
    page = staff_client.get(f"/agreements/{agreement.pk}/submit/")
    html = page.content.decode()
    assert "Add at least one measurable goal." in html
    assert "Describe the conduct" in html
    response = staff_client.post(f"/agreements/{agreement.pk}/submit/")
    assert "The agreement is not complete" in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.status == Status.DRAFT


def test_full_journey_submit_approve_lock_renew(client, staff, other_staff, manager):
    partner = PartnerFactory()
    client.force_login(staff)
    client.post("/agreements/new/", agreement_data(partner, staff))
    agreement = Agreement.objects.get()
    confirm = client.get(f"/agreements/{agreement.pk}/submit/")
    assert "Submit for approval" in confirm.content.decode()
    response = client.post(f"/agreements/{agreement.pk}/submit/", follow=True)
    assert "is submitted" in response.content.decode()

    client.force_login(other_staff)
    assert client.post(f"/agreements/{agreement.pk}/approve/").status_code == 403

    client.force_login(manager)
    listing = client.get("/agreements/", {"awaiting_my_approval": "on"})
    assert agreement.reference in listing.content.decode()
    response = client.post(f"/agreements/{agreement.pk}/approve/", follow=True)
    assert "is approved" in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.status == Status.APPROVED
    assert agreement.phase() == "upcoming"
    assert "Upcoming" in response.content.decode()

    client.force_login(staff)
    assert client.get(f"/agreements/{agreement.pk}/edit/").status_code == 403
    data = agreement_data(
        partner, staff, end_date=(agreement.end_date + datetime.timedelta(days=90)).isoformat()
    )
    # A form opened before the approval comes back with its input and the reason.
    response = client.post(f"/agreements/{agreement.pk}/edit/", data)
    assert response.status_code == 200
    assert "The terms are locked: the agreement is approved." in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.end_date == datetime.date.fromisoformat(
        agreement_data(partner, staff)["end_date"]
    )

    response = client.post(f"/agreements/{agreement.pk}/renew/", follow=True)
    renewal = Agreement.objects.get(follows=agreement)
    assert response.redirect_chain[-1][0] == f"/agreements/{renewal.pk}/edit/"
    assert renewal.status == Status.DRAFT
    detail = client.get(f"/agreements/{agreement.pk}/").content.decode()
    assert renewal.reference in detail
    history = [e.to_status for e in agreement.events.all()]
    assert history == ["draft", "pending", "approved"]


def test_manager_returns_with_a_comment_and_the_author_edits_again(client, staff, manager):
    agreement = AgreementFactory(pending=True, created_by=staff)
    client.force_login(manager)
    response = client.post(f"/agreements/{agreement.pk}/return/", {"comment": ""})
    assert "Write a comment that tells the author what to change." in response.content.decode()
    client.post(f"/agreements/{agreement.pk}/return/", {"comment": "Lägg till en mätbar enhet."})
    agreement.refresh_from_db()
    assert agreement.status == Status.RETURNED
    client.force_login(staff)
    page = client.get(f"/agreements/{agreement.pk}/")
    assert "Lägg till en mätbar enhet." in page.content.decode()
    assert client.get(f"/agreements/{agreement.pk}/edit/").status_code == 200


def test_manager_terminates_with_immediate_effect_and_it_leaves_active_lists(client, manager):
    agreement = AgreementFactory(approved=True)
    client.force_login(manager)
    assert agreement.reference in client.get("/agreements/", {"state": "active"}).content.decode()
    form = client.get(f"/agreements/{agreement.pk}/terminate/").context["form"]
    assert form["terminated_on"].value() == TODAY()
    response = client.post(
        f"/agreements/{agreement.pk}/terminate/",
        {
            "terminated_on": TODAY().isoformat(),
            "termination_cause": "code_of_conduct",
            "comment": "Brott mot koden.",
        },
        follow=True,
    )
    assert "is terminated" in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.status == Status.TERMINATED
    assert (
        agreement.reference not in client.get("/agreements/", {"state": "active"}).content.decode()
    )
    assert (
        agreement.reference in client.get("/agreements/", {"state": "terminated"}).content.decode()
    )


def test_a_future_termination_date_is_refused_on_the_form(client, manager):
    agreement = AgreementFactory(approved=True)
    client.force_login(manager)
    tomorrow = (TODAY() + datetime.timedelta(days=1)).isoformat()
    response = client.post(
        f"/agreements/{agreement.pk}/terminate/",
        {"terminated_on": tomorrow, "termination_cause": "other", "comment": "x"},
    )
    assert "cannot be in the future" in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.status == Status.APPROVED


def test_actions_are_post_only_after_a_confirmation_page(manager_client):
    agreement = AgreementFactory(pending=True)
    page = manager_client.get(f"/agreements/{agreement.pk}/approve/")
    assert page.status_code == 200
    agreement.refresh_from_db()
    assert agreement.status == Status.PENDING
    assert manager_client.get(f"/agreements/{agreement.pk}/explode/").status_code == 404


def test_second_approval_after_the_first_shows_a_clear_message(client, manager):
    agreement = AgreementFactory(pending=True)
    other_manager = UserFactory(manager=True)
    client.force_login(manager)
    client.post(f"/agreements/{agreement.pk}/approve/")
    client.force_login(other_manager)
    response = client.post(f"/agreements/{agreement.pk}/approve/", follow=True)
    assert "not possible now" in response.content.decode()
    assert AgreementEvent.objects.filter(agreement=agreement, to_status="approved").count() == 1


@pytest.mark.parametrize("who", ["anonymous", "no_role"])
def test_outsiders_see_no_agreements(client, no_role_user, who):
    agreement = AgreementFactory(title="Hemligt avtal")
    if who == "no_role":
        client.force_login(no_role_user)
    for url in ("/agreements/", f"/agreements/{agreement.pk}/", "/agreements/export.csv"):
        response = client.get(url)
        assert response.status_code in (302, 403)
        assert "Hemligt avtal" not in response.content.decode()


def test_list_filters(staff_client, other_staff):
    today = TODAY()
    ending = AgreementFactory(
        approved=True,
        title="Ending soon",
        start_date=today - datetime.timedelta(days=300),
        end_date=today + datetime.timedelta(days=20),
    )
    later = AgreementFactory(
        approved=True,
        title="Ends later",
        responsible=other_staff,
        start_date=today - datetime.timedelta(days=10),
        end_date=today + datetime.timedelta(days=400),
    )
    draft = AgreementFactory(title="A draft", agreement_type="strategic")

    def titles(params):
        return sorted(
            a.title for a in staff_client.get("/agreements/", params).context["page"].object_list
        )

    assert titles({"ends_within": 30}) == ["Ending soon"]
    assert titles({"state": "draft"}) == ["A draft"]
    assert titles({"state": "approved"}) == ["Ending soon", "Ends later"]
    assert titles({"agreement_type": "strategic"}) == ["A draft"]
    assert titles({"responsible": other_staff.pk}) == ["Ends later"]
    assert titles({"partner": ending.partner.pk}) == ["Ending soon"]
    assert titles({"q": later.reference}) == ["Ends later"]
    assert titles({"q": draft.partner.name}) == ["A draft"]
    after = (today + datetime.timedelta(days=100)).isoformat()
    assert titles({"end_date_after": after}) == ["A draft", "Ends later"]
    assert titles({"start_date_before": (today - datetime.timedelta(days=100)).isoformat()}) == [
        "Ending soon"
    ]


def test_awaiting_my_approval_hides_my_own_drafts(client, manager):
    mine = AgreementFactory(pending=True, created_by=manager, title="Mine")
    AgreementFactory(pending=True, title="Theirs")
    client.force_login(manager)
    listing = client.get("/agreements/", {"awaiting_my_approval": "on"})
    assert [a.title for a in listing.context["page"].object_list] == ["Theirs"]
    assert mine.reference not in listing.content.decode()


def test_csv_export_contains_exactly_the_filtered_list(staff_client):
    AgreementFactory(approved=True, title='Läslust, "special" edition')
    AgreementFactory(title="Draft only")
    response = staff_client.get("/agreements/export.csv", {"state": "active"})
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:3] == ["Reference", "Title", "Partner"]
    assert len(rows) == 2
    assert rows[1][1] == 'Läslust, "special" edition'
    assert rows[1][5] == "Active"


@pytest.mark.parametrize("count", [3, 60])
def test_list_query_count_is_constant(staff_client, django_assert_max_num_queries, count):
    for _ in range(count):
        AgreementFactory(approved=True)
    with django_assert_max_num_queries(10):
        response = staff_client.get("/agreements/", {"state": "active"})
    assert len(response.context["page"].object_list) == min(count, 25)


@pytest.mark.parametrize("years, amendments", [(1, 0), (6, 3)])
def test_detail_query_count_is_constant(
    staff_client, staff, django_assert_max_num_queries, years, amendments
):
    start = TODAY() - datetime.timedelta(days=365 * years)
    agreement = AgreementFactory(
        approved=True, start_date=start, end_date=start + datetime.timedelta(days=365 * years + 100)
    )
    for _ in range(3):
        GoalFactory(agreement=agreement)
    for period in agreement.evaluation_periods.all():
        EvaluationFactory(period=period, completed=True)
    AgreementFactory(follows=agreement, partner=agreement.partner)
    for number in range(amendments):
        amendment = save(
            agreement,
            staff,
            types=["economic_contribution", "goals"],
            economic_amount=str(60000 + number),
            effective_date=(TODAY() + datetime.timedelta(days=number + 1)).isoformat(),
            reason="Ändrad budget.",
            **{"goals-0-target_value": str(200 + number)},
        )
        services.amendment_transition(amendment=amendment, action="submit", user=staff)
        services.amendment_transition(
            amendment=amendment, action="approve", user=UserFactory(manager=True)
        )
    # The agreement and what it holds (goals, obligations, amendments and what they
    # change, terms versions, events), evaluations, reminders, history, the session; and
    # three for the partner portal's cards: the partner's reports on the periods, whether
    # anyone there uses the portal, and obligations the partner reports fulfilled.
    with django_assert_max_num_queries(24):
        response = staff_client.get(f"/agreements/{agreement.pk}/")
    assert response.status_code == 200
    assert len(response.context["evaluation_periods"]) == years + 1


def test_partner_page_lists_its_agreements_with_their_phase(staff_client):
    agreement = AgreementFactory(approved=True, title="Kulturskola")
    html = staff_client.get(f"/partners/{agreement.partner.pk}/").content.decode()
    assert agreement.reference in html and "Active" in html


def test_staff_edits_a_draft_and_removes_a_goal(staff_client, staff):
    staff_client.post("/agreements/new/", agreement_data(PartnerFactory(), staff))
    agreement = Agreement.objects.get()
    page = staff_client.get(f"/agreements/{agreement.pk}/edit/")
    assert page.status_code == 200
    goals = list(agreement.goals.all())
    obligations = list(agreement.obligations.all())
    data = agreement_data(agreement.partner, staff, title="Nytt namn")
    data.update(
        {
            "goals-TOTAL_FORMS": "3",
            "goals-INITIAL_FORMS": "2",
            "goals-0-id": goals[0].pk,
            "goals-1-id": goals[1].pk,
            "goals-1-DELETE": "on",
            "goals-2-description": "",
            "goals-2-kind": "",
            "obligations-TOTAL_FORMS": "4",
            "obligations-INITIAL_FORMS": "2",
            "obligations-0-id": obligations[0].pk,
            "obligations-0-side": obligations[0].side,
            "obligations-0-category": obligations[0].category,
            "obligations-0-description": obligations[0].description,
            "obligations-1-id": obligations[1].pk,
            "obligations-1-side": obligations[1].side,
            "obligations-1-category": obligations[1].category,
            "obligations-1-description": obligations[1].description,
            "obligations-2-side": "ours",
            "obligations-2-category": "",
            "obligations-2-description": "",
            "obligations-2-due_date": "",
            "obligations-3-side": "partner",
            "obligations-3-category": "",
            "obligations-3-description": "",
        }
    )
    response = staff_client.post(f"/agreements/{agreement.pk}/edit/", data, follow=True)
    assert "Changes to" in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.title == "Nytt namn"
    assert list(agreement.goals.all()) == [goals[0]]
    assert agreement.obligations.count() == 2


def test_locked_agreement_cannot_be_changed_by_the_service_either(db, staff, manager):
    from agreements import services
    from agreements.forms import AgreementForm, GoalFormSet, ObligationFormSet
    from core.versioning import EditRefused

    agreement = AgreementFactory(created_by=staff, complete=True)
    data = agreement_data(
        agreement.partner, staff, **{"goals-TOTAL_FORMS": "0", "obligations-TOTAL_FORMS": "0"}
    )
    form = AgreementForm(data, instance=agreement)
    goals = GoalFormSet(data, instance=agreement, prefix="goals")
    obligations = ObligationFormSet(data, instance=agreement, prefix="obligations")
    assert form.is_valid() and goals.is_valid() and obligations.is_valid()
    # A manager approves while the form is open.
    Agreement.objects.filter(pk=agreement.pk).update(
        status=Status.APPROVED, approved_by=manager, approved_at=timezone.now()
    )
    with pytest.raises(EditRefused, match="terms are locked"):
        services.agreement_update(
            form=form, goal_formset=goals, obligation_formset=obligations, user=staff
        )
    agreement.refresh_from_db()
    assert agreement.title != "Läslust 2027–2028"


def test_csv_neutralises_spreadsheet_formulas(staff_client):
    AgreementFactory(approved=True, title='=HYPERLINK("http://evil.example","click")')
    AgreementFactory(approved=True, title="@SUM(A1:A9)")
    body = b"".join(staff_client.get("/agreements/export.csv").streaming_content)
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    titles = sorted(row[1] for row in rows[1:])
    assert titles == ['\'=HYPERLINK("http://evil.example","click")', "'@SUM(A1:A9)"]


def test_agreements_starting_the_same_day_keep_their_place_across_pages(staff_client, settings):
    settings.PAGE_SIZE = 5
    same_day = datetime.date(2026, 1, 1)
    created = {AgreementFactory(start_date=same_day).reference for _ in range(12)}
    seen = []
    for page in (1, 2, 3):
        response = staff_client.get("/agreements/", {"page": page})
        seen += [agreement.reference for agreement in response.context["page"].object_list]
    assert sorted(seen) == sorted(created)  # each once: none twice, none missing
    # The database may return ties in any order; the primary key decides them.
    ordering = response.context["filter"].qs.query.order_by
    assert tuple(ordering) == ("-start_date", "-pk")


def test_renewing_again_lands_on_the_draft_that_follows_with_a_message(staff_client, staff):
    old = AgreementFactory(approved=True, created_by=staff)
    first = staff_client.post(f"/agreements/{old.pk}/renew/")
    renewal = Agreement.objects.get(follows=old)
    assert first.url == f"/agreements/{renewal.pk}/edit/"

    # The button pressed again later (or the renew page opened in another tab).
    for again in (staff_client.post, staff_client.get):
        response = again(f"/agreements/{old.pk}/renew/", follow=True)
        assert response.redirect_chain[-1][0] == f"/agreements/{renewal.pk}/edit/"
        assert f"{renewal.reference} already follows this agreement." in response.content.decode()
    assert Agreement.objects.filter(follows=old).count() == 1


def test_after_its_follower_is_terminated_an_agreement_can_be_renewed_again(staff_client, staff):
    old = AgreementFactory(approved=True, created_by=staff)
    AgreementFactory(terminated=True, follows=old, partner=old.partner)
    staff_client.post(f"/agreements/{old.pk}/renew/")
    assert old.followed_by.exclude(status=Status.TERMINATED).count() == 1


def test_goal_values_are_written_as_the_language_writes_numbers(staff_client, staff):
    agreement = AgreementFactory(created_by=staff)
    GoalFactory(
        agreement=agreement, baseline=Decimal("40.00"), target_value=Decimal("1234.50"), unit="barn"
    )
    html = staff_client.get(f"/agreements/{agreement.pk}/").content.decode()
    assert "from 40 to 1,234.5 barn" in html
    staff.language = "sv"
    staff.save()
    html = staff_client.get(f"/agreements/{agreement.pk}/").content.decode()
    assert "1\xa0234,5 barn" in html and "40,00" not in html
    form = staff_client.get(f"/agreements/{agreement.pk}/edit/").content.decode()
    assert 'value="40"' in form and 'value="1234.5"' in form
