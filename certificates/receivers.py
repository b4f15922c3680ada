from django.dispatch import receiver

from certificates import services
from enrollments.signals import course_completed


@receiver(course_completed, dispatch_uid="certificates.create_pending_certificate")
def on_course_completed(sender, enrollment_id, **kwargs):
    services.create_pending_certificate(enrollment_id=enrollment_id)
