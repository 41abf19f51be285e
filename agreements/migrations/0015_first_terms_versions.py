"""Every approved or terminated agreement gets its terms version 1 (the terms as first
approved, from its start date), and points at it."""

from django.db import migrations
from django.db.models import OuterRef, Subquery

BATCH = 2000
TERMS = (
    "economic_amount",
    "payment_terms",
    "marketing_contributions",
    "conduct",
    "exchange",
    "termination_terms",
)


def forwards(apps, schema_editor):
    Agreement = apps.get_model("agreements", "Agreement")
    TermsVersion = apps.get_model("agreements", "TermsVersion")

    approved = Agreement.objects.filter(status__in=["approved", "terminated"], terms__isnull=True)
    rows = approved.values_list("pk", "start_date", *TERMS).order_by("pk")
    batch = []
    for pk, start, *terms in rows.iterator(chunk_size=BATCH):
        batch.append(
            TermsVersion(agreement_id=pk, number=1, effective_from=start, **dict(zip(TERMS, terms)))
        )
        if len(batch) == BATCH:
            TermsVersion.objects.bulk_create(batch)
            batch = []
    TermsVersion.objects.bulk_create(batch)
    first = TermsVersion.objects.filter(agreement=OuterRef("pk"), number=1).values("pk")[:1]
    approved.update(terms=Subquery(first))


class Migration(migrations.Migration):
    dependencies = [("agreements", "0014_amendments_and_terms_versions")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
