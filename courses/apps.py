from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = "Courses"

    def ready(self):
        from django.db.models.signals import post_save

        from courses.models import CreditType
        from infrastructure.caching import bump_version

        post_save.connect(bump_version, sender=CreditType, dispatch_uid="anon-cache-credit-type")

        from courses import receivers

        receivers.connect()
