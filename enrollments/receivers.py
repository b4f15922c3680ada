"""A learner's cached pages are retired whenever their learning records change."""

from django.db.models.signals import post_delete, post_save

from enrollments.models import CourseEvaluation, Enrollment, ModuleProgress, QuizAttempt
from infrastructure.caching import bump_user


def user_of_enrollment_record(instance):
    """The learner a progress row, attempt or evaluation belongs to (no query when it is known)."""
    enrollment = instance._state.fields_cache.get("enrollment")
    if enrollment is not None:
        return enrollment.user_id
    enrollments = Enrollment.objects.filter(pk=instance.enrollment_id)
    return enrollments.values_list("user_id", flat=True).first()


def _enrollment_changed(sender, instance, raw=False, **kwargs):
    if not raw:  # loading fixtures changes nobody's pages
        bump_user(instance.user_id)


def _record_changed(sender, instance, origin=None, raw=False, **kwargs):
    if raw:
        return
    # Rows going with a deleted module (a page delete already retires every cached page) or a
    # deleted user: bumping each learner one by one would only slow the delete down.
    if not _deleted_for_its_learner(origin):
        return
    bump_user(user_of_enrollment_record(instance))


def _deleted_for_its_learner(origin) -> bool:
    """True for a save (no origin) or a delete that started at a learning record."""
    return origin is None or isinstance(
        origin, (Enrollment, ModuleProgress, QuizAttempt, CourseEvaluation)
    )


def connect() -> None:
    for signal in (post_save, post_delete):
        signal.connect(_enrollment_changed, sender=Enrollment, dispatch_uid=f"pages-{signal}-e")
        for model in (ModuleProgress, QuizAttempt, CourseEvaluation):
            signal.connect(
                _record_changed, sender=model, dispatch_uid=f"pages-{signal}-{model.__name__}"
            )
