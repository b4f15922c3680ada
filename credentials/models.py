from django.db import models
from django.utils.translation import gettext_lazy as _

# A Bitstring Status List holds at least 131,072 entries (16 KB), so one credential cannot be
# told from its neighbours. Indexes are drawn at random; a list takes half its capacity, then
# the next list opens.
STATUS_LIST_SIZE = 131_072
STATUS_LIST_FILL = STATUS_LIST_SIZE // 2


class BadgeCredential(models.Model):
    """What a certificate's Open Badges credential needs beyond the certificate itself.

    Its place in the revocation status list and the salted hash of the learner's email are fixed
    when the credential is first made, so every copy the learner downloads names the same entry
    and the same recipient. The credential's content comes from the certificate's snapshot.
    """

    # A learner's record, not content: kept out of Wagtail's reference index (no queries on save).
    wagtail_reference_index_ignore = True

    certificate = models.OneToOneField(
        "certificates.Certificate", on_delete=models.PROTECT, related_name="badge_credential"
    )
    status_list = models.PositiveIntegerField(_("status list"), default=1)
    status_index = models.PositiveIntegerField(_("status list index"))
    salt = models.CharField(_("salt"), max_length=64)
    identity_hash = models.CharField(_("hashed recipient email"), max_length=80)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("badge credential")
        constraints = [
            models.UniqueConstraint(
                fields=["status_list", "status_index"], name="one_credential_per_status_entry"
            ),
        ]

    def __str__(self):
        return f"Credential for certificate {self.certificate_id}"
