"""The admin keeps the locks the pages keep.

Each app says which of its records are kept (an approved agreement, a completed
evaluation, an event, a reminder claim) with `keep(Model, reason)`. A kept record is
not deleted from the admin: not on its own page, not with "Delete selected", and not
along with a record whose deletion would cascade to it. `RecordLocksAdmin` applies
this to a ModelAdmin; `read_only = True` makes one a window onto rows that only the
application writes (no add, change or delete).
"""

from collections.abc import Callable

from django.contrib.admin.utils import NestedObjects
from django.db import router
from django.utils.text import capfirst

_KEPT: dict[type, Callable[[object], str]] = {}


def keep(model, reason: Callable[[object], str]) -> None:
    """Keep the model's rows from deletion; `reason(row)` says why, or "" to allow."""
    _KEPT[model] = reason


def kept_reason(row) -> str:
    rule = _KEPT.get(type(row)._meta.concrete_model)
    return str(rule(row)) if rule else ""


def kept_among(rows, using: str) -> list[str]:
    """What deleting `rows` would delete that is kept: one line for each, with why."""
    collector = NestedObjects(using=using)
    collector.collect(rows)
    refused = []
    for model, instances in collector.data.items():
        if model._meta.concrete_model not in _KEPT:
            continue
        for instance in instances:
            reason = kept_reason(instance)
            if reason:
                refused.append(f"{capfirst(model._meta.verbose_name)} “{instance}”: {reason}")
    return sorted(refused)


class RecordLocksAdmin:
    """A ModelAdmin mixin: no deleting kept records, and `read_only` for rows the
    application alone writes."""

    read_only = False

    def has_add_permission(self, request, *args):
        if self.read_only:
            return False
        return super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        if self.read_only:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if self.read_only or (obj is not None and kept_reason(obj)):
            return False
        return super().has_delete_permission(request, obj)

    def get_deleted_objects(self, objs, request):
        """Kept records among those a deletion reaches are listed as protected, each
        with the reason: the admin then deletes nothing (its page and the bulk action).
        Without this the admin would say only that a permission is lacking, or, for a
        kept record whose own admin allows deleting others of its kind, delete it."""
        deleted, counts, permissions_needed, protected = super().get_deleted_objects(objs, request)
        objs = list(objs)
        kept = kept_among(objs, using=router.db_for_write(type(objs[0]))) if objs else []
        if kept:
            # The page shows either the lacking permissions or the protected records;
            # the reasons say more, and nothing is deleted either way.
            return deleted, counts, set(), [*protected, *kept]
        return deleted, counts, permissions_needed, protected
