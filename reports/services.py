"""Building a large export outside the request that asked for it."""

import csv
import io
import logging
import tempfile
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.mail import send_mail
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from reports.models import ReportExport

logger = logging.getLogger(__name__)


def _view_for(export: ReportExport) -> Any:
    from reports.views import REPORTS

    request = RequestFactory().get("/", {k: v for k, v in export.params.items()})
    request.user = export.user
    view = REPORTS[export.report]()
    view.setup(request)
    view.is_export = True
    return view


def build_export(*, export_id: int) -> ReportExport:
    """Write the report to a private file, streaming rows; then mail the link to the requester."""
    export = ReportExport.objects.select_related("user").get(pk=export_id)
    if export.status != ReportExport.Status.PENDING:
        return export
    view = _view_for(export)
    queryset = view.get_filtered_queryset()
    fields = view.list_export
    headings = [view.get_heading(queryset, field) for field in fields]
    rows = 0
    with tempfile.TemporaryFile() as handle:
        if export.export_format == "xlsx":
            view.write_xlsx(queryset.iterator(chunk_size=2000), handle)
            rows = queryset.count()
        else:
            text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
            writer = csv.writer(text)
            writer.writerow(headings)
            for item in queryset.iterator(chunk_size=2000):
                row = view.to_row_dict(item)
                writer.writerow([view.preprocess_field_value(f, v, "csv") for f, v in row.items()])
                rows += 1
            text.flush()
            text.detach()
        handle.seek(0)
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        export.file.save(f"{export.report}-{stamp}-{export.pk}.{export.export_format}",
                         File(handle), save=False)  # fmt: skip
    export.rows = rows
    export.status = ReportExport.Status.READY
    export.finished_at = timezone.now()
    export.save()
    link = f"{settings.SITE_URL}{reverse('reports_export_download', args=[export.pk])}"
    send_mail(
        subject=f"Your export is ready: {export.report.replace('_', ' ')}",
        message=f"The export you asked for ({rows} rows) is ready:\n{link}\n\n"
        "Sign in to download it; the link works only for you.",
        from_email=None,
        recipient_list=[export.user.email],
    )
    return export
