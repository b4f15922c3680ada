"""A study roster as CSV (every cell through infrastructure.spreadsheets) and as PDF."""

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.text import slugify
from django.utils.translation import gettext as _

from infrastructure.spreadsheets import csv_writer


def _filename(roster, extension: str) -> str:
    stem = slugify(roster.name)[:60] or "study"
    return f"study-roster-{stem}-{roster.on_date:%Y%m%d}.{extension}"


def roster_csv(roster, rows, courses) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(roster, "csv")}"'
    writer = csv_writer(response)
    writer.writerow([_("Organization"), roster.organization.name, _("Study"), roster.name,
                     _("Trained on"), roster.on_date.isoformat()])  # fmt: skip
    writer.writerow([])
    writer.writerow([_("Name"), _("Email"), _("Profession"), _("Trained"),
                     *[course.code for course in courses], _("Reasons")])  # fmt: skip
    for row in rows:
        writer.writerow([
            row.user.get_full_name(), row.user.email, row.user.get_profession_display(),
            _("trained") if row.trained else _("not trained"),
            *[_("yes") if v.trained else _("no") for v in row.verdicts], row.reasons,
        ])  # fmt: skip
    return response


def roster_pdf(roster, rows, courses) -> HttpResponse:
    from weasyprint import HTML

    html = render_to_string(
        "coordinators/study_roster_pdf.html", {"roster": roster, "rows": rows, "courses": courses}
    )
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(roster, "pdf")}"'
    return response
