from wagtail import hooks

from credentials import links

hooks.register("lms_certificate_links", links.certificate_links)
