"""Properties of the quiz grader, over generated quizzes and answers (Hypothesis).

The grader needs only ``module.questions`` (blocks with an ``id`` and a ``value``), so these run
without a database.
"""

from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from enrollments import services

# No deadline: the shared test machine is slow and its timing says nothing about the grader.
properties = settings(deadline=None, max_examples=150)


@st.composite
def questions(draw, min_correct=1):
    """One question block: 2-6 options, at least ``min_correct`` of them correct."""
    count = draw(st.integers(min_value=max(2, min_correct), max_value=6))
    correct = draw(st.sets(st.integers(0, count - 1), min_size=min_correct, max_size=count))
    return SimpleNamespace(
        id=draw(st.uuids()).hex,
        value={
            "prompt": "Which apply?",
            "options": [{"text": f"Option {i}", "correct": i in correct} for i in range(count)],
            "explanation": "",
        },
    )


def quizzes(min_correct=1):
    return st.lists(questions(min_correct), min_size=1, max_size=8).map(
        lambda blocks: SimpleNamespace(questions=blocks)
    )


def correct_of(block) -> list[int]:
    return [i for i, option in enumerate(block.value["options"]) if option["correct"]]


@st.composite
def quiz_and_answers(draw):
    quiz = draw(quizzes())
    answers = {
        block.id: sorted(draw(st.sets(st.integers(0, len(block.value["options"]) - 1))))
        for block in quiz.questions
    }
    return quiz, answers


@properties
@given(quiz_and_answers())
def test_the_score_is_a_percentage_of_exactly_right_questions(case):
    quiz, answers = case
    graded = services.grade(services.question_snapshot(quiz), answers)
    score = services.percent_correct(graded)
    assert 0 <= score <= 100
    right = sum(1 for block in quiz.questions if answers[block.id] == correct_of(block))
    assert (score == 100) == (right == len(quiz.questions))
    assert (score == 0) == (right == 0)


@properties
@given(quizzes(), st.integers(0, 100))
def test_all_correct_answers_score_100_and_pass_any_pass_mark(quiz, pass_mark):
    answers = {block.id: correct_of(block) for block in quiz.questions}
    score = services.percent_correct(services.grade(services.question_snapshot(quiz), answers))
    assert score == 100
    assert score >= pass_mark


@properties
@given(quiz_and_answers(), st.randoms())
def test_the_order_of_the_selected_options_does_not_matter(case, random):
    quiz, answers = case
    shuffled = {}
    for question_id, selected in answers.items():
        selected = list(selected)
        random.shuffle(selected)
        shuffled[question_id] = selected
    before = [g.is_correct for g in services.grade(services.question_snapshot(quiz), answers)]
    after = [g.is_correct for g in services.grade(services.question_snapshot(quiz), shuffled)]
    assert after == before


@properties
@given(quiz_and_answers(), st.randoms())
def test_reordering_a_questions_options_keeps_the_verdict(case, random):
    quiz, answers = case
    reordered_blocks, reordered_answers = [], {}
    for block in quiz.questions:
        options = block.value["options"]
        order = list(range(len(options)))
        random.shuffle(order)  # new position -> old index
        new_position = {old: new for new, old in enumerate(order)}
        reordered_blocks.append(
            SimpleNamespace(
                id=block.id, value={**block.value, "options": [options[old] for old in order]}
            )
        )
        reordered_answers[block.id] = sorted(new_position[old] for old in answers[block.id])
    reordered = SimpleNamespace(questions=reordered_blocks)
    before = [g.is_correct for g in services.grade(services.question_snapshot(quiz), answers)]
    after = [
        g.is_correct
        for g in services.grade(services.question_snapshot(reordered), reordered_answers)
    ]
    assert after == before


@properties
@given(questions(min_correct=2), st.data())
def test_a_partial_or_padded_multi_select_answer_is_wrong(block, data):
    correct = correct_of(block)
    partial = data.draw(st.sets(st.sampled_from(correct), min_size=1, max_size=len(correct) - 1))
    quiz = SimpleNamespace(questions=[block])
    [graded] = services.grade(services.question_snapshot(quiz), {block.id: sorted(partial)})
    assert graded.is_correct is False
    wrong = [i for i in range(len(block.value["options"])) if i not in correct]
    if wrong:
        padded = sorted({*correct, data.draw(st.sampled_from(wrong))})
        [graded] = services.grade(services.question_snapshot(quiz), {block.id: padded})
        assert graded.is_correct is False


@properties
@given(quizzes(), st.data())
def test_any_submitted_text_is_cleaned_or_refused_never_an_error(quiz, data):
    answers = data.draw(
        st.dictionaries(
            st.sampled_from([block.id for block in quiz.questions]) | st.text(max_size=5),
            st.lists(st.text(max_size=12) | st.integers().map(str), max_size=4),
            max_size=len(quiz.questions) + 1,
        )
    )
    try:
        cleaned = services._clean_answers(services.question_snapshot(quiz), answers)
    except services.InvalidAnswers:
        return
    for block in quiz.questions:
        assert all(0 <= i < len(block.value["options"]) for i in cleaned[block.id])
