"""Every path that writes a partner or a contact keeps the stored search text right, so
the partner search finds what was written whichever way it came in."""

import pytest
from django.core.management import call_command

from partnerships.models import Partner, PartnerContact
from tests.factories import PartnerContactFactory, PartnerFactory, UserFactory
from tests.partnerships.test_import import confirm, csv_upload, preview, xlsx_upload


def found(client, query) -> str:
    return client.get("/partners/", {"q": query}).content.decode()


def rows():
    return [
        ["Föreningen Läslust Malmö", "802456-1234", "association", "SE", "info@laslust.example",
         "Sara Nyström", "sara@laslust.example"],
        ["Kulturhuset Ängby", "", "foundation", "NO", "", "", ""],
    ]  # fmt: skip


@pytest.mark.parametrize("upload", [csv_upload, xlsx_upload], ids=["csv", "xlsx"])
def test_imported_partners_and_contacts_are_found_by_the_search(staff_client, upload):
    page, url = preview(staff_client, upload(rows()))
    confirm(staff_client, page, url)
    assert "Kulturhuset Ängby" in found(staff_client, "ängby")
    assert "Föreningen Läslust Malmö" in found(staff_client, "802456-1234")
    assert "Föreningen Läslust Malmö" in found(staff_client, "NYSTRÖM")  # the contact


def test_partners_registered_on_the_page_are_found(staff_client, staff):
    response = staff_client.post(
        "/partners/new/",
        {
            "name": "Stiftelsen Öppna Dörrar",
            "kind": "foundation",
            "country": "SE",
            "responsible": staff.pk,
            "contacts-TOTAL_FORMS": "1",
            "contacts-INITIAL_FORMS": "0",
            "contacts-0-name": "Åsa Berg",
            "contacts-0-email": "asa@example.org",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert "Stiftelsen Öppna Dörrar" in found(staff_client, "öppna")
    assert "Stiftelsen Öppna Dörrar" in found(staff_client, "åsa berg")


def test_partners_changed_in_the_admin_are_found(client, staff_client, db):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    partner = PartnerFactory(name="Gamla Namnet")
    contact = PartnerContactFactory(partner=partner, name="Erik Ek", email="erik@example.org")
    Partner.objects.filter(pk=partner.pk)  # the admin saves through the model form
    admin_page = client.get(f"/admin/partnerships/partnercontact/{contact.pk}/change/")
    form = admin_page.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(name="Karin Lind")
    assert (
        client.post(f"/admin/partnerships/partnercontact/{contact.pk}/change/", data).status_code
        == 302
    )
    assert "Gamla Namnet" in found(staff_client, "karin lind")
    assert "Gamla Namnet" not in found(staff_client, "erik ek")


def test_demo_partners_are_found(staff_client, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert "Kulturhuset Ängby" in found(staff_client, "ÄNGBY")


def test_bulk_writes_keep_the_keys_and_a_blind_update_is_refused(db):
    responsible = UserFactory()
    [partner] = Partner.objects.bulk_create(
        [
            Partner(
                name="Bulk Förening",
                kind="association",
                responsible=responsible,
                created_by=responsible,
            )
        ]
    )
    partner = Partner.objects.get(pk=partner.pk)
    assert (partner.name_key, partner.search_text.split("\n")[0]) == (
        "bulk förening",
        "bulk förening",
    )
    partner.name = "Bulk Föreningen Ny"
    Partner.objects.bulk_update([partner], ["name"])
    assert Partner.objects.search("föreningen ny").get() == partner
    with pytest.raises(TypeError):
        Partner.objects.filter(pk=partner.pk).update(name="Blind")
    contact = PartnerContact.objects.bulk_create(
        [PartnerContact(partner=partner, name="Önskad Kontakt")]
    )[0]
    assert PartnerContact.objects.get(pk=contact.pk).search_text == "önskad kontakt\n"
