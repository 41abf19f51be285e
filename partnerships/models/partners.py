"""The partner register: organisations we work with, their contacts, due diligence
from the policies, and selection assessments against the guidelines' criteria."""

import datetime
import unicodedata
import uuid

from django.conf import settings
from django.db import connection, models
from django.db.models import Q, Value
from django.db.models.functions import StrIndex
from django.db.models.lookups import GreaterThan
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from core.fields import DayField, SingleLineField
from core.text import compact_key, tidy_code, uniqueness_key
from core.translated import translated
from core.validators import DocumentValidator
from partnerships import reviews


class PartnerKind(models.TextChoices):
    CIVIL_SOCIETY = "civil_society", _("NGO / civil society")
    PUBLIC_BODY = "public_body", _("Municipality or public body")
    COMPANY = "company", _("Company")
    ASSOCIATION = "association", _("Association / club")
    FOUNDATION = "foundation", _("Foundation")
    OTHER = "other", _("Other")


class RiskLevel(models.TextChoices):
    # A partner's risk is information to record, not a reason to refuse (docs/domain.md).
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class NaturalKeyManager(models.Manager):
    """Backups refer to these rows by their unique name, not by database id."""

    natural_key_field = "code"

    def get_by_natural_key(self, key):
        return self.get(**{self.natural_key_field: key})


class FocusAreaManager(NaturalKeyManager):
    natural_key_field = "code"


class SelectionCriterionManager(NaturalKeyManager):
    natural_key_field = "name"


class FocusArea(models.Model):
    """A field of work from the guidelines (education, culture, inclusion, ...)."""

    code = models.SlugField(_("code"), unique=True)
    name = SingleLineField(_("name in English"), max_length=100)
    name_sv = SingleLineField(_("name in Swedish"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = FocusAreaManager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")

    def __str__(self):
        return translated(self, "name")

    def natural_key(self):
        return (self.code,)


class DerivedKeysQuerySet(models.QuerySet):
    """Writes that bypass save() (bulk_create, bulk_update: the import, scripts) still
    set the stored keys; a queryset update() of a field they derive from is refused,
    because it could not keep them right."""

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for obj in objs:
            obj.derive_keys()
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        derived = self.model.DERIVED_FROM
        if derived.intersection(fields):
            for obj in objs:
                obj.derive_keys()
            fields = [*fields, *(self.model.DERIVED_KEYS - set(fields))]
        return super().bulk_update(objs, fields, *args, **kwargs)

    def update(self, **kwargs):
        touched = self.model.DERIVED_FROM.intersection(kwargs)
        if touched and not self.model.DERIVED_KEYS.issubset(kwargs):  # bulk_update sets both
            raise TypeError(
                f"update() of {sorted(touched)} would leave {sorted(self.model.DERIVED_KEYS)} "
                "stale: save each object or use bulk_update()."
            )
        return super().update(**kwargs)


class PartnerQuerySet(DerivedKeysQuerySet):
    def active(self):
        return self.filter(archived_at__isnull=True)

    def archived(self):
        return self.filter(archived_at__isnull=False)

    def due_diligence_complete(self):
        return self.filter(DUE_DILIGENCE_COMPLETE)

    def due_diligence_incomplete(self):
        return self.exclude(DUE_DILIGENCE_COMPLETE)

    def review_overdue(self, today: datetime.date | None = None):
        """Current partners whose due-diligence review is overdue (partnerships.reviews)."""
        return self.filter(reviews.review_overdue_condition(today or timezone.localdate()))

    def review_due_within(self, days: int, today: datetime.date | None = None):
        """Current partners whose next review falls within `days` days, not yet overdue."""
        today = today or timezone.localdate()
        return self.filter(
            reviews.review_overdue_condition(today + datetime.timedelta(days=days + 1))
        ).exclude(reviews.review_overdue_condition(today))

    def search(self, text: str):
        """Name, organisation number, email, or a contact's name or email.

        Contacts are searched in their own table and joined by id, so a partner with
        several matching contacts appears once and the page needs no DISTINCT.
        """
        text = search_fold(text.strip())
        if not text:
            return self
        matching_contacts = PartnerContact.objects.filter(
            folded_contains("search_text", text)
        ).values("partner_id")
        return self.filter(folded_contains("search_text", text) | Q(pk__in=matching_contacts))

    def name_contains(self, text: str):
        """Partners whose name contains the text, case, spacing and the way letters
        were typed ignored: a substring of the stored name key (partner_name_key())."""
        text = partner_name_key(text)
        return self.filter(folded_contains("name_key", text)) if text else self


def folded_contains(field: str, text: str) -> Q:
    """The stored, folded text of `field` contains `text` (folded the same way).

    On PostgreSQL a LIKE, which the trigram indexes of these columns serve (migrations
    partnerships.0013_trigram_search_indexes and agreements.0025_agreement_search_text); on SQLite a plain INSTR: there icontains and
    LIKE are the Unicode-aware LIKE of core/sqlite.py, run in Python for each row, and
    searching 10,000 partners took 25 times longer.
    """
    if connection.vendor == "postgresql":
        return Q(**{f"{field}__contains": text})
    return Q(GreaterThan(StrIndex(field, Value(text)), 0))


# A partner's due diligence is complete when every check the policies ask for is done.
# Partner.missing_due_diligence() names the same checks one by one for the page.
DUE_DILIGENCE_COMPLETE = (
    Q(shares_values=True)
    & Q(code_of_conduct_accepted_on__isnull=False)
    & Q(financial_routines_documented=True)
    & ~Q(risk_level="")
    & Q(last_due_diligence_review_on__isnull=False)
)


def routines_document_path(partner, filename):
    # A random folder: file names never collide and paths cannot be guessed.
    return f"partners/routines/{uuid.uuid4().hex}/{filename}"


def partner_name_key(name: str) -> str:
    """The form of a name that uniqueness is judged on: case, spacing, the way letters
    were typed and invisible characters ignored (core.text.uniqueness_key)."""
    return uniqueness_key(name)


def organisation_number_key(number: str) -> str:
    """The form of an organisation number that uniqueness is judged on: only its letters
    and digits, so 802000-1234, 802000 1234 and ８０２０００‐１２３４ are one."""
    return compact_key(number)


def search_fold(text: str) -> str:
    """Text as the partner search compares it: one Unicode form (NFC) with case folded
    for every alphabet, so "Åsa", "åsa" and "ÅSA" are the same, and a plain substring
    test finds them."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).casefold())


def search_text(*fields: str) -> str:
    # One field a line: a search (a single line) never matches across two fields.
    return search_fold("\n".join(fields))


class Partner(models.Model):
    name = SingleLineField(_("name"), max_length=200)
    name_key = models.CharField(
        max_length=200,
        unique=True,
        editable=False,
        error_messages={"unique": _("A partner with this name already exists.")},
    )
    organisation_number = SingleLineField(
        _("organisation number"),
        max_length=30,
        blank=True,
        help_text=_("For example 802000-1234. Optional, but unique when given."),
    )
    organisation_number_key = models.CharField(max_length=50, default="", editable=False)
    country = CountryField(_("country"), default="SE")
    kind = models.CharField(_("kind of organisation"), max_length=20, choices=PartnerKind.choices)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = SingleLineField(_("phone"), max_length=40, blank=True)
    street_address = SingleLineField(_("street address"), max_length=200, blank=True)
    postal_code = SingleLineField(_("postal code"), max_length=20, blank=True)
    city = SingleLineField(_("city"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)
    focus_areas = models.ManyToManyField(
        FocusArea, verbose_name=_("focus areas"), blank=True, related_name="partners"
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible staff member"),
        on_delete=models.PROTECT,
        related_name="responsible_partners",
    )

    # Due diligence (docs/domain.md: shared values, documented routines, ethics).
    shares_values = models.BooleanField(
        _("shares our values"),
        default=False,
        help_text=_(
            "Equal worth of all people, non-discrimination, accountability, "
            "transparency and openness."
        ),
    )
    values_confirmed_on = DayField(_("values confirmed on"), null=True, blank=True)
    values_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("values confirmed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    code_of_conduct_accepted_on = DayField(_("code of conduct accepted on"), null=True, blank=True)
    financial_routines_documented = models.BooleanField(
        _("financial and administrative routines documented"), default=False
    )
    financial_routines_document = models.FileField(
        _("routines document"),
        upload_to=routines_document_path,
        blank=True,
        validators=[DocumentValidator()],
        help_text=_("PDF, Word, OpenDocument or Excel file."),
    )
    risk_level = models.CharField(
        _("risk level"), max_length=10, choices=RiskLevel.choices, blank=True
    )
    risk_note = models.TextField(_("risk note"), blank=True)
    last_due_diligence_review_on = DayField(_("last due-diligence review"), null=True, blank=True)

    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    # Raised by every save through the forms; see core.versioning.
    version = models.PositiveIntegerField(default=1, editable=False)
    # Name, organisation number and email, folded (search_text()), for search(); kept
    # up to date by save().
    search_text = models.TextField(default="", editable=False)

    objects = PartnerQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation_number_key"],
                condition=~Q(organisation_number_key=""),
                name="partner_organisation_number_unique",
                # A field's error ("unique" on one field), so it shows at the number.
                violation_error_code="unique",
                violation_error_message=_(
                    "A partner with this organisation number already exists."
                ),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=PartnerKind.values),
                name="partner_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(risk_level__in=["", *RiskLevel.values]),
                name="partner_risk_level_valid",
            ),
            models.CheckConstraint(
                condition=Q(shares_values=False) | Q(values_confirmed_on__isnull=False),
                name="partner_values_confirmation_dated",
                violation_error_message=_("Give the date the values were confirmed."),
            ),
            models.CheckConstraint(
                condition=Q(financial_routines_documented=False)
                | ~Q(financial_routines_document=""),
                name="partner_documented_routines_have_document",
                violation_error_message=_("Upload the document that describes the routines."),
            ),
        ]
        indexes = [
            # "Sort by last update" on the partner list and the dashboard.
            models.Index(fields=["-updated_at"], name="partner_updated_idx"),
            models.Index(fields=["archived_at", "name"], name="partner_archived_name_idx"),
            # "Recently changed" on the dashboard: current partners, latest change first.
            models.Index(fields=["archived_at", "-updated_at"], name="partner_active_updated_idx"),
            # Reviews overdue (partnerships.reviews): a last-review range per risk level.
            models.Index(
                fields=["risk_level", "last_due_diligence_review_on"], name="partner_review_idx"
            ),
        ]

    def __str__(self):
        return self.name

    # The stored keys and the fields they are made from; DerivedKeysQuerySet keeps them
    # right on bulk writes, save() on single ones.
    DERIVED_KEYS = {"name_key", "organisation_number_key", "search_text"}
    DERIVED_FROM = {"name", "organisation_number", "email"}

    def save(self, *args, **kwargs):
        self.derive_keys()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and self.DERIVED_FROM.intersection(update_fields):
            kwargs["update_fields"] = {*update_fields, *self.DERIVED_KEYS}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("partnerships:partner_detail", args=[self.pk])

    def clean(self):
        self.name = " ".join(self.name.split())
        self.organisation_number = tidy_code(self.organisation_number)
        self.derive_keys()

    def derive_keys(self):
        """The keys uniqueness is judged on and the text the search reads; save() and
        the bulk writes of DerivedKeysQuerySet call this, so every write path keeps them."""
        self.name_key = partner_name_key(self.name)
        self.organisation_number_key = organisation_number_key(self.organisation_number)
        self.search_text = search_text(self.name, self.organisation_number, self.email)

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def missing_due_diligence(self) -> list[str]:
        """The due-diligence checks not yet done, in words for the partner page.

        Mirrors DUE_DILIGENCE_COMPLETE, which the list filter uses.
        """
        missing = []
        if not self.shares_values:
            missing.append(_("shared values not confirmed"))
        if self.code_of_conduct_accepted_on is None:
            missing.append(_("code of conduct not accepted"))
        if not self.financial_routines_documented:
            missing.append(_("financial and administrative routines not documented"))
        if not self.risk_level:
            missing.append(_("risk level not assessed"))
        if self.last_due_diligence_review_on is None:
            missing.append(_("no due-diligence review date"))
        return missing

    @property
    def due_diligence_complete(self) -> bool:
        return not self.missing_due_diligence()

    @property
    def review_interval_months(self) -> int:
        return reviews.review_interval_months(self.risk_level)

    @property
    def next_review_on(self) -> datetime.date | None:
        return reviews.next_review_on(self.last_due_diligence_review_on, self.risk_level)

    def review_state(self, today: datetime.date | None = None) -> str:
        """ "overdue", "due" or "" (partnerships.reviews.review_state)."""
        return reviews.review_state(
            self.last_due_diligence_review_on,
            self.risk_level,
            self.is_archived,
            today or timezone.localdate(),
        )

    def review_warnings(self, today: datetime.date | None = None) -> list[str]:
        """What submitting or approving an agreement with the partner should know."""
        if self.review_state(today) != "overdue":
            return []
        return [
            _(
                "The due-diligence review of %(partner)s is overdue: it was due on %(date)s "
                "(every %(months)s months at this risk level)."
            )
            % {
                "partner": self.name,
                "date": date_format(self.next_review_on, "SHORT_DATE_FORMAT"),
                "months": self.review_interval_months,
            }
        ]

    @property
    def postal_address(self) -> str:
        place = " ".join(part for part in (self.postal_code, self.city) if part)
        return ", ".join(part for part in (self.street_address, place) if part)


class PartnerContact(models.Model):
    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("partner")
    )
    name = SingleLineField(_("name"), max_length=200)
    role = SingleLineField(_("role"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = SingleLineField(_("phone"), max_length=40, blank=True)
    # Name and email, folded, for Partner.objects.search(); kept up to date by save().
    search_text = models.TextField(default="", editable=False)

    objects = DerivedKeysQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact people")

    def __str__(self):
        return self.name

    DERIVED_KEYS = {"search_text"}
    DERIVED_FROM = {"name", "email"}

    def save(self, *args, **kwargs):
        self.derive_keys()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and self.DERIVED_FROM.intersection(update_fields):
            kwargs["update_fields"] = {*update_fields, *self.DERIVED_KEYS}
        super().save(*args, **kwargs)

    def derive_keys(self):
        self.search_text = search_text(self.name, self.email)


class SelectionCriterion(models.Model):
    """A criterion for choosing partners. Data, so each organisation can keep its own
    list; a migration loads the criteria of the local-collaboration guidelines."""

    name = SingleLineField(_("name in English"), max_length=200, unique=True)
    name_sv = SingleLineField(_("name in Swedish"), max_length=200)
    description = models.TextField(_("description in English"), blank=True)
    description_sv = models.TextField(_("description in Swedish"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(
        _("in use"),
        default=True,
        help_text=_("Criteria no longer in use stay on earlier assessments."),
    )

    objects = SelectionCriterionManager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("selection criterion")
        verbose_name_plural = _("selection criteria")

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return translated(self, "name")

    @property
    def display_description(self) -> str:
        return translated(self, "description")

    def natural_key(self):
        return (self.name,)


class Recommendation(models.TextChoices):
    RECOMMENDED = "recommended", _("Recommended")
    WITH_CONDITIONS = "with_conditions", _("Recommended with conditions")
    NOT_RECOMMENDED = "not_recommended", _("Not recommended")


class SelectionAssessment(models.Model):
    """One assessment of a partner against every selection criterion in use."""

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("partner")
    )
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("assessed by"),
    )
    assessed_on = DayField(_("assessed on"))
    recommendation = models.CharField(
        _("overall recommendation"), max_length=20, choices=Recommendation.choices
    )
    summary = models.TextField(_("summary"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-assessed_on", "-id"]
        get_latest_by = ["assessed_on", "id"]
        verbose_name = _("selection assessment")
        verbose_name_plural = _("selection assessments")
        constraints = [
            models.CheckConstraint(
                condition=Q(recommendation__in=Recommendation.values),
                name="assessment_recommendation_valid",
            ),
        ]

    def __str__(self):
        return f"{self.partner} – {self.assessed_on}"

    def average_score(self) -> float | None:
        scores = [score.score for score in self.scores.all()]
        return round(sum(scores) / len(scores), 1) if scores else None


class CriterionScore(models.Model):
    assessment = models.ForeignKey(
        SelectionAssessment, on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        SelectionCriterion,
        on_delete=models.PROTECT,
        related_name="scores",
        verbose_name=_("criterion"),
    )
    score = models.PositiveSmallIntegerField(_("score"), help_text=_("1 (weak) to 5 (strong)"))
    justification = models.TextField(_("justification"))

    class Meta:
        ordering = ["criterion__position", "criterion__name"]
        verbose_name = _("criterion score")
        verbose_name_plural = _("criterion scores")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion"], name="one_score_per_criterion"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="criterion_score_1_to_5"
            ),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.score}"
