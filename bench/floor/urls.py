from django.db import connection
from django.shortcuts import render
from django.urls import path


def floor(request):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT site_name, hostname FROM wagtailcore_site WHERE is_default_site LIMIT 1"
        )
        row = cursor.fetchone()
    site = {"site_name": row[0], "hostname": row[1]} if row else None
    return render(request, "floor.html", {"site": site})


urlpatterns = [path("bench/floor/", floor)]
