"""Grants permissions to the role groups; called from data migrations."""

from django.contrib.auth.management import create_permissions


def grant_role_permissions(apps, role_permissions: dict[str, list[str]]) -> None:
    """Create each group if missing and add the listed "app_label.codename" permissions.

    Permissions are normally created after all migrations ran (post_migrate), so they
    are created here first for the apps migrated so far.
    """
    for app_config in apps.get_app_configs():
        # create_permissions skips app configs without models_module, which historical
        # app configs in migrations lack; restore the value so a real registry is untouched.
        original = getattr(app_config, "models_module", None)
        app_config.models_module = original or True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = original

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, dotted_names in role_permissions.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for dotted in dotted_names:
            app_label, codename = dotted.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
