"""Partners and contacts written by the import before its bulk writes set the search
text had none, so the search could not find them: fill it in for every row."""

import unicodedata

from django.db import migrations


def search_text(*fields):
    # As partnerships.models.search_text() at the time of this migration.
    text = "\n".join(fields)
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).casefold())


def refill_search_text(apps, schema_editor):
    for model_name, fields in (
        ("Partner", ("name", "organisation_number", "email")),
        ("PartnerContact", ("name", "email")),
    ):
        model = apps.get_model("partnerships", model_name)
        rows = []
        for row in model.objects.only("pk", "search_text", *fields).iterator(chunk_size=2000):
            text = search_text(*(getattr(row, field) for field in fields))
            if row.search_text != text:
                row.search_text = text
                rows.append(row)
        model.objects.bulk_update(rows, ["search_text"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0007_search_text"),
    ]

    operations = [
        migrations.RunPython(refill_search_text, migrations.RunPython.noop),
    ]
