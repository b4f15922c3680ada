from django.urls import path

from organizations import views

app_name = "organizations"

urlpatterns = [
    path("search/", views.search_view, name="search"),
    path("invitations/<str:token>/", views.invitation_view, name="invitation"),
]
