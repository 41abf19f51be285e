"""Staff invite a contact to the partner portal; the link sets a password once; staff
resend and revoke."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.roles import PARTNER_USERS_GROUP
from portal.models import PartnerUser, PortalInvitation, hash_token
from tests.conftest import log_in
from tests.factories import PartnerContactFactory, PartnerFactory, UserFactory

GOOD_PASSWORD = "Läsglädje i Ängby 2026!"


@pytest.fixture
def contact(db):
    partner = PartnerFactory(name="Kulturhuset Ängby")
    return PartnerContactFactory(partner=partner, name="Lina Ek", email="Lina.Ek@angby.example")


def invite(client, contact, language="sv"):
    url = reverse("portal_staff:invite", args=[contact.partner_id, contact.pk])
    return client.post(url, {"language": language})


def link_from(message) -> str:
    return re.search(r"https?://\S+/portal/invitation/\S+/", message.body).group(0)


def path_of(link: str) -> str:
    return "/" + link.split("/", 3)[3]


def test_staff_invite_a_contact_and_the_email_is_in_the_contacts_language(staff_client, contact):
    page = staff_client.get(reverse("portal_staff:invite", args=[contact.partner_id, contact.pk]))
    assert page.status_code == 200
    assert 'value="sv" selected' in page.content.decode()  # a Swedish partner

    response = invite(staff_client, contact, "sv")

    assert response.status_code == 302
    assert response.url.endswith(f"/partners/{contact.partner_id}/#portal")
    partner_user = PartnerUser.objects.get()
    assert partner_user.partner == contact.partner and partner_user.contact == contact
    user = partner_user.user
    assert user.username == "lina.ek@angby.example" and user.language == "sv"
    assert not user.has_usable_password()
    assert list(user.groups.values_list("name", flat=True)) == [PARTNER_USERS_GROUP]
    assert not user.is_staff and not user.get_all_permissions()
    [message] = mail.outbox
    assert message.to == ["Lina.Ek@angby.example"]
    assert message.subject == "Din åtkomst till Our organisations partnerportal"
    assert "Välj ditt lösenord med den här länken" in message.body
    assert "Kulturhuset Ängby" in message.body


def test_only_a_hash_of_the_token_is_stored(staff_client, contact):
    invite(staff_client, contact)
    token = link_from(mail.outbox[0]).rstrip("/").rsplit("/", 1)[-1]
    invitation = PortalInvitation.objects.get()
    assert invitation.token_hash == hash_token(token) != token
    assert len(invitation.token_hash) == 64
    assert invitation.expires_at - invitation.created_at == datetime.timedelta(days=7)


def test_the_link_sets_a_password_once_and_opens_the_portal(client, staff, contact):
    log_in(client, staff)
    invite(client, contact)
    link = path_of(link_from(mail.outbox[0]))
    client.logout()

    page = client.get(link)
    assert page.status_code == 200
    assert "lina.ek@angby.example" in page.content.decode()
    response = client.post(link, {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD})

    assert response.status_code == 302 and response.url == reverse("portal:home")
    partner_user = PartnerUser.objects.get()
    assert partner_user.activated_at is not None
    assert partner_user.user.check_password(GOOD_PASSWORD)
    assert client.get(reverse("portal:home")).status_code == 200
    client.logout()
    again = client.get(link)
    assert again.status_code == 404
    assert "The link is not valid" in again.content.decode()


def test_a_weak_password_is_refused_with_the_staff_rules_and_the_link_still_works(
    client, staff, contact
):
    log_in(client, staff)
    invite(client, contact, "en")
    link = path_of(link_from(mail.outbox[0]))
    client.logout()

    response = client.post(link, {"new_password1": "12345678", "new_password2": "12345678"})

    assert response.status_code == 200
    text = response.content.decode()
    assert "This password is too common." in text
    assert "This password is entirely numeric." in text
    invitation = PortalInvitation.objects.get()
    assert invitation.used_at is None
    assert not PartnerUser.objects.get().user.has_usable_password()
    mismatch = client.post(link, {"new_password1": GOOD_PASSWORD, "new_password2": "other"})
    assert "The two password fields didn’t match." in mismatch.content.decode()


def test_an_expired_link_is_refused(client, staff, contact):
    log_in(client, staff)
    invite(client, contact)
    link = path_of(link_from(mail.outbox[0]))
    PortalInvitation.objects.update(
        created_at=timezone.now() - datetime.timedelta(days=8),
        expires_at=timezone.now() - datetime.timedelta(days=1),
    )
    client.logout()
    response = client.post(link, {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD})
    assert response.status_code == 404
    assert not PartnerUser.objects.get().user.has_usable_password()


def test_a_made_up_link_is_refused(client, db):
    assert client.get(reverse("portal:invitation", args=["x" * 43])).status_code == 404


def test_resending_replaces_the_earlier_link(client, staff, contact):
    log_in(client, staff)
    invite(client, contact)
    first = path_of(link_from(mail.outbox[0]))
    partner_user = PartnerUser.objects.get()

    response = client.post(reverse("portal_staff:resend", args=[partner_user.pk]))

    assert response.status_code == 302
    second = path_of(link_from(mail.outbox[1]))
    assert first != second
    client.logout()
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200


def test_a_contact_without_email_cannot_be_invited_and_nothing_is_saved(staff_client, contact):
    contact.email = ""
    contact.save()
    response = invite(staff_client, contact)
    assert response.status_code == 200
    assert "has no email address" in response.content.decode()
    assert not PartnerUser.objects.exists() and not mail.outbox


def test_an_address_that_already_has_a_login_is_refused(staff_client, contact):
    UserFactory(username="lina", email="lina.ek@angby.example")
    response = invite(staff_client, contact)
    assert "There is already a login with the address" in response.content.decode()
    assert not PartnerUser.objects.exists()


def test_the_partner_page_lists_portal_users_and_whom_to_invite(staff_client, contact):
    other = PartnerContactFactory(
        partner=contact.partner, name="Per Berg", email="per@angby.example"
    )
    page = staff_client.get(contact.partner.get_absolute_url()).content.decode()
    assert "Invite Lina Ek" in page and "Invite Per Berg" in page
    invite(staff_client, contact)
    page = staff_client.get(contact.partner.get_absolute_url()).content.decode()
    assert "Invite Lina Ek" not in page and "Invite Per Berg" in page
    assert "Invited" in page and "Resend invitation" in page and other.email in page


def test_revoking_logs_the_partner_user_out_at_once(client, staff, partner_user):
    partner_client = client
    log_in(partner_client, partner_user.user)
    assert partner_client.get(reverse("portal:home")).status_code == 200

    from django.test import Client

    staff_client = log_in(Client(), staff)
    page = staff_client.get(reverse("portal_staff:revoke", args=[partner_user.pk]))
    assert page.status_code == 200
    response = staff_client.post(reverse("portal_staff:revoke", args=[partner_user.pk]))

    assert response.status_code == 302
    after = partner_client.get(reverse("portal:home"))
    assert after.status_code == 302 and after.url.startswith(reverse("login"))
    partner_user.refresh_from_db()
    assert partner_user.revoked_at is not None and partner_user.revoked_by == staff
    assert not partner_user.user.is_active
    assert not partner_user.user.has_usable_password()
    page = staff_client.get(partner_user.partner.get_absolute_url()).content.decode()
    assert "Access revoked" in page


def test_a_revoked_contact_can_be_invited_again(staff_client, staff, partner_user):
    from portal.services.invitations import partner_user_revoke

    partner_user_revoke(partner_user=partner_user, revoked_by=staff)
    response = invite(staff_client, partner_user.contact, "en")
    assert response.status_code == 302
    partner_user.refresh_from_db()
    assert partner_user.revoked_at is None and partner_user.activated_at is None
    assert partner_user.user.is_active
    assert PartnerUser.objects.count() == 1


def test_partner_users_group_holds_no_permission(db):
    assert not Group.objects.get(name=PARTNER_USERS_GROUP).permissions.exists()


def test_history_records_who_invited_and_who_revoked(staff, partner_user):
    from portal.services.invitations import partner_user_revoke

    partner_user_revoke(partner_user=partner_user, revoked_by=staff)
    latest = partner_user.history.latest()
    assert latest.history_user == staff and latest.revoked_at is not None
