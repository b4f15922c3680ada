from django.urls import path

from scorm import views

app_name = "scorm"

urlpatterns = [
    path("modules/<id:module_id>/commit/", views.commit_view, name="commit"),
    path("modules/<id:module_id>/launch/", views.launch_view, name="launch"),
    path("<id:package_id>/<path:path>", views.package_file_view, name="file"),
]
