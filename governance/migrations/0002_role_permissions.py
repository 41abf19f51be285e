"""Grants the incident permissions to the roles: staff record and follow incidents,
managers also see restricted details, review and close."""

from django.db import migrations

from accounts.group_setup import grant_role_permissions

STAFF = [
    "governance.view_incident",
    "governance.add_incident",
    "governance.change_incident",
    "governance.view_incidentevent",
]
MANAGERS = STAFF + [
    "governance.view_restricted_incident",
    "governance.review_incident",
    "governance.close_incident",
]


def grant(apps, schema_editor):
    grant_role_permissions(apps, {"Staff": STAFF, "Managers": MANAGERS})


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0001_incidents"),
        ("accounts", "0002_role_groups"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
