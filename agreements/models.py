"""Written agreements with a partner: fixed period, contributions of each side,
measurable goals and obligations, approved by a manager and never renewed
automatically (docs/domain.md)."""

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Case, Exists, F, Min, OuterRef, Q, Subquery, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy
from simple_history.models import HistoricalRecords

from core.batches import id_batches
from core.dates import EARLIEST_DAY, LATEST_DAY, add_months
from core.fields import DayField, SingleLineField
from core.stored_state import RefreshesAgreementsQuerySet
from core.text import uniqueness_key
from core.validators import (
    DOCUMENT_EXTENSIONS,
    PDF_ONLY,
    DocumentValidator,
    refuse_implausible_day,
)
from partnerships.models import (
    DerivedKeysQuerySet,
    Partner,
    folded_contains,
    search_fold,
    search_text,
)


class AgreementType(models.TextChoices):
    LONG_TERM = "long_term", _("Long-term (spans programme periods)")
    TIME_LIMITED = "time_limited", _("Time-limited (within a programme period)")
    STRATEGIC = "strategic", _("Strategic (strengthens our organisation)")
    LOCAL_SPONSORSHIP = "local_sponsorship", _("Local sponsorship")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Pending approval")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")
    TERMINATED = "terminated", _("Terminated")


class Phase(models.TextChoices):
    """Where an approved agreement stands on a given day; derived, never stored."""

    UPCOMING = "upcoming", _("Upcoming")
    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")


class AmendmentStatus(models.TextChoices):
    """An amendment goes through the agreement's workflow (agreements.workflow), so it
    shares its statuses; it ends approved or withdrawn instead of terminated."""

    DRAFT = Status.DRAFT.value, Status.DRAFT.label
    PENDING = Status.PENDING.value, Status.PENDING.label
    # Said of an amendment: some languages inflect them differently than for an agreement.
    RETURNED = Status.RETURNED.value, pgettext_lazy("amendment", "Returned")
    APPROVED = Status.APPROVED.value, pgettext_lazy("amendment", "Approved")
    WITHDRAWN = "withdrawn", pgettext_lazy("amendment", "Withdrawn")


EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED)
# An amendment still to be decided on: at most one per agreement.
OPEN_AMENDMENT_STATUSES = (AmendmentStatus.DRAFT, AmendmentStatus.PENDING, AmendmentStatus.RETURNED)
# Every status a workflow event may name, of an agreement or an amendment.
WORKFLOW_STATUS_CHOICES = [
    *Status.choices,
    (AmendmentStatus.WITHDRAWN, AmendmentStatus.WITHDRAWN.label),
]
# "Has been approved": approved and still standing, or approved and later terminated.
APPROVED_STATUSES = (Status.APPROVED, Status.TERMINATED)

# The database's own bound on the dates of agreements and programme periods (the forms
# refuse earlier with a message: core.validators.refuse_implausible_day).
PLAUSIBLE_DATES = Q(start_date__gte=EARLIEST_DAY, end_date__lte=LATEST_DAY)


def latest_end_date(start: datetime.date) -> datetime.date:
    """The last end date an agreement starting on `start` may have: it runs at most
    settings.AGREEMENT_MAX_YEARS years."""
    return add_months(start, 12 * settings.AGREEMENT_MAX_YEARS) - datetime.timedelta(days=1)


class Currency(models.TextChoices):
    SEK = "SEK", "SEK"
    EUR = "EUR", "EUR"
    USD = "USD", "USD"
    NOK = "NOK", "NOK"
    DKK = "DKK", "DKK"
    GBP = "GBP", "GBP"


class TerminationCause(models.TextChoices):
    GUIDELINES_BREACHED = "guidelines_breached", _("Agreed guidelines not upheld")
    CODE_OF_CONDUCT = "code_of_conduct", _("Code of conduct breached")
    CORRUPTION = "corruption", _("Corruption or misuse of resources")
    GOALS_NOT_MET = "goals_not_met", _("Goals not met")
    PARTNER_REQUEST = "partner_request", _("At the partner's request")
    PARTNER_CLOSED = "partner_closed", _("Partner ceased operating")
    OTHER = "other", _("Other")


def phase_condition(phase: str, today: datetime.date) -> Q:
    """The filter for agreements in a phase on a day. Agreement.phase() mirrors it."""
    approved = Q(status=Status.APPROVED)
    if phase == Phase.UPCOMING:
        return approved & Q(start_date__gt=today)
    if phase == Phase.ACTIVE:
        return approved & Q(start_date__lte=today, end_date__gte=today)
    if phase == Phase.EXPIRED:
        return approved & Q(end_date__lt=today)
    raise ValueError(f"unknown phase {phase!r}")


def _awaiting_approval_condition(user) -> Q:
    """AgreementQuerySet.awaiting_approval_by() as a condition."""
    shaped = AgreementContributor.objects.filter(
        agreement=OuterRef("pk"), user=user, shaped_terms=True
    )
    # Declared an interest in it, or already answered for the version submitted.
    answered = ApprovalDecision.objects.filter(
        agreement=OuterRef("pk"), amendment=None, manager=user
    ).filter(Q(outcome=ApprovalOutcome.STOOD_ASIDE) | Q(submitted_at=OuterRef("submitted_at")))
    return (
        Q(status=Status.PENDING)
        & ~Q(created_by=user)
        & ~Q(submitted_by=user)
        & ~Exists(shaped)
        & ~Exists(answered)
    )


def not_ended_condition(today: datetime.date) -> Q:
    """Approved agreements active or upcoming on a day: phase_condition(ACTIVE) or
    phase_condition(UPCOMING), as one range on the (status, end date) index (an upcoming
    agreement ends after it starts, so after today too)."""
    return Q(status=Status.APPROVED, end_date__gte=today)


class AgreementQuerySet(DerivedKeysQuerySet):
    def in_phase(self, phase: str, today: datetime.date | None = None):
        return self.filter(phase_condition(phase, today or timezone.localdate()))

    def active(self, today: datetime.date | None = None):
        return self.in_phase(Phase.ACTIVE, today)

    def with_phase(self, today: datetime.date | None = None):
        """Annotates `current_phase` (empty unless approved), for ordering and export."""
        today = today or timezone.localdate()
        return self.annotate(
            current_phase=Case(
                *(When(phase_condition(p, today), then=Value(p)) for p in Phase.values),
                default=Value(""),
                output_field=models.CharField(),
            )
        )

    def ending_within(self, days: int, today: datetime.date | None = None):
        """Approved agreements still running whose end date is within `days` days."""
        today = today or timezone.localdate()
        return self.filter(
            status=Status.APPROVED,
            end_date__gte=today,
            end_date__lte=today + datetime.timedelta(days=days),
        )

    def with_overdue_obligations(self, today: datetime.date | None = None):
        """Agreements with at least one overdue obligation (a semi-join)."""
        today = today or timezone.localdate()
        # overdue_obligation_condition() in two parts: the agreement's status on the
        # agreement itself (its index), the obligation's part in the semi-join, which
        # then needs no join back to the agreement for each of its rows.
        overdue = Obligation.objects.filter(
            _open_past_due_condition(today), agreement=OuterRef("pk")
        )
        # The stored first open due date narrows the approved agreements to those with an
        # open obligation due before today (an index range), and the semi-join then asks
        # only those whether that obligation is in force today.
        return self.filter(status=Status.APPROVED, first_open_obligation_due__lt=today).filter(
            Exists(overdue)
        )

    def awaiting_signature(self):
        """Approved agreements whose signed copy is not filed yet. Agreement.is_signed
        mirrors it."""
        return self.filter(status=Status.APPROVED, signed_document="")

    def awaiting_approval_by(self, user):
        """Pending agreements this user may decide on (four-eyes: none whose terms they
        drafted, edited or submitted; none they declared an interest in or already
        answered for the version submitted). Mirrors permissions.can_approve_agreement."""
        return self.filter(_awaiting_approval_condition(user))

    def awaiting_decision_by(self, user):
        """Agreements with something this user may approve: the agreement itself, or its
        pending amendment (four-eyes for each; the "Awaiting my approval" list)."""
        # The pending status on the agreement itself (its index) or the ids of the
        # pending amendments: an EXISTS or a set of pending ids beside the OR made the
        # database test each of the 30,000 agreements.
        amendments = Amendment.objects.awaiting_approval_by(user).values("agreement_id")
        return self.filter(_awaiting_approval_condition(user) | Q(pk__in=amendments))

    def search(self, text: str):
        """Reference, title (the stored search_text) or partner name. Partners are
        searched in their own table (Partner.objects.name_contains)."""
        folded = search_fold(text.strip())
        if not folded:
            return self
        partners = Partner.objects.name_contains(text).values("pk")
        return self.filter(folded_contains("search_text", folded) | Q(partner_id__in=partners))


class ProgrammePeriod(models.Model):
    """A programme period of the organisation (docs/domain.md: a time-limited partnership is
    entered within one; a long-term one reaches beyond it). Periods never overlap:
    clean() says so, and on PostgreSQL an exclusion constraint holds it when two are
    saved at once (migration programme_periods_do_not_overlap; SQLite lets one writer
    in at a time)."""

    name = SingleLineField(_("name"), max_length=100)
    # The name as uniqueness is judged (core.text.uniqueness_key): "Programme 2026" and
    # "programme\u200b 2026" are one name. Kept up to date by save().
    name_key = models.CharField(
        max_length=100,
        unique=True,
        editable=False,
        error_messages={"unique": _("A programme period with this name exists already.")},
    )
    start_date = DayField(_("start date"))
    end_date = DayField(_("end date"))
    annual_budget = models.DecimalField(
        _("annual budget for partnerships"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("In the organisation's currency. Leave empty if there is no budget."),
    )

    # Raised by every save through the form; see core.versioning.
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["start_date"]
        verbose_name = _("programme period")
        verbose_name_plural = _("programme periods")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gt=F("start_date")),
                name="programme_period_ends_after_it_starts",
                violation_error_message=_("The end date must be after the start date."),
            ),
            models.CheckConstraint(
                condition=Q(annual_budget__isnull=True) | Q(annual_budget__gte=0),
                name="programme_period_budget_not_negative",
                violation_error_message=_("The budget cannot be negative."),
            ),
            models.CheckConstraint(
                condition=PLAUSIBLE_DATES, name="programme_period_dates_plausible"
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_key = uniqueness_key(self.name)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        self.name_key = uniqueness_key(self.name)
        if ProgrammePeriod.objects.exclude(pk=self.pk).filter(name_key=self.name_key).exists():
            raise ValidationError(
                {"name": _("A programme period with this name exists already.")},
                code="unique",
            )
        if self.start_date and self.end_date and self.end_date > self.start_date:
            overlapping = (
                ProgrammePeriod.objects.exclude(pk=self.pk)
                .filter(start_date__lte=self.end_date, end_date__gte=self.start_date)
                .first()
            )
            if overlapping:
                raise ValidationError(
                    _("Programme periods cannot overlap: %(name)s runs %(start)s – %(end)s.")
                    % {
                        "name": overlapping.name,
                        "start": date_format(overlapping.start_date, "SHORT_DATE_FORMAT"),
                        "end": date_format(overlapping.end_date, "SHORT_DATE_FORMAT"),
                    }
                )

    def contains(self, start: datetime.date, end: datetime.date) -> bool:
        return self.start_date <= start and end <= self.end_date

    @classmethod
    def covering(cls, day: datetime.date):
        return cls.objects.filter(start_date__lte=day, end_date__gte=day).first()


def signed_document_path(agreement, filename):
    return f"agreements/signed/{uuid.uuid4().hex}/{filename}"


class Agreement(models.Model):
    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("partner")
    )
    title = SingleLineField(_("title"), max_length=200)
    agreement_type = models.CharField(
        _("partnership type"), max_length=20, choices=AgreementType.choices
    )
    description = models.TextField(_("purpose and description"), blank=True)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="responsible_agreements",
        verbose_name=_("responsible staff member"),
    )
    start_date = DayField(_("start date"))
    end_date = DayField(
        _("end date"), help_text=_("Fixed. The agreement is never extended automatically.")
    )

    economic_amount = models.DecimalField(
        _("economic contribution"), max_digits=14, decimal_places=2, default=0
    )
    currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.SEK
    )
    payment_terms = models.TextField(_("payment terms"), blank=True)
    marketing_contributions = models.TextField(_("marketing contributions"), blank=True)
    conduct = models.TextField(
        _("conduct"), blank=True, help_text=_("How each side behaves and appears.")
    )
    exchange = models.TextField(_("exchange"), blank=True, help_text=_("What each side gets."))
    termination_terms = models.TextField(_("termination terms"), blank=True)
    # The signed copy is filed after approval (signing follows it), without touching the
    # locked terms: see services.agreement_attach_signed_document.
    signed_document = models.FileField(
        _("signed agreement (PDF)"),
        upload_to=signed_document_path,
        blank=True,
        validators=[DocumentValidator(PDF_ONLY)],
    )
    signed_on = DayField(
        _("signed on"),
        null=True,
        blank=True,
        help_text=_("The day the last side signed."),
    )
    signed_document_added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("signed copy filed by"),
    )
    signed_document_added_at = models.DateTimeField(
        _("signed copy filed at"), null=True, blank=True, editable=False
    )
    programme_period = models.ForeignKey(
        ProgrammePeriod,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name=_("programme period"),
        help_text=_("A time-limited agreement must lie inside its programme period."),
    )
    follows = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="followed_by",
        verbose_name=_("follows agreement"),
    )

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, editable=False)
    terminated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("terminated by"),
    )
    terminated_on = DayField(
        _("terminated with effect from"), null=True, blank=True, editable=False
    )
    termination_cause = models.CharField(
        _("cause of termination"),
        max_length=30,
        choices=TerminationCause.choices,
        blank=True,
        editable=False,
    )
    termination_reason = models.TextField(_("reason for termination"), blank=True, editable=False)

    # Raised by every save through the forms; see core.versioning.
    version = models.PositiveIntegerField(default=1, editable=False)

    # The latest approved terms (agreements.amendments); empty until the approval.
    terms = models.ForeignKey(
        "agreements.TermsVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("current terms"),
    )

    # Reference and title, folded (partnerships' search_text()), for search(); kept up
    # to date by save() and the bulk writes (DerivedKeysQuerySet).
    search_text = models.TextField(default="", editable=False)
    # The earliest due date of its open obligations (of any terms version), for the
    # overdue-obligations rule; written only by refresh_first_open_obligation_due(),
    # which every write of an obligation calls, never by save().
    first_open_obligation_due = models.DateField(null=True, editable=False)

    workflow_kind = "agreement"

    objects = AgreementQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        permissions = [
            ("approve_agreement", _("Can approve or return agreements")),
            ("terminate_agreement", _("Can terminate agreements")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gt=F("start_date")),
                name="agreement_ends_after_it_starts",
                violation_error_message=_("The end date must be after the start date."),
            ),
            models.CheckConstraint(
                condition=Q(economic_amount__gte=0),
                name="agreement_economic_amount_not_negative",
                violation_error_message=_("The economic contribution cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="agreement_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(agreement_type__in=AgreementType.values),
                name="agreement_type_valid",
            ),
            # Four-eyes: nobody approves an agreement they drafted or submitted.
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True)
                | (~Q(approved_by=F("created_by")) & ~Q(approved_by=F("submitted_by"))),
                name="agreement_approver_is_not_author",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=APPROVED_STATUSES)
                | Q(approved_by__isnull=False, approved_at__isnull=False),
                name="agreement_approval_recorded",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.TERMINATED)
                | (
                    Q(terminated_on__isnull=False, terminated_by__isnull=False)
                    & ~Q(termination_reason="")
                    & ~Q(termination_cause="")
                ),
                name="agreement_termination_recorded",
            ),
            models.CheckConstraint(
                condition=~Q(follows=F("id")), name="agreement_does_not_follow_itself"
            ),
            models.CheckConstraint(condition=PLAUSIBLE_DATES, name="agreement_dates_plausible"),
            # A renewal is the one agreement that follows another; a terminated one
            # makes room for the next (Agreement.follower()).
            models.UniqueConstraint(
                fields=["follows"],
                condition=Q(follows__isnull=False) & ~Q(status=Status.TERMINATED),
                name="one_follower_per_agreement",
                violation_error_message=_("Another agreement already follows this one."),
            ),
            # A signing date belongs to a filed signed copy of an approved agreement.
            models.CheckConstraint(
                condition=Q(signed_on__isnull=True) | ~Q(signed_document=""),
                name="agreement_signed_on_has_document",
                violation_error_message=_("Attach the signed agreement with its date."),
            ),
            models.CheckConstraint(
                condition=Q(signed_on__isnull=True) | Q(status__in=APPROVED_STATUSES),
                name="agreement_signed_once_approved",
                violation_error_message=_("Only an approved agreement is signed."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "end_date"], name="agreement_status_end_idx"),
            models.Index(fields=["status", "start_date"], name="agreement_status_start_idx"),
            # The agreement list's default order (latest start first) without sorting all
            # 30,000 rows: page 200 took 3 times as long as page 1 without it.
            models.Index(fields=["start_date"], name="agreement_start_idx"),
            # "Mine" on the dashboard and the lists (responsible, a status, by end date):
            # a manager responsible for none scanned every approved agreement.
            models.Index(
                fields=["responsible", "status", "end_date"], name="agreement_responsible_idx"
            ),
            # Approved agreements with an open obligation due before a day (the
            # overdue-obligations panel, filter and reminder).
            models.Index(
                fields=["status", "first_open_obligation_due"], name="agreement_open_due_idx"
            ),
            # "Terminated this year" on the dashboard.
            models.Index(fields=["status", "terminated_on"], name="agreement_terminated_idx"),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}"

    # The stored key and the fields it is made from; see partnerships' Partner.
    DERIVED_KEYS = {"search_text"}
    DERIVED_FROM = {"reference", "title"}

    # Kept by the obligations' writes: a save() of an agreement read before one of them
    # must not write back the value it read.
    STORED_BY_OBLIGATIONS = "first_open_obligation_due"

    def save(self, *args, **kwargs):
        self.derive_keys()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and self.DERIVED_FROM.intersection(update_fields):
            kwargs["update_fields"] = {*update_fields, *self.DERIVED_KEYS}
        if update_fields is None and not self._state.adding and not kwargs.get("force_insert"):
            deferred = self.get_deferred_fields()
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key
                and field.attname not in deferred
                and field.name != self.STORED_BY_OBLIGATIONS
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("agreements:agreement_detail", args=[self.pk])

    def derive_keys(self):
        """The text search() reads: save() and the bulk writes of DerivedKeysQuerySet
        call this, so every write path keeps it."""
        self.search_text = search_text(self.reference, self.title)

    def phase(self, today: datetime.date | None = None) -> str:
        """Upcoming, active or expired for an approved agreement; "" otherwise.

        Mirrors phase_condition(), which lists and filters use.
        """
        if self.status != Status.APPROVED:
            return ""
        today = today or timezone.localdate()
        if self.start_date > today:
            return Phase.UPCOMING
        if self.end_date < today:
            return Phase.EXPIRED
        return Phase.ACTIVE

    def get_phase_display(self) -> str:
        phase = self.phase()
        return Phase(phase).label if phase else ""

    def shaped_by(self, user) -> bool:
        """Did this user draft, edit or submit the terms (four-eyes)?"""
        return user.pk in (self.created_by_id, self.submitted_by_id) or (
            self.contributors.filter(user_id=user.pk, shaped_terms=True).exists()
        )

    def state_label(self) -> str:
        """What the user sees: the phase for an approved agreement, else the status."""
        return self.get_phase_display() or self.get_status_display()

    def state_code(self) -> str:
        return self.phase() or self.status

    @property
    def was_approved(self) -> bool:
        """Approved at some point: its terms took effect (approved, or later terminated)."""
        return self.status in APPROVED_STATUSES

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    def follower(self) -> "Agreement | None":
        """The agreement that follows this one: at most one that is not terminated
        (the constraint one_follower_per_agreement)."""
        return self.followed_by.exclude(status=Status.TERMINATED).first()

    @property
    def current_terms(self):
        """The terms to show and to build on: the latest approved terms version, or for
        an agreement not yet approved its own fields (a TermsVersion has the same names)."""
        return self.terms if self.terms_id else self

    @property
    def is_signed(self) -> bool:
        """Whether the signed copy is filed. Mirrors AgreementQuerySet.awaiting_signature()."""
        return bool(self.signed_document)

    @property
    def signed_document_name(self) -> str:
        """The file name the user gave, never the storage path."""
        return self.signed_document.name.rsplit("/", 1)[-1] if self.signed_document else ""

    @property
    def length_in_days(self) -> int:
        return (self.end_date - self.start_date).days

    def clean(self):
        super().clean()
        problem = self.length_problem()
        if problem:
            raise ValidationError({"end_date": problem})

    def length_problem(self) -> str | None:
        """The period is longer than settings.AGREEMENT_MAX_YEARS years."""
        if self.start_date is None or self.end_date is None or self.end_date > LATEST_DAY:
            return None  # an end date past the range gets its own message
        latest = latest_end_date(self.start_date)
        if self.end_date <= latest:
            return None
        years = settings.AGREEMENT_MAX_YEARS
        return ngettext(
            "An agreement runs at most %(years)s year: starting on %(start)s, it ends on %(latest)s at the latest.",
            "An agreement runs at most %(years)s years: starting on %(start)s, it ends on %(latest)s at the latest.",
            years,
        ) % {
            "years": years,
            "start": date_format(self.start_date, "SHORT_DATE_FORMAT"),
            "latest": date_format(latest, "SHORT_DATE_FORMAT"),
        }

    def period_problems(self) -> list[str]:
        """What is wrong with the period itself, for submitting and approving a draft
        made before these rules: dates outside the range the app counts in, or longer
        than the longest agreement. Approving such a period would leave the calendar."""
        problems = []
        for day in (self.start_date, self.end_date):
            try:
                refuse_implausible_day(day)
            except ValidationError as error:
                problems.extend(message for message in error.messages if message not in problems)
        problem = self.length_problem()
        return [*problems, *([problem] if problem else [])]

    def completeness_problems(self, today: datetime.date | None = None) -> list[str]:
        """What is still missing before the agreement may be submitted, in plain words."""
        today = today or timezone.localdate()
        problems = []
        goals = list(self.goals.all())
        obligations = list(self.obligations.all())
        if not goals:
            problems.append(_("Add at least one measurable goal."))
        sides = {obligation.side for obligation in obligations}
        if Side.OURS not in sides:
            problems.append(_("Add at least one obligation of our organisation."))
        if Side.PARTNER not in sides:
            problems.append(_("Add at least one obligation of the partner."))
        if not self.payment_terms.strip():
            problems.append(
                _(
                    "Describe the economic contribution: the payment terms (write “none” if no money is paid)."
                )
            )
        if not self.marketing_contributions.strip():
            problems.append(_("Describe the marketing contributions."))
        if not self.conduct.strip():
            problems.append(_("Describe the conduct: how each side behaves and appears."))
        if not self.exchange.strip():
            problems.append(_("Describe the exchange: what each side gets."))
        if self.end_date < today:
            problems.append(_("The end date has passed. Choose an end date in the future."))
        problems.extend(self.period_problems())
        if self.partner.is_archived:
            problems.append(_("The partner is archived. Restore the partner first."))
        problems.extend(self.programme_period_problems())
        return [str(problem) for problem in problems]

    def programme_period_problems(self) -> list[str]:
        """A time-limited agreement lies inside the programme period it names."""
        if self.agreement_type != AgreementType.TIME_LIMITED:
            return []
        period = self.programme_period
        if period is None:
            if ProgrammePeriod.objects.exists():
                return [_("Choose the programme period this time-limited agreement belongs to.")]
            return []
        if period.contains(self.start_date, self.end_date):
            return []
        return [
            _(
                "A time-limited agreement must lie inside its programme period: %(name)s runs "
                "%(period_start)s – %(period_end)s, this agreement %(start)s – %(end)s."
            )
            % {
                "name": period.name,
                "period_start": date_format(period.start_date, "SHORT_DATE_FORMAT"),
                "period_end": date_format(period.end_date, "SHORT_DATE_FORMAT"),
                "start": date_format(self.start_date, "SHORT_DATE_FORMAT"),
                "end": date_format(self.end_date, "SHORT_DATE_FORMAT"),
            }
        ]

    def programme_period_warnings(self) -> list[str]:
        """A long-term agreement is expected to reach beyond the period it starts in."""
        if self.agreement_type != AgreementType.LONG_TERM:
            return []
        period = self.programme_period or ProgrammePeriod.covering(self.start_date)
        if period is None or self.end_date > period.end_date:
            return []
        return [
            _(
                "A long-term agreement is expected to reach beyond its programme period, but "
                "this one ends within %(name)s (which ends %(period_end)s). Is it time-limited?"
            )
            % {
                "name": period.name,
                "period_end": date_format(period.end_date, "SHORT_DATE_FORMAT"),
            }
        ]


class ReferenceCounter(models.Model):
    """The last agreement number used in a year: AGR-<year>-<number>."""

    year = models.PositiveIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last_number}"

    @classmethod
    def next_reference(cls, year: int) -> str:
        """Hands out the next number of the year, safely when two are created at once.

        The UPDATE locks the year's row until the surrounding transaction ends, so a
        second caller waits and then gets the next number.
        """
        for _attempt in range(3):
            with transaction.atomic():
                updated = cls.objects.filter(year=year).update(last_number=F("last_number") + 1)
                if updated:
                    number = cls.objects.get(year=year).last_number
                    return f"AGR-{year}-{number:04d}"
                try:
                    with transaction.atomic():
                        cls.objects.create(year=year, last_number=1)
                    return f"AGR-{year}-0001"
                except IntegrityError:
                    continue  # someone created the year's row first; count from theirs
        raise RuntimeError("could not allocate an agreement reference")


class GoalKind(models.TextChoices):
    QUANTITATIVE = "quantitative", _("Quantitative")
    QUALITATIVE = "qualitative", _("Qualitative")


def _goal_terms_constraints(prefix: str) -> list:
    """What makes a goal readable and measurable, for a goal and a proposed one alike."""
    return [
        models.CheckConstraint(
            condition=~Q(kind=GoalKind.QUANTITATIVE)
            | (
                ~Q(indicator="")
                & ~Q(unit="")
                & Q(baseline__isnull=False, target_value__isnull=False)
            ),
            name=f"{prefix}quantitative_goal_is_measurable",
            violation_error_message=_(
                "A quantitative goal needs an indicator, a baseline, a target value and a unit."
            ),
        ),
        models.CheckConstraint(
            condition=~Q(kind=GoalKind.QUALITATIVE)
            | (~Q(expected_outcome="") & ~Q(assessment_method="")),
            name=f"{prefix}qualitative_goal_is_judgeable",
            violation_error_message=_(
                "A qualitative goal needs the expected outcome and how it will be judged."
            ),
        ),
        models.CheckConstraint(
            condition=Q(kind__in=GoalKind.values), name=f"{prefix}goal_kind_valid"
        ),
    ]


class GoalTerms(models.Model):
    """What a goal says: shared by a goal and a goal proposed by an amendment."""

    description = models.TextField(_("goal"))
    kind = models.CharField(_("kind"), max_length=15, choices=GoalKind.choices)
    indicator = SingleLineField(_("indicator"), max_length=200, blank=True)
    baseline = models.DecimalField(
        _("baseline"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    target_value = models.DecimalField(
        _("target value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    unit = SingleLineField(_("unit"), max_length=50, blank=True)
    expected_outcome = models.TextField(_("expected outcome"), blank=True)
    assessment_method = models.TextField(_("how it will be judged"), blank=True)

    TERM_FIELDS = (
        "description",
        "kind",
        "indicator",
        "baseline",
        "target_value",
        "unit",
        "expected_outcome",
        "assessment_method",
    )

    class Meta:
        abstract = True

    def __str__(self):
        return self.description[:80]

    def terms(self) -> dict:
        return {name: getattr(self, name) for name in self.TERM_FIELDS}


def in_force_condition(day: datetime.date, prefix: str = "") -> Q:
    """Goals or obligations in force on a day: in the terms version in force then.
    `prefix` reaches the row from another model."""
    return (
        Q(**{f"{prefix}in_force_from__isnull": True}) | Q(**{f"{prefix}in_force_from__lte": day})
    ) & (
        Q(**{f"{prefix}in_force_until__isnull": True}) | Q(**{f"{prefix}in_force_until__gte": day})
    )


def in_terms_order(rows) -> list:
    """Goals or obligations in the order the terms list them: a changed one keeps the
    place of the one it replaced (obligations by side first)."""
    return sorted(rows, key=lambda row: (getattr(row, "side", ""), row.lineage_id, row.pk))


class TermsRowQuerySet(models.QuerySet):
    """Goals and obligations of an agreement across its terms versions."""

    def current(self):
        """In the agreement's latest terms: neither replaced nor removed by an amendment."""
        return self.filter(superseded_in__isnull=True)

    def in_force_on(self, day: datetime.date):
        return self.filter(in_force_condition(day))

    def in_version(self, version):
        """The rows of one terms version (rows without a version belong to version 1)."""
        return self.filter(agreement_id=version.agreement_id).filter(
            Q(introduced_in__isnull=True) | Q(introduced_in__number__lte=version.number),
            Q(superseded_in__isnull=True) | Q(superseded_in__number__gt=version.number),
        )


class AmendableTerm(models.Model):
    """A goal or an obligation as the terms versions see it.

    Rows of the terms as first approved have no versions; an approved amendment that
    changes or removes a row sets its `superseded_in` (the row stays, with its results
    and follow-up), and a changed or added row is a new row `introduced_in` the new
    version. The in-force dates repeat the versions' dates, so the daily queries need
    no join. `origin` links a changed row to the first row of its line.
    """

    origin = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("first version"),
    )
    introduced_in = models.ForeignKey(
        "agreements.TermsVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("added by terms version"),
    )
    superseded_in = models.ForeignKey(
        "agreements.TermsVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("replaced by terms version"),
    )
    in_force_from = models.DateField(_("in force from"), null=True, blank=True, editable=False)
    in_force_until = models.DateField(_("in force until"), null=True, blank=True, editable=False)

    objects = TermsRowQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def lineage_id(self) -> int:
        """The same for every version of one goal or obligation."""
        return self.origin_id or self.pk

    def is_in_force_on(self, day: datetime.date) -> bool:
        """Mirrors in_force_condition()."""
        return (self.in_force_from is None or self.in_force_from <= day) and (
            self.in_force_until is None or self.in_force_until >= day
        )


def _amendable_term_constraints(prefix: str) -> list:
    return [
        models.CheckConstraint(
            condition=Q(introduced_in__isnull=True, in_force_from__isnull=True)
            | Q(introduced_in__isnull=False, in_force_from__isnull=False),
            name=f"{prefix}_introduction_dated",
        ),
        models.CheckConstraint(
            condition=Q(superseded_in__isnull=True, in_force_until__isnull=True)
            | Q(superseded_in__isnull=False, in_force_until__isnull=False),
            name=f"{prefix}_supersession_dated",
        ),
    ]


class Goal(GoalTerms, AmendableTerm):
    """A readable, measurable goal of an agreement (every agreement has one)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="goals")

    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        constraints = [*_goal_terms_constraints(""), *_amendable_term_constraints("goal")]


class Side(models.TextChoices):
    OURS = "ours", _("Our organisation")
    PARTNER = "partner", _("The partner")


class ObligationCategory(models.TextChoices):
    ECONOMIC = "economic", _("Economic")
    MARKETING = "marketing", _("Marketing")
    REPORTING = "reporting", _("Reporting")
    CONDUCT = "conduct", _("Conduct")
    EXCHANGE = "exchange", _("Exchange")
    OTHER = "other", _("Other")


class Fulfilment(models.TextChoices):
    OPEN = "open", _("Open")
    FULFILLED = "fulfilled", _("Fulfilled")
    NOT_FULFILLED = "not_fulfilled", _("Not fulfilled")
    ENDED_BY_TERMINATION = "ended_by_termination", _("Ended by termination")


def overdue_obligation_condition(today: datetime.date, prefix: str = "") -> Q:
    """Open obligations in force today of an approved agreement whose due date has passed.
    Obligation.is_overdue() mirrors it. `prefix` reaches the obligation from another model."""
    return Q(**{f"{prefix}agreement__status": Status.APPROVED}) & _open_past_due_condition(
        today, prefix
    )


def _open_past_due_condition(today: datetime.date, prefix: str = "") -> Q:
    """The obligation's own part of overdue_obligation_condition()."""
    return Q(
        **{f"{prefix}fulfilment": Fulfilment.OPEN, f"{prefix}due_date__lt": today}
    ) & in_force_condition(today, prefix)


class ObligationQuerySet(RefreshesAgreementsQuerySet, TermsRowQuerySet):
    """Writes through this queryset keep their agreements' first open due date right
    (refresh_first_open_obligation_due), as Obligation.save() and delete() do;
    bulk_update() goes through update()."""

    def overdue(self, today: datetime.date | None = None):
        return self.filter(overdue_obligation_condition(today or timezone.localdate()))

    def refresh_agreements(self, agreement_ids) -> None:
        refresh_first_open_obligation_due(agreement_ids)


def refresh_first_open_obligation_due(agreement_ids) -> None:
    """Store each agreement's earliest open obligation due date, derived afresh."""
    first_due = (
        Obligation.objects.filter(agreement=OuterRef("pk"), fulfilment=Fulfilment.OPEN)
        .order_by()
        .values("agreement")
        .annotate(first=Min("due_date"))
        .values("first")
    )
    for ids in id_batches(agreement_ids):
        batch = Agreement.objects.filter(pk__in=ids)
        with transaction.atomic():
            # One refresh of an agreement at a time: on PostgreSQL a second one waits
            # here, and its update then reads what the first committed.
            list(batch.select_for_update().order_by("pk").values_list("pk", flat=True))
            models.QuerySet.update(batch, first_open_obligation_due=Subquery(first_due))


def evidence_path(obligation, filename):
    return f"agreements/evidence/{uuid.uuid4().hex}/{filename}"


class ObligationTerms(models.Model):
    """What an obligation says: shared by an obligation and one proposed by an amendment."""

    side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    category = models.CharField(_("category"), max_length=15, choices=ObligationCategory.choices)
    description = models.TextField(_("obligation"))
    due_date = DayField(_("due date"), null=True, blank=True)

    TERM_FIELDS = ("side", "category", "description", "due_date")

    class Meta:
        abstract = True

    def __str__(self):
        return self.description[:80]

    def terms(self) -> dict:
        return {name: getattr(self, name) for name in self.TERM_FIELDS}


class Obligation(ObligationTerms, AmendableTerm):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="obligations")

    # Follow-up once the agreement is approved; see services.obligation_record_outcome.
    fulfilment = models.CharField(
        _("fulfilment"), max_length=25, choices=Fulfilment.choices, default=Fulfilment.OPEN
    )
    fulfilled_on = DayField(_("date"), null=True, blank=True)
    fulfilment_note = models.TextField(_("note"), blank=True)
    fulfilment_evidence = models.FileField(
        _("evidence"),
        upload_to=evidence_path,
        blank=True,
        validators=[DocumentValidator((*DOCUMENT_EXTENSIONS, "png", "jpg", "jpeg"))],
    )
    fulfilment_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    fulfilment_recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    # The "proposed by the partner" step: set when staff confirm what a partner user
    # reported in the partner portal (services.obligation_confirm_partner_proposal).
    fulfilment_proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by the partner"),
    )
    fulfilment_proposed_at = models.DateTimeField(
        _("proposed by the partner at"), null=True, blank=True
    )

    # Raised by every follow-up saved through the form; see core.versioning.
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ObligationQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["side", "id"]
        verbose_name = _("obligation")
        verbose_name_plural = _("obligations")
        indexes = [
            # The overdue-obligations filter, dashboard panel and daily reminder:
            # fulfilment = open AND due_date < today.
            models.Index(fields=["fulfilment", "due_date"], name="obligation_open_due_idx"),
            # The same filter for one agreement (Agreement.objects.with_overdue_obligations,
            # a semi-join per agreement). Without it SQLite walked every open overdue
            # obligation (those of drafts too) for each of 30,000 agreements: minutes.
            models.Index(
                fields=["agreement", "fulfilment", "due_date"],
                name="obligation_agreement_open_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(fulfilment__in=Fulfilment.values), name="obligation_fulfilment_valid"
            ),
            models.CheckConstraint(
                condition=~Q(fulfilment=Fulfilment.FULFILLED) | Q(fulfilled_on__isnull=False),
                name="obligation_fulfilment_dated",
                violation_error_message=_("Give the date the obligation was fulfilled."),
            ),
            models.CheckConstraint(condition=Q(side__in=Side.values), name="obligation_side_valid"),
            models.CheckConstraint(
                condition=Q(category__in=ObligationCategory.values),
                name="obligation_category_valid",
            ),
            *_amendable_term_constraints("obligation"),
        ]

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        refresh_first_open_obligation_due({self.agreement_id})

    def delete(self, *args, **kwargs):
        agreement_id = self.agreement_id
        deleted = super().delete(*args, **kwargs)
        refresh_first_open_obligation_due({agreement_id})
        return deleted

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        """Mirrors overdue_obligation_condition()."""
        today = today or timezone.localdate()
        return (
            self.fulfilment == Fulfilment.OPEN
            and self.due_date is not None
            and self.due_date < today
            and self.agreement.status == Status.APPROVED
            and self.is_in_force_on(today)
        )


class AgreementEvent(models.Model):
    """One row per change of status of an agreement or of one of its amendments
    (`amendment` set): who, when, from, to and why."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="events")
    amendment = models.ForeignKey(
        "agreements.Amendment",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("amendment"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    from_status = models.CharField(
        _("from"), max_length=20, choices=WORKFLOW_STATUS_CHOICES, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=WORKFLOW_STATUS_CHOICES)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("agreement event")
        verbose_name_plural = _("agreement events")

    def __str__(self):
        return f"{self.agreement.reference}: {self.from_status} → {self.to_status}"


class Contributor(models.Model):
    """Who shaped a workflow record's terms (drafted, edited or submitted them) and who
    approved it: one row per person and record, for an agreement and for an amendment.

    Four-eyes in the database: a row cannot both have shaped the terms and approved them,
    so a manager who edited a colleague's draft cannot approve it however the approval
    is attempted (the page, the admin, a script).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    shaped_terms = models.BooleanField(default=False)
    approved = models.BooleanField(default=False)

    class Meta:
        abstract = True


def _contributor_constraints(record: str, message, prefix: str = "") -> list:
    return [
        models.UniqueConstraint(
            fields=[record, "user"], name=f"{prefix}one_contributor_row_per_person"
        ),
        models.CheckConstraint(
            condition=~Q(shaped_terms=True, approved=True),
            name=f"{prefix}approver_did_not_shape_the_terms",
            violation_error_message=message,
        ),
    ]


class AgreementContributor(Contributor):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="contributors")

    class Meta:
        verbose_name = _("contributor")
        verbose_name_plural = _("contributors")
        constraints = _contributor_constraints(
            "agreement",
            _("Four-eyes: nobody who drafted, edited or submitted an agreement approves it."),
        )

    def __str__(self):
        return f"{self.agreement_id}: {self.user_id}"


# The error recorded on an export whose worker stopped; the page explains it to the user.
ABANDONED_ERROR = "abandoned:"


class ApprovalOutcome(models.TextChoices):
    APPROVED = "approved", _("Approved, no conflict of interest declared")
    STOOD_ASIDE = "stood_aside", _("Declared an interest and stood aside")


class ApprovalDecision(models.Model):
    """A manager's answer on the approval page of an agreement or of an amendment
    (`amendment` set), for the version submitted (`submitted_at` is the record's
    submitted_at then): approved, declaring no personal or financial interest in the
    partner, with what they acknowledged (governance.IncidentAcknowledgement); or
    declared an interest (`interest`) and so stood aside: another manager must approve.
    Approvals of an earlier submission do not count for a later one (the terms may have
    changed in between); an interest declared stands for every later submission of the
    record (agreements.approvals).
    """

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="approval_decisions"
    )
    amendment = models.ForeignKey(
        "agreements.Amendment",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="approval_decisions",
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    decided_at = models.DateTimeField(_("when"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submission answered"))
    outcome = models.CharField(_("decision"), max_length=15, choices=ApprovalOutcome.choices)
    interest = models.TextField(_("interest declared"), blank=True)
    # Of an approval: which one it was (1 or 2) of how many the version needed then
    # (agreements.approvals.approvals_needed); the audit reads them as they were.
    approval_number = models.PositiveSmallIntegerField(_("approval"), null=True, blank=True)
    approvals_needed = models.PositiveSmallIntegerField(
        _("approvals needed"), null=True, blank=True
    )

    class Meta:
        ordering = ["decided_at", "id"]
        verbose_name = _("approval decision")
        verbose_name_plural = _("approval decisions")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "submitted_at", "manager"],
                condition=Q(amendment__isnull=True),
                name="one_decision_per_manager_and_submission",
            ),
            models.UniqueConstraint(
                fields=["amendment", "submitted_at", "manager"],
                condition=Q(amendment__isnull=False),
                name="one_amendment_decision_per_manager_and_submission",
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=ApprovalOutcome.values), name="approval_outcome_valid"
            ),
            # An approval declares no interest; standing aside names the interest.
            models.CheckConstraint(
                condition=Q(outcome=ApprovalOutcome.APPROVED, interest="")
                | (Q(outcome=ApprovalOutcome.STOOD_ASIDE) & ~Q(interest="")),
                name="approval_declares_its_interest",
                violation_error_message=_("Describe the interest you declare."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(outcome=ApprovalOutcome.APPROVED)
                    & Q(approval_number__gte=1, approval_number__lte=F("approvals_needed"))
                )
                | Q(
                    outcome=ApprovalOutcome.STOOD_ASIDE,
                    approval_number__isnull=True,
                    approvals_needed__isnull=True,
                ),
                name="approval_numbered_within_those_needed",
            ),
            # Two managers approving at once cannot both give the first approval.
            models.UniqueConstraint(
                fields=["agreement", "submitted_at", "approval_number"],
                condition=Q(amendment__isnull=True),
                name="one_approval_of_each_number_per_submission",
            ),
            models.UniqueConstraint(
                fields=["amendment", "submitted_at", "approval_number"],
                condition=Q(amendment__isnull=False),
                name="one_amendment_approval_of_each_number_per_submission",
            ),
        ]
        indexes = [
            # The audit trail reads decisions in a date range.
            models.Index(fields=["decided_at"], name="approval_decision_when_idx"),
        ]

    def __str__(self):
        return f"{self.agreement_id}: {self.manager_id} {self.outcome}"

    @property
    def is_approval(self) -> bool:
        return self.outcome == ApprovalOutcome.APPROVED


class SummaryExportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Making the summaries")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class SummaryExport(models.Model):
    """A ZIP of many agreement summaries made in the background, with its progress.

    The file is kept for a day (EXPORT_LIFETIME), then deleted by a daily task.
    """

    EXPORT_LIFETIME = datetime.timedelta(days=1)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="summary_exports"
    )
    agreement_ids = models.JSONField(default=list)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    status = models.CharField(
        max_length=10, choices=SummaryExportStatus.choices, default=SummaryExportStatus.QUEUED
    )
    file = models.FileField(upload_to="exports/", blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The worker making the ZIP writes the time with every summary it counts; one that
    # has not written for SUMMARY_EXPORT_STALE_SECONDS has stopped (agreements.exports).
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # Raised by each worker that claims the export, so one taken over stops writing.
    attempt = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.requested_by} {self.created_at:%Y-%m-%d %H:%M} ({self.status})"

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def is_expired(self) -> bool:
        return timezone.now() > self.created_at + self.EXPORT_LIFETIME

    @property
    def was_abandoned(self) -> bool:
        """Failed because its worker stopped (agreements.exports.fail_abandoned_exports)."""
        return self.status == SummaryExportStatus.FAILED and self.error.startswith(ABANDONED_ERROR)


# Amendments, terms versions and the people behind each workflow record -------------------
# An approved agreement's terms change only through an amendment: a numbered record with
# its own approval, proposing new terms from an effective date. Approving it writes the
# next TermsVersion and the goals and obligations it adds or replaces (AmendableTerm);
# nothing of the old terms is overwritten. See agreements.amendments.


class AmendmentType(models.TextChoices):
    GOALS = "goals", _("Goals")
    ECONOMIC_CONTRIBUTION = "economic_contribution", _("Economic contribution")
    MARKETING_CONTRIBUTIONS = "marketing_contributions", _("Marketing contributions")
    OBLIGATIONS = "obligations", _("Obligations")
    OTHER_TERMS = "other_terms", _("Other terms (conduct, exchange, payment or termination terms)")
    ADMINISTRATIVE_CORRECTION = "administrative_correction", _("Administrative correction")


# The terms an amendment can propose, besides goals and obligations.
AMENDABLE_TERMS = (
    "economic_amount",
    "payment_terms",
    "marketing_contributions",
    "conduct",
    "exchange",
    "termination_terms",
)


class ContractTerms(models.Model):
    """The terms of a version, or those an amendment proposes (beside goals and
    obligations). The names are the agreement's own, so a page shows any of them alike."""

    economic_amount = models.DecimalField(
        _("economic contribution"), max_digits=14, decimal_places=2, default=0
    )
    payment_terms = models.TextField(_("payment terms"), blank=True)
    marketing_contributions = models.TextField(_("marketing contributions"), blank=True)
    conduct = models.TextField(
        _("conduct"), blank=True, help_text=_("How each side behaves and appears.")
    )
    exchange = models.TextField(_("exchange"), blank=True, help_text=_("What each side gets."))
    termination_terms = models.TextField(_("termination terms"), blank=True)

    class Meta:
        abstract = True

    def contract_terms(self) -> dict:
        return {name: getattr(self, name) for name in AMENDABLE_TERMS}


class TermsVersion(ContractTerms):
    """The terms of an approved agreement from a day on. Version 1 is the agreement as
    first approved (from its start date); each approved amendment adds the next, in force
    from its effective date. Agreement.terms points at the latest."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="terms_versions"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    effective_from = DayField(_("in force from"))
    amendment = models.OneToOneField(
        "agreements.Amendment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="terms_version",
        verbose_name=_("amendment"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "number"]
        verbose_name = _("terms version")
        verbose_name_plural = _("terms versions")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "number"], name="one_terms_version_per_number"
            ),
            # Version 1 is the agreement as approved; every later one comes from an amendment.
            models.CheckConstraint(
                condition=Q(number=1, amendment__isnull=True)
                | Q(number__gt=1, amendment__isnull=False),
                name="terms_version_from_an_amendment",
            ),
            models.CheckConstraint(
                condition=Q(economic_amount__gte=0),
                name="terms_version_economic_amount_not_negative",
            ),
        ]

    def __str__(self):
        return _("%(reference)s, terms version %(number)s") % {
            "reference": self.agreement.reference,
            "number": self.number,
        }


class AmendmentQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_AMENDMENT_STATUSES)

    def awaiting_approval_by(self, user):
        """Pending amendments this user may decide on: not those they drafted, edited or
        submitted (four-eyes; AmendmentContributor), declared an interest in or already
        answered for the version submitted. Mirrors permissions.can_approve_amendment."""
        shaped = AmendmentContributor.objects.filter(
            amendment=OuterRef("pk"), user=user, shaped_terms=True
        )
        answered = ApprovalDecision.objects.filter(amendment=OuterRef("pk"), manager=user).filter(
            Q(outcome=ApprovalOutcome.STOOD_ASIDE) | Q(submitted_at=OuterRef("submitted_at"))
        )
        return (
            self.filter(status=AmendmentStatus.PENDING)
            .exclude(created_by=user)
            .exclude(submitted_by=user)
            .exclude(Exists(shaped))
            .exclude(Exists(answered))
        )


class Amendment(ContractTerms):
    """A numbered change of an approved agreement's terms from an effective date, with a
    reason and its own approval. The period is not part of it: ending earlier is a
    termination, continuing a renewal. Its contract terms are the whole proposed terms;
    goals and obligations are proposed as changes (AmendmentGoal, AmendmentObligation)."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="amendments", verbose_name=_("agreement")
    )
    number = models.PositiveSmallIntegerField(_("number"), editable=False)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AmendmentStatus.choices,
        default=AmendmentStatus.DRAFT,
        editable=False,
    )
    type_goals = models.BooleanField(AmendmentType.GOALS.label, default=False)
    type_economic_contribution = models.BooleanField(
        AmendmentType.ECONOMIC_CONTRIBUTION.label, default=False
    )
    type_marketing_contributions = models.BooleanField(
        AmendmentType.MARKETING_CONTRIBUTIONS.label, default=False
    )
    type_obligations = models.BooleanField(AmendmentType.OBLIGATIONS.label, default=False)
    type_other_terms = models.BooleanField(AmendmentType.OTHER_TERMS.label, default=False)
    type_administrative_correction = models.BooleanField(
        AmendmentType.ADMINISTRATIVE_CORRECTION.label, default=False
    )
    reason = models.TextField(_("reason"))
    effective_date = DayField(_("effective date"))
    based_on = models.ForeignKey(
        TermsVersion,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("amends terms version"),
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("drafted by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    workflow_kind = "amendment"

    objects = AmendmentQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "number"]
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "number"], name="one_amendment_per_number"
            ),
            models.UniqueConstraint(
                fields=["agreement"],
                condition=Q(status__in=OPEN_AMENDMENT_STATUSES),
                name="one_open_amendment_per_agreement",
                violation_error_message=_(
                    "This agreement already has an amendment in progress. Finish or withdraw "
                    "it first."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status__in=AmendmentStatus.values), name="amendment_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(type_goals=True)
                | Q(type_economic_contribution=True)
                | Q(type_marketing_contributions=True)
                | Q(type_obligations=True)
                | Q(type_other_terms=True)
                | Q(type_administrative_correction=True),
                name="amendment_has_a_type",
                violation_error_message=_("Choose what the amendment changes."),
            ),
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="amendment_has_a_reason",
                violation_error_message=_("Give the reason for the amendment."),
            ),
            models.CheckConstraint(
                condition=Q(economic_amount__gte=0),
                name="amendment_economic_amount_not_negative",
                violation_error_message=_("The economic contribution cannot be negative."),
            ),
            # Four-eyes (with AmendmentContributor, which also covers everyone who edited).
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True)
                | (~Q(approved_by=F("created_by")) & ~Q(approved_by=F("submitted_by"))),
                name="amendment_approver_is_not_author",
            ),
            models.CheckConstraint(
                condition=~Q(status=AmendmentStatus.APPROVED)
                | Q(approved_by__isnull=False, approved_at__isnull=False),
                name="amendment_approval_recorded",
            ),
        ]

    def __str__(self):
        return self.label()

    def get_absolute_url(self):
        return reverse("agreements:amendment_detail", args=[self.agreement_id, self.number])

    def label(self) -> str:
        """`AGR-2026-0006 / amendment 1`."""
        return _("%(reference)s / amendment %(number)s") % {
            "reference": self.agreement.reference,
            "number": self.number,
        }

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_AMENDMENT_STATUSES

    @property
    def types(self) -> list[str]:
        return [value for value in AmendmentType.values if getattr(self, f"type_{value}")]

    @types.setter
    def types(self, values) -> None:
        for value in AmendmentType.values:
            setattr(self, f"type_{value}", value in values)

    def type_labels(self) -> list[str]:
        return [str(AmendmentType(value).label) for value in self.types]

    def shaped_by(self, user) -> bool:
        """Did this user draft, edit or submit the amendment (four-eyes)?"""
        return user.pk in (self.created_by_id, self.submitted_by_id) or (
            self.contributors.filter(user_id=user.pk, shaped_terms=True).exists()
        )

    def state_label(self) -> str:
        return self.get_status_display()

    def state_code(self) -> str:
        return self.status


class AmendmentChange(models.TextChoices):
    ADDED = "added", _("Added")
    CHANGED = "changed", _("Changed")
    REMOVED = "removed", _("Removed")


def _proposed_row_constraints(prefix: str, row: str) -> list:
    return [
        models.CheckConstraint(
            condition=Q(change__in=AmendmentChange.values), name=f"{prefix}_change_valid"
        ),
        # An added row is new; a changed or removed one names the row it changes.
        models.CheckConstraint(
            condition=Q(change=AmendmentChange.ADDED, **{f"{row}__isnull": True})
            | (~Q(change=AmendmentChange.ADDED) & Q(**{f"{row}__isnull": False})),
            name=f"{prefix}_names_what_it_changes",
        ),
        models.UniqueConstraint(
            fields=["amendment", row],
            condition=Q(**{f"{row}__isnull": False}),
            name=f"{prefix}_changes_a_row_once",
        ),
    ]


class AmendmentGoal(GoalTerms):
    """A goal an amendment adds, changes (the new wording) or removes (as it was)."""

    amendment = models.ForeignKey(Amendment, on_delete=models.CASCADE, related_name="goal_changes")
    change = models.CharField(_("change"), max_length=10, choices=AmendmentChange.choices)
    goal = models.ForeignKey(
        Goal,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="amendment_changes",
        verbose_name=_("goal"),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        verbose_name = _("proposed goal")
        verbose_name_plural = _("proposed goals")
        constraints = [
            *_goal_terms_constraints("amendment_"),
            *_proposed_row_constraints("amendment_goal", "goal"),
        ]


class AmendmentObligation(ObligationTerms):
    """An obligation an amendment adds, changes (the new wording) or removes (as it was)."""

    amendment = models.ForeignKey(
        Amendment, on_delete=models.CASCADE, related_name="obligation_changes"
    )
    change = models.CharField(_("change"), max_length=10, choices=AmendmentChange.choices)
    obligation = models.ForeignKey(
        Obligation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="amendment_changes",
        verbose_name=_("obligation"),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["side", "id"]
        verbose_name = _("proposed obligation")
        verbose_name_plural = _("proposed obligations")
        constraints = [
            models.CheckConstraint(
                condition=Q(side__in=Side.values), name="amendment_obligation_side_valid"
            ),
            models.CheckConstraint(
                condition=Q(category__in=ObligationCategory.values),
                name="amendment_obligation_category_valid",
            ),
            *_proposed_row_constraints("amendment_obligation", "obligation"),
        ]


class AmendmentContributor(Contributor):
    amendment = models.ForeignKey(Amendment, on_delete=models.CASCADE, related_name="contributors")

    class Meta:
        verbose_name = _("amendment contributor")
        verbose_name_plural = _("amendment contributors")
        constraints = _contributor_constraints(
            "amendment",
            _("Four-eyes: nobody who drafted, edited or submitted an amendment approves it."),
            prefix="amendment_",
        )

    def __str__(self):
        return f"{self.amendment_id}: {self.user_id}"
