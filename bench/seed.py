"""Fill a fresh database with a register the size of a large organisation.

    DATABASE_URL=sqlite:///var/bench.sqlite3 .venv/bin/python bench/seed.py [--scale 1.0]

10,000 partners with 2 contacts each, 30,000 agreements over ten years in every status
and phase, 5 goals and 4 obligations each (one in thirty of those due is left open, so
overdue), their evaluation periods, 40,000 completed evaluations with a result per goal
(the ~2,000 other ended periods are awaiting or overdue), and reminder rows. Bulk
inserts only.
"""

import argparse
import datetime
import itertools
import os
import random
import sys
import time
from decimal import Decimal
from importlib import import_module
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.apps import apps  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from agreements.models import (  # noqa: E402
    Agreement,
    Goal,
    Obligation,
    ReferenceCounter,
    TermsVersion,
)
from evaluations.models import Evaluation, EvaluationPeriod, GoalResult  # noqa: E402
from evaluations.periods import evaluation_periods  # noqa: E402
from partnerships.models import (  # noqa: E402
    FocusArea,
    Partner,
    PartnerContact,
    partner_name_key,
)
from reminders.models import Reminder  # noqa: E402

BATCH = 2000
STATUSES = ["approved"] * 6 + ["terminated", "draft", "pending", "returned"]
KINDS = ["civil_society", "public_body", "company", "association", "foundation", "other"]
COUNTRIES = ["SE", "SE", "SE", "NO", "FI", "KE", "BO", "UG", "DK"]


def insert(model, rows, chunk=20 * BATCH) -> int:
    """bulk_create in chunks, so ten times the data never holds every row in memory."""
    count = 0
    for part in _chunks(rows, chunk):
        model.objects.bulk_create(part, batch_size=BATCH)
        count += len(part)
    return count


def _chunks(rows, size):
    iterator = iter(rows)
    while part := list(itertools.islice(iterator, size)):
        yield part


def seed(scale: float) -> dict:
    rng = random.Random(2026)
    today = timezone.localdate()
    counts = {}
    staff_group, managers_group = (
        Group.objects.get(name="Staff"),
        Group.objects.get(name="Managers"),
    )
    staff = User.objects.bulk_create(
        User(
            username=f"staff{n}",
            first_name="Staff",
            last_name=f"{n}",
            email=f"staff{n}@bench.example",
        )
        for n in range(20)
    )
    managers = User.objects.bulk_create(
        User(
            username=f"manager{n}",
            first_name="Manager",
            last_name=f"{n}",
            email=f"m{n}@bench.example",
        )
        for n in range(3)
    )
    staff_group.user_set.add(*staff)
    managers_group.user_set.add(*managers)
    User.objects.create_superuser("admin", "admin@bench.example", "bench-admin-password")

    n_partners = int(10_000 * scale)
    words = ["Läs", "Kultur", "Idrott", "Hopp", "Bro", "Framtid", "Ängen", "Öppna", "Norr", "Väst"]
    partners = [
        Partner(
            name=f"{rng.choice(words)}föreningen {number:05d}",
            name_key=partner_name_key(f"{rng.choice(words)}föreningen {number:05d}"),
            organisation_number=f"80{number:04d}-{number % 10000:04d}",
            kind=rng.choice(KINDS),
            country=rng.choice(COUNTRIES),
            city="Malmö",
            responsible=rng.choice(staff),
            risk_level=rng.choice(["", "low", "medium", "high"]),
        )
        for number in range(n_partners)
    ]
    # bulk_create sets the name key and search text as save() does.
    Partner.objects.bulk_create(partners, batch_size=BATCH)
    partners = list(Partner.objects.all())
    areas = list(FocusArea.objects.all())
    Partner.focus_areas.through.objects.bulk_create(
        [Partner.focus_areas.through(partner=p, focusarea=rng.choice(areas)) for p in partners],
        batch_size=BATCH,
    )
    PartnerContact.objects.bulk_create(
        (
            PartnerContact(
                partner=p,
                name=f"Kontakt {p.pk}-{i}",
                email=f"c{p.pk}-{i}@bench.example",
            )
            for p in partners
            for i in range(2)
        ),
        batch_size=BATCH,
    )
    counts["partners"] = len(partners)

    n_agreements = int(30_000 * scale)
    agreements = []
    per_year = {}
    now = timezone.now()
    for number in range(n_agreements):
        start = today - datetime.timedelta(days=rng.randint(-180, 10 * 365))
        end = start + datetime.timedelta(days=rng.choice([364, 729, 1094, 1459, 1824]))
        status = rng.choice(STATUSES)
        author = rng.choice(staff)
        approved = status in ("approved", "terminated")
        year = start.year
        per_year[year] = per_year.get(year, 0) + 1
        terminated_on = (
            min(today, start + datetime.timedelta(days=100)) if status == "terminated" else None
        )
        if terminated_on and terminated_on < start:
            terminated_on = start
        agreements.append(
            Agreement(
                reference=f"AGR-{year}-{per_year[year]:05d}",
                partner=rng.choice(partners),
                title=f"Samarbete {number}",
                agreement_type=rng.choice(
                    ["long_term", "time_limited", "strategic", "local_sponsorship"]
                ),
                responsible=author,
                created_by=author,
                start_date=start,
                end_date=end,
                economic_amount=Decimal(rng.randint(0, 500) * 1000),
                payment_terms="Två delbetalningar.",
                marketing_contributions="Logotyp.",
                conduct="Uppförandekoden.",
                exchange="Synlighet mot finansiering.",
                status=status,
                submitted_by=author if status != "draft" else None,
                submitted_at=now if status != "draft" else None,
                approved_by=rng.choice(managers) if approved else None,
                approved_at=now if approved else None,
                terminated_by=managers[0] if status == "terminated" else None,
                terminated_on=terminated_on,
                termination_cause="other" if status == "terminated" else "",
                termination_reason="Bench." if status == "terminated" else "",
            )
        )
    Agreement.objects.bulk_create(agreements, batch_size=BATCH)
    ReferenceCounter.objects.bulk_create(
        [ReferenceCounter(year=year, last_number=count) for year, count in per_year.items()]
    )
    # Only what the rows below read: at ten times the data whole rows weigh gigabytes.
    agreements = list(
        Agreement.objects.only(
            "id", "status", "start_date", "end_date", "terminated_on", "responsible_id"
        ).order_by("pk")
    )
    counts["agreements"] = len(agreements)

    def goals():
        for agreement in agreements:
            for i in range(5):
                quantitative = i < 3
                yield Goal(
                    agreement=agreement,
                    description=f"Mål {i}",
                    kind="quantitative" if quantitative else "qualitative",
                    indicator="Deltagare" if quantitative else "",
                    baseline=Decimal(10) if quantitative else None,
                    target_value=Decimal(100) if quantitative else None,
                    unit="personer" if quantitative else "",
                    expected_outcome="" if quantitative else "Bättre",
                    assessment_method="" if quantitative else "Intervjuer",
                )

    def obligations():
        # Due every fifth of the way through; followed up when due, except about one
        # in thirty, which the overdue lists, the dashboard and the reminders show.
        for agreement in agreements:
            length = agreement.end_date - agreement.start_date
            for i in range(4):
                due = agreement.start_date + length * (i + 1) / 5
                fulfilment, fulfilled_on = "open", None
                if agreement.status == "terminated" and due > agreement.terminated_on:
                    fulfilment = "ended_by_termination"
                elif agreement.status in ("approved", "terminated") and due < today:
                    if rng.random() > 1 / 30:
                        fulfilment, fulfilled_on = "fulfilled", due
                yield Obligation(
                    agreement=agreement,
                    side="ours" if i < 2 else "partner",
                    category="reporting",
                    description=f"Åtagande {i}",
                    due_date=due,
                    fulfilment=fulfilment,
                    fulfilled_on=fulfilled_on,
                )

    counts["goals"] = insert(Goal, goals())
    counts["obligations"] = insert(Obligation, obligations())

    periods = []
    for agreement in agreements:
        if agreement.status in ("approved", "terminated"):
            last_day = agreement.terminated_on or agreement.end_date
            periods.extend(
                EvaluationPeriod(
                    agreement=agreement, number=p.number, start_date=p.start, end_date=p.end
                )
                for p in evaluation_periods(agreement.start_date, last_day)
            )
    EvaluationPeriod.objects.bulk_create(periods, batch_size=BATCH)
    counts["periods"] = len(periods)
    # What the approval writes besides: terms version 1, in bulk as the migration does.
    import_module("agreements.migrations.0015_first_terms_versions").forwards(apps, None)
    counts["terms versions"] = TermsVersion.objects.count()

    ended = list(
        EvaluationPeriod.objects.filter(end_date__lt=today)
        .select_related("agreement")
        .order_by("?")[: int(40_000 * scale)]
    )
    evaluations = [
        Evaluation(
            period=period,
            status="completed",
            evaluator_id=period.agreement.responsible_id,
            held_on=period.end_date,
            resources_description="Enligt budget.",
            overall_rating=4,
            recommendation=rng.choice(["continue", "adjust", "do_not_renew"]),
            completed_at=now,
            completed_by_id=period.agreement.responsible_id,
        )
        for period in ended
    ]
    Evaluation.objects.bulk_create(evaluations, batch_size=BATCH)
    goals_by_agreement = {}
    for goal_id, agreement_id in Goal.objects.values_list("id", "agreement_id"):
        goals_by_agreement.setdefault(agreement_id, []).append(goal_id)
    results = (
        GoalResult(
            evaluation_id=evaluation_id,
            goal_id=goal_id,
            measured_value=Decimal(80),
            achievement="partly",
        )
        for evaluation_id, agreement_id in Evaluation.objects.values_list(
            "id", "period__agreement_id"
        ).iterator(chunk_size=BATCH)
        for goal_id in goals_by_agreement[agreement_id]
    )
    counts["goal results"] = insert(GoalResult, results)
    counts["evaluations"] = len(evaluations)

    Reminder.objects.bulk_create(
        (
            Reminder(
                claim_key=f"agreement_ending:{a.pk}:90",
                kind="agreement_ending",
                agreement=a,
                sequence=90,
                for_date=today,
            )
            for a in agreements[: int(5000 * scale)]
        ),
        batch_size=BATCH,
    )
    counts["reminders"] = int(5000 * scale)
    return counts


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = the full data set")
    args = parser.parse_args()
    started = time.monotonic()
    call_command("migrate", verbosity=0)
    if Partner.objects.exists():
        sys.exit("The database is not empty: seed a fresh one (set DATABASE_URL).")
    with transaction.atomic():
        counts = seed(args.scale)
    elapsed = time.monotonic() - started
    for name, count in counts.items():
        print(f"{name:>14}: {count:>9,}")
    print(f"seeded in {elapsed:.1f} s")


if __name__ == "__main__":
    main()
