"""The Wagtail Site's address, taken from SITE_URL: page links in the admin and mails use it."""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

DEFAULT_PORTS = {"http": 80, "https": 443}
# What Wagtail's initial migration creates; anything else was set by someone and is kept.
WAGTAIL_INITIAL_ADDRESS = ("localhost", 80)


def hostname_and_port(site_url: str) -> tuple[str, int]:
    """The hostname and port a Site needs for its root_url to equal SITE_URL (no path)."""
    parts = urlsplit(site_url)
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        raise ImproperlyConfigured(f"SITE_URL must be an absolute http(s) URL, not {site_url!r}.")
    return parts.hostname, parts.port or DEFAULT_PORTS[parts.scheme]


def set_site_address(site, *, site_url: str, site_name: str) -> None:
    """Give one Site (a model instance, historical or not) the SITE_URL address and name."""
    site.hostname, site.port = hostname_and_port(site_url)
    site.site_name = site_name
    site.save(update_fields=["hostname", "port", "site_name"])
