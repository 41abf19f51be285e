from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import ApiToken, User
from accounts.roles import MANAGERS_GROUP, STAFF_GROUP
from core.admin import RecordLocksAdmin, keep

# The roles are groups the application asks for by name: deleting one would take the
# role from everyone who has it.
keep(
    Group,
    lambda group: (
        _("the application's roles are kept; take a user out of a role on the user.")
        if group.name in (STAFF_GROUP, MANAGERS_GROUP)
        else ""
    ),
)


@admin.register(User)
class UserAdmin(RecordLocksAdmin, DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Preferences"), {"fields": ("language",)}),
    )
    list_filter = ("groups", "is_active", "is_superuser")


@admin.register(ApiToken)
class ApiTokenAdmin(RecordLocksAdmin, admin.ModelAdmin):
    """Seen and revoked here; only the user can make a token (and see its secret)."""

    list_display = (
        "user",
        "name",
        "prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )
    list_filter = ("revoked_at",)
    search_fields = ("user__username", "name")
    readonly_fields = list_display
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(RecordLocksAdmin, DjangoGroupAdmin):
    pass
