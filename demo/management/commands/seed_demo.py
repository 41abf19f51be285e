from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo import data as demo_data
from demo.portal import DEMO_PORTAL_USERS


class Command(BaseCommand):
    help = "Create demo users (with the passwords in README.md) and demo partners."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing unless the database has no users and no partners.",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo refuses to run with DEBUG off: demo users have published "
                "passwords and must never exist in production."
            )
        if options["if_empty"] and not demo_data.database_is_empty():
            self.stdout.write("The database already holds data; no demo data added.")
            return
        with transaction.atomic():
            demo_data.create_demo_data()
        names = ", ".join(
            f"{username} / {password}" for username, password, *_ in demo_data.DEMO_USERS
        )
        portal_names = ", ".join(
            f"{username} / {password}" for username, password, *_ in DEMO_PORTAL_USERS
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready. Log in as {names}; partner portal: {portal_names}."
            )
        )
