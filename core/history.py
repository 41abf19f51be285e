"""The History section of a page: every saved change with who, when and what changed,
read from django-simple-history's tables."""

from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _

KIND_LABELS = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}
MAX_VALUE_LENGTH = 80


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


def _shown(model, field_name, value) -> str:
    model_field = model._meta.get_field(field_name)
    if isinstance(model_field, models.ForeignKey) or value is None or value == "":
        return ""  # related rows are named by their own history; ids mean nothing here
    if getattr(model_field, "choices", None):
        return str(dict(model_field.flatchoices).get(value, value))
    text = str(value)
    return text if len(text) <= MAX_VALUE_LENGTH else text[: MAX_VALUE_LENGTH - 1] + "…"


def change_log(*sources, limit: int = 60) -> list[HistoryEntry]:
    """Entries from several history querysets, newest first.

    `sources` are (label, historical queryset) pairs; each queryset is read once.
    """
    entries = []
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
                    # Bookkeeping, not a change anyone made: timestamps, version numbers,
                    # search keys, and the pointer to the terms version the workflow set.
                    if delta.field in ("updated_at", "version", "name_key", "search_text", "terms"):
                        continue
                    changes.append(
                        Change(
                            field=str(model._meta.get_field(delta.field).verbose_name),
                            old=_shown(model, delta.field, delta.old),
                            new=_shown(model, delta.field, delta.new),
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
