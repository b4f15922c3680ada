"""A translated course meets question pools, regrades, the shared render caches and the outline's
order: the draw and the records stay on the source module, the words are the page's."""

import pytest
from django.urls import reverse
from django.utils import translation

from courses.models import ModulePage
from courses.translations import translate_course
from enrollments import services
from enrollments.models import QuizAttempt, QuizDraw
from infrastructure import render_cache
from tests import factories

pytestmark = pytest.mark.django_db

POOL = {f"Pool {i}": f"Grupo {i}" for i in range(4)}
POOL |= {f"Option {i}": f"Opción {i}" for i in range(4)}
POOL |= {"Because.": "Porque sí.", "Post-test": "Examen final", "Module 1": "Módulo 1"}


def _spanish(page):
    return type(page).objects.get(translation_key=page.translation_key, locale__language_code="es")


@pytest.fixture
def pool_course(db):
    """A course whose post-test (its only module) draws 2 of 4 questions, options shuffled."""
    course = factories.course(factories.program(), code="TST-PL", post_test=True,
                              attempt_limit=5, evaluation_required=False)  # fmt: skip
    post_test = ModulePage.objects.child_of(course).get()
    post_test.questions = [factories.question(f"Pool {i}") for i in range(4)]
    post_test.draw_count = 2
    post_test.shuffle_options = True
    post_test.save_revision().publish()
    translate_course(course, language="es", strings=POOL)
    return course, ModulePage.objects.get(pk=post_test.pk)


def test_a_spanish_pool_quiz_is_drawn_on_the_source_shown_graded_and_kept_in_spanish(
    pool_course, client
):
    course, post_test = pool_course
    prueba = _spanish(post_test)
    assert prueba.draw_count == 2 and [b.id for b in prueba.questions] == [
        b.id for b in post_test.questions
    ]
    user = factories.verified_user(language="es")
    client.force_login(user)
    enrollment = services.enroll(user=user, course=course)[0]

    page = client.get(prueba.url)
    assert page.status_code == 200
    html = page.content.decode()
    draw = QuizDraw.objects.get(enrollment=enrollment, number=1)
    assert draw.module_id == post_test.pk  # recorded on the source module
    drawn = {q["id"]: q for q in draw.questions}
    assert len(drawn) == 2
    for question in draw.questions:
        spanish_prompt = POOL[question["prompt"]]
        assert spanish_prompt in html and question["prompt"] not in html
    # the draw's order of options is kept, in Spanish
    first = draw.questions[0]
    positions = [html.index(f"Opción {o['index']}") for o in first["options"]]
    assert positions == sorted(positions)

    right = {
        f"q-{q['id']}": [str(o["index"]) for o in q["options"] if o["correct"]]
        for q in draw.questions
    }
    with translation.override("es"):
        url = reverse("enrollments:submit_quiz", args=[enrollment.pk, prueba.pk])
    response = client.post(url, {**right, "attempt": "1"})
    assert response.status_code == 302
    attempt = QuizAttempt.objects.get(enrollment=enrollment)
    assert (attempt.module_id, attempt.passed, attempt.score) == (post_test.pk, True, 100)
    # The attempt keeps what the learner read: Spanish words, the draw's ids, order and key.
    assert [q["prompt"] for q in attempt.questions] == [POOL[q["prompt"]] for q in draw.questions]
    assert [q["explanation"] for q in attempt.questions] == ["<p>Porque sí.</p>"] * 2
    assert [[(o["index"], o["correct"]) for o in q["options"]] for q in attempt.questions] == [
        [(o["index"], o["correct"]) for o in q["options"]] for q in draw.questions
    ]
    assert [o["text"] for o in attempt.questions[0]["options"]] == [
        f"Opción {o['index']}" for o in first["options"]
    ]
    review = client.get(response["Location"]).content.decode()
    assert POOL[first["prompt"]] in review and first["prompt"] not in review

    # A regrade copies the source's current key by question id into the Spanish snapshot.
    stream = post_test.questions.raw_data
    fixed = next(i for i, b in enumerate(stream) if b["id"] == first["id"])
    for index, option in enumerate(stream[fixed]["value"]["options"]):
        value = option["value"] if "value" in option else option
        value["correct"] = index == 0
    post_test.questions = list(stream)
    post_test.save_revision().publish()
    post_test = ModulePage.objects.get(pk=post_test.pk)
    plan = services.plan_regrade(module=post_test, question_id=first["id"])
    assert (plan.attempts_considered, plan.passed_before, plan.passed_after) == (1, 1, 0)
    services.apply_regrade(module=post_test, question_id=first["id"], user=factories.superuser())
    attempt.refresh_from_db()
    assert (attempt.score, attempt.passed) == (50, False)
    regraded = next(q for q in attempt.questions if q["id"] == first["id"])
    assert regraded["prompt"] == POOL[first["prompt"]]  # still the words it was taken in
    assert [o["index"] for o in regraded["options"] if o["correct"]] == [0]


def test_an_english_learner_on_the_same_course_draws_and_reads_english(pool_course, client):
    course, post_test = pool_course
    user = factories.verified_user()
    client.force_login(user)
    enrollment = services.enroll(user=user, course=course)[0]
    html = client.get(post_test.url).content.decode()
    draw = QuizDraw.objects.get(enrollment=enrollment, number=1)
    assert all(q["prompt"] in html and POOL[q["prompt"]] not in html for q in draw.questions)
    assert "Grupo" not in html


def test_a_spanish_answer_naming_a_question_outside_the_draw_is_refused(pool_course, client):
    course, post_test = pool_course
    prueba = _spanish(post_test)
    user = factories.verified_user(language="es")
    client.force_login(user)
    enrollment = services.enroll(user=user, course=course)[0]
    client.get(prueba.url)
    draw = QuizDraw.objects.get(enrollment=enrollment, number=1)
    outside = next(b.id for b in prueba.questions if b.id not in {q["id"] for q in draw.questions})
    answers = {f"q-{q['id']}": ["1"] for q in draw.questions} | {f"q-{outside}": ["1"]}
    with translation.override("es"):
        url = reverse("enrollments:submit_quiz", args=[enrollment.pk, prueba.pk])
    response = client.post(url, {**answers, "attempt": "1"})
    assert response.status_code == 400
    assert not QuizAttempt.objects.exists()


# --- Shared render caches are per language ------------------------------------------------------

LESSON = {"Module 1": "Módulo 1", "Lesson text about GCP.": "Texto de la lección sobre BPC."}


def test_the_lesson_body_and_outline_caches_never_cross_languages(client):
    course = factories.course(factories.program(), code="TST-RC", modules=1)
    translate_course(course, language="es", strings=LESSON)
    lesson = ModulePage.objects.child_of(course).get()
    leccion = _spanish(lesson)
    user = factories.verified_user()
    client.force_login(user)
    services.enroll(user=user, course=course)

    # The key of a page's shared fragments names the language it was rendered in.
    with translation.override("en-us"):
        english_key = render_cache.render_key(lesson)
    with translation.override("es"):
        spanish_key = render_cache.render_key(lesson)
    assert english_key and spanish_key and english_key != spanish_key
    assert english_key.endswith(".en-us") and spanish_key.endswith(".es")

    for _round in range(2):  # the second round is served from the caches
        english = client.get(lesson.url).content.decode()
        spanish = client.get(leccion.url).content.decode()
        assert "Lesson text about GCP." in english and "Texto de la lección" not in english
        assert (
            "Texto de la lección sobre BPC." in spanish and "Lesson text about GCP." not in spanish
        )
        english_course = client.get(course.url).content.decode()
        spanish_course = client.get(_spanish(course).url).content.decode()
        assert "Module 1" in english_course and "Módulo 1" not in english_course
        assert "Módulo 1" in spanish_course


# --- The outline's order ----------------------------------------------------------------------

ORDER = {f"Module {i}": f"Módulo {i}" for i in (1, 2, 3)} | {"Post-test": "Examen final"}


def test_a_translated_course_lists_its_modules_in_the_source_courses_order(client):
    course = factories.course(factories.program(), code="TST-OR", modules=3, post_test=True)
    translate_course(course, language="es", strings=ORDER)
    # The English outline moves Module 3 first (the post-test stays last) after translation.
    ModulePage.objects.child_of(course).get(title="Module 3").move(course, pos="first-child")
    english = [m.title for m in course.specific.get_outline()]
    assert english == ["Module 3", "Module 1", "Module 2", "Post-test"]
    spanish_course = _spanish(course)
    assert [m.title for m in ModulePage.objects.child_of(spanish_course).order_by("path")] == [
        "Módulo 1", "Módulo 2", "Módulo 3", "Examen final"
    ]  # fmt: skip
    assert [m.title for m in spanish_course.get_outline()] == [
        "Módulo 3", "Módulo 1", "Módulo 2", "Examen final"
    ]  # fmt: skip
    html = client.get(spanish_course.url).content.decode()
    positions = [
        html.index(title) for title in ("Módulo 3", "Módulo 1", "Módulo 2", "Examen final")
    ]
    assert positions == sorted(positions)
