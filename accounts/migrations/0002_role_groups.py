"""Creates the Staff and Managers groups with the partner register permissions."""

from django.db import migrations

from accounts.group_setup import grant_role_permissions

PARTNER_REGISTER_PERMISSIONS = [
    "partnerships.view_partner",
    "partnerships.add_partner",
    "partnerships.change_partner",
    "partnerships.view_partnercontact",
    "partnerships.add_partnercontact",
    "partnerships.change_partnercontact",
    "partnerships.delete_partnercontact",
    "partnerships.view_selectionassessment",
    "partnerships.add_selectionassessment",
    "partnerships.view_selectioncriterion",
    "partnerships.view_focusarea",
]


def create_groups(apps, schema_editor):
    grant_role_permissions(
        apps,
        {"Staff": PARTNER_REGISTER_PERMISSIONS, "Managers": PARTNER_REGISTER_PERMISSIONS},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("partnerships", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
