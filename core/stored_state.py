"""Querysets whose rows a stored state of their agreements is derived from.

The stored evaluation state (evaluations.state) and each agreement's first open
obligation due date (agreements.models) are recomputed after every write of the rows
they are derived from. Model save() and delete() call the refresh themselves; the
writes that bypass them (bulk_create, update, delete of a queryset) go through this.
"""

from django.db import models


class RefreshesAgreementsQuerySet(models.QuerySet):
    """Rows with an `agreement`: each bulk write refreshes the agreements it touched."""

    def refresh_agreements(self, agreement_ids) -> None:
        raise NotImplementedError

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        self.refresh_agreements({row.agreement_id for row in created})
        return created

    def update(self, **kwargs):
        agreement_ids = set(self.values_list("agreement_id", flat=True))
        updated = super().update(**kwargs)
        if "agreement" in kwargs or "agreement_id" in kwargs:
            # Rows moved to another agreement: that one's state changes too.
            agreement_ids |= set(self.values_list("agreement_id", flat=True))
        self.refresh_agreements(agreement_ids)
        return updated

    def delete(self):
        agreement_ids = set(self.values_list("agreement_id", flat=True))
        deleted = super().delete()
        self.refresh_agreements(agreement_ids)
        return deleted
