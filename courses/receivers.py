from wagtail.models import WorkflowState
from wagtail.signals import page_published, workflow_submitted

from courses.models import CoursePage
from courses.services import publish_course_changes


def on_page_published(sender, instance, **kwargs):
    publish_course_changes(course=instance)


def connect():
    # "Course review" has one task, whose own notice tells its reviewers: Wagtail's second,
    # workflow-level notice of the same submission would make it two mails to each reviewer.
    workflow_submitted.disconnect(
        sender=WorkflowState, dispatch_uid="workflow_state_submitted_email_notification"
    )
    page_published.connect(
        on_page_published, sender=CoursePage, dispatch_uid="courses.publish_course_changes"
    )
