"""A learner switches to Spanish in the header, enrolls in and completes the Spanish course, and
receives the same certificate, printed in Spanish; the Spanish pages pass axe."""

import time

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from certificates.models import Certificate, CertificateStatus
from courses.translations import translate_course
from enrollments.models import Enrollment, EnrollmentStatus
from tests.accounts.factories import UserFactory
from tests.e2e.test_accessibility import sign_in, violations
from tests.e2e.test_learner_journey import COURSE_TITLE, LESSONS, POST_TEST, build_catalog, pdf_text

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TITLE_ES = "Cartas de imagen y lecturas centralizadas en ensayos multicéntricos"
LESSONS_ES = (
    "Por qué un ensayo necesita una carta de imagen",
    "Revisión central independiente y ciega",
)
PROMPTS_ES = [
    "¿Quién aprueba la carta de imagen antes de explorar al primer participante?",
    "¿Qué no ve un lector central enmascarado?",
    "¿Qué documento fija los parámetros de adquisición para todos los centros?",
    "¿Qué resuelve un desacuerdo entre dos lectores centrales?",
    "¿Cuándo debe volver a cualificarse un escáner para el ensayo?",
]
OPTIONS_ES = {
    "The site technologist": "El tecnólogo del centro",
    "The sponsor, with the imaging core lab": "El promotor, con el laboratorio central de imagen",
    "The IRB only": "Solo el IRB",
    "The scanner vendor": "El fabricante del escáner",
    "The images": "Las imágenes",
    "The read criteria": "Los criterios de lectura",
    "The treatment arm": "El brazo de tratamiento",
    "The time point": "El momento de la exploración",
    "The imaging manual": "El manual de imagen",
    "The consent form": "El formulario de consentimiento",
    "The case report form": "El cuaderno de recogida de datos",
    "The monitoring plan": "El plan de monitorización",
    "The site investigator": "El investigador del centro",
    "An average of both reads": "La media de ambas lecturas",
    "The sponsor's medical monitor": "El monitor médico del promotor",
    "An adjudicator": "Un adjudicador",
    "After a major hardware or software change": "Tras un cambio importante de hardware o software",
    "Every week": "Cada semana",
    "Never": "Nunca",
    "When a participant withdraws": "Cuando un participante se retira",
}


def spanish_strings() -> dict[str, str]:
    strings = {COURSE_TITLE: TITLE_ES, "Post-test": "Examen final", **OPTIONS_ES}
    strings.update(zip(LESSONS, LESSONS_ES, strict=True))
    strings.update(zip((p for p, _o, _r in POST_TEST), PROMPTS_ES, strict=True))
    return strings


def test_a_learner_completes_the_course_in_spanish_and_gets_a_spanish_certificate(
    ui, certificate_issuing
):
    course = build_catalog()
    translate_course(course, language="es", strings=spanish_strings())
    learner = UserFactory(email="lucia@example.org", full_name="Lucía Fernández",
                          profession="technologist")  # fmt: skip
    EmailAddress.objects.create(user=learner, email=learner.email, verified=True, primary=True)
    page = ui.page
    sign_in(ui, learner.email)
    ui.goto(course.url)
    expect(page.get_by_role("heading", level=1)).to_have_text(COURSE_TITLE)
    ui.screenshot("course-english")

    # The header's switcher: a form, no script needed.
    page.get_by_label("Language").select_option("es")
    page.get_by_role("button", name="Change language").click()
    expect(page).to_have_url(ui.url(f"/es{course.url}"))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE_ES)
    expect(page.locator("html")).to_have_attribute("lang", "es")
    learner.refresh_from_db()
    assert learner.language == "es"
    ui.screenshot("course-spanish")
    assert violations(page) == []

    page.get_by_role("button", name="Inscribirse en este curso").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(LESSONS_ES[0])
    assert violations(page) == []
    ui.screenshot("lesson-spanish")
    for _lesson in LESSONS_ES:
        page.get_by_role("button", name="Marcar como completado y continuar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Examen final")
    for prompt, (_p, options, right) in zip(PROMPTS_ES, POST_TEST, strict=True):
        group = page.get_by_role("group", name=prompt)
        group.get_by_label(OPTIONS_ES[options[right]], exact=True).check()
    ui.screenshot("post-test-spanish")
    assert violations(page) == []
    page.get_by_role("button", name="Enviar las respuestas").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Aprobado: 100 %")
    ui.screenshot("passed-spanish")

    page.get_by_role("link", name="Complete la evaluación").click()
    expect(page.get_by_role("heading", name="Evalúe esta actividad")).to_be_visible()
    form = page.locator("form.form-stack")
    for name, value in (("overall", "5"), ("relevance", "4"), ("objectives_met", "True"),
                        ("free_of_bias", "True"), ("would_recommend", "True")):  # fmt: skip
        form.locator(f"input[name={name}][value='{value}']").check()
    form.locator("[name=practice_change]").fill(
        "Leer la carta de imagen antes de la primera exploración."
    )
    assert violations(page) == []
    page.get_by_role("button", name="Enviar la evaluación").click()
    expect(page.get_by_role("heading", name="Mi aprendizaje")).to_be_visible()

    enrollment = Enrollment.objects.get(user=learner)
    assert (enrollment.course_id, enrollment.status) == (course.pk, EnrollmentStatus.COMPLETED)
    certificate_issuing.issue_in_process_if_no_worker(enrollment_id=enrollment.pk)
    completed = page.locator("article.dashboard-row--done")
    download = completed.get_by_role("link", name="Descargar el certificado (PDF)")
    deadline = time.monotonic() + 90
    while not download.is_visible() and time.monotonic() < deadline:
        time.sleep(1)
        page.reload()
    expect(download).to_be_visible()
    expect(completed.get_by_role("link", name=TITLE_ES)).to_be_visible()
    ui.screenshot("dashboard-spanish")
    assert violations(page) == []
    certificate = Certificate.objects.get(enrollment=enrollment)
    assert certificate.status == CertificateStatus.ISSUED
    with page.expect_download() as download_info:
        download.click()
    text = pdf_text(download_info.value.path().read_bytes())
    assert "Se certifica que" in text and "Lucía Fernández" in text and TITLE_ES in text
    assert certificate.display_code in text
    assert ui.server_errors == []
