"""Incidents on partners: what happened, how it was reviewed and closed, and which
approvals and terminations referred to it (docs/domain.md, "Integrity").

An incident is recorded on a partner, optionally on one of its agreements. Suspected
corruption and safeguarding incidents are restricted: their details are for managers and
the person who recorded them (governance.permissions.can_view_incident_details); others
see that a restricted incident exists and how far it has come.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agreements.models import Agreement, ApprovalDecision
from core.fields import DayField, SingleLineField
from partnerships.models import Partner


class IncidentCategory(models.TextChoices):
    CORRUPTION = "corruption", _("Suspected corruption or misuse of funds")
    SAFEGUARDING = "safeguarding", _("Safeguarding or abuse")
    DISCRIMINATION = "discrimination", _("Discrimination")
    BREACH = "breach", _("Breach of the agreement or the code of conduct")
    REPUTATIONAL = "reputational", _("Reputational")
    ROUTINES = "routines", _("Weakness in financial or administrative routines")
    OTHER = "other", _("Other")


# Details for managers and the person who recorded the incident only.
RESTRICTED_CATEGORIES = (IncidentCategory.CORRUPTION, IncidentCategory.SAFEGUARDING)


class Severity(models.TextChoices):
    OBSERVATION = "observation", _("Observation")
    CONCERN = "concern", _("Concern")
    SERIOUS = "serious", _("Serious")


class IncidentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    UNDER_REVIEW = "under_review", _("Under review")
    CLOSED = "closed", _("Closed")


# Not closed yet: "open" in the wider sense the banner and the approval page use.
UNRESOLVED_STATUSES = (IncidentStatus.OPEN, IncidentStatus.UNDER_REVIEW)


class IncidentOutcome(models.TextChoices):
    UNFOUNDED = "unfounded", _("Unfounded")
    RESOLVED = "resolved", _("Resolved")
    LED_TO_TERMINATION = "led_to_termination", _("Led to termination")


def serious_unresolved_condition(prefix: str = "") -> Q:
    """A serious incident not closed yet: it shows a banner on the partner and its
    agreements, and approving an agreement with the partner needs it acknowledged.
    Incident.is_serious_unresolved mirrors it."""
    return Q(**{f"{prefix}severity": Severity.SERIOUS, f"{prefix}status__in": UNRESOLVED_STATUSES})


class IncidentQuerySet(models.QuerySet):
    def unresolved(self):
        return self.filter(status__in=UNRESOLVED_STATUSES)

    def serious_unresolved(self):
        return self.filter(serious_unresolved_condition())

    def restricted(self):
        return self.filter(category__in=RESTRICTED_CATEGORIES)


class Incident(models.Model):
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="incidents", verbose_name=_("partner")
    )
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incidents",
        verbose_name=_("agreement"),
        help_text=_("Optional: the agreement the incident concerns."),
    )
    category = models.CharField(_("category"), max_length=20, choices=IncidentCategory.choices)
    severity = models.CharField(_("severity"), max_length=15, choices=Severity.choices)
    description = models.TextField(_("what happened"))
    became_known_on = DayField(_("became known on"))
    source = SingleLineField(
        _("who reported it"),
        max_length=200,
        help_text=_(
            "The person or channel that told us, e.g. the partner's treasurer, an anonymous tip."
        ),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)

    status = models.CharField(
        _("status"),
        max_length=15,
        choices=IncidentStatus.choices,
        default=IncidentStatus.OPEN,
        editable=False,
    )
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=IncidentOutcome.choices, blank=True, editable=False
    )
    closing_note = models.TextField(_("what was found and done"), blank=True, editable=False)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("closed by"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # Raised by every save through the form; see core.versioning.
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = IncidentQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        permissions = [
            ("view_restricted_incident", _("Can see the details of restricted incidents")),
            ("review_incident", _("Can take an incident under review")),
            ("close_incident", _("Can close incidents with an outcome")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=IncidentCategory.values), name="incident_category_valid"
            ),
            models.CheckConstraint(
                condition=Q(severity__in=Severity.values), name="incident_severity_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=IncidentStatus.values), name="incident_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=["", *IncidentOutcome.values]),
                name="incident_outcome_valid",
            ),
            # Closed with an outcome, by someone, at a time; never an outcome while open.
            models.CheckConstraint(
                condition=(
                    Q(status=IncidentStatus.CLOSED)
                    & ~Q(outcome="")
                    & Q(closed_by__isnull=False, closed_at__isnull=False)
                )
                | (
                    ~Q(status=IncidentStatus.CLOSED)
                    & Q(outcome="", closed_by__isnull=True, closed_at__isnull=True)
                ),
                name="incident_closure_recorded",
                violation_error_message=_(
                    "A closed incident has an outcome; an open one has none."
                ),
            ),
            models.CheckConstraint(condition=~Q(description=""), name="incident_description_given"),
        ]
        indexes = [
            # The banner on a partner's and an agreement's page: its unresolved incidents.
            models.Index(fields=["partner", "status"], name="incident_partner_status_idx"),
            # The dashboard panel and the daily alert: serious incidents not yet closed.
            models.Index(fields=["severity", "status"], name="incident_severity_status_idx"),
        ]

    def __str__(self):
        return _("Incident %(number)s") % {"number": self.pk}

    def get_absolute_url(self):
        return reverse("governance:incident_detail", args=[self.pk])

    def clean(self):
        super().clean()
        if self.agreement_id and self.partner_id and self.agreement.partner_id != self.partner_id:
            raise ValidationError(
                {"agreement": _("The agreement must be one of this partner's agreements.")}
            )

    @property
    def is_restricted(self) -> bool:
        return self.category in RESTRICTED_CATEGORIES

    @property
    def is_closed(self) -> bool:
        return self.status == IncidentStatus.CLOSED

    @property
    def is_serious_unresolved(self) -> bool:
        """Mirrors serious_unresolved_condition()."""
        return self.severity == Severity.SERIOUS and self.status in UNRESOLVED_STATUSES


class IncidentEvent(models.Model):
    """One row per change of an incident's status: who, when, from, to, and why."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    from_status = models.CharField(
        _("from"), max_length=15, choices=IncidentStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=15, choices=IncidentStatus.choices)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=IncidentOutcome.choices, blank=True
    )
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("incident event")
        verbose_name_plural = _("incident events")
        indexes = [
            # The audit trail reads closures in a date range.
            models.Index(fields=["to_status", "created_at"], name="incident_event_audit_idx"),
        ]

    def __str__(self):
        return f"{self.incident_id}: {self.from_status} → {self.to_status}"


class TerminationCitation(models.Model):
    """An incident a termination named as its cause (the recorded basis for ending a
    collaboration with immediate effect)."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="incident_citations"
    )
    incident = models.ForeignKey(
        Incident, on_delete=models.PROTECT, related_name="termination_citations"
    )
    cited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    cited_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["incident_id"]
        verbose_name = _("incident cited by a termination")
        verbose_name_plural = _("incidents cited by terminations")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "incident"], name="incident_cited_once_per_termination"
            ),
        ]

    def __str__(self):
        return f"{self.agreement_id}: {self.incident_id}"


class IncidentAcknowledgement(models.Model):
    """A serious unresolved incident that a manager acknowledged, explicitly, when
    approving an agreement with the partner."""

    decision = models.ForeignKey(
        ApprovalDecision, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    incident = models.ForeignKey(
        Incident, on_delete=models.PROTECT, related_name="acknowledgements"
    )

    class Meta:
        ordering = ["incident_id"]
        verbose_name = _("incident acknowledgement")
        verbose_name_plural = _("incident acknowledgements")
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "incident"], name="incident_acknowledged_once_per_decision"
            ),
        ]

    def __str__(self):
        return f"{self.decision_id}: {self.incident_id}"
