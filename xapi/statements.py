"""The xAPI 1.0.3 statements we send: who (a pseudonymous account), which verb, which activity.

Pure functions of the records they describe: no writes. Ids are name-based (UUID version 5) in a
namespace of this site (``SITE_URL``), so the same event always gets the same statement id and
two sites sending to one store never collide.

- Actor: an ``account`` whose ``homePage`` is ``SITE_URL`` and whose ``name`` is an opaque UUID
  derived from the learner's account number. No name, no email address (not even hashed: an
  ``mbox_sha1sum`` of an address can be reversed by hashing candidate addresses). Only this
  platform can tell who it is.
- Activities: the absolute URLs of the course and module pages; a certificate is
  ``<course URL>#certificate`` (its public verification page would name the learner).
- ``context.registration``: one UUID per enrollment cycle (a renewal starts a new one).
"""

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings

XAPI_VERSION = "1.0.3"  # the X-Experience-API-Version header
STATEMENT_VERSION = "1.0.0"  # a statement's own "version" under xAPI 1.0.x
LANGUAGE = "en-US"

VERB_REGISTERED = "http://adlnet.gov/expapi/verbs/registered"
VERB_COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
VERB_PASSED = "http://adlnet.gov/expapi/verbs/passed"
VERB_FAILED = "http://adlnet.gov/expapi/verbs/failed"
VERB_EARNED = "http://id.tincanapi.com/verb/earned"  # the xAPI registry's verb for an award
VERB_NAMES = {
    VERB_REGISTERED: "registered",
    VERB_COMPLETED: "completed",
    VERB_PASSED: "passed",
    VERB_FAILED: "failed",
    VERB_EARNED: "earned",
}

TYPE_COURSE = "http://adlnet.gov/expapi/activities/course"
TYPE_MODULE = "http://adlnet.gov/expapi/activities/module"
TYPE_ASSESSMENT = "http://adlnet.gov/expapi/activities/assessment"
TYPE_CERTIFICATE = "http://id.tincanapi.com/activitytype/certificate"
EXTENSION_ATTEMPT = "http://id.tincanapi.com/extension/attempt-id"

Statement = dict[str, Any]


def namespace() -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"{settings.SITE_URL}/xapi")


def name_based_id(*parts: object) -> uuid.UUID:
    """A stable UUID for a thing of this site: the same parts, the same id."""
    return uuid.uuid5(namespace(), ":".join(str(part) for part in parts))


def actor(user_id: int) -> dict[str, Any]:
    return {
        "objectType": "Agent",
        "account": {"homePage": settings.SITE_URL, "name": str(name_based_id("user", user_id))},
    }


def registration(enrollment_id: int, cycle: int) -> str:
    return str(name_based_id("registration", enrollment_id, cycle))


def page_url(page: Any) -> str:
    """The page's absolute URL (a single site gives a path, which SITE_URL completes)."""
    url = page.get_url() or page.url_path
    return url if url.startswith(("http://", "https://")) else f"{settings.SITE_URL}{url}"


def activity(activity_id: str, *, activity_type: str, name: str) -> dict[str, Any]:
    return {
        "objectType": "Activity",
        "id": activity_id,
        "definition": {"type": activity_type, "name": {LANGUAGE: name}},
    }


def statement(
    *,
    statement_id: uuid.UUID,
    user_id: int,
    verb: str,
    obj: dict[str, Any],
    timestamp: datetime,
    registration_id: str | None = None,
    parent: dict[str, Any] | None = None,
    result: dict[str, Any] | None = None,
    extensions: dict[str, Any] | None = None,
) -> Statement:
    context: dict[str, Any] = {"platform": settings.WAGTAIL_SITE_NAME, "language": LANGUAGE}
    if registration_id:
        context["registration"] = registration_id
    if parent:
        context["contextActivities"] = {"parent": [parent]}
    if extensions:
        context["extensions"] = extensions
    built: Statement = {
        "id": str(statement_id),
        "actor": actor(user_id),
        "verb": {"id": verb, "display": {LANGUAGE: VERB_NAMES[verb]}},
        "object": obj,
        "context": context,
        "timestamp": timestamp.isoformat(),
        "version": STATEMENT_VERSION,
    }
    if result is not None:
        built["result"] = result
    return built


def quiz_result(
    *, correct: int, questions: int, score_percent: Decimal, passed: bool
) -> dict[str, Any]:
    """``raw`` is the questions answered right out of ``max``; ``scaled`` the share (0..1)."""
    return {
        "score": {
            "scaled": float(score_percent / 100),
            "raw": correct,
            "min": 0,
            "max": questions,
        },
        "success": passed,
        "completion": passed,
    }
