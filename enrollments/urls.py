from django.urls import path

from enrollments import views

app_name = "enrollments"

urlpatterns = [
    path("", views.dashboard_view, name="dashboard"),
    path("courses/<id:course_id>/enroll/", views.enroll_view, name="enroll"),
    path(
        "enrollments/<id:enrollment_id>/modules/<id:module_id>/complete/",
        views.complete_module_view,
        name="complete_module",
    ),
    path(
        "enrollments/<id:enrollment_id>/modules/<id:module_id>/quiz/",
        views.submit_quiz_view,
        name="submit_quiz",
    ),
    path(
        "enrollments/<id:enrollment_id>/modules/<id:module_id>/attempts/<id:number>/",
        views.attempt_view,
        name="attempt",
    ),
    path(
        "enrollments/<id:enrollment_id>/evaluation/",
        views.evaluation_view,
        name="evaluation",
    ),
]

# Under the Wagtail admin: a preview's quiz is graded for editors and reviewers only.
preview_urlpatterns = [
    path("modules/<id:module_id>/grade/", views.preview_grade_view, name="grade"),
]
