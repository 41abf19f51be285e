"""Partner users: invited from a contact by staff, set their password through a one-time
link, and lose access at once when revoked."""

import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.roles import PARTNER_USERS_GROUP
from core.errors import Refused
from core.links import absolute_url
from core.permissions import require
from portal import permissions
from portal.models import PartnerUser, PortalInvitation, hash_token

logger = logging.getLogger(__name__)


class InvitationRefused(Refused):
    """An invitation cannot be sent or used now; the message says why."""


@dataclass
class InvitationSent:
    partner_user: PartnerUser
    email_sent: bool
    # The link's secret, as the email carries it (only its hash is stored).
    token: str


def partner_user_invite(
    *, contact, language: str, invited_by, username: str = "", send_email: bool = True
) -> InvitationSent:
    """Give a contact person a login for the partner's portal and email them the link.

    The login has no usable password until the link is used. The email goes out after
    the rows are saved; if it cannot be sent, the invitation can be resent. The demo
    data passes send_email=False: its users set their password at once.
    """
    require(permissions.can_invite_partner_users(invited_by, contact.partner))
    with transaction.atomic():
        partner_user, token = _create_partner_user(
            contact=contact, language=language, invited_by=invited_by, username=username
        )
    sent = _send_invitation(partner_user, token) if send_email else False
    return InvitationSent(partner_user, sent, token)


def _create_partner_user(*, contact, language, invited_by, username):
    email = contact.email.strip()
    if not email:
        raise InvitationRefused(
            _("%(name)s has no email address. Add one to the contact first.")
            % {"name": contact.name}
        )
    if PartnerUser.objects.with_access().filter(contact=contact).exists():
        raise InvitationRefused(
            _("%(name)s already has access to the portal.") % {"name": contact.name}
        )
    earlier = (
        PartnerUser.objects.filter(contact=contact, user__email__iexact=email)
        .select_related("user")
        .first()
    )
    if earlier is not None:
        return earlier, _reinstate(earlier, language=language, invited_by=invited_by)
    User = get_user_model()
    username = (username or email).strip().lower()
    if User.objects.filter(username__iexact=username).exists() or (
        User.objects.filter(email__iexact=email).exists()
    ):
        raise InvitationRefused(
            _(
                "There is already a login with the address %(email)s. A partner user belongs "
                "to one partner organisation only."
            )
            % {"email": email}
        )
    first_name, _space, last_name = contact.name.strip().partition(" ")
    user = User(
        username=username,
        email=email,
        first_name=first_name[:150],
        last_name=last_name[:150],
        language=language,
    )
    user.set_unusable_password()
    try:
        user.full_clean(exclude=["password"])
        user.save()
    except (ValidationError, IntegrityError):
        raise InvitationRefused(
            _("A login for %(email)s could not be made: the user name is taken or not valid.")
            % {"email": email}
        ) from None
    user.groups.add(Group.objects.get(name=PARTNER_USERS_GROUP))
    partner_user = PartnerUser(
        user=user, partner=contact.partner, contact=contact, invited_by=invited_by
    )
    partner_user._history_user = invited_by
    partner_user.full_clean()
    partner_user.save()
    token = _new_invitation(partner_user, sent_by=invited_by)
    return partner_user, token


def _reinstate(partner_user, *, language, invited_by) -> str:
    """Invite a contact whose access was revoked again: the same login, as new."""
    user = partner_user.user
    user.is_active = True
    user.language = language
    user.set_unusable_password()
    user.save(update_fields=["is_active", "language", "password"])
    partner_user.revoked_at = None
    partner_user.revoked_by = None
    partner_user.activated_at = None
    partner_user.invited_by = invited_by
    partner_user.invited_at = timezone.now()
    partner_user._history_user = invited_by
    partner_user.save()
    return _new_invitation(partner_user, sent_by=invited_by)


def _new_invitation(partner_user, *, sent_by) -> str:
    """Replace the user's earlier invitations with a new one; return its token."""
    now = timezone.now()
    PortalInvitation.objects.filter(
        partner_user=partner_user, used_at__isnull=True, replaced_at__isnull=True
    ).update(replaced_at=now)
    token = secrets.token_urlsafe(32)
    PortalInvitation.objects.create(
        partner_user=partner_user,
        token_hash=hash_token(token),
        sent_by=sent_by,
        created_at=now,
        expires_at=now + PortalInvitation.lifetime(),
    )
    return token


def partner_user_resend_invitation(*, partner_user, sent_by) -> InvitationSent:
    """A new link (the old ones stop working), for a user who has not set a password."""
    require(permissions.can_manage_portal_user(sent_by, partner_user))
    if partner_user.activated_at is not None:
        raise InvitationRefused(
            _("%(name)s has already set a password and can log in.") % {"name": partner_user}
        )
    with transaction.atomic():
        PartnerUser.objects.select_for_update().get(pk=partner_user.pk)
        token = _new_invitation(partner_user, sent_by=sent_by)
    return InvitationSent(partner_user, _send_invitation(partner_user, token), token)


@transaction.atomic
def partner_user_revoke(*, partner_user, revoked_by) -> PartnerUser:
    """End the user's access now: no login, every open session ends, links stop working.

    The password is made unusable, which changes the hash every session carries
    (django.contrib.auth checks it on each request), and the login is deactivated.
    """
    require(permissions.can_manage_portal_user(revoked_by, partner_user))
    now = timezone.now()
    claimed = PartnerUser.objects.filter(pk=partner_user.pk, revoked_at__isnull=True).update(
        revoked_at=now, revoked_by=revoked_by
    )
    if claimed != 1:
        raise InvitationRefused(_("This partner user's access was revoked a moment ago."))
    user = partner_user.user
    user.set_unusable_password()
    user.is_active = False
    user.save(update_fields=["password", "is_active"])
    PortalInvitation.objects.filter(
        partner_user=partner_user, used_at__isnull=True, replaced_at__isnull=True
    ).update(replaced_at=now)
    partner_user.refresh_from_db()
    partner_user._history_user = revoked_by
    partner_user.save()
    return partner_user


def invitation_for_token(token: str) -> PortalInvitation | None:
    """The invitation a link names, if it can still be used."""
    invitation = (
        PortalInvitation.objects.select_related("partner_user__user", "partner_user__partner")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if invitation is None or not invitation.is_usable():
        return None
    if invitation.partner_user.revoked_at is not None:
        return None
    return invitation


@transaction.atomic
def invitation_accept(*, invitation, password_form) -> PartnerUser:
    """Use the link once: set the password (the form has checked it against the
    password validators) and open the portal. Two tabs using it at once: one wins."""
    now = timezone.now()
    used = PortalInvitation.objects.filter(
        pk=invitation.pk, used_at__isnull=True, replaced_at__isnull=True, expires_at__gt=now
    ).update(used_at=now)
    if used != 1:
        raise InvitationRefused(_("This link has already been used or is no longer valid."))
    user = password_form.save()
    partner_user = PartnerUser.objects.select_for_update().get(pk=invitation.partner_user_id)
    if partner_user.revoked_at is not None:
        raise InvitationRefused(_("This link is no longer valid."))
    if partner_user.activated_at is None:
        partner_user.activated_at = now
        partner_user._history_user = user
        partner_user.save()
    return partner_user


def _send_invitation(partner_user, token) -> bool:
    """The invitation email in the user's language; False if it could not be sent."""
    user = partner_user.user
    link = absolute_url(reverse("portal:invitation", args=[token]))
    with translation.override(user.language or settings.LANGUAGE_CODE):
        context = {
            "partner_user": partner_user,
            "partner": partner_user.partner,
            "organisation": settings.ORGANISATION_NAME,
            "link": link,
            "valid_days": settings.PORTAL_INVITATION_DAYS,
            "username": user.username,
            "login_url": absolute_url(reverse("login")),
        }
        subject = _("Your access to %(organisation)s's partner portal") % {
            "organisation": settings.ORGANISATION_NAME
        }
        text = render_to_string("portal/email/invitation.txt", context)
        html = render_to_string("portal/email/invitation.html", context)
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[user.email]
    )
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except Exception as error:
        logger.warning("portal invitation to %s not sent: %s", user.email, error)
        return False
    return True
