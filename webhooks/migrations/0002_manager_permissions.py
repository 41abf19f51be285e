"""Managers register webhook endpoints and see their deliveries. No role deletes: an
endpoint no longer wanted is made inactive, and its delivery log stays."""

from django.db import migrations

from accounts.group_setup import grant_role_permissions

MANAGE = [
    "webhooks.view_webhookendpoint",
    "webhooks.add_webhookendpoint",
    "webhooks.change_webhookendpoint",
]


def grant(apps, schema_editor):
    grant_role_permissions(apps, {"Managers": MANAGE})


class Migration(migrations.Migration):
    dependencies = [
        ("webhooks", "0001_endpoints_events_deliveries"),
        ("accounts", "0002_role_groups"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
