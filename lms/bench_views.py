"""The benchmark's floor: a bare view, one query, a small template (only when LMS_BENCH_FLOOR).

The same view as the bare floor project's (bench/floor/urls.py), so that the two differ only in
what surrounds the view: the platform's middleware, settings and URL configuration.
"""

from django.db import connection
from django.shortcuts import render


def floor(request):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT site_name, hostname FROM wagtailcore_site WHERE is_default_site LIMIT 1"
        )
        row = cursor.fetchone()
    site = {"site_name": row[0], "hostname": row[1]} if row else None
    return render(request, "bench/floor.html", {"site": site})
