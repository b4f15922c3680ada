from django.dispatch import receiver

from enrollments.signals import course_completed
from lti import services


@receiver(course_completed, dispatch_uid="lti.enqueue_scores")
def on_course_completed(sender, enrollment_id, **kwargs):
    services.enqueue_scores(enrollment_id=enrollment_id)
