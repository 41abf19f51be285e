from django.db import migrations

# Two managers saving overlapping periods at the same moment both pass the check in
# ProgrammePeriod.clean(); on PostgreSQL this constraint lets only one in (the second
# waits for the first and is refused). Dates are inclusive at both ends, as in clean().
# SQLite has no such constraint and needs none: it lets one writer in at a time.
ADD_EXCLUSION = """
ALTER TABLE agreements_programmeperiod
ADD CONSTRAINT programme_periods_do_not_overlap
EXCLUDE USING gist (daterange(start_date, end_date, '[]') WITH &&)
"""
DROP_EXCLUSION = (
    "ALTER TABLE agreements_programmeperiod DROP CONSTRAINT programme_periods_do_not_overlap"
)


def add_exclusion(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ADD_EXCLUSION)


def drop_exclusion(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_EXCLUSION)


class Migration(migrations.Migration):

    dependencies = [
        ('agreements', '0019_obligation_and_programme_period_version'),
    ]

    operations = [
        migrations.RunPython(add_exclusion, drop_exclusion),
    ]
