"""The Wagtail admin API's image and document endpoints, limited to the asker's collections.

Wagtail's own endpoints list every image and document outside a privacy-restricted collection,
download links included, to anyone who may open the admin. Here the listing and each detail
answer only within the collections the user may see in the admin (the same rule as Wagtail's
listing and choosers): an instructor of one program never learns of another program's files.
"""

from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.documents.permissions import permission_policy as document_policy
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.images.permissions import permission_policy as image_policy

# Seeing a collection's media in the admin (listing) or in a chooser.
VIEW_ACTIONS = ["change", "choose"]


class PermittedDocumentsAdminAPIViewSet(DocumentsAdminAPIViewSet):
    def get_queryset(self):
        permitted = document_policy.instances_user_has_any_permission_for(
            self.request.user, VIEW_ACTIONS
        )
        return super().get_queryset().filter(pk__in=permitted.values("pk"))


class PermittedImagesAdminAPIViewSet(ImagesAdminAPIViewSet):
    def get_queryset(self):
        permitted = image_policy.instances_user_has_any_permission_for(
            self.request.user, VIEW_ACTIONS
        )
        return super().get_queryset().filter(pk__in=permitted.values("pk"))


def register_permitted_media_endpoints(router) -> None:
    """``construct_admin_api`` hook: replace Wagtail's endpoints of the same names."""
    router.register_endpoint("documents", PermittedDocumentsAdminAPIViewSet)
    router.register_endpoint("images", PermittedImagesAdminAPIViewSet)
