import pytest
from django.contrib.auth.models import Group

from partnerships.models import FocusArea
from tests.factories import PartnerContactFactory, PartnerFactory, UserFactory

URL = "/partners/"


def names(response):
    return [partner.name for partner in response.context["page"].object_list]


def test_staff_sees_the_partner_list(staff_client):
    PartnerFactory(name="Föreningen Läslust")
    response = staff_client.get(URL)
    assert response.status_code == 200
    assert "Föreningen Läslust" in response.content.decode()


def test_manager_sees_the_partner_list(manager_client):
    PartnerFactory(name="Kulturhuset Ängby")
    assert "Kulturhuset Ängby" in manager_client.get(URL).content.decode()


def test_empty_register_shows_an_empty_state(staff_client):
    assert "No partners match these filters." in staff_client.get(URL).content.decode()


def test_partner_names_are_escaped(staff_client):
    PartnerFactory(name="<script>alert(1)</script>")
    html = staff_client.get(URL).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_archived_partners_are_hidden_unless_asked_for(staff_client):
    PartnerFactory(name="Current")
    PartnerFactory(name="Old", archived=True)
    assert names(staff_client.get(URL)) == ["Current"]
    assert names(staff_client.get(URL, {"archived": "archived"})) == ["Old"]
    assert names(staff_client.get(URL, {"archived": "all"})) == ["Current", "Old"]


def test_search_covers_name_number_contact_name_and_email(staff_client):
    by_name = PartnerFactory(name="Stiftelsen Öppna Dörrar")
    by_number = PartnerFactory(organisation_number="802512-7788")
    by_contact = PartnerFactory()
    PartnerContactFactory(partner=by_contact, name="Lucía Mamani", email="lucia@andino.example")
    PartnerFactory(name="Unrelated")
    assert names(staff_client.get(URL, {"q": "öppna"})) == [by_name.name]
    assert names(staff_client.get(URL, {"q": "802512"})) == [by_number.name]
    assert names(staff_client.get(URL, {"q": "Mamani"})) == [by_contact.name]
    assert names(staff_client.get(URL, {"q": "lucia@andino"})) == [by_contact.name]


@pytest.mark.parametrize("query", ["åsa", "ÅSA", "Åsa", "a\u030asa", " åSa "])
def test_search_folds_the_case_of_swedish_letters(staff_client, query):
    # "a\u030a" is å written as a and a combining ring, as some systems send it.
    by_name = PartnerFactory(name="Åsa Öbergs Kulturförening")
    by_contact = PartnerFactory(name="Läsfrämjandet")
    PartnerContactFactory(partner=by_contact, name="ÅSA LÖV", email="")
    PartnerFactory(name="Asa Ekonomi")  # a is not å
    found = set(names(staff_client.get(URL, {"q": query})))
    assert found == {by_name.name, by_contact.name}


def test_filters_by_country_kind_risk_focus_and_responsible(staff_client, other_staff):
    education = FocusArea.objects.get(code="education")
    target = PartnerFactory(
        name="Target", country="KE", kind="foundation", risk_level="high", responsible=other_staff
    )
    target.focus_areas.add(education)
    PartnerFactory(name="Swedish", country="SE", kind="foundation", risk_level="high")
    PartnerFactory(name="Company", country="KE", kind="company", risk_level="low")
    assert names(staff_client.get(URL, {"country": "KE"})) == ["Company", "Target"]
    assert names(staff_client.get(URL, {"kind": "foundation"})) == ["Swedish", "Target"]
    assert names(staff_client.get(URL, {"risk_level": "high"})) == ["Swedish", "Target"]
    assert names(staff_client.get(URL, {"focus_area": education.pk})) == ["Target"]
    assert names(staff_client.get(URL, {"responsible": other_staff.pk})) == ["Target"]
    combined = {"country": "KE", "kind": "foundation", "risk_level": "high"}
    assert names(staff_client.get(URL, combined)) == ["Target"]


def test_due_diligence_filter(staff_client):
    PartnerFactory(name="Checked", due_diligence_done=True)
    PartnerFactory(name="Unchecked")
    assert names(staff_client.get(URL, {"due_diligence": "incomplete"})) == ["Unchecked"]
    assert names(staff_client.get(URL, {"due_diligence": "complete"})) == ["Checked"]


def test_an_invalid_filter_value_shows_an_error_not_a_crash(staff_client):
    response = staff_client.get(URL, {"kind": "spaceship"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_sorting_by_name_and_by_last_update(staff_client):
    first = PartnerFactory(name="Alfa")
    PartnerFactory(name="Beta")
    first.description = "changed"
    first.save()
    assert names(staff_client.get(URL)) == ["Alfa", "Beta"]
    assert names(staff_client.get(URL, {"ordering": "-name"})) == ["Beta", "Alfa"]
    assert names(staff_client.get(URL, {"ordering": "-updated"})) == ["Alfa", "Beta"]


def test_pagination_keeps_the_filters(staff_client):
    for number in range(30):
        PartnerFactory(name=f"Skola {number:02}", kind="association")
    PartnerFactory(name="Not a school", kind="company")
    response = staff_client.get(URL, {"kind": "association"})
    html = response.content.decode()
    assert len(names(response)) == 25
    assert "?kind=association&amp;archived=active&amp;ordering=name&amp;page=2" in html or (
        "kind=association" in html and "page=2" in html
    )
    second = staff_client.get(URL, {"kind": "association", "page": 2})
    assert names(second) == [f"Skola {n:02}" for n in range(25, 30)]


def test_a_page_number_past_the_end_shows_the_last_page(staff_client):
    PartnerFactory(name="Only")
    assert names(staff_client.get(URL, {"page": 99})) == ["Only"]
    assert names(staff_client.get(URL, {"page": "abc"})) == ["Only"]


def _make_partners(count):
    staff_group = Group.objects.get(name="Staff")
    responsibles = [UserFactory() for _ in range(3)]
    for user in responsibles:
        user.groups.add(staff_group)
    areas = list(FocusArea.objects.all())
    for number in range(count):
        partner = PartnerFactory(
            name=f"P{number:04}",
            responsible=responsibles[number % 3],
            country=["SE", "KE"][number % 2],
        )
        partner.focus_areas.add(areas[number % len(areas)])


@pytest.mark.parametrize("count", [5, 500])
def test_query_count_does_not_grow_with_the_register(
    staff_client, django_assert_max_num_queries, count
):
    _make_partners(count)
    # session, user, groups(perm), page count, page rows, focus areas prefetch,
    # filter choices (countries, focus areas, responsible), role badge groups.
    with django_assert_max_num_queries(11):
        response = staff_client.get(URL, {"q": "P0", "due_diligence": "incomplete"})
    assert response.status_code == 200
    assert len(names(response)) == min(count, 25)
