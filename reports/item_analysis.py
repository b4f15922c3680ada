"""Item analysis of a quiz: how each question performed over the attempts that contained it.

Reads each attempt's own snapshot of its questions (``QuizAttempt.questions``), so an attempt is
judged on the questions it was graded on, and a question drawn from a pool is counted over the
attempts that contained it. An attempt recorded before snapshots existed (an empty list) is
read against the quiz's current questions.

- **Facility**: the percentage of those attempts that answered the question exactly right.
- **Discrimination**: the point-biserial correlation between the question's score (1 right,
  0 wrong) and the attempt's score on its *other* questions (the share of them answered right,
  so the question does not correlate with itself):

      r = (M1 - M0) / s * sqrt(p * (1 - p))

  M1 and M0: the mean rest score of the attempts that got the question right and wrong; s: the
  standard deviation (population) of the rest scores; p: the share that got it right. Left
  empty when it cannot be computed (everyone right, everyone wrong, identical rest scores, or
  fewer than two attempts). Near +1: those who do well overall get it right; below 0: those who
  do well overall tend to get it wrong, usually a flawed question or key.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext

TOO_EASY_ABOVE = 90.0  # facility, percent
TOO_HARD_BELOW = 30.0
NEGATIVE_BELOW = 0.0  # discrimination


@dataclass
class OptionStatistic:
    index: int
    text: str
    correct: bool
    chosen: int = 0
    percent: float = 0.0


@dataclass
class QuestionStatistic:
    position: int
    question_id: str
    prompt: str
    attempts: int = 0
    correct: int = 0
    facility: float | None = None
    discrimination: float | None = None
    options: list[OptionStatistic] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)

    @property
    def flags_text(self) -> str:
        return "; ".join(str(flag) for flag in self.flags)

    @property
    def options_text(self) -> str:
        return "; ".join(
            f"{option.text}{' (' + gettext('correct') + ')' if option.correct else ''}: "
            f"{option.chosen} ({option.percent}%)"
            for option in self.options
        )


def point_biserial(scores: Sequence[int], rest: Sequence[float]) -> float | None:
    """Correlation of a 0/1 item score with a continuous score, or None when undefined."""
    n = len(scores)
    if n < 2:
        return None
    right = [r for s, r in zip(scores, rest, strict=True) if s]
    wrong = [r for s, r in zip(scores, rest, strict=True) if not s]
    if not right or not wrong:
        return None
    mean = sum(rest) / n
    sd = math.sqrt(sum((r - mean) ** 2 for r in rest) / n)
    if sd == 0:
        return None
    p = len(right) / n
    m1, m0 = sum(right) / len(right), sum(wrong) / len(wrong)
    return (m1 - m0) / sd * math.sqrt(p * (1 - p))


def _is_right(question: dict[str, Any], chosen: Iterable[Any]) -> bool:
    correct = sorted(int(o["index"]) for o in question["options"] if o["correct"])
    return sorted({int(i) for i in chosen}) == correct


def analyse(
    attempts: Iterable[tuple[list[dict[str, Any]], dict[str, list[Any]]]],
    *,
    current: list[dict[str, Any]],
    labels: dict[str, Any],
) -> list[QuestionStatistic]:
    """Statistics per question from ``(questions snapshot, answers)`` pairs.

    ``current`` is the quiz's questions now (snapshot shape): the order of the rows, and the
    questions of an attempt without a snapshot. ``labels`` gives the flags' wording
    (``too_easy``, ``too_hard``, ``negative``).
    """
    order = {question["id"]: i for i, question in enumerate(current)}
    stats: dict[str, QuestionStatistic] = {}
    options: dict[str, dict[int, OptionStatistic]] = {}
    scores: dict[str, list[int]] = {}
    rests: dict[str, list[float]] = {}
    for questions, answers in attempts:
        questions = questions or current
        marks = {q["id"]: _is_right(q, answers.get(q["id"], [])) for q in questions}
        total = sum(marks.values())
        for question in questions:
            qid = question["id"]
            if qid not in stats:
                stats[qid] = QuestionStatistic(
                    position=0, question_id=qid, prompt=str(question["prompt"])
                )
                options[qid] = {}
            stat = stats[qid]
            stat.attempts += 1
            stat.correct += marks[qid]
            for option in question["options"]:
                index = int(option["index"])
                options[qid].setdefault(
                    index, OptionStatistic(index, str(option["text"]), bool(option["correct"]))
                )
            for index in {int(i) for i in answers.get(qid, [])}:
                if index in options[qid]:
                    options[qid][index].chosen += 1
            others = len(questions) - 1
            scores.setdefault(qid, []).append(int(marks[qid]))
            rests.setdefault(qid, []).append((total - marks[qid]) / others if others else 0.0)
    for question in current:  # a question no attempt has seen yet still gets its row
        if question["id"] not in stats:
            stats[question["id"]] = QuestionStatistic(
                position=0, question_id=question["id"], prompt=str(question["prompt"])
            )
            options[question["id"]] = {
                int(o["index"]): OptionStatistic(
                    int(o["index"]), str(o["text"]), bool(o["correct"])
                )
                for o in question["options"]
            }
    rows = sorted(stats.values(), key=lambda s: (order.get(s.question_id, len(order)),))
    for position, stat in enumerate(rows, start=1):
        stat.position = position
        stat.options = [options[stat.question_id][i] for i in sorted(options[stat.question_id])]
        if not stat.attempts:
            continue
        for option in stat.options:
            option.percent = round(100 * option.chosen / stat.attempts, 1)
        stat.facility = round(100 * stat.correct / stat.attempts, 1)
        r = point_biserial(scores[stat.question_id], rests[stat.question_id])
        stat.discrimination = round(r, 3) if r is not None else None
        if stat.facility > TOO_EASY_ABOVE:
            stat.flags.append(labels["too_easy"])
        if stat.facility < TOO_HARD_BELOW:
            stat.flags.append(labels["too_hard"])
        if stat.discrimination is not None and stat.discrimination < NEGATIVE_BELOW:
            stat.flags.append(labels["negative"])
    return rows
