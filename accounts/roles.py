"""The two roles of the application, as Django groups, and how to ask for them.

The group names are declared here once. Each app grants its permissions to the groups
in a data migration of its own (accounts.group_setup.grant_role_permissions), so the
grants are frozen with the schema they belong to. Managers hold every staff permission
plus approving, returning and terminating agreements.
"""

from django.utils.translation import gettext_lazy as _

STAFF_GROUP = "Staff"
MANAGERS_GROUP = "Managers"
# People at a partner organisation who use the partner portal (portal/). Neither staff
# nor managers: the group holds no permission, and the portal middleware keeps its
# members to the portal's pages.
PARTNER_USERS_GROUP = "Partner users"

_ROLE_LABELS = {
    MANAGERS_GROUP: _("Manager"),
    STAFF_GROUP: _("Staff"),
    PARTNER_USERS_GROUP: _("Partner"),
}


def is_manager(user) -> bool:
    return user.is_authenticated and MANAGERS_GROUP in group_names(user)


def has_staff_role(user) -> bool:
    """Staff or Manager (or a superuser): one of our organisation's own people."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or bool(group_names(user) & {STAFF_GROUP, MANAGERS_GROUP})


def is_partner_user(user) -> bool:
    return user.is_authenticated and PARTNER_USERS_GROUP in group_names(user)


def role_label(user) -> str:
    """The role shown in the header: the highest role the user holds."""
    if not user.is_authenticated:
        return ""
    names = group_names(user)
    for group in (MANAGERS_GROUP, STAFF_GROUP, PARTNER_USERS_GROUP):
        if group in names:
            return str(_ROLE_LABELS[group])
    return str(_("Administrator")) if user.is_superuser else str(_("No role"))


def group_names(user) -> set[str]:
    # Cached on the user object so a page asking several times costs one query.
    names = getattr(user, "_group_names_cache", None)
    if names is None:
        names = set(user.groups.values_list("name", flat=True))
        user._group_names_cache = names
    return names
