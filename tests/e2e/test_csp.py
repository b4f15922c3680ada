"""The site and the Wagtail admin work under their Content Security Policies: no violations."""

import pytest
from allauth.account.models import EmailAddress

from certificates import services as certificate_services
from enrollments import services
from tests.certificates.conftest import completed_enrollment
from tests.courses import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PASSWORD = "correct-horse-battery-staple"


def test_pages_and_the_admin_editor_raise_no_csp_violations(ui, django_user_model):
    program = factories.program("ctn", "Clinical Trials Network")
    course = factories.course(program, "CTN-101", modules=1, post_test=True)
    module = course.get_children().first()
    admin = django_user_model.objects.create_superuser("csp.admin@example.org", PASSWORD)
    EmailAddress.objects.create(user=admin, email=admin.email, verified=True, primary=True)
    services.enroll(user=admin, course=course)
    done = completed_enrollment(admin, factories.course(program, "CTN-102", modules=1))
    pending = certificate_services.create_pending_certificate(enrollment_id=done.pk)
    certificate = certificate_services.issue_certificate(certificate_id=pending.pk)

    violations = []
    ui.page.on(
        "console",
        lambda message: violations.append(f"{ui.page.url}: {message.text}")
        if "Content Security Policy" in message.text
        else None,
    )
    public = ["/", "/catalog/?q=course", program.url, course.url, module.url,
              certificate.get_absolute_url()]  # fmt: skip
    for path in public:
        ui.goto(path)
    ui.goto("/accounts/login/")
    ui.page.get_by_label("Email").fill(admin.email)
    ui.page.get_by_label("Password").fill(PASSWORD)
    ui.page.get_by_role("button", name="Sign In").click()
    ui.page.wait_for_url("**/")
    signed_in = [module.url, "/learning/", "/certificates/transcript/", "/admin/",
                 f"/admin/pages/{course.pk}/edit/", "/admin/certificates/",
                 "/admin/learning-reports/course-completion/"]  # fmt: skip
    for path in signed_in:
        response = ui.goto(path)
        assert response.status == 200
        assert "Content-Security-Policy" in response.headers or "content-security-policy" in {
            k.lower() for k in response.headers
        }
    ui.page.wait_for_timeout(500)
    ui.screenshot("editor-under-csp")
    assert violations == []
    assert ui.server_errors == []
