"""Writes on the site as a whole."""

from django.conf import settings
from django.db import transaction
from wagtail.models import Site

from home.site_address import set_site_address


@transaction.atomic
def configure_default_site(*, site_url: str | None = None, site_name: str | None = None) -> Site:
    """Point the default Wagtail Site at SITE_URL and name it WAGTAIL_SITE_NAME.

    Page links in the admin (status panel, listings) and in workflow mails are built from the
    Site, so it must carry the address learners use, never Wagtail's initial "localhost".
    """
    site = Site.objects.select_for_update().get(is_default_site=True)
    set_site_address(
        site,
        site_url=site_url or settings.SITE_URL,
        site_name=site_name or settings.WAGTAIL_SITE_NAME,
    )
    return site
