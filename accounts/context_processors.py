from accounts import roles


def role(request):
    """The logged-in user's role for the header."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"user_role": roles.role_label(user), "user_is_manager": roles.is_manager(user)}
