"""Written agreements with a partner: fixed period, contributions of each side,
measurable goals and obligations, approved by a manager and never renewed
automatically (docs/domain.md)."""

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.validators import DOCUMENT_EXTENSIONS, PDF_ONLY, DocumentValidator
from partnerships.models import Partner


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


EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED)
# "Has been approved": approved and still standing, or approved and later terminated.
APPROVED_STATUSES = (Status.APPROVED, Status.TERMINATED)


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


class AgreementQuerySet(models.QuerySet):
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
        overdue = Obligation.objects.filter(
            overdue_obligation_condition(today), agreement=OuterRef("pk")
        )
        return self.filter(Exists(overdue))

    def awaiting_approval_by(self, user):
        """Pending agreements this user may decide on (four-eyes: none whose terms they
        drafted, edited or submitted; none they declared an interest in or already
        answered for the version submitted). Mirrors permissions.can_approve_agreement."""
        shaped = AgreementContributor.objects.filter(
            agreement=OuterRef("pk"), user=user, shaped_terms=True
        )
        answered = ApprovalDecision.objects.filter(agreement=OuterRef("pk"), manager=user).filter(
            Q(outcome=ApprovalOutcome.STOOD_ASIDE) | Q(submitted_at=OuterRef("submitted_at"))
        )
        return (
            self.filter(status=Status.PENDING)
            .exclude(created_by=user)
            .exclude(submitted_by=user)
            .exclude(Exists(shaped))
            .exclude(Exists(answered))
        )

    def search(self, text: str):
        """Reference, title or partner name. Partners are searched in their own table."""
        text = text.strip()
        if not text:
            return self
        partners = Partner.objects.filter(name__icontains=text).values("pk")
        return self.filter(
            Q(reference__icontains=text) | Q(title__icontains=text) | Q(partner_id__in=partners)
        )


class ProgrammePeriod(models.Model):
    """A programme period of the organisation (docs/domain.md: a time-limited partnership is
    entered within one; a long-term one reaches beyond it). Periods never overlap."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    annual_budget = models.DecimalField(
        _("annual budget for partnerships"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("In the organisation's currency. Leave empty if there is no budget."),
    )

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
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
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
    title = models.CharField(_("title"), max_length=200)
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
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(
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
    signed_document = models.FileField(
        _("signed agreement (PDF)"),
        upload_to=signed_document_path,
        blank=True,
        validators=[DocumentValidator(PDF_ONLY)],
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
    terminated_on = models.DateField(
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
        ]
        indexes = [
            models.Index(fields=["status", "end_date"], name="agreement_status_end_idx"),
            models.Index(fields=["status", "start_date"], name="agreement_status_start_idx"),
            # The agreement list's default order (latest start first) without sorting all
            # 30,000 rows: page 200 took 3 times as long as page 1 without it.
            models.Index(fields=["start_date"], name="agreement_start_idx"),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}"

    def get_absolute_url(self):
        return reverse("agreements:agreement_detail", args=[self.pk])

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

    @property
    def length_in_days(self) -> int:
        return (self.end_date - self.start_date).days

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


class Goal(models.Model):
    """A readable, measurable goal of an agreement (every agreement has one: docs/domain.md)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="goals")
    description = models.TextField(_("goal"))
    kind = models.CharField(_("kind"), max_length=15, choices=GoalKind.choices)
    indicator = models.CharField(_("indicator"), max_length=200, blank=True)
    baseline = models.DecimalField(
        _("baseline"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    target_value = models.DecimalField(
        _("target value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    expected_outcome = models.TextField(_("expected outcome"), blank=True)
    assessment_method = models.TextField(_("how it will be judged"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=GoalKind.QUANTITATIVE)
                | (
                    ~Q(indicator="")
                    & ~Q(unit="")
                    & Q(baseline__isnull=False, target_value__isnull=False)
                ),
                name="quantitative_goal_is_measurable",
                violation_error_message=_(
                    "A quantitative goal needs an indicator, a baseline, a target value and a unit."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(kind=GoalKind.QUALITATIVE)
                | (~Q(expected_outcome="") & ~Q(assessment_method="")),
                name="qualitative_goal_is_judgeable",
                violation_error_message=_(
                    "A qualitative goal needs the expected outcome and how it will be judged."
                ),
            ),
            models.CheckConstraint(condition=Q(kind__in=GoalKind.values), name="goal_kind_valid"),
        ]

    def __str__(self):
        return self.description[:80]


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
    """Open obligations of an approved agreement whose due date has passed.
    Obligation.is_overdue() mirrors it. `prefix` reaches the obligation from another model."""
    return Q(
        **{
            f"{prefix}fulfilment": Fulfilment.OPEN,
            f"{prefix}due_date__lt": today,
            f"{prefix}agreement__status": Status.APPROVED,
        }
    )


class ObligationQuerySet(models.QuerySet):
    def overdue(self, today: datetime.date | None = None):
        return self.filter(overdue_obligation_condition(today or timezone.localdate()))


def evidence_path(obligation, filename):
    return f"agreements/evidence/{uuid.uuid4().hex}/{filename}"


class Obligation(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="obligations")
    side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    category = models.CharField(_("category"), max_length=15, choices=ObligationCategory.choices)
    description = models.TextField(_("obligation"))
    due_date = models.DateField(_("due date"), null=True, blank=True)

    # Follow-up once the agreement is approved; see services.obligation_record_outcome.
    fulfilment = models.CharField(
        _("fulfilment"), max_length=25, choices=Fulfilment.choices, default=Fulfilment.OPEN
    )
    fulfilled_on = models.DateField(_("date"), null=True, blank=True)
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
        ]

    def __str__(self):
        return self.description[:80]

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        """Mirrors overdue_obligation_condition()."""
        today = today or timezone.localdate()
        return (
            self.fulfilment == Fulfilment.OPEN
            and self.due_date is not None
            and self.due_date < today
            and self.agreement.status == Status.APPROVED
        )


class AgreementEvent(models.Model):
    """One row per change of status: who, when, from, to and why."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    from_status = models.CharField(_("from"), max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("agreement event")
        verbose_name_plural = _("agreement events")

    def __str__(self):
        return f"{self.agreement.reference}: {self.from_status} → {self.to_status}"


class AgreementContributor(models.Model):
    """Who shaped an agreement's terms (drafted, edited or submitted them) and who
    approved it: one row per person and agreement.

    Four-eyes in the database: a row cannot both have shaped the terms and approved them,
    so a manager who edited a colleague's draft cannot approve it however the approval
    is attempted (the page, the admin, a script).
    """

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="contributors")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    shaped_terms = models.BooleanField(default=False)
    approved = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("contributor")
        verbose_name_plural = _("contributors")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "user"], name="one_contributor_row_per_person"
            ),
            models.CheckConstraint(
                condition=~Q(shaped_terms=True, approved=True),
                name="approver_did_not_shape_the_terms",
                violation_error_message=_(
                    "Four-eyes: nobody who drafted, edited or submitted an agreement approves it."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.agreement_id}: {self.user_id}"


class ApprovalOutcome(models.TextChoices):
    APPROVED = "approved", _("Approved, no conflict of interest declared")
    STOOD_ASIDE = "stood_aside", _("Declared an interest and stood aside")


class ApprovalDecision(models.Model):
    """A manager's answer on an agreement's approval page, for the version submitted
    (`submitted_at` is the agreement's submitted_at then): approved, declaring no
    personal or financial interest in the partner, with what they acknowledged
    (governance.IncidentAcknowledgement); or declared an interest (`interest`) and so
    stood aside: another manager must approve. Approvals of an earlier submission do not
    count for a later one (the terms may have changed in between); an interest declared
    stands for every later submission of the agreement (agreements.approvals).
    """

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="approval_decisions"
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
                name="one_decision_per_manager_and_submission",
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
                name="one_approval_of_each_number_per_submission",
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
