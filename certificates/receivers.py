from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published

from certificates import services
from certificates.models import Certificate
from enrollments.receivers import user_of_enrollment_record
from enrollments.signals import course_completed
from infrastructure.caching import bump_user


@receiver(course_completed, dispatch_uid="certificates.create_pending_certificate")
def on_course_completed(sender, enrollment_id, **kwargs):
    services.create_pending_certificate(enrollment_id=enrollment_id)


@receiver(post_save, sender=Certificate, dispatch_uid="certificates.retire_pages_saved")
@receiver(post_delete, sender=Certificate, dispatch_uid="certificates.retire_pages_deleted")
def on_certificate_changed(sender, instance, origin=None, **kwargs):
    """The learner's dashboard and transcript show their certificates."""
    if origin is None or isinstance(origin, Certificate):
        bump_user(user_of_enrollment_record(instance))


@receiver(page_published, dispatch_uid="certificates.notify_revision_holders")
def on_page_published(sender, instance, **kwargs):
    """A live GCP edition may cover a newer ICH E6 revision than its holders' certificates."""
    if getattr(instance, "is_gcp", False) and getattr(instance, "previous_edition_id", None):
        course_id = instance.pk
        transaction.on_commit(lambda: services.enqueue_revision_notices(course_id))
