from django.core.management.base import BaseCommand

from courses.demo import load_demo_curriculum


class Command(BaseCommand):
    help = "Build the demo programs, courses, modules and quizzes (creates only what is missing)."

    def handle(self, *args, **options):
        created = load_demo_curriculum(log=self.stdout.write)
        if created:
            self.stdout.write(f"Demo curriculum: created {len(created)}: {', '.join(created)}")
        else:
            self.stdout.write("Demo curriculum: already loaded, nothing to create.")
