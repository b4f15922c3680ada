from wagtail import hooks

from home import api
from infrastructure.caching import mark_signed_in_cacheable


@hooks.register("before_serve_page")
def signed_in_pages_may_be_cached(page, request, serve_args, serve_kwargs):
    """A page of the tree shows a learner only their own state: their session may cache it."""
    mark_signed_in_cacheable(request)


hooks.register("construct_admin_api", api.register_permitted_media_endpoints)
