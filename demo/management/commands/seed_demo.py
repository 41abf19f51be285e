from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from partnerships.models import Partner


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
        if options["if_empty"] and not database_is_empty():
            self.stdout.write("The database already holds data; no demo data added.")
            return
        # Imported only when demo data is made: `make run` starts with this command,
        # and on a database that holds data it should cost no more than the check.
        from demo import data as demo_data
        from demo.portal import DEMO_PORTAL_USERS

        with transaction.atomic():
            demo_data.create_demo_data()
        names = ", ".join(
            f"{username} / {password}" for username, password, *_ in demo_data.DEMO_USERS
        )
        portal_names = ", ".join(f"{user.username} / {user.password}" for user in DEMO_PORTAL_USERS)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready. Log in as {names}; partner portal: {portal_names}."
            )
        )


def database_is_empty() -> bool:
    return not get_user_model().objects.exists() and not Partner.objects.exists()
