from django.urls import path

from certificates import views

app_name = "certificates"

urlpatterns = [
    path("verify/<str:code>/", views.verify_view, name="verify"),
    path("verify/<str:code>/pdf/", views.verify_pdf_view, name="verify_pdf"),
    path("download/<str:code>/", views.download_view, name="download"),
    path("transcript/", views.transcript_view, name="transcript"),
    path("boards/", views.boards_view, name="boards"),
    path("boards/<id:certification_id>/remove/", views.board_remove_view, name="board_remove"),
    path("renew/<id:enrollment_id>/", views.renew_view, name="renew"),
    path("status/<id:enrollment_id>/", views.status_view, name="status"),
]
