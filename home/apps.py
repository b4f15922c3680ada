from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "Site"

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group
        from django.db.models.signals import m2m_changed, post_delete, post_save
        from wagtail.models import GroupPagePermission, Page, PageViewRestriction, Site
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from home.models import SiteSettings
        from infrastructure.caching import bump_version, bump_version_on_change

        # Anything that changes what a public page shows drops the anonymous page cache.
        page_published.connect(bump_version, dispatch_uid="anon-cache-published")
        page_unpublished.connect(bump_version, dispatch_uid="anon-cache-unpublished")
        post_page_move.connect(bump_version, dispatch_uid="anon-cache-moved")
        post_delete.connect(bump_version, sender=Page, dispatch_uid="anon-cache-deleted")
        post_save.connect(
            bump_version_on_change, sender=SiteSettings, dispatch_uid="anon-cache-settings"
        )
        # Who may see a page is part of what a cached page shows: view restrictions, and the
        # permissions that let an instructor see a program's modules without enrolling; the sites
        # (their root pages) are kept per content version too (infrastructure.render_cache).
        for signal in (post_save, post_delete):
            for model in (PageViewRestriction, GroupPagePermission, Site):
                signal.connect(
                    bump_version, sender=model, dispatch_uid=f"page-cache-{model.__name__}-{signal}"
                )
        User = get_user_model()
        for through in (Group.permissions.through, User.user_permissions.through):
            m2m_changed.connect(
                bump_version, sender=through, dispatch_uid=f"page-cache-perms-{through.__name__}"
            )
