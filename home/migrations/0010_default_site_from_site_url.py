"""The default Site takes SITE_URL's address and WAGTAIL_SITE_NAME, unless someone set it already."""

from django.conf import settings
from django.db import migrations

from home.site_address import WAGTAIL_INITIAL_ADDRESS, set_site_address


def address_default_site(apps, schema_editor):
    Site = apps.get_model("wagtailcore", "Site")
    site = Site.objects.filter(is_default_site=True).first()
    if site is None or (site.hostname, site.port) != WAGTAIL_INITIAL_ADDRESS:
        return
    set_site_address(site, site_url=settings.SITE_URL, site_name=settings.WAGTAIL_SITE_NAME)


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0009_site_settings_footer_links"),
        ("wagtailcore", "0002_initial_data"),
    ]

    operations = [migrations.RunPython(address_default_site, migrations.RunPython.noop)]
