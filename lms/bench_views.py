"""The benchmark's floor: a bare view, one query, a small template (only when LMS_BENCH_FLOOR)."""

from django.shortcuts import render
from wagtail.models import Site


def floor(request):
    site = Site.objects.filter(is_default_site=True).values("site_name", "hostname").first()
    return render(request, "bench/floor.html", {"site": site})
