from django.urls import path

from credentials import views

app_name = "credentials"

urlpatterns = [
    path("issuer/", views.issuer_view, name="issuer"),
    path("jwks.json", views.jwks_view, name="jwks"),
    path("keys/<str:kid>/", views.key_view, name="key"),
    path("status/<int:number>/", views.status_list_view, name="status_list"),
    path("achievements/<str:course_code>/", views.achievement_view, name="achievement"),
    path("verify/", views.verify_view, name="verify"),
    path("<str:code>/credential.json", views.download_json_view, name="download_json"),
    path("<str:code>/credential.jwt", views.download_jwt_view, name="download_jwt"),
]
