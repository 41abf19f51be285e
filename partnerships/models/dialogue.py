"""The dialogue log: meetings, visits, calls and workshops with a partner, who took
part, what was learned, and the follow-ups agreed (continuous mutual learning)."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.fields import DayField, SingleLineField
from partnerships.models.partners import Partner, PartnerContact


class DialogueKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    VISIT = "visit", _("Visit")
    CALL = "call", _("Call")
    WORKSHOP = "workshop", _("Workshop")


class DialogueEntry(models.Model):
    """One meeting or conversation with a partner: who took part, what was discussed and
    what was learned (continuous mutual learning in open dialogue: docs/domain.md).
    Entries are never deleted; the yearly evaluation reads the entries of its period."""

    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        related_name="dialogue_entries",
        verbose_name=_("partner"),
    )
    date = DayField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=DialogueKind.choices)
    agreement = models.ForeignKey(
        "agreements.Agreement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dialogue_entries",
        verbose_name=_("agreement"),
        help_text=_("The agreement the conversation concerns, if any."),
    )
    our_participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        verbose_name=_("our participants"),
    )
    our_other_participants = SingleLineField(
        _("other participants on our side"),
        max_length=500,
        blank=True,
        help_text=_("People without a login, for example volunteers or board members."),
    )
    partner_participants = SingleLineField(
        _("other participants from the partner"),
        max_length=500,
        blank=True,
        help_text=_("Names or roles of people who are not registered as contact people."),
    )
    topics = models.TextField(_("topics"))
    learned = models.TextField(
        _("what we learned"),
        blank=True,
        help_text=_("What either side learned, and what should change because of it."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("logged by"),
    )

    # Raised by every save through the form; see core.versioning.
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("dialogue entry")
        verbose_name_plural = _("dialogue entries")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=DialogueKind.values), name="dialogue_kind_valid"
            ),
        ]
        indexes = [
            # The partner page lists newest first; the evaluation form asks for a period.
            models.Index(fields=["partner", "date"], name="dialogue_partner_date_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {date_format(self.date, 'SHORT_DATE_FORMAT')}"

    def get_absolute_url(self):
        return reverse("partnerships:dialogue_detail", args=[self.partner_id, self.pk])

    def our_side_names(self) -> list[str]:
        names = [str(person) for person in self.our_participants.all()]
        return names + ([self.our_other_participants] if self.our_other_participants else [])

    def partner_side_names(self) -> list[str]:
        names = [row.name for row in self.partner_participant_rows.all()]
        return names + ([self.partner_participants] if self.partner_participants else [])

    def clean(self):
        # A database constraint cannot look across tables; the form offers only the
        # partner's own agreements, and this catches the admin and scripts.
        if self.agreement_id and self.partner_id and self.agreement.partner_id != self.partner_id:
            raise ValidationError({"agreement": _("Choose one of this partner's own agreements.")})


class DialoguePartnerParticipant(models.Model):
    """A contact person of the partner who took part in a conversation.

    The name is kept with the row: a contact removed from the partner later stays named
    in the conversations they took part in.
    """

    entry = models.ForeignKey(
        DialogueEntry, on_delete=models.CASCADE, related_name="partner_participant_rows"
    )
    contact = models.ForeignKey(
        PartnerContact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dialogue_participations",
        verbose_name=_("contact person"),
    )
    name = SingleLineField(_("name"), max_length=200)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("partner participant")
        verbose_name_plural = _("partner participants")
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "contact"], name="dialogue_contact_once_per_entry"
            ),
        ]

    def __str__(self):
        return self.name


class DialogueFollowUpQuerySet(models.QuerySet):
    def open(self):
        return self.filter(done_at__isnull=True)

    def overdue(self, today: datetime.date):
        """Not done, and the due date has passed (due today is not yet overdue)."""
        return self.open().filter(due_date__lt=today)


class DialogueFollowUp(models.Model):
    """Something agreed in a conversation, with the person who sees to it and a date."""

    entry = models.ForeignKey(
        DialogueEntry,
        on_delete=models.PROTECT,
        related_name="follow_ups",
        verbose_name=_("dialogue entry"),
    )
    description = SingleLineField(_("follow-up"), max_length=500)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="dialogue_follow_ups",
        verbose_name=_("owner"),
    )
    due_date = DayField(_("due date"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True, editable=False)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("done by"),
    )
    done_note = models.TextField(_("note on what was done"), blank=True, editable=False)

    objects = DialogueFollowUpQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        constraints = [
            models.CheckConstraint(
                condition=Q(done_at__isnull=True, done_by__isnull=True)
                | Q(done_at__isnull=False, done_by__isnull=False),
                name="follow_up_done_has_who_and_when",
            ),
        ]
        indexes = [
            # The dashboard's "overdue follow-ups": an owner's open ones by due date.
            models.Index(
                fields=["owner", "due_date"],
                condition=Q(done_at__isnull=True),
                name="follow_up_open_owner_due_idx",
            ),
        ]

    def __str__(self):
        return self.description

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        """Mirrors DialogueFollowUpQuerySet.overdue for one row already loaded."""
        today = today or timezone.localdate()
        return not self.is_done and self.due_date < today
