"""A person's cached pages show their name and menus: retire them when the account changes."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_delete, post_save

from infrastructure.caching import bump_user


def _user_changed(sender, instance, **kwargs):
    bump_user(instance.pk)


def _email_changed(sender, instance, **kwargs):
    bump_user(instance.user_id)


def _groups_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not reverse:  # user.groups changed
        if action.startswith("post_"):
            bump_user(instance.pk)
        return
    # group.user_set changed: ``clear`` names no one, so look before it happens.
    if action == "pre_clear":
        user_ids = instance.user_set.values_list("pk", flat=True)
    elif action in ("post_add", "post_remove"):
        user_ids = pk_set
    else:
        return
    for user_id in user_ids:
        bump_user(user_id)


def connect() -> None:
    User = get_user_model()
    post_save.connect(_user_changed, sender=User, dispatch_uid="pages-user-saved")
    post_delete.connect(_user_changed, sender=User, dispatch_uid="pages-user-deleted")
    for signal in (post_save, post_delete):
        signal.connect(_email_changed, sender=EmailAddress, dispatch_uid=f"pages-email-{signal}")
    m2m_changed.connect(_groups_changed, sender=User.groups.through, dispatch_uid="pages-groups")
