from wagtail import hooks

from home import api

hooks.register("construct_admin_api", api.register_permitted_media_endpoints)
