"""Building a large export outside the request that asked for it, and recording its outcome."""

from __future__ import annotations

import io
import logging
import tempfile

from django.conf import settings
from django.core.files import File
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from infrastructure.spreadsheets import write_csv, write_xlsx
from reports import scope
from reports.exports import EXPORTS
from reports.models import ReportExport
from reports.selectors import ReportScope

logger = logging.getLogger(__name__)

ERROR_LENGTH = 500


class ExportError(Exception):
    """An export that cannot be built, with a reason fit to show its requester."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def build_export(*, export_id: int) -> ReportExport:
    """Write the report to a private file, streaming rows; then mail the link to the requester.

    The rows come from the report's one selector, with the requester's scope worked out now (a
    permission taken away since the request is respected). Only a pending export is built.
    """
    export = ReportExport.objects.select_related("user").get(pk=export_id)
    if export.status != ReportExport.Status.PENDING:
        return export
    spec = EXPORTS.get(export.report)
    if spec is None:
        raise ExportError(_("This report does not exist any more."))
    if export.export_format not in ("csv", "xlsx"):
        raise ExportError(_("Unknown export format."))
    if not scope.can_view_reports(export.user):
        raise ExportError(_("You may no longer view learning reports."))
    report_scope = ReportScope.for_user(export.user)
    filters = spec.filter_class.from_params(export.params, scope=report_scope)
    columns = spec.fields_for(report_scope)
    values = spec.values(spec.rows(filters), columns)
    with tempfile.TemporaryFile() as handle:
        if export.export_format == "xlsx":
            rows = write_xlsx(handle, spec.heading_row(columns), values)
        else:
            text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
            rows = write_csv(text, spec.heading_row(columns), values)
            text.flush()
            text.detach()
        handle.seek(0)
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        export.file.save(f"{export.report}-{stamp}-{export.pk}.{export.export_format}",
                         File(handle), save=False)  # fmt: skip
    with transaction.atomic():
        updated = ReportExport.objects.filter(
            pk=export.pk, status=ReportExport.Status.PENDING
        ).update(
            file=export.file.name,
            rows=rows,
            status=ReportExport.Status.READY,
            finished_at=timezone.now(),
        )
    if not updated:  # another run finished (or failed) it meanwhile
        export.file.delete(save=False)
        export.refresh_from_db()
        return export
    export.refresh_from_db()
    link = f"{settings.SITE_URL}{reverse('reports_export_download', args=[export.pk])}"
    send_mail(
        subject=_("Your export is ready: %(report)s") % {"report": spec.title},
        message=_(
            "The export you asked for (%(rows)d rows) is ready:\n%(link)s\n\n"
            "Sign in to download it; the link works only for you."
        )
        % {"rows": rows, "link": link},
        from_email=None,
        recipient_list=[export.user.email],
    )
    return export


def fail_export(*, export_id: int, error: BaseException) -> ReportExport | None:
    """Mark a pending export failed with a reason its requester can read, and tell them by mail.

    Only a pending export changes (a conditional UPDATE), so the mail goes out once. The reason
    is the ``ExportError`` message, or for anything unexpected a plain sentence (the details go
    to the log, not to the page).
    """
    if isinstance(error, ExportError):
        reason = error.message
    else:
        reason = _(
            "The export could not be built (%(error)s). Please try again; if it fails again, "
            "tell an administrator."
        ) % {"error": type(error).__name__}
    with transaction.atomic():
        updated = ReportExport.objects.filter(
            pk=export_id, status=ReportExport.Status.PENDING
        ).update(
            status=ReportExport.Status.FAILED,
            error=reason[:ERROR_LENGTH],
            finished_at=timezone.now(),
        )
    export = ReportExport.objects.select_related("user").filter(pk=export_id).first()
    if not updated or export is None:
        return export
    logger.error("export %s failed: %r", export_id, error)
    spec = EXPORTS.get(export.report)
    link = f"{settings.SITE_URL}{reverse('reports_exports')}"
    send_mail(
        subject=_("Your export failed: %(report)s")
        % {"report": spec.title if spec else export.report},
        message=_(
            "The export you asked for could not be built.\nReason: %(reason)s\n\n"
            "Your exports: %(link)s"
        )
        % {"reason": reason, "link": link},
        from_email=None,
        recipient_list=[export.user.email],
    )
    return export
