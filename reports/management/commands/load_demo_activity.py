from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from reports.demo import load_demo_activity


class Command(BaseCommand):
    help = "Demo learners part-way through courses, with certificates (development only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo activity is for development: refusing while DEBUG is off.")
        created = load_demo_activity()
        self.stdout.write(f"Demo activity: {created} enrollments created.")
