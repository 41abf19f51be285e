"""Focus areas and selection criteria in Swedish too: they are data that users read on
Swedish pages. The rows loaded by 0002 get their Swedish text; a row an organisation
added itself starts with its English text, to be translated in the admin."""

from django.db import migrations, models

FOCUS_AREAS_SV = {
    "education": "Utbildning",
    "culture": "Kultur",
    "inclusion": "Innanförskap (inkludering)",
    "democracy": "Demokrati",
    "other": "Annat",
}

# English name: (Swedish name, Swedish description).
SELECTION_CRITERIA_SV = {
    "Matching values and social engagement": (
        "Värderingar och samhällsengagemang som matchar våra",
        "Partnern har ett uttalat samhällsengagemang och värderingar som matchar våra.",
    ),
    "Focus on education, culture or inclusion": (
        "Fokus på utbildning, kultur eller innanförskap",
        "Samarbetet arbetar med utbildning, kultur eller innanförskap.",
    ),
    "Diversity and sound ethics": (
        "Mångfald och sund etik",
        "Mångfald och ett sunt synsätt när det gäller etik, kön, etnisk bakgrund, ålder "
        "och ekonomiska förutsättningar.",
    ),
    "Good company": (
        "Gott sällskap",
        "En seriös partner med ett långsiktigt engagemang.",
    ),
    "Visibility": (
        "Synlighet",
        "Samarbetet syns och försvinner inte i mängden.",
    ),
    "Quality": (
        "Kvalitet",
        "Partnerns verksamhet håller god kvalitet.",
    ),
    "Endurance": (
        "Uthållighet",
        "Ett varaktigt samarbete; som regel ett flerårigt avtal.",
    ),
    "Concentration": (
        "Koncentration",
        "Med en begränsad budget samarbetar vi med få partner; den här förtjänar en del av den.",
    ),
    "Effect-focused demands": (
        "Kravställande med fokus på effekt",
        "Vi kan ställa krav med fokus på samarbetets effekt.",
    ),
    "Willingness to be evaluated": (
        "Vilja att utvärderas",
        "Partnern godtar uppföljning och utvärdering mot målen, minst en gång per år.",
    ),
    "Code of conduct": (
        "Uppförandekod",
        "Partnern godtar och följer vår uppförandekod.",
    ),
}


def add_swedish(apps, schema_editor):
    FocusArea = apps.get_model("partnerships", "FocusArea")
    SelectionCriterion = apps.get_model("partnerships", "SelectionCriterion")
    for area in FocusArea.objects.filter(name_sv=""):
        area.name_sv = FOCUS_AREAS_SV.get(area.code, area.name)
        area.save(update_fields=["name_sv"])
    for criterion in SelectionCriterion.objects.filter(name_sv=""):
        name, description = SELECTION_CRITERIA_SV.get(
            criterion.name, (criterion.name, criterion.description)
        )
        criterion.name_sv, criterion.description_sv = name, description
        criterion.save(update_fields=["name_sv", "description_sv"])


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0008_search_text_of_imported_partners")]

    operations = [
        migrations.AlterField(
            model_name="focusarea",
            name="name",
            field=models.CharField(max_length=100, verbose_name="name in English"),
        ),
        migrations.AddField(
            model_name="focusarea",
            name="name_sv",
            field=models.CharField(default="", max_length=100, verbose_name="name in Swedish"),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="selectioncriterion",
            name="name",
            field=models.CharField(max_length=200, unique=True, verbose_name="name in English"),
        ),
        migrations.AddField(
            model_name="selectioncriterion",
            name="name_sv",
            field=models.CharField(default="", max_length=200, verbose_name="name in Swedish"),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="selectioncriterion",
            name="description",
            field=models.TextField(blank=True, verbose_name="description in English"),
        ),
        migrations.AddField(
            model_name="selectioncriterion",
            name="description_sv",
            field=models.TextField(blank=True, verbose_name="description in Swedish"),
        ),
        migrations.RunPython(add_swedish, migrations.RunPython.noop),
    ]
