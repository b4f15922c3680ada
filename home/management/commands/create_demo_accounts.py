from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from home.demo import create_demo_accounts


class Command(BaseCommand):
    help = "Create the demo administrator, instructors and learner (development only)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Run even when DEBUG is off (never in production)."
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Demo accounts have public passwords: refusing while DEBUG is off.")
        accounts = create_demo_accounts()
        self.stdout.write("Demo accounts (development only):")
        for account in accounts:
            self.stdout.write(f"  {account.role:<17} {account.email:<30} {account.password}")
