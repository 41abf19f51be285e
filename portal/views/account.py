"""The partner user's own login: the invitation link that sets the first password, and
changing it later."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.services import invitations
from portal.views.access import portal_view


@login_not_required
@require_http_methods(["GET", "POST"])
def invitation(request, token):
    """The one-time link of an invitation email: set a password, then the portal opens."""
    found = invitations.invitation_for_token(token)
    if found is None:
        return render(
            request,
            "portal/invitation_invalid.html",
            {"organisation_name": settings.ORGANISATION_NAME},
            status=404,
        )
    user = found.partner_user.user
    if user.language and not request.user.is_authenticated:
        translation.activate(user.language)
        request.LANGUAGE_CODE = user.language
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                invitations.invitation_accept(invitation=found, password_form=form)
            except invitations.InvitationRefused as refused:
                return render(
                    request,
                    "portal/invitation_invalid.html",
                    {"organisation_name": settings.ORGANISATION_NAME, "reason": refused.message},
                    status=404,
                )
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Your password is set. Welcome to the partner portal."))
            return redirect("portal:home")
        messages.error(request, _("The password was not set. Please correct the errors below."))
    return render(
        request,
        "portal/invitation.html",
        {
            "form": form,
            "invited_user": user,
            "partner": found.partner_user.partner,
            "organisation_name": settings.ORGANISATION_NAME,
        },
    )


@require_http_methods(["GET", "POST"])
@portal_view
def password_change(request, scope):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            user = form.save()
            update_session_auth_hash(request, user)
            messages.success(request, _("Your password is changed."))
            return redirect("portal:home")
        messages.error(request, _("The password was not changed. Please correct the errors below."))
    return render(request, "portal/password_change.html", {"form": form})
