"""What a backup must hold, and a fingerprint of every table to prove a restore."""

import datetime
import hashlib
import json

from django.apps import apps

# Left out of the portable backup: what `migrate` rebuilds by itself (content types and
# permissions; rows that point at them name them by natural key, not id) and sessions
# (after a restore everyone logs in again). Everything else, the admin's change log
# included, is in it.
EXCLUDED = ["contenttypes", "auth.permission", "sessions"]


def dumpdata_arguments(output: str) -> list[str]:
    """The arguments of `manage.py backup` (`make backup`) for dumpdata."""
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


# Rebuilt by migrate with ids of its own: a row pointing at one is compared by what the
# backup names it by, its natural key.
REBUILT = ("contenttypes.contenttype", "auth.permission")


def _natural_keys(model) -> dict:
    return {row.pk: row.natural_key() for row in model._default_manager.all()}


def table_fingerprints() -> dict[str, str]:
    """A hash of every row of every backed-up table, in primary-key order (the rows of
    a many-to-many table, which a restore numbers anew, without their id)."""
    fingerprints = {}
    natural = {label: _natural_keys(apps.get_model(label)) for label in REBUILT}
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        if label.split(".")[0] in EXCLUDED or label in EXCLUDED:
            continue
        fields = [field for field in model._meta.concrete_fields]
        many_to_many = model._meta.auto_created
        if many_to_many:
            fields = [field for field in fields if not field.primary_key]
        keys = [
            natural.get(field.related_model._meta.label_lower) if field.is_relation else None
            for field in fields
        ]
        rows = [
            [
                _comparable(key.get(value, value) if key is not None else value)
                for key, value in zip(keys, row, strict=True)
            ]
            for row in model._default_manager.order_by("pk").values_list(
                *(field.attname for field in fields)
            )
        ]
        if many_to_many:
            rows.sort()
        digest = hashlib.sha256()
        for row in rows:
            digest.update(json.dumps(row).encode())
        fingerprints[label] = f"{len(rows)}:{digest.hexdigest()}"
    return fingerprints
