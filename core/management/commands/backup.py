from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

from core.backup import dumpdata_arguments


class Command(BaseCommand):
    help = (
        "Write the whole database (SQLite or PostgreSQL) to a portable .json.gz file, "
        "leaving out only what migrate rebuilds (content types, permissions) and sessions."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            help="The file to write (default var/backups/backup-<time>.json.gz).",
        )

    def handle(self, *args, **options):
        output = options["output"]
        if not output:
            folder = settings.VAR_DIR / "backups"
            folder.mkdir(parents=True, exist_ok=True)
            output = str(folder / f"backup-{timezone.localtime():%Y%m%d-%H%M%S}.json.gz")
        command, *arguments = dumpdata_arguments(output)
        call_command(command, *arguments)
        self.stdout.write(output)
