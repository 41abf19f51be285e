"""What a backup must hold, and a fingerprint of every table to prove a restore."""

import datetime
import hashlib
import json

from django.apps import apps

# Tables Django rebuilds itself (content types, permissions) or that need not survive
# (sessions, admin log): left out of the portable backup.
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "admin.logentry"]


def dumpdata_arguments(output: str) -> list[str]:
    """The documented backup command's arguments (README.md, `make backup`)."""
    excludes = [argument for label in EXCLUDED for argument in ("-e", label)]
    return ["dumpdata", "--natural-foreign", *excludes, "-o", output]


# Restore into an empty database: create the tables, empty the rows the data
# migrations loaded (the backup holds them, with their ids), then load the backup.
RESTORE_STEPS = [["migrate", "--noinput", "-v0"], ["flush", "--no-input"]]


def _comparable(value):
    # Django's JSON serializer keeps milliseconds, not microseconds: so does the fingerprint.
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat(timespec="milliseconds")
    return str(value)


def table_fingerprints() -> dict[str, str]:
    """A hash of every row of every backed-up table, in primary-key order."""
    fingerprints = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label.split(".")[0] in EXCLUDED or label in EXCLUDED:
            continue
        rows = model._default_manager.order_by("pk").values_list()
        digest = hashlib.sha256()
        count = 0
        for row in rows.iterator():
            digest.update(json.dumps([_comparable(value) for value in row]).encode())
            count += 1
        fingerprints[label] = f"{count}:{digest.hexdigest()}"
    return fingerprints
