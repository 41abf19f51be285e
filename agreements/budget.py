"""What approved agreements commit of the budget, per calendar year and programme period.

An agreement's economic contribution is spread evenly over the days of its period (the
payment terms are free text, so they cannot be read reliably). An amendment of the
contribution leaves what the old terms counted up to the day before its effective date
as it was, and spreads the rest of the amended amount evenly over the days from the
effective date to the end. A terminated agreement counts only for the days before its
termination took effect: the rest was never paid. Contributions in another currency than
the organisation's are kept apart, never converted.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from agreements.models import Agreement, ProgrammePeriod, Status, TermsVersion
from core.money import format_money

CENT = Decimal("0.01")
LARGEST_SHARES = 10


def _round(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _from_cents(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(CENT)


def _days(start: datetime.date, end: datetime.date) -> int:
    """Days from start to end, both included (0 when end is before start)."""
    return max((end - start).days + 1, 0)


def _spread(cents: int, counted_days: int, total_days: int) -> int:
    """The part of `cents` for `counted_days` of `total_days`, in whole cents rounded half
    up. Integer arithmetic: exact, and fast enough for thousands of agreements a page."""
    return (2 * cents * counted_days + total_days) // (2 * total_days)


ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Commitment:
    """One agreement's contribution as the budget sees it."""

    agreement_id: int
    reference: str
    partner_id: int
    partner_name: str
    amount: Decimal
    currency: str
    start_date: datetime.date
    end_date: datetime.date
    # The last day that counts: the end date, or the day before a termination took effect.
    last_counted_day: datetime.date
    cents: int
    total_days: int
    # (effective date, whole amended amount in cents) of each amended contribution, in
    # the order of the terms versions.
    changes: tuple = ()

    @classmethod
    def of(cls, agreement) -> "Commitment":
        return cls.from_values(
            agreement.pk,
            agreement.reference,
            agreement.partner_id,
            agreement.partner.name,
            agreement.economic_amount,
            agreement.currency,
            agreement.start_date,
            agreement.end_date,
            agreement.status,
            agreement.terminated_on,
            changes=amount_changes(TermsVersion.objects.filter(agreement=agreement)).get(
                agreement.pk, ()
            ),
        )

    @classmethod
    def from_values(
        cls,
        pk,
        reference,
        partner_id,
        partner_name,
        amount,
        currency,
        start,
        end,
        status,
        ended,
        changes=(),
    ) -> "Commitment":
        last = end
        if status == Status.TERMINATED and ended:
            last = min(last, ended - datetime.timedelta(days=1))
        return cls(
            pk,
            reference,
            partner_id,
            partner_name,
            amount,
            currency,
            start,
            end,
            last,
            cents=int(amount * 100),
            total_days=_days(start, end),
            changes=tuple(changes),
        )

    def with_change(self, effective_date: datetime.date, amount: Decimal) -> "Commitment":
        """The commitment as it would be if the contribution became `amount` from
        `effective_date` (an amendment not yet approved)."""
        return replace(self, changes=(*self.changes, (effective_date, int(amount * 100))))

    def cents_through(self, day: datetime.date) -> int:
        """The part of the amount for the days up to and including `day`, in whole cents
        rounded half up. Shares of consecutive ranges are differences of this, so they
        always add up to the whole amount without a cent lost to rounding.

        Each amended amount takes over from its effective date: what was counted before
        stays, and the rest of the amended amount is spread over the days left.
        """
        day = min(day, self.last_counted_day)
        if day < self.start_date:
            return 0
        counted, start, amount = 0, self.start_date, self.cents
        for change_start, change_amount in self.changes:
            if change_start > day:
                break
            counted += _spread(
                amount - counted, _days(start, change_start - ONE_DAY), _days(start, self.end_date)
            )
            start, amount = change_start, change_amount
        return counted + _spread(amount - counted, _days(start, day), _days(start, self.end_date))

    def cents_between(self, start: datetime.date, end: datetime.date) -> int:
        return self.cents_through(end) - self.cents_through(start - datetime.timedelta(days=1))

    def share_between(self, start: datetime.date, end: datetime.date) -> Decimal:
        return _from_cents(self.cents_between(start, end))

    def share_of_year(self, year: int) -> Decimal:
        return self.share_between(datetime.date(year, 1, 1), datetime.date(year, 12, 31))


def counted_through(agreement, day: datetime.date) -> Decimal:
    """What the budget counts of the agreement's contribution up to and including `day`."""
    return _from_cents(Commitment.of(agreement).cents_through(day))


def amount_changes(versions) -> dict[int, tuple]:
    """Agreement id -> the Commitment.changes of its amended terms versions."""
    changes = defaultdict(list)
    rows = (
        versions.filter(number__gt=1)
        .order_by("agreement_id", "number")
        .values_list("agreement_id", "effective_from", "economic_amount")
    )
    for agreement_id, effective_from, amount in rows:
        changes[agreement_id].append((effective_from, int(amount * 100)))
    return {agreement_id: tuple(rows) for agreement_id, rows in changes.items()}


def commitments(start: datetime.date, end: datetime.date, *, exclude_pk=None):
    """Approved and terminated agreements with money whose period touches start..end.
    Read as plain values: the budget page reads thousands of them; the amended amounts
    of the few amended ones come in a second query."""
    with_money = TermsVersion.objects.filter(agreement=OuterRef("pk"), economic_amount__gt=0)
    agreements = (
        Agreement.objects.filter(
            Q(status=Status.APPROVED) | Q(status=Status.TERMINATED),
            Q(economic_amount__gt=0) | Exists(with_money),
            start_date__lte=end,
            end_date__gte=start,
        )
        .exclude(pk=exclude_pk)
        .order_by()
    )
    changes = amount_changes(TermsVersion.objects.filter(agreement__in=agreements.values("pk")))
    rows = agreements.values_list(
        "pk",
        "reference",
        "partner_id",
        "partner__name",
        "economic_amount",
        "currency",
        "start_date",
        "end_date",
        "status",
        "terminated_on",
    )
    return [
        Commitment.from_values(*row, changes=changes.get(row[0], ()))
        for row in rows.iterator(chunk_size=2000)
    ]


def budget_for_range(periods, start: datetime.date, end: datetime.date) -> Decimal | None:
    """The budget of start..end: each programme period's annual budget for the share of
    each year it covers (a whole year inside one period gets exactly its budget).
    None when no period with a budget touches the range."""
    total = Decimal(0)
    found = False
    for period in periods:
        if period.annual_budget is None:
            continue
        first = max(start, period.start_date)
        last = min(end, period.end_date)
        if last < first:
            continue
        found = True
        for year in range(first.year, last.year + 1):
            year_start = datetime.date(year, 1, 1)
            year_end = datetime.date(year, 12, 31)
            covered = _days(max(first, year_start), min(last, year_end))
            total += period.annual_budget * covered / _days(year_start, year_end)
    return _round(total) if found else None


@dataclass
class PartnerShare:
    partner_id: int
    name: str
    amount: Decimal
    percent: Decimal


@dataclass
class BudgetLine:
    """A calendar year or a programme period."""

    label: str
    start: datetime.date
    end: datetime.date
    budget: Decimal | None
    committed: Decimal = Decimal(0)
    partner_count: int = 0
    largest: list[PartnerShare] = field(default_factory=list)
    # currency -> (amount, number of agreements), for contributions not in our currency
    other_currencies: dict = field(default_factory=dict)

    @property
    def over_budget(self) -> bool:
        return self.budget is not None and self.committed > self.budget

    @property
    def percent_used(self) -> Decimal | None:
        if not self.budget:
            return None
        return _round(100 * self.committed / self.budget)

    @property
    def remaining(self) -> Decimal | None:
        return None if self.budget is None else self.budget - self.committed


def _fill(line: BudgetLine, rows: list[Commitment], currency: str) -> BudgetLine:
    by_partner = defaultdict(int)  # cents
    names = {}
    other = defaultdict(lambda: [0, 0])
    for row in rows:
        if row.start_date > line.end or row.last_counted_day < line.start:
            continue
        share = row.cents_between(line.start, line.end)
        if share <= 0:
            continue
        if row.currency != currency:
            other[row.currency][0] += share
            other[row.currency][1] += 1
            continue
        by_partner[row.partner_id] += share
        names[row.partner_id] = row.partner_name
    by_partner = {partner: _from_cents(cents) for partner, cents in by_partner.items()}
    line.committed = sum(by_partner.values(), Decimal(0))
    line.partner_count = len(by_partner)
    largest = sorted(by_partner.items(), key=lambda item: (-item[1], names[item[0]]))
    line.largest = [
        PartnerShare(
            partner_id=partner_id,
            name=names[partner_id],
            amount=amount,
            percent=_round(100 * amount / line.committed) if line.committed else Decimal(0),
        )
        for partner_id, amount in largest[:LARGEST_SHARES]
    ]
    line.other_currencies = {
        code: (_from_cents(cents), count) for code, (cents, count) in sorted(other.items())
    }
    return line


def _year_line(year: int, rows, periods, currency) -> BudgetLine:
    year_start, year_end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    line = BudgetLine(
        label=str(year),
        start=year_start,
        end=year_end,
        budget=budget_for_range(periods, year_start, year_end),
    )
    return _fill(line, rows, currency)


def years_overview(first_year: int, last_year: int) -> list[BudgetLine]:
    """One line per calendar year, first_year..last_year."""
    start = datetime.date(first_year, 1, 1)
    end = datetime.date(last_year, 12, 31)
    rows = commitments(start, end)
    periods = list(ProgrammePeriod.objects.filter(start_date__lte=end, end_date__gte=start))
    currency = settings.ORGANISATION_CURRENCY
    return [_year_line(year, rows, periods, currency) for year in range(first_year, last_year + 1)]


def programme_period_overview() -> list[BudgetLine]:
    periods = list(ProgrammePeriod.objects.all())
    if not periods:
        return []
    rows = commitments(periods[0].start_date, max(p.end_date for p in periods))
    currency = settings.ORGANISATION_CURRENCY
    return [
        _fill(
            BudgetLine(
                label=period.name,
                start=period.start_date,
                end=period.end_date,
                budget=budget_for_range([period], period.start_date, period.end_date),
            ),
            rows,
            currency,
        )
        for period in periods
    ]


def budget_warnings(agreement) -> list[str]:
    """Years the agreement would take over budget if approved (a warning, not a block)."""
    if agreement.currency != settings.ORGANISATION_CURRENCY or agreement.economic_amount <= 0:
        return []
    if agreement.status == Status.TERMINATED:
        return []
    already_counted = agreement.status == Status.APPROVED
    this = Commitment.of(agreement)
    start, end = agreement.start_date, agreement.end_date
    rows = commitments(
        datetime.date(start.year, 1, 1), datetime.date(end.year, 12, 31), exclude_pk=agreement.pk
    )
    periods = list(ProgrammePeriod.objects.filter(start_date__lte=end, end_date__gte=start))
    warnings = []
    currency = settings.ORGANISATION_CURRENCY
    for year in range(start.year, end.year + 1):
        line = _year_line(year, rows, periods, currency)
        if line.budget is None:
            continue
        others, budget = line.committed, line.budget
        share = this.share_of_year(year)
        if others + share > budget:
            template = (
                _(
                    "%(year)s is over budget: %(committed)s committed by other agreements and "
                    "%(share)s by this one, against a budget of %(budget)s."
                )
                if already_counted
                else _(
                    "Approving this agreement takes %(year)s over budget: %(committed)s is "
                    "committed already and this agreement adds %(share)s, against a budget "
                    "of %(budget)s."
                )
            )
            warnings.append(
                template
                % {
                    "year": year,
                    "committed": format_money(others, currency),
                    "share": format_money(share, currency),
                    "budget": format_money(budget, currency),
                }
            )
    return warnings


def amendment_budget_warnings(amendment) -> list[str]:
    """Years an open amendment of the contribution would take over budget if approved
    (a warning, not a block), as budget_warnings() does for an agreement."""
    agreement = amendment.agreement
    if agreement.currency != settings.ORGANISATION_CURRENCY or not amendment.is_open:
        return []
    current = Commitment.of(agreement)
    amended = current.with_change(amendment.effective_date, amendment.economic_amount)
    start, end = amendment.effective_date, agreement.end_date
    rows = commitments(
        datetime.date(start.year, 1, 1), datetime.date(end.year, 12, 31), exclude_pk=agreement.pk
    )
    periods = list(ProgrammePeriod.objects.filter(start_date__lte=end, end_date__gte=start))
    currency = settings.ORGANISATION_CURRENCY
    warnings = []
    for year in range(start.year, end.year + 1):
        before, after = current.share_of_year(year), amended.share_of_year(year)
        if after <= before:
            continue
        line = _year_line(year, rows, periods, currency)
        if line.budget is None or line.committed + after <= line.budget:
            continue
        warnings.append(
            _(
                "Approving this amendment takes %(year)s over budget: %(committed)s is "
                "committed by other agreements, and this agreement's share rises from "
                "%(before)s to %(after)s, against a budget of %(budget)s."
            )
            % {
                "year": year,
                "committed": format_money(line.committed, currency),
                "before": format_money(before, currency),
                "after": format_money(after, currency),
                "budget": format_money(line.budget, currency),
            }
        )
    return warnings
