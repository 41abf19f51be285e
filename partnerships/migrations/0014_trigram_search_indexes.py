"""Trigram indexes for the partner search on PostgreSQL (the search is a LIKE there:
partnerships.models.partners.folded_contains). Nothing on other databases."""

from django.db import migrations

INDEXES = [
    ("partner_search_trgm", "partnerships_partner", "search_text"),
    ("partner_name_key_trgm", "partnerships_partner", "name_key"),
    ("contact_search_trgm", "partnerships_partnercontact", "search_text"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ("{column}" gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0013_due_diligence_record"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
