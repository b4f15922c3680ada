"""Spanish: the switcher, the interface, a translated course that is the same course, mails and
certificates in the learner's language."""

import datetime
import subprocess
import tempfile
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from certificates.services import send_expiry_reminders  # noqa: F401 - imported for the mail path
from courses.models import CoursePage, ModulePage
from courses.translations import translate_course
from enrollments.models import Enrollment, EnrollmentStatus, ModuleProgress, QuizAttempt
from tests import factories
from tests.i18n.template_lint import SKIPPED, learner_templates, untranslated

PO = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES" / "django.po"

SPANISH = {
    "Course TST-ES": "Curso de BPC",
    "A course about imaging trials.": "Un curso sobre ensayos de imagen.",
    "Module 1": "Módulo 1",
    "Lesson text about GCP.": "Texto de la lección sobre BPC.",
    "Post-test": "Examen final",
    "Q0": "P0 en español",
    "Option 1": "Opción 1",
    "Because.": "Porque sí.",
    "Program CTN": "Programa CTN",
}


# --- The interface ------------------------------------------------------------------------


def test_no_learner_template_leaves_visible_english_outside_translate_tags():
    found = {str(path): untranslated(path) for path in learner_templates()}
    assert {path: lines for path, lines in found.items() if lines} == {}


def test_every_string_of_a_learner_template_has_its_spanish_and_the_mo_is_compiled():
    po = polib.pofile(str(PO))
    learner = [
        entry
        for entry in po
        if any(
            path.startswith("templates/")
            and not path.removeprefix("templates/").startswith(SKIPPED)
            for path, _line in entry.occurrences
        )
    ]
    assert len(learner) > 250
    assert [e.msgid for e in learner if not e.translated()] == []
    with translation.override("es"):
        stale = [
            e.msgid
            for e in learner
            if not e.msgid_plural and not e.msgctxt and translation.gettext(e.msgid) != e.msgstr
        ]
    assert stale == []  # locale/es/LC_MESSAGES/django.mo is compiled from the .po


@pytest.mark.django_db
def test_english_urls_stay_english_and_spanish_lives_under_es(client):
    english = client.get("/catalog/").content.decode()
    spanish = client.get("/es/catalog/").content.decode()
    assert '<html lang="en-us">' in english and "Find a course" in english
    assert '<html lang="es">' in spanish and "Buscar un curso" in spanish
    assert "Find a course" not in spanish


@pytest.mark.django_db
def test_the_header_switcher_is_a_plain_form_that_works_without_script(client):
    page = client.get("/catalog/").content.decode()
    assert (
        f'<form class="language-switcher" method="post" action="{reverse("set_language")}">' in page
    )
    assert '<label for="language-switcher-select">Language</label>' in page
    assert '<option value="es" lang="es">Español</option>' in page
    assert 'type="submit"' in page.split('class="language-switcher"')[1].split("</form>")[0]


@pytest.mark.django_db
def test_switching_stores_the_language_on_the_signed_in_user_and_goes_to_the_spanish_page(client):
    user = factories.verified_user()
    client.force_login(user)
    response = client.post(reverse("set_language"), {"language": "es", "next": "/catalog/"})
    assert (response.status_code, response["Location"]) == (302, "/es/catalog/")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    user.refresh_from_db()
    assert user.language == "es"
    back = client.post(reverse("set_language"), {"language": "en-us", "next": "/es/catalog/"})
    assert back["Location"] == "/catalog/"
    user.refresh_from_db()
    assert user.language == "en-us"


@pytest.mark.django_db
def test_an_unknown_language_changes_nothing_and_a_get_is_refused(client):
    user = factories.verified_user()
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "xx", "next": "/catalog/"})
    user.refresh_from_db()
    assert user.language == "en-us"
    assert client.get(reverse("set_language")).status_code == 405


@pytest.mark.django_db
def test_an_anonymous_visitor_switches_with_the_cookie_only(client):
    response = client.post(reverse("set_language"), {"language": "es", "next": "/"})
    assert (response.status_code, response["Location"]) == (302, "/es/")
    assert User.objects.count() == 0


@pytest.mark.django_db
def test_the_profile_chooses_the_language(client):
    user = factories.verified_user(full_name="Ana Ruiz", profession="technologist",
                                   organization="Hospital")  # fmt: skip
    client.force_login(user)
    page = client.get(reverse("profile")).content.decode()
    assert 'id="id_language"' in page  # the profile's own field, not the header's switcher
    data = {"full_name": "Ana Ruiz", "profession": "technologist", "organization": "Hospital",
            "language": "es"}  # fmt: skip
    assert client.post(reverse("profile"), data).status_code == 302
    user.refresh_from_db()
    assert user.language == "es"


# --- A translated course is the same course ----------------------------------------------


@pytest.fixture
def spanish_course(db):
    course = factories.course(factories.program(), code="TST-ES", modules=1, post_test=True,
                              credits=(("VOICE_CEH", "1.5"),))  # fmt: skip
    translate_course(course, language="es", strings=SPANISH)
    return course


def _spanish(page):
    return type(page).objects.get(translation_key=page.translation_key, locale__language_code="es")


def test_the_spanish_course_is_published_with_its_text_translated_and_its_rules_the_same(
    spanish_course, client
):
    spanish = _spanish(spanish_course)
    assert (spanish.live, spanish.title, spanish.code) == (True, "Curso de BPC", "TST-ES")
    assert spanish.url == f"/es/{spanish_course.url.lstrip('/')}"
    post_test = ModulePage.objects.get(title="Post-test", locale__language_code="en-us")
    prueba = _spanish(post_test)
    assert prueba.title == "Examen final"
    assert [b.id for b in prueba.questions] == [b.id for b in post_test.questions]
    assert prueba.questions[0].value["prompt"] == "P0 en español"
    assert [o["text"] for o in prueba.questions[0].value["options"]][:2] == ["Option 0", "Opción 1"]
    assert [[o["correct"] for o in b.value["options"]] for b in prueba.questions] == [
        [o["correct"] for o in b.value["options"]] for b in post_test.questions
    ]
    page = client.get(spanish.url).content.decode()
    assert '<html lang="es">' in page and "Curso de BPC" in page and "Módulo 1" in page
    # Listed once in each language: the catalog shows the Spanish page only in Spanish.
    card = '<p class="course-card__code">TST-ES'
    assert client.get("/catalog/").content.decode().count(card) == 1
    spanish_catalog = client.get("/es/catalog/").content.decode()
    assert spanish_catalog.count(card) == 1 and "Curso de BPC" in spanish_catalog


def test_a_learner_enrolls_and_passes_in_spanish_and_the_records_are_the_courses(
    spanish_course, client
):
    user = factories.verified_user(language="es")
    client.force_login(user)
    spanish = _spanish(spanish_course)
    with translation.override("es"):  # the Spanish page's form posts to /es/learning/...
        response = client.post(reverse("enrollments:enroll", args=[spanish.pk]))
    enrollment = Enrollment.objects.get(user=user)
    assert enrollment.course_id == spanish_course.pk  # the source page: one course
    lesson_es = _spanish(ModulePage.objects.get(title="Module 1"))
    assert response["Location"] == lesson_es.url  # next module, in Spanish
    with translation.override("es"):
        url = reverse("enrollments:complete_module", args=[enrollment.pk, lesson_es.pk])
    client.post(url)
    post_test = ModulePage.objects.get(title="Post-test", locale__language_code="en-us")
    prueba = _spanish(post_test)
    answers = {f"q-{k}": v for k, v in factories.correct_answers(prueba).items()}
    with translation.override("es"):
        url = reverse("enrollments:submit_quiz", args=[enrollment.pk, prueba.pk])
    response = client.post(url, {**answers, "attempt": "1"})
    attempt = QuizAttempt.objects.get(enrollment=enrollment)
    assert (attempt.module_id, attempt.passed, attempt.score) == (post_test.pk, True, 100)
    assert set(ModuleProgress.objects.values_list("module__title", flat=True)) == {
        "Module 1", "Post-test"
    }  # fmt: skip
    review = client.get(response["Location"]).content.decode()
    assert "P0 en español" in review and "Aprobado: 100 %" in review
    # The English page shows the same progress: one enrollment.
    english = client.get(spanish_course.url).content.decode()
    assert "Enroll in this course" not in english


def test_grading_a_wrong_spanish_attempt_counts_against_the_same_attempt_limit(
    spanish_course, client
):
    user = factories.verified_user()
    client.force_login(user)
    enrollment = factories.EnrollmentFactory(user=user, course=spanish_course)
    post_test = ModulePage.objects.get(title="Post-test", locale__language_code="en-us")
    prueba = _spanish(post_test)
    wrong = {f"q-{k}": v for k, v in factories.wrong_answers(prueba).items()}
    url = reverse("enrollments:submit_quiz", args=[enrollment.pk, prueba.pk])
    client.post(url, {**wrong, "attempt": "1"})
    english_url = reverse("enrollments:submit_quiz", args=[enrollment.pk, post_test.pk])
    replay = client.post(english_url, {**wrong, "attempt": "1"})
    assert replay.status_code == 409  # the same attempt, whichever page it came from
    enrollment.refresh_from_db()
    assert (enrollment.post_test_attempts, enrollment.status) == (1, EnrollmentStatus.ACTIVE)


def test_a_module_of_another_course_is_still_refused(spanish_course, client):
    user = factories.verified_user()
    client.force_login(user)
    enrollment = factories.EnrollmentFactory(user=user, course=spanish_course)
    other = factories.course(CoursePage.objects.get(pk=spanish_course.pk).get_parent(), modules=1)
    stranger = ModulePage.objects.child_of(other).get()
    url = reverse("enrollments:complete_module", args=[enrollment.pk, stranger.pk])
    assert client.post(url).status_code == 404


# --- Mail and certificates in the learner's language ---------------------------------------


def _pdf_text(certificate) -> str:
    with (
        certificate.files.first().file.open("rb") as handle,
        tempfile.NamedTemporaryFile(suffix=".pdf") as copy,
    ):
        copy.write(handle.read())
        copy.flush()
        return subprocess.run(
            ["pdftotext", "-layout", copy.name, "-"], capture_output=True, text=True, check=True
        ).stdout


def test_a_spanish_learner_gets_the_certificate_mail_and_pdf_in_spanish(spanish_course):
    user = factories.verified_user(full_name="Ana Ruiz", profession="technologist",
                                   language="es")  # fmt: skip
    enrollment = factories.completed_enrollment(user, spanish_course)
    certificate = factories.issued_certificate(enrollment)
    message = mail.outbox[-1]
    assert message.subject == "Su certificado: TST-ES Course TST-ES"
    assert message.body.startswith("Estimado/a Ana Ruiz:")
    assert "Enhorabuena por completar TST-ES" in message.body
    assert f"{settings.SITE_URL}/es/certificates/" in message.body
    text = " ".join(_pdf_text(certificate).split())
    assert "Se certifica que" in text and "ha completado satisfactoriamente" in text
    assert "Curso de BPC" in text  # the course's Spanish title
    assert "Certificado de créditos" in text
    assert "Las declaraciones de acreditación figuran en inglés" in text
    assert "This certifies that" not in text


def test_an_english_learner_keeps_english_mail_and_pdf(spanish_course):
    user = factories.verified_user(full_name="Ann Reed", profession="technologist")
    certificate = factories.issued_certificate(factories.completed_enrollment(user, spanish_course))
    message = mail.outbox[-1]
    assert message.subject == "Your certificate: TST-ES Course TST-ES"
    assert f"{settings.SITE_URL}/certificates/" in message.body
    text = " ".join(_pdf_text(certificate).split())
    assert "This certifies that" in text and "Course TST-ES" in text
    assert "Se certifica" not in text


def test_an_expiry_reminder_goes_in_the_recipients_language(spanish_course):
    from certificates.services import _mail_expiry_reminder

    user = factories.verified_user(full_name="Ana Ruiz", language="es")
    enrollment = factories.completed_enrollment(user, spanish_course)
    certificate = factories.CertificateFactory(
        enrollment=enrollment, expires_on=datetime.date(2027, 3, 1)
    )
    _mail_expiry_reminder(certificate, 30)
    message = mail.outbox[-1]
    assert message.subject == "Su certificado de TST-ES caduca dentro de 30 días"
    assert "caduca el 1 de marzo de 2027 (dentro de 30 días)" in message.body
    assert f"{settings.SITE_URL}/es/learning/" in message.body


# --- The demo: CTN-101 in Spanish ----------------------------------------------------------


@pytest.mark.django_db
def test_the_demo_loads_ctn_101_in_spanish_with_its_post_test(client):
    from courses.demo import load_demo_curriculum
    from courses.translations import load_demo_translation

    load_demo_curriculum(log=lambda *args: None)
    assert load_demo_translation() == ["CTN-101 (es)"]
    assert load_demo_translation() == ["CTN-101 (es)"]  # idempotent
    english = CoursePage.objects.in_default_locale().get(code="CTN-101")
    spanish = _spanish(english)
    assert spanish.live
    assert (
        spanish.title
        == "Ética y Buenas Prácticas Clínicas (BPC) en la investigación con imagen molecular"
    )
    post_test = ModulePage.objects.child_of(english).get(quiz_kind="post_test")
    prueba = _spanish(post_test)
    assert prueba.title == "Examen final y evaluación"
    assert len(prueba.questions) == len(post_test.questions) == 9
    for es, en in zip(prueba.questions, post_test.questions, strict=True):
        assert es.id == en.id
        assert es.value["prompt"] != en.value["prompt"]
        assert [o["correct"] for o in es.value["options"]] == [
            o["correct"] for o in en.value["options"]
        ]
        assert all(
            a["text"] != b["text"]
            for a, b in zip(es.value["options"], en.value["options"], strict=True)
        )
        assert es.value["explanation"].source != en.value["explanation"].source
    page = client.get(spanish.url).content.decode()
    assert "Ética y Buenas Prácticas Clínicas" in page and "Inicie sesión para inscribirse" in page
    assert client.get("/es/").status_code == 200
    assert CoursePage.objects.in_default_locale().count() == CoursePage.objects.count() - 1


@pytest.mark.django_db
def test_public_pages_stay_cacheable_and_a_signed_in_switch_needs_its_token(settings):
    from django.test import Client

    settings.LMS_ANONYMOUS_PAGE_CACHE_SECONDS = 300
    anonymous = Client()
    first = anonymous.get("/catalog/")
    assert settings.CSRF_COOKIE_NAME not in first.cookies  # the switcher adds no token
    assert anonymous.get("/catalog/")["X-Page-Cache"] == "hit"
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(reverse("set_language"), {"language": "es"}).status_code == 302
    user = factories.verified_user()
    strict.force_login(user)
    assert strict.post(reverse("set_language"), {"language": "es"}).status_code == 403
    user.refresh_from_db()
    assert user.language == "en-us"
