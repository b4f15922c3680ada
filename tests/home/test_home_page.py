import pytest
from wagtail.models import Site

from home.models import HomePage

pytestmark = pytest.mark.django_db


def test_the_site_root_is_the_platforms_home_page():
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)


def test_home_page_renders_for_anonymous_visitors(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "Clinical Research Education" in response.content.decode()


def test_unknown_url_is_a_404(client):
    assert client.get("/no-such-page/").status_code == 404
