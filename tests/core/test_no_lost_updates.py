"""Two people editing the same record: the second save is refused, nothing overwritten."""

from agreements.models import Agreement
from partnerships.models import Partner
from tests.agreements.test_views import agreement_data
from tests.factories import AgreementFactory, PartnerFactory
from tests.partnerships.test_partner_form import partner_data


def test_second_save_of_a_partner_is_refused_and_keeps_the_input(staff_client, staff):
    partner = PartnerFactory(name="Original", responsible=staff)
    opened = partner.version
    data = partner_data(
        staff,
        name="First edit",
        organisation_number="",
        edit_version=opened,
        **{"contacts-TOTAL_FORMS": "0"},
    )
    assert staff_client.post(f"/partners/{partner.pk}/edit/", data).status_code == 302

    # A colleague opened the form at the same time and saves after the first edit.
    late = partner_data(
        staff,
        name="Second edit",
        organisation_number="",
        edit_version=opened,
        **{"contacts-TOTAL_FORMS": "0"},
    )
    response = staff_client.post(f"/partners/{partner.pk}/edit/", late)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved changes here after you opened the form." in html
    assert 'value="Second edit"' in html  # their input is kept
    partner.refresh_from_db()
    assert partner.name == "First edit" and partner.version == opened + 1

    # Saving again from the conflict page is a conscious overwrite and goes through.
    retry = dict(late, edit_version=response.context["form"].data["edit_version"])
    assert staff_client.post(f"/partners/{partner.pk}/edit/", retry).status_code == 302
    assert Partner.objects.get().name == "Second edit"


def test_second_save_of_an_agreement_is_refused(staff_client, staff):
    agreement = AgreementFactory(created_by=staff, title="Original")
    empty_children = {"goals-TOTAL_FORMS": "0", "obligations-TOTAL_FORMS": "0"}
    first = agreement_data(
        agreement.partner, staff, title="First", edit_version=1, **empty_children
    )
    assert staff_client.post(f"/agreements/{agreement.pk}/edit/", first).status_code == 302
    second = agreement_data(
        agreement.partner, staff, title="Second", edit_version=1, **empty_children
    )
    response = staff_client.post(f"/agreements/{agreement.pk}/edit/", second)
    assert "Someone else saved changes here" in response.content.decode()
    assert Agreement.objects.get().title == "First"
