"""The documented backup command, restored into an empty database, gives back every table."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.admin.models import LogEntry
from django.core.files.base import ContentFile

from core.backup import RESTORE_STEPS, table_fingerprints
from partnerships.models import FocusArea
from tests.conftest import test_database_url
from tests.factories import AgreementFactory, EvaluationFactory, PartnerContactFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]


def _manage(args, database_url):
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "config.settings"}
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backup_restores_every_table(tmp_path, client):
    agreement = AgreementFactory(approved=True, title="Läslust – åäö")
    agreement.signed_document.save("signed.pdf", ContentFile(b"%PDF-1.4"))
    PartnerContactFactory(partner=agreement.partner, name="Åsa Öberg")
    EvaluationFactory(period=agreement.evaluation_periods.get(number=1), completed=True)
    # A change made in the admin leaves a row in the admin's change log.
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    focus_area = FocusArea.objects.first()
    response = client.post(
        f"/admin/partnerships/focusarea/{focus_area.pk}/change/",
        {
            "name": "Reading",
            "name_sv": "Läsfrämjande",
            "code": focus_area.code,
            "position": focus_area.position,
        },
    )
    assert response.status_code == 302
    assert LogEntry.objects.filter(object_id=str(focus_area.pk)).exists()
    before = table_fingerprints()
    assert before["admin.logentry"].startswith("1:")

    backup = tmp_path / "backup.json.gz"
    _manage(["backup", "--output", str(backup)], test_database_url())
    restored_url = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    for step in RESTORE_STEPS:
        _manage(step, restored_url)
    _manage(["loaddata", str(backup)], restored_url)
    after = json.loads(
        _manage(
            [
                "shell",
                "-c",
                "import json; from core.backup import table_fingerprints; "
                "print(json.dumps(table_fingerprints()))",
            ],
            restored_url,
        )
        .strip()
        .splitlines()[-1]
    )
    assert after == before
