"""The SCORM run-time's data on the server: validate a commit, keep it, apply the module's rule.

The page's run-time (scorm-again) posts the whole CMI as JSON on each commit and on terminate;
``save_commit`` validates it (types, vocabularies, lengths per SCORM version), keeps what the
learner's return needs (location, suspend data, statuses, score, time, interactions) and asks
``enrollments.services.record_package_result`` to complete the module when its rule is met.
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from courses.models import ModulePage, QuizKind, ScormCompletion, ScormPackage, ScormVersion
from enrollments import services as enrollment_services
from enrollments.models import Enrollment, ModuleProgress, QuizAttempt
from scorm.models import ScormAttempt

MAX_INTERACTIONS = 250
MAX_INTERACTION_FIELD = 4000
INTERACTION_FIELDS = (
    "id", "type", "result", "student_response", "learner_response", "latency", "weighting",
    "time", "timestamp", "description",
)  # fmt: skip


@dataclass(frozen=True)
class VersionRules:
    location_max: int
    suspend_data_max: int
    time_pattern: re.Pattern[str]
    exits: frozenset[str]


RULES = {
    ScormVersion.SCORM_12: VersionRules(
        location_max=255,
        suspend_data_max=4096,
        time_pattern=re.compile(r"^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$"),
        exits=frozenset({"", "time-out", "suspend", "logout"}),
    ),
    ScormVersion.SCORM_2004: VersionRules(
        location_max=1000,
        suspend_data_max=64000,
        time_pattern=re.compile(
            r"^P(?:\d+Y)?(?:\d+M)?(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d{1,2})?S)?)?$"
        ),
        exits=frozenset({"", "time-out", "suspend", "logout", "normal"}),
    ),
}
LESSON_STATUSES = frozenset(
    {"", "passed", "completed", "failed", "incomplete", "browsed", "not attempted"}
)
COMPLETION_STATUSES = frozenset({"", "completed", "incomplete", "not attempted", "unknown"})
SUCCESS_STATUSES = frozenset({"", "passed", "failed", "unknown"})


class BadCommit(ValueError):
    """The run-time's data does not hold: a 400, and nothing is saved."""


@dataclass(frozen=True)
class Commit:
    completion_status: str | None = None
    success_status: str | None = None
    score_raw: Decimal | None = None
    score_min: Decimal | None = None
    score_max: Decimal | None = None
    score_scaled: Decimal | None = None
    location: str | None = None
    suspend_data: str | None = None
    exit: str | None = None
    session_time: str | None = None
    total_time: str | None = None
    interactions: list[dict[str, str]] | None = None


def _get(tree: dict, path: str) -> Any:
    node: Any = tree
    for key in path.split("."):
        if not isinstance(node, dict):
            raise BadCommit(_("%(field)s is not an object.") % {"field": path})
        if key not in node:
            return None
        node = node[key]
    return node


def _text(tree: dict, path: str, *, max_length: int) -> str | None:
    value = _get(tree, path)
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadCommit(_("%(field)s must be text.") % {"field": f"cmi.{path}"})
    if len(value) > max_length:
        raise BadCommit(
            _("%(field)s is longer than %(limit)d characters.")
            % {"field": f"cmi.{path}", "limit": max_length}
        )
    return value


def _choice(tree: dict, path: str, allowed: frozenset[str]) -> str | None:
    value = _text(tree, path, max_length=40)
    if value is not None and value not in allowed:
        raise BadCommit(_("%(field)s has an unknown value.") % {"field": f"cmi.{path}"})
    return value


def _number(
    tree: dict, path: str, *, low: Decimal = Decimal(-1e6), high: Decimal = Decimal(1e6)
) -> Decimal | None:
    value = _get(tree, path)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise BadCommit(_("%(field)s must be a number.") % {"field": f"cmi.{path}"})
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise BadCommit(_("%(field)s must be a number.") % {"field": f"cmi.{path}"}) from None
    if not number.is_finite() or not low <= number <= high:
        raise BadCommit(_("%(field)s is out of range.") % {"field": f"cmi.{path}"})
    return number


def _time(tree: dict, path: str, rules: VersionRules) -> str | None:
    value = _text(tree, path, max_length=40)
    if value and not rules.time_pattern.match(value):
        raise BadCommit(_("%(field)s is not a SCORM time.") % {"field": f"cmi.{path}"})
    return value


def _interactions(tree: dict) -> list[dict[str, str]] | None:
    value = _get(tree, "interactions")
    if value is None:
        return None
    if isinstance(value, dict):
        items = list(value.values())
    elif isinstance(value, list):
        items = value
    else:
        raise BadCommit(_("cmi.interactions must be a list."))
    if len(items) > MAX_INTERACTIONS:
        raise BadCommit(
            _("cmi.interactions has more than %(limit)d entries.") % {"limit": MAX_INTERACTIONS}
        )
    kept = []
    for item in items:
        if not isinstance(item, dict):
            raise BadCommit(_("Each of cmi.interactions must be an object."))
        entry = {}
        for field in INTERACTION_FIELDS:
            field_value = item.get(field)
            if field_value is None or field_value == "":
                continue
            if not isinstance(field_value, str) or len(field_value) > MAX_INTERACTION_FIELD:
                raise BadCommit(
                    _("cmi.interactions.%(field)s must be text of at most %(limit)d characters.")
                    % {"field": field, "limit": MAX_INTERACTION_FIELD}
                )
            entry[field] = field_value
        kept.append(entry)
    return kept


def parse_commit(payload: Any, *, version: str) -> Commit:
    """The run-time's JSON (``{"cmi": {...}}``) as a Commit; raises BadCommit."""
    if not isinstance(payload, dict) or not isinstance(payload.get("cmi"), dict):
        raise BadCommit(_("The commit must be a JSON object with a cmi object."))
    cmi = payload["cmi"]
    rules = RULES[ScormVersion(version)]
    if version == ScormVersion.SCORM_12:
        status = _choice(cmi, "core.lesson_status", LESSON_STATUSES)
        return Commit(
            completion_status=status,
            success_status=None,
            score_raw=_number(cmi, "core.score.raw"),
            score_min=_number(cmi, "core.score.min"),
            score_max=_number(cmi, "core.score.max"),
            location=_text(cmi, "core.lesson_location", max_length=rules.location_max),
            suspend_data=_text(cmi, "suspend_data", max_length=rules.suspend_data_max),
            exit=_choice(cmi, "core.exit", rules.exits),
            session_time=_time(cmi, "core.session_time", rules),
            total_time=_time(cmi, "core.total_time", rules),
            interactions=_interactions(cmi),
        )
    return Commit(
        completion_status=_choice(cmi, "completion_status", COMPLETION_STATUSES),
        success_status=_choice(cmi, "success_status", SUCCESS_STATUSES),
        score_raw=_number(cmi, "score.raw"),
        score_min=_number(cmi, "score.min"),
        score_max=_number(cmi, "score.max"),
        score_scaled=_number(cmi, "score.scaled", low=Decimal(-1), high=Decimal(1)),
        location=_text(cmi, "location", max_length=rules.location_max),
        suspend_data=_text(cmi, "suspend_data", max_length=rules.suspend_data_max),
        exit=_choice(cmi, "exit", rules.exits),
        session_time=_time(cmi, "session_time", rules),
        total_time=_time(cmi, "total_time", rules),
        interactions=_interactions(cmi),
    )


# --- Reading an attempt ------------------------------------------------------------------------


def score_percent(attempt: ScormAttempt) -> Decimal | None:
    """The score in percent: scaled x 100, else raw within min..max (0..100 when not given)."""
    if attempt.score_scaled is not None:
        percent = attempt.score_scaled * 100
    elif attempt.score_raw is not None:
        low = attempt.score_min if attempt.score_min is not None else Decimal(0)
        high = attempt.score_max if attempt.score_max is not None else Decimal(100)
        if high <= low:
            return None
        percent = (attempt.score_raw - low) * 100 / (high - low)
    else:
        return None
    return max(Decimal(0), min(Decimal(100), percent)).quantize(Decimal("0.01"))


def reports_completed(attempt: ScormAttempt) -> bool:
    if attempt.version == ScormVersion.SCORM_12:
        return attempt.completion_status in ("completed", "passed")
    return attempt.completion_status == "completed" or attempt.success_status == "passed"


def reports_passed(attempt: ScormAttempt) -> bool:
    if attempt.version == ScormVersion.SCORM_12:
        return attempt.completion_status == "passed"
    return attempt.success_status == "passed"


def is_finished(attempt: ScormAttempt) -> bool:
    """The package says this attempt is over (completed, passed or failed)."""
    if attempt.version == ScormVersion.SCORM_12:
        return attempt.completion_status in ("completed", "passed", "failed")
    return attempt.completion_status == "completed" or attempt.success_status in (
        "passed",
        "failed",
    )


def meets_rule(attempt: ScormAttempt, module: ModulePage, *, pass_mark: Decimal) -> bool:
    rule = module.scorm_completion
    if rule == ScormCompletion.LAUNCHED:
        return True
    if rule == ScormCompletion.PASSED:
        return reports_passed(attempt)
    if rule == ScormCompletion.SCORE:
        percent = score_percent(attempt)
        return percent is not None and percent >= pass_mark
    return reports_completed(attempt)


# --- Writing -----------------------------------------------------------------------------------


def package_of(module: ModulePage) -> ScormPackage:
    package = module.scorm_package
    if package is None:
        raise enrollment_services.ModuleNotInCourse(_("That module plays no SCORM package."))
    return package


def scorm_module(enrollment: Enrollment, module_id: int) -> ModulePage:
    module = (
        enrollment_services.course_modules(enrollment.course)
        .filter(pk=module_id, scorm_package__isnull=False)
        .select_related("scorm_package")
        .first()
    )
    if module is None:
        raise enrollment_services.ModuleNotInCourse(_("That module is not part of this course."))
    return module


def _last_attempt(enrollment: Enrollment, module: ModulePage) -> ScormAttempt | None:
    return (
        ScormAttempt.objects.filter(enrollment=enrollment, cycle=enrollment.cycle, module=module)
        .order_by("-number")
        .first()
    )


def open_attempt(enrollment: Enrollment, module: ModulePage) -> ScormAttempt | None:
    """The attempt a launch resumes: the newest of this cycle, unless closed or of another
    package (the module now plays a new one)."""
    last = _last_attempt(enrollment, module)
    if last is not None and not last.closed and last.package_id == module.scorm_package_id:
        return last
    return None


def _attempt_to_write(enrollment: Enrollment, module: ModulePage) -> ScormAttempt:
    current = open_attempt(enrollment, module)
    if current is not None:
        return current
    last = _last_attempt(enrollment, module)
    package = package_of(module)
    return ScormAttempt.objects.create(
        enrollment=enrollment,
        cycle=enrollment.cycle,
        module=module,
        package=package,
        number=(last.number + 1) if last else 1,
        version=package.version,
    )


def _apply(attempt: ScormAttempt, commit: Commit) -> None:
    for field in (
        "completion_status", "success_status", "location", "suspend_data", "exit",
        "session_time", "total_time", "interactions",
    ):  # fmt: skip
        value = getattr(commit, field)
        if value is not None:
            setattr(attempt, field, value)
    if any(
        getattr(commit, f) is not None
        for f in ("score_raw", "score_min", "score_max", "score_scaled")
    ):
        attempt.score_raw = commit.score_raw
        attempt.score_min = commit.score_min
        attempt.score_max = commit.score_max
        attempt.score_scaled = commit.score_scaled


@dataclass(frozen=True)
class CommitResult:
    attempt: ScormAttempt
    module_done: bool
    post_test: QuizAttempt | None = None  # the post-test result this commit recorded


def _record(
    enrollment: Enrollment, module: ModulePage, attempt: ScormAttempt
) -> QuizAttempt | None:
    pass_mark = Decimal(enrollment.course.pass_mark)
    if module.quiz_kind == QuizKind.POST_TEST:
        percent = score_percent(attempt)
        if percent is not None and is_finished(attempt) and not attempt.result_recorded:
            attempt.result_recorded = True
            attempt.save(update_fields=["result_recorded"])
            return enrollment_services.record_package_result(
                enrollment=enrollment, module_id=module.pk, complete=False, score=percent
            )
        return None
    if meets_rule(attempt, module, pass_mark=pass_mark):
        enrollment_services.record_package_result(
            enrollment=enrollment, module_id=module.pk, complete=True
        )
    return None


@transaction.atomic
def save_commit(
    *, enrollment: Enrollment, module_id: int, payload: Any, terminate: bool = False
) -> CommitResult:
    """Keep one commit of the run-time and complete the module when its rule is met.

    A terminate that is not a suspend closes a finished attempt: the next launch starts afresh.
    """
    enrollment = (
        Enrollment.objects.select_for_update().select_related("course").get(pk=enrollment.pk)
    )
    module = scorm_module(enrollment, module_id)
    commit = parse_commit(payload, version=package_of(module).version)
    attempt = _attempt_to_write(enrollment, module)
    _apply(attempt, commit)
    attempt.commits += 1
    attempt.save()
    recorded = _record(enrollment, module, attempt)
    if terminate and attempt.exit != "suspend" and is_finished(attempt):
        attempt.closed = True
        attempt.save(update_fields=["closed"])
    return CommitResult(attempt, module_done=_done(enrollment, module), post_test=recorded)


@transaction.atomic
def record_launch(*, enrollment: Enrollment, module_id: int) -> CommitResult:
    """The learner opened the package: an attempt exists; "launched" modules complete."""
    enrollment = (
        Enrollment.objects.select_for_update().select_related("course").get(pk=enrollment.pk)
    )
    module = scorm_module(enrollment, module_id)
    attempt = _attempt_to_write(enrollment, module)
    if module.scorm_completion == ScormCompletion.LAUNCHED and module.quiz_kind != (
        QuizKind.POST_TEST
    ):
        enrollment_services.record_package_result(
            enrollment=enrollment, module_id=module.pk, complete=True
        )
    return CommitResult(attempt, module_done=_done(enrollment, module))


def _done(enrollment: Enrollment, module: ModulePage) -> bool:
    return ModuleProgress.objects.filter(
        enrollment=enrollment, cycle=enrollment.cycle, module=module
    ).exists()


# --- What the run-time starts with -------------------------------------------------------------


def initial_cmi(
    attempt: ScormAttempt | None, *, version: str, learner_id: str, learner_name: str
) -> dict[str, Any]:
    """The CMI the run-time loads before the SCO initializes: the open attempt's data, if any."""
    resume = attempt is not None and bool(attempt.suspend_data or attempt.location)
    entry = "resume" if resume else "ab-initio"
    if version == ScormVersion.SCORM_12:
        core: dict[str, Any] = {
            "student_id": learner_id,
            "student_name": learner_name,
            "entry": entry,
        }
        cmi: dict[str, Any] = {"core": core}
        if attempt is not None:
            core["lesson_location"] = attempt.location
            if attempt.completion_status:
                core["lesson_status"] = attempt.completion_status
            if attempt.total_time:
                core["total_time"] = attempt.total_time
            cmi["suspend_data"] = attempt.suspend_data
        return {"cmi": cmi}
    cmi = {"learner_id": learner_id, "learner_name": learner_name, "entry": entry}
    if attempt is not None:
        cmi["location"] = attempt.location
        cmi["suspend_data"] = attempt.suspend_data
        if attempt.completion_status:
            cmi["completion_status"] = attempt.completion_status
        if attempt.success_status:
            cmi["success_status"] = attempt.success_status
        if attempt.total_time:
            cmi["total_time"] = attempt.total_time
    return {"cmi": cmi}
