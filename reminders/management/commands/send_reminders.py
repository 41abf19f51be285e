import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reminders import services


class Command(BaseCommand):
    help = (
        "Send the day's reminders without Celery (for cron), or list them with --dry-run. "
        "Each reminder is claimed once: running it twice sends nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List, send nothing.")
        parser.add_argument("--date", help="The day to act as, YYYY-MM-DD (default today).")
        parser.add_argument(
            "--digest", action="store_true", help="Also send the weekly manager digests."
        )

    def handle(self, *args, **options):
        try:
            today = (
                datetime.date.fromisoformat(options["date"])
                if options["date"]
                else timezone.localdate()
            )
        except ValueError as error:
            raise CommandError(f"--date must be YYYY-MM-DD: {error}") from None
        if options["dry_run"]:
            planned = services.planned_reminders(today)
            self.stdout.write(f"{len(planned)} reminder(s) would go out on {today}:")
            for reminder in planned:
                self.stdout.write(f"  {reminder.describe()}")
            return
        sent, failed = 0, 0

        def send_now(delivery_id):
            nonlocal sent, failed
            try:
                if services.deliver(delivery_id) == "sent":
                    sent += 1
            except services.DeliveryFailed as error:
                failed += 1
                self.stderr.write(f"delivery {delivery_id} failed (will be retried): {error}")

        claimed = services.run_daily_reminders(today, dispatch=send_now)
        if options["digest"]:
            claimed += services.run_manager_digests(today, dispatch=send_now)
        self.stdout.write(
            f"{len(claimed)} reminder(s) claimed on {today}; {sent} email(s) sent, {failed} failed."
        )
