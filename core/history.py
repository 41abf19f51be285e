"""The History section of a page: every saved change with who, when and what changed,
read from django-simple-history's tables, in the words of the page: field labels, local
dates, names of people and records, choice labels in the reader's language."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.numbers import format_number

KIND_LABELS = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}
MAX_VALUE_LENGTH = 80
# Bookkeeping, not a change anyone made: timestamps, version numbers, search keys, the
# pointer to the terms version the workflow sets, and the obligations' stored due date.
HIDDEN_FIELDS = (
    "updated_at",
    "version",
    "name_key",
    "organisation_number_key",
    "search_text",
    "terms",
    "first_open_obligation_due",
)


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: object
    who: object
    kind: str
    subject: str
    changes: list = field(default_factory=list)


class _Values:
    """Shows stored values as the page would; each related record is read once."""

    def __init__(self):
        self._related = {}

    def shown(self, model, field_name, value) -> str:
        model_field = model._meta.get_field(field_name)
        if value is None or value == "":
            return ""
        if isinstance(model_field, models.ForeignKey):
            return self._related_name(model_field.related_model, value)
        if getattr(model_field, "choices", None):
            return str(dict(model_field.flatchoices).get(value, value))
        if isinstance(model_field, models.FileField):
            return str(value).rsplit("/", 1)[-1]  # the file's name, never its storage path
        if isinstance(value, bool):
            return gettext("Yes") if value else gettext("No")
        if isinstance(value, datetime.datetime):
            local = timezone.localtime(value) if timezone.is_aware(value) else value
            return date_format(local, "SHORT_DATETIME_FORMAT")
        if isinstance(value, datetime.date):
            return date_format(value, "SHORT_DATE_FORMAT")
        if isinstance(value, Decimal | float):
            return format_number(value)
        text = str(value)
        return text if len(text) <= MAX_VALUE_LENGTH else text[: MAX_VALUE_LENGTH - 1] + "…"

    def _related_name(self, model, pk) -> str:
        key = (model, pk)
        if key not in self._related:
            related = model._default_manager.filter(pk=pk).first()
            self._related[key] = str(related) if related is not None else f"#{pk}"
        return self._related[key]


def change_log(*sources, limit: int = 60) -> list[HistoryEntry]:
    """Entries from several history querysets, newest first.

    `sources` are (label, historical queryset) pairs; each queryset is read once.
    """
    entries = []
    values = _Values()
    for label, history in sources:
        previous = {}
        records = history.select_related("history_user").order_by(
            "id", "history_date", "history_id"
        )
        for record in records:
            before = previous.get(record.id)
            changes = []
            if record.history_type == "~" and before is not None:
                model = record.instance_type
                for delta in record.diff_against(before).changes:
                    if delta.field in HIDDEN_FIELDS:
                        continue
                    changes.append(
                        Change(
                            field=capfirst(str(model._meta.get_field(delta.field).verbose_name)),
                            old=values.shown(model, delta.field, delta.old),
                            new=values.shown(model, delta.field, delta.new),
                        )
                    )
                if not changes:
                    previous[record.id] = record
                    continue  # a save that changed nothing worth showing
            entries.append(
                HistoryEntry(
                    when=record.history_date,
                    who=record.history_user,
                    kind=str(KIND_LABELS.get(record.history_type, record.history_type)),
                    subject=f"{label}: {record.instance}",
                    changes=changes,
                )
            )
            previous[record.id] = record
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries[:limit]


def record_history(instance, user) -> None:
    """Status changes are made with a conditional UPDATE, which bypasses save(); save
    once more so the change history keeps the new state, who and when."""
    instance._history_user = user
    instance.save(update_fields=["updated_at"])
