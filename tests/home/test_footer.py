"""The footer's contact, privacy, accessibility and terms links come from the site settings."""

import pytest
from wagtail.models import Site

from home.models import SiteSettings

# A cache namespace of its own: pages these tests cache never answer the tests after them.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


def test_the_footer_links_are_edited_in_site_settings(client):
    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.contact_url = "https://example.org/contact"
    settings.privacy_url = "https://example.org/privacy"
    settings.accessibility_url = "https://example.org/accessibility"
    settings.terms_url = "https://example.org/terms"
    settings.save()
    html = client.get("/").content.decode()
    footer = html.split('<footer class="site-footer">', 1)[1]
    for href, text in [
        ("https://example.org/contact", "Contact"),
        ("https://example.org/privacy", "Privacy"),
        ("https://example.org/accessibility", "Accessibility statement"),
        ("https://example.org/terms", "Terms of use"),
        ("/verify/", "Verify a certificate"),
    ]:
        assert f'<a href="{href}">{text}</a>' in footer


def test_an_empty_address_leaves_its_link_out_and_contact_falls_back_to_the_email(client):
    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.contact_email = "education@example.org"
    settings.save()
    footer = client.get("/").content.decode().split('<footer class="site-footer">', 1)[1]
    assert '<a href="mailto:education@example.org">Contact: education@example.org</a>' in footer
    assert "Privacy" not in footer
    assert "Terms of use" not in footer
