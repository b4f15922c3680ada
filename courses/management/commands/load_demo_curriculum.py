from django.core.management.base import BaseCommand

from courses.demo import load_demo_curriculum
from courses.translations import load_demo_translation


class Command(BaseCommand):
    help = "Build the demo programs, courses, modules and quizzes (creates only what is missing)."

    def handle(self, *args, **options):
        created = load_demo_curriculum(log=self.stdout.write)
        if created:
            self.stdout.write(f"Demo curriculum: created {len(created)}: {', '.join(created)}")
        else:
            self.stdout.write("Demo curriculum: already loaded, nothing to create.")
        translated = load_demo_translation()
        if translated:
            self.stdout.write(f"Demo translations (published): {', '.join(translated)}")
