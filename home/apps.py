from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "Site"

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.models import Page, PageViewRestriction
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from home.caching import bump_version, bump_version_on_change
        from home.models import SiteSettings

        # Anything that changes what a public page shows drops the anonymous page cache.
        page_published.connect(bump_version, dispatch_uid="anon-cache-published")
        page_unpublished.connect(bump_version, dispatch_uid="anon-cache-unpublished")
        post_page_move.connect(bump_version, dispatch_uid="anon-cache-moved")
        post_delete.connect(bump_version, sender=Page, dispatch_uid="anon-cache-deleted")
        post_save.connect(
            bump_version_on_change, sender=SiteSettings, dispatch_uid="anon-cache-settings"
        )
        # Who may see a page is part of what a cached page shows.
        for signal in (post_save, post_delete):
            signal.connect(
                bump_version, sender=PageViewRestriction, dispatch_uid=f"anon-cache-restr-{signal}"
            )
