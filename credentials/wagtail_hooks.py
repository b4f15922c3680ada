from wagtail import hooks

from courses.extension_points import CERTIFICATE_LINKS
from credentials import links

hooks.register(CERTIFICATE_LINKS, links.certificate_links)
