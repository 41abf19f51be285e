"""The admin keeps the locks the pages keep.

Each app says which of its records are kept (an approved agreement, a completed
evaluation, an event, a reminder claim) with `keep(Model, reason)`. A kept record is
not deleted from the admin: not on its own page, not with "Delete selected", and not
along with a record whose deletion would cascade to it. `RecordLocksAdmin` applies
this to a ModelAdmin; `read_only = True` makes one a window onto rows that only the
application writes (no add, change or delete).

A record with a version (core.versioning) is version-checked in the admin as on its
page: a save from the admin raises the version, so a page opened before it refuses
to overwrite it, and the admin refuses to overwrite a change made after its form was
opened. `versioned_parent` names the record whose page form holds this one (a
partner's contacts): saving it here raises the parent's version.
"""

from collections.abc import Callable

from django import forms
from django.contrib.admin.utils import NestedObjects
from django.db import router
from django.db.models import F
from django.utils.text import capfirst

from core.versioning import EditConflict, VersionField, next_version

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


def _is_versioned(model) -> bool:
    return any(field.name == "version" for field in model._meta.concrete_fields)


class VersionedAdminForm(forms.ModelForm):
    """The admin's form for a record with a version: the version it was opened with
    goes along, and a save over a newer one is refused with the input kept."""

    edit_version = VersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["edit_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        # The admin validates and saves in one transaction, so the row stays locked.
        try:
            self.instance.version = next_version(
                type(self.instance), self.instance.pk, cleaned.get("edit_version")
            )
        except EditConflict as conflict:
            self.data = self.data.copy()
            self.data[self.add_prefix("edit_version")] = conflict.current_version
            raise forms.ValidationError(str(conflict)) from None
        return cleaned


class RecordLocksAdmin:
    """A ModelAdmin mixin: no deleting kept records, `read_only` for rows the
    application alone writes, and the version check of the pages."""

    read_only = False
    versioned_parent = None

    def get_form(self, request, obj=None, **kwargs):
        if obj is not None and _is_versioned(self.model):
            base = kwargs.get("form", self.form)
            kwargs["form"] = type(base.__name__, (VersionedAdminForm, base), {})
        return super().get_form(request, obj, **kwargs)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if self.versioned_parent:
            parent = getattr(obj, self.versioned_parent)
            type(parent).objects.filter(pk=parent.pk).update(version=F("version") + 1)

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
