"""Staff manage a partner's portal users from the partner's page: invite a contact,
resend an invitation, revoke access."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.permissions import require
from partnerships.models import PartnerContact
from portal import permissions
from portal.forms import InvitationForm
from portal.models import PartnerUser
from portal.services import invitations


def _back_to_partner(partner):
    return redirect(f"{partner.get_absolute_url()}#portal")


def _report_sending(request, sent):
    if sent.email_sent:
        messages.success(
            request,
            _("Invitation sent to %(email)s. The link works for %(days)s days, once.")
            % {"email": sent.partner_user.user.email, "days": settings.PORTAL_INVITATION_DAYS},
        )
    else:
        messages.warning(
            request,
            _(
                "The invitation for %(email)s is saved, but the email could not be sent now. "
                "Send it again in a while with “Resend invitation”."
            )
            % {"email": sent.partner_user.user.email},
        )


@require_http_methods(["GET", "POST"])
def invite(request, pk, contact_pk):
    """Invite one of the partner's contact people: choose the language, confirm."""
    contact = get_object_or_404(
        PartnerContact.objects.select_related("partner"), pk=contact_pk, partner_id=pk
    )
    partner = contact.partner
    require(permissions.can_invite_partner_users(request.user, partner))
    form = InvitationForm(request.POST or None, partner=partner)
    if request.method == "POST":
        if form.is_valid():
            try:
                sent = invitations.partner_user_invite(
                    contact=contact,
                    language=form.cleaned_data["language"],
                    invited_by=request.user,
                )
            except invitations.InvitationRefused as refused:
                form.add_error(None, refused.message)
            else:
                _report_sending(request, sent)
                return _back_to_partner(partner)
        messages.error(request, _("Nobody was invited. Please correct the errors below."))
    return render(
        request,
        "portal/staff/invite.html",
        {"form": form, "contact": contact, "partner": partner},
    )


@require_POST
def resend(request, pk):
    partner_user = get_object_or_404(PartnerUser.objects.select_related("user", "partner"), pk=pk)
    require(permissions.can_manage_portal_user(request.user, partner_user))
    try:
        sent = invitations.partner_user_resend_invitation(
            partner_user=partner_user, sent_by=request.user
        )
    except invitations.InvitationRefused as refused:
        messages.error(request, refused.message)
    else:
        _report_sending(request, sent)
    return _back_to_partner(partner_user.partner)


@require_http_methods(["GET", "POST"])
def revoke(request, pk):
    """Confirmation page (GET) and revoking (POST): the user is logged out at once."""
    partner_user = get_object_or_404(PartnerUser.objects.select_related("user", "partner"), pk=pk)
    require(permissions.can_manage_portal_user(request.user, partner_user))
    if request.method == "POST":
        try:
            invitations.partner_user_revoke(partner_user=partner_user, revoked_by=request.user)
        except invitations.InvitationRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(
                request,
                _("%(name)s no longer has access to the partner portal.") % {"name": partner_user},
            )
        return _back_to_partner(partner_user.partner)
    return render(request, "portal/staff/revoke.html", {"partner_user": partner_user})
