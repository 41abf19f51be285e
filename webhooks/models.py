"""Webhooks: other systems registered by a manager are told, over HTTP, when something
happens here. Each event is stored once (WebhookEvent) in the transaction that decided
it; each endpoint that subscribed gets one delivery of it (WebhookDelivery, unique per
event and endpoint: the claim), sent and retried by webhooks.services."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.fields import SingleLineField


class EventType(models.TextChoices):
    AGREEMENT_APPROVED = "agreement.approved", _("Agreement approved")
    AGREEMENT_TERMINATED = "agreement.terminated", _("Agreement terminated")
    AGREEMENT_AMENDED = "agreement.amended", _("Agreement amended")
    EVALUATION_COMPLETED = "evaluation.completed", _("Evaluation completed")
    OBLIGATION_OVERDUE = "obligation.overdue", _("Obligation overdue")


class WebhookEndpoint(models.Model):
    name = SingleLineField(
        _("name"), max_length=100, help_text=_("The receiving system, for example “finance”.")
    )
    url = models.URLField(_("address"), max_length=500)
    # Kept as given: signing needs the secret itself, not a hash of it. Never shown again
    # after it was set, and left out of the change history.
    secret = models.CharField(_("secret"), max_length=200)
    event_types = models.JSONField(_("events"), default=list)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("An inactive endpoint is sent nothing new.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["secret"])

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("webhooks:endpoint_detail", args=[self.pk])

    def event_type_labels(self) -> list[str]:
        labels = dict(EventType.choices)
        return [str(labels.get(value, value)) for value in self.event_types]


class WebhookEvent(models.Model):
    """Something that happened, with the JSON body every endpoint is sent, as signed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    event_type = models.CharField(_("event"), max_length=40, choices=EventType.choices)
    # What it happened to: "agreements.agreement" and its primary key.
    object_label = models.CharField(max_length=100)
    object_id = models.CharField(max_length=40)
    object_name = models.CharField(_("about"), max_length=200)
    body = models.TextField()
    created_at = models.DateTimeField(_("happened at"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("webhook event")
        verbose_name_plural = _("webhook events")

    def __str__(self):
        return f"{self.event_type} {self.object_name}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENDING = "sending", _("Sending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed, will retry")
    GAVE_UP = "gave_up", _("Failed")


class WebhookDelivery(models.Model):
    """One event for one endpoint. Its id is the delivery id the receiver is sent, so a
    receiver that gets the same delivery twice (a "send again") can tell."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    event = models.ForeignKey(WebhookEvent, on_delete=models.CASCADE, related_name="deliveries")
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(_("last answer"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "id"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [
            # The claim: an event goes to an endpoint once, however often it is emitted
            # or the sending job runs.
            models.UniqueConstraint(fields=["event", "endpoint"], name="one_delivery_per_endpoint"),
            models.CheckConstraint(
                condition=models.Q(status__in=DeliveryStatus.values),
                name="webhook_delivery_status_valid",
            ),
        ]
        indexes = [
            # The job that runs every minute: waiting and failed deliveries that are due.
            models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due_idx"),
            # The delivery log of one endpoint, newest first.
            models.Index(fields=["endpoint", "-created_at"], name="webhook_delivery_log_idx"),
        ]

    def __str__(self):
        return f"{self.event} → {self.endpoint} ({self.status})"
