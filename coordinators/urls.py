from django.urls import path

from coordinators import views

app_name = "coordinators"

urlpatterns = [
    path("", views.home_view, name="home"),
    path("<id:organization_id>/", views.roster_view, name="roster"),
    path("<id:organization_id>/people/<id:user_id>/", views.person_view, name="person"),
    path("<id:organization_id>/studies/", views.studies_view, name="studies"),
    path("<id:organization_id>/studies/<id:roster_id>/", views.study_view, name="study"),
    path("<id:organization_id>/studies/<id:roster_id>/csv/", views.study_csv_view,
         name="study_csv"),
    path("<id:organization_id>/studies/<id:roster_id>/pdf/", views.study_pdf_view,
         name="study_pdf"),
    path("<id:organization_id>/invitations/", views.invitations_view, name="invitations"),
    path("<id:organization_id>/invitations/<id:invitation_id>/withdraw/",
         views.withdraw_invitation_view, name="withdraw_invitation"),
]  # fmt: skip
