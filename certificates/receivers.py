from django.db import transaction
from django.dispatch import receiver
from wagtail.signals import page_published

from certificates import services
from enrollments.signals import course_completed


@receiver(course_completed, dispatch_uid="certificates.create_pending_certificate")
def on_course_completed(sender, enrollment_id, **kwargs):
    services.create_pending_certificate(enrollment_id=enrollment_id)


@receiver(page_published, dispatch_uid="certificates.notify_revision_holders")
def on_page_published(sender, instance, **kwargs):
    """A live GCP edition may cover a newer ICH E6 revision than its holders' certificates."""
    if getattr(instance, "is_gcp", False) and getattr(instance, "previous_edition_id", None):
        course_id = instance.pk
        transaction.on_commit(lambda: services.enqueue_revision_notices(course_id))
