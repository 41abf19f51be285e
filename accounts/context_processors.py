from django.conf import settings

from accounts import roles


def role(request):
    """The logged-in user's role for the header."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        # The login page offers single sign-on when it is on.
        return {"sso_enabled": settings.OIDC_ENABLED, "sso_provider": settings.OIDC_PROVIDER_NAME}
    return {
        "user_role": roles.role_label(user),
        "user_is_manager": roles.is_manager(user),
        "user_has_role": roles.has_staff_role(user),
    }
