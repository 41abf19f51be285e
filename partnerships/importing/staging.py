"""The upload waits in private storage until the user confirms."""

import datetime
import json
import re
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from partnerships.importing.limits import STAGING_FOLDER, STAGING_HOURS
from partnerships.importing.reading import Formula, Table

# Staging: the upload waits in private storage until the user confirms -----------------
# What waits is the table as read (JSON), not the file: an Excel file is unpacked and
# parsed once, at the upload, however often the preview is opened.


def stage_table(table: Table) -> str:
    """Keep the table under a random name; returns the token that finds it again."""
    _remove_stale_uploads()
    token = uuid.uuid4().hex
    content = json.dumps(
        {
            "header": table.header,
            "rows": [
                [number, [{"formula": c.text} if isinstance(c, Formula) else c for c in cells]]
                for number, cells in table.rows
            ],
            "file_format": table.file_format,
            "encoding": table.encoding,
        },
        ensure_ascii=False,
    )
    default_storage.save(_staged_name(token), ContentFile(content.encode("utf-8")))
    return token


def staged_table(token: str) -> Table | None:
    if not re.fullmatch(r"[0-9a-f]{32}", token or ""):
        return None
    name = _staged_name(token)
    if not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as staged:
        content = json.loads(staged.read().decode("utf-8"))
    return Table(
        header=content["header"],
        rows=[
            (number, [Formula(c["formula"]) if isinstance(c, dict) else c for c in cells])
            for number, cells in content["rows"]
        ],
        file_format=content["file_format"],
        encoding=content["encoding"],
    )


def discard_staged(token: str) -> None:
    if re.fullmatch(r"[0-9a-f]{32}", token or ""):
        default_storage.delete(_staged_name(token))


def _staged_name(token: str) -> str:
    return f"{STAGING_FOLDER}/{token}.json"


def _remove_stale_uploads() -> None:
    """Uploads nobody confirmed within a day are removed at the next upload."""
    if not default_storage.exists(STAGING_FOLDER):
        return
    cutoff = timezone.now() - datetime.timedelta(hours=STAGING_HOURS)
    for name in default_storage.listdir(STAGING_FOLDER)[1]:
        path = f"{STAGING_FOLDER}/{name}"
        if default_storage.get_modified_time(path) < cutoff:
            default_storage.delete(path)
