"""The partner's own declaration: shared values, our code of conduct, documented
financial and administrative routines. Kept as a PDF in the partner's record."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.dates import add_months
from core.fields import DayField, SingleLineField
from core.validators import DOCUMENT_EXTENSIONS, DocumentValidator
from partnerships.models import Partner


def _routines_path(declaration, filename):
    return f"portal/declarations/routines/{uuid.uuid4().hex}/{filename}"


def _declaration_pdf_path(declaration, filename):
    return f"portal/declarations/{uuid.uuid4().hex}/{filename}"


class PartnerDeclarationQuerySet(models.QuerySet):
    def latest_for(self, partner):
        return self.filter(partner=partner).order_by("-confirmed_at", "-id").first()


class PartnerDeclaration(models.Model):
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="declarations", verbose_name=_("partner")
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_name = SingleLineField(_("name of the person confirming"), max_length=200)
    confirmed_on = DayField(_("confirmed on"))
    confirmed_at = models.DateTimeField(_("confirmed at"), default=timezone.now)
    shares_values = models.BooleanField(_("shares the values"))
    accepts_code_of_conduct = models.BooleanField(_("accepts the code of conduct"))
    routines_documented = models.BooleanField(_("financial and administrative routines documented"))
    routines_document = models.FileField(
        _("routines document"),
        upload_to=_routines_path,
        validators=[DocumentValidator(DOCUMENT_EXTENSIONS)],
    )
    pdf = models.FileField(_("declaration (PDF)"), upload_to=_declaration_pdf_path, blank=True)

    objects = PartnerDeclarationQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["-confirmed_at", "-id"]
        verbose_name = _("partner declaration")
        verbose_name_plural = _("partner declarations")
        constraints = [
            models.CheckConstraint(
                condition=Q(shares_values=True, accepts_code_of_conduct=True)
                & Q(routines_documented=True),
                name="declaration_confirms_everything",
                violation_error_message=_("Every part of the declaration must be confirmed."),
            ),
            models.CheckConstraint(
                condition=~Q(confirmed_name=""), name="declaration_is_signed_by_name"
            ),
        ]

    def __str__(self):
        return f"{self.partner} {self.confirmed_on}"

    @property
    def routines_filename(self) -> str:
        return self.routines_document.name.rsplit("/", 1)[-1]

    def renewal_due_on(self) -> datetime.date:
        """The day the declaration is asked for again (the due-diligence review interval)."""
        return add_months(self.confirmed_on, settings.DUE_DILIGENCE_REVIEW_MONTHS)


def declaration_due(partner, today: datetime.date | None = None) -> bool:
    """A partner is asked for its declaration when it has none, or when the latest is
    older than the due-diligence review interval (settings.DUE_DILIGENCE_REVIEW_MONTHS)."""
    today = today or timezone.localdate()
    latest = PartnerDeclaration.objects.latest_for(partner)
    return latest is None or latest.renewal_due_on() <= today
