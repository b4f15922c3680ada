from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from announcements import selectors
from announcements.views import AnnouncementLog, compose


@hooks.register("register_admin_urls")
def register_announcement_urls():
    return [
        path("announcements/", AnnouncementLog.as_view(), name="announcements_log"),
        path("announcements/results/", AnnouncementLog.as_view(results_only=True),
             name="announcements_log_results"),
        path("announcements/new/", compose, name="announcements_compose"),
    ]  # fmt: skip


class AnnouncementMenuItem(MenuItem):
    def is_shown(self, request):
        return selectors.announceable_courses(request.user).exists()


@hooks.register("register_admin_menu_item")
def announcements_menu_item():
    return AnnouncementMenuItem(
        _("Announcements"), reverse("announcements_log"), icon_name="mail", order=450
    )
