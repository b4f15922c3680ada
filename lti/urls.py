from django.urls import path

from lti import views

app_name = "lti"

urlpatterns = [
    path("jwks.json", views.jwks_view, name="jwks"),
    path("config.json", views.config_view, name="config"),
    path("login/", views.login_view, name="login"),
    path("launch/", views.launch_view, name="launch"),
    path("deep-link/", views.deep_link_view, name="deep_link"),
]
