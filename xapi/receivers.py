"""In-transaction receivers: each writes the event's statement to the outbox (one service call).

Connected to the signals enrollments and certificates send inside their transactions, so a row
exists exactly when its event committed.
"""

from django.dispatch import receiver

from certificates.signals import certificate_issued
from enrollments.signals import enrolled, enrollment_completed, module_completed, quiz_attempted
from xapi import services


@receiver(enrolled, dispatch_uid="xapi.enrolled")
def on_enrolled(sender, enrollment, **kwargs):
    services.record_enrolled(enrollment=enrollment)


@receiver(module_completed, dispatch_uid="xapi.module_completed")
def on_module_completed(sender, enrollment, module, **kwargs):
    services.record_module_completed(enrollment=enrollment, module=module)


@receiver(quiz_attempted, dispatch_uid="xapi.quiz_attempted")
def on_quiz_attempted(sender, enrollment, module, attempt, **kwargs):
    services.record_quiz_attempt(enrollment=enrollment, module=module, attempt=attempt)


@receiver(enrollment_completed, dispatch_uid="xapi.enrollment_completed")
def on_enrollment_completed(sender, enrollment, **kwargs):
    services.record_course_completed(enrollment=enrollment)


@receiver(certificate_issued, dispatch_uid="xapi.certificate_issued")
def on_certificate_issued(sender, certificate, **kwargs):
    services.record_certificate_issued(certificate=certificate)
