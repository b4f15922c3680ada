"""Learners signing in, browsing, finishing courses and collecting their certificates.

Run by ``bench/load.py`` (``make load``), which prepares the data file this reads (``LOAD_DATA``:
accounts, web servers, courses with their modules and the right answers to every quiz) and
starts the servers. Each simulated learner signs in, browses the home page, the catalog, a
program and a course, enrolls, reads every module and marks it complete, passes the knowledge
checks and the post-test (some fail the post-test once and try again), submits the evaluation
and waits on My learning until the certificate can be downloaded; then the next course. When
the run time is up, learners finish the course in hand (``--stop-timeout``), so every course
started during the run ends with a certificate the runner can check.

The first ``LOAD_COHORT`` learners are a cohort: they submit their first course's evaluation,
the step that completes it, at the same moment. A few of them double-click: one submission
is recorded, the other is answered 409, which is the one non-2xx/3xx status expected here.

The client stands in for the TLS-terminating proxy production runs behind: it sends
``X-Forwarded-Proto: https`` and a ``X-Forwarded-For`` address of its own per learner, and it
returns the ``Secure`` session and CSRF cookies over the plain-HTTP hop to gunicorn.
"""

import itertools
import json
import os
import random
import re
import time
from pathlib import Path
from urllib.parse import urlsplit

import gevent
from gevent.event import Event
from locust import HttpUser, between, events, task

DATA = json.loads(Path(os.environ["LOAD_DATA"]).read_text(encoding="utf-8"))
WAIT_MIN = float(os.environ.get("LOAD_WAIT_MIN", "1"))
WAIT_MAX = float(os.environ.get("LOAD_WAIT_MAX", "5"))
COHORT = int(os.environ.get("LOAD_COHORT", "50"))
COHORT_WAIT = float(os.environ.get("LOAD_COHORT_WAIT", "90"))
DOUBLE_SUBMIT_SHARE = float(os.environ.get("LOAD_DOUBLE_SUBMIT_SHARE", "0.2"))
RETRY_SHARE = float(os.environ.get("LOAD_RETRY_SHARE", "0.2"))
CERTIFICATE_POLLS = int(os.environ.get("LOAD_CERTIFICATE_POLLS", "30"))
TIMEOUT = float(os.environ.get("LOAD_REQUEST_TIMEOUT", "60"))

ENROLLMENT_ID = re.compile(r"/learning/enrollments/(\d+)/")
ATTEMPT = re.compile(r'name="attempt" value="(\d+)"')
QUESTION = re.compile(r'name="q-([^"]+)"')
DOWNLOAD = re.compile(r'href="(/certificates/download/[^"/]+/)"')
VERIFY = re.compile(r'href="(/certificates/verify/[^"/]+/)"')
COMPLETED_ROW = re.compile(
    r'<article class="card dashboard-row dashboard-row--done">(.*?)</article>', re.S
)
SIGNED_IN = 'action="/accounts/logout/"'

_numbers = itertools.count()


class JourneyFailed(Exception):
    """A request came back other than expected (already counted as a failure)."""


class Cohort:
    """Holds the cohort's final submissions until every member is ready (or time runs out)."""

    def __init__(self, size: int, patience: float):
        self.size, self.patience = size, patience
        self.ready = 0
        self.go = Event()
        self.released_at = None
        self.released_with = 0

    def wait(self) -> None:
        self.ready += 1
        if self.ready == 1:
            gevent.spawn_later(self.patience, self.release)
        if self.ready >= self.size:
            self.release()
        self.go.wait()

    def release(self) -> None:
        if not self.go.is_set():
            self.released_at, self.released_with = time.time(), self.ready
            self.go.set()


COHORT_GATE = Cohort(COHORT, COHORT_WAIT)
JOURNEYS = {
    "courses_completed": 0,
    "certificates_seen": 0,
    "certificates_not_seen_yet": 0,
    "post_test_retries": 0,
    "double_submits": 0,
    "journeys_abandoned": 0,
    "cohort_sent_at": [],
    "certificate_latency_s": [],
    # The page caches, as the X-Page-Cache header tells: served from it, rendered and stored.
    "page_gets": 0,
    "page_cache_hits": 0,
    "page_cache_misses": 0,
}


def plan(courses, first=None) -> list[dict]:
    """The courses in a random order that puts each after the courses it requires."""
    pending = random.sample(courses, len(courses))
    pending.sort(key=lambda course: course["code"] != first)
    ordered, placed = [], set()
    while pending:
        course = next((c for c in pending if set(c["requires"]) <= placed), pending[0])
        pending.remove(course)
        ordered.append(course)
        placed.add(course["code"])
    return ordered


class Learner(HttpUser):
    host = DATA["hosts"][0]
    wait_time = between(WAIT_MIN, WAIT_MAX)

    def on_start(self):
        self.number = next(_numbers)
        account = DATA["accounts"][self.number % len(DATA["accounts"])]
        self.email, self.password = account, DATA["password"]
        self.client.base_url = DATA["hosts"][self.number % len(DATA["hosts"])]
        origin = f"https://{urlsplit(self.client.base_url).netloc}"
        self.origin = origin
        self.client.headers.update(
            {
                "X-Forwarded-Proto": "https",
                "X-Forwarded-For": f"10.{self.number // 250 % 250}.{self.number % 250}.7",
                "User-Agent": "lms-load (locust)",
            }
        )
        self.in_cohort = self.number < COHORT
        self.plan = plan(DATA["courses"], DATA["cohort_course"] if self.in_cohort else None)
        self.done, self.completed = set(), set()
        self.signed_in = False
        self.pause(0, WAIT_MAX)  # learners do not all arrive in the same second

    # --- requests -------------------------------------------------------------------------

    def get(self, path, name, expect=(200,), contains=None):
        with self.client.get(path, name=name, catch_response=True, allow_redirects=False,
                             timeout=TIMEOUT) as response:  # fmt: skip
            return self._check(response, path, expect, contains)

    def post(self, path, data, name, expect=(302,), referer=None):
        payload = {"csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""), **data}
        headers = {"Origin": self.origin, "Referer": f"{self.origin}{referer or path}"}
        with self.client.post(path, data=payload, name=name, headers=headers,
                              catch_response=True, allow_redirects=False,
                              timeout=TIMEOUT) as response:  # fmt: skip
            return self._check(response, path, expect, None)

    def _check(self, response, path, expect, contains):
        self.keep_cookies()
        if response.request.method == "GET" and response.status_code == 200:
            JOURNEYS["page_gets"] += 1
            state = response.headers.get("X-Page-Cache")
            if state == "hit":
                JOURNEYS["page_cache_hits"] += 1
            elif state == "miss":
                JOURNEYS["page_cache_misses"] += 1
        if response.status_code not in expect:
            response.failure(f"{response.status_code} for {path} (expected {expect})")
            raise JourneyFailed(path)
        if contains and contains not in response.text:
            response.failure(f"{path} lacks {contains!r}")
            raise JourneyFailed(path)
        response.success()
        return response

    def keep_cookies(self):
        """Production's cookies are Secure: return them over the proxy's plain-HTTP hop too."""
        for cookie in self.client.cookies:
            cookie.secure = False

    @staticmethod
    def location(response) -> str:
        return urlsplit(response.headers["Location"]).path

    # --- the journey ----------------------------------------------------------------------

    @task
    def next_course(self):
        """One course from the catalog to the certificate (or, all done, a look around).

        Pauses inside a course are plain sleeps: when the run ends, a learner finishes the course
        in hand (locust's --stop-timeout) and the cohort's certificates are all part of the run.
        """
        course = None
        try:
            if not self.signed_in:
                self.sign_in()
            course = next((c for c in self.plan if c["code"] not in self.done
                           and set(c["requires"]) <= self.completed), None)  # fmt: skip
            if course is None:
                self.revisit()
            else:
                self.take(course)
        except JourneyFailed:
            JOURNEYS["journeys_abandoned"] += 1
            if course is not None:
                self.done.add(course["code"])
            self.client.cookies.clear()
            self.signed_in = False

    @staticmethod
    def pause(low=WAIT_MIN, high=WAIT_MAX):
        gevent.sleep(random.uniform(low, high))

    def sign_in(self):
        self.get("/accounts/login/", "login page")
        self.pause()
        response = self.post("/accounts/login/", {"login": self.email, "password": self.password},
                             "sign in")  # fmt: skip
        self.get(self.location(response), "home (signed in)", contains=SIGNED_IN)
        self.signed_in = True
        self.pause()

    def take(self, course):
        self.get("/catalog/", "catalog")
        self.pause()
        self.get(course["program_url"], "program page")
        self.pause()
        self.get(course["url"], "course page", contains="Enroll in this course")
        self.pause()
        response = self.post(course["enroll_url"], {}, "enroll", referer=course["url"])
        page = self.get(self.location(response), "module page")
        enrollment_id = ENROLLMENT_ID.search(page.text).group(1)
        evaluation_url = f"/learning/enrollments/{enrollment_id}/evaluation/"
        for position, module in enumerate(course["modules"]):
            if position:
                page = self.get(module["url"], "module page")
            self.pause()
            if module["answers"]:
                self.pass_quiz(enrollment_id, module, page.text)
                continue
            url = f"/learning/enrollments/{enrollment_id}/modules/{module['id']}/complete/"
            response = self.post(url, {}, "mark module complete", referer=module["url"])
            following = self.location(response)
            expected = (course["modules"][position + 1]["url"] if position + 1 < len(
                course["modules"]) else evaluation_url)  # fmt: skip
            if following != expected:
                raise JourneyFailed(f"mark complete went to {following}, not {expected}")
        self.get(evaluation_url, "evaluation page", contains="Submit evaluation")
        self.pause()
        self.evaluate(course, evaluation_url)
        self.completed.add(course["code"])
        self.done.add(course["code"])
        self.collect_certificate(course)

    def pass_quiz(self, enrollment_id, module, html):
        url = f"/learning/enrollments/{enrollment_id}/modules/{module['id']}/quiz/"
        kind = "post-test" if module["post_test"] else "knowledge check"
        shown = set(QUESTION.findall(html))
        if shown != set(module["answers"]):
            raise JourneyFailed(f"{module['url']} shows other questions than the answers file")
        if module["post_test"] and random.random() < RETRY_SHARE:
            wrong = {f"q-{qid}": [str(i) for i in wrong] for qid, wrong in module["wrong"].items()}
            attempt = ATTEMPT.search(html).group(1)
            response = self.post(url, {**wrong, "attempt": attempt}, f"{kind} (failing)",
                                 referer=module["url"])  # fmt: skip
            self.get(self.location(response), f"{kind} result", contains="Not passed")
            JOURNEYS["post_test_retries"] += 1
            self.pause()
            html = self.get(module["url"], "module page").text
            self.pause()
        attempt = ATTEMPT.search(html).group(1)
        right = {f"q-{qid}": [str(i) for i in right] for qid, right in module["answers"].items()}
        response = self.post(url, {**right, "attempt": attempt}, f"{kind}",
                             referer=module["url"])  # fmt: skip
        self.get(self.location(response), f"{kind} result", contains="Passed:")
        self.pause()

    def evaluate(self, course, url):
        answers = {
            "overall": str(random.randint(3, 5)),
            "relevance": str(random.randint(3, 5)),
            "objectives_met": "True",
            "free_of_bias": "True",
            "would_recommend": random.choice(["True", "False"]),
            "practice_change": "Check the dose calibrator's clock before every study.",
            "comments": "",
        }
        cohort_moment = self.in_cohort and course["code"] == DATA["cohort_course"]
        if cohort_moment:
            COHORT_GATE.wait()
            JOURNEYS["cohort_sent_at"].append(time.time())
        if cohort_moment and random.random() < DOUBLE_SUBMIT_SHARE:
            # A double click: two submissions at once; one is recorded, the other refused (409).
            JOURNEYS["double_submits"] += 1
            results = {}

            def submit(key):
                try:
                    results[key] = self.post(url, answers, "evaluation (double click)",
                                             expect=(302, 409))  # fmt: skip
                except JourneyFailed:
                    results[key] = None

            gevent.joinall([gevent.spawn(submit, k) for k in ("a", "b")])
            statuses = sorted(r.status_code for r in results.values() if r is not None)
            if statuses != [302, 409]:
                self.fire_failure("evaluation (double click)", f"statuses {statuses}")
                raise JourneyFailed(url)
            response = next(r for r in results.values() if r.status_code == 302)
        else:
            name = "evaluation (cohort)" if cohort_moment else "evaluation"
            response = self.post(url, answers, name)
        JOURNEYS["courses_completed"] += 1
        self.completed_at = time.monotonic()
        dashboard = self.location(response)
        self.last_dashboard = self.get(dashboard, "dashboard").text

    def collect_certificate(self, course):
        for poll in range(CERTIFICATE_POLLS):
            if poll:
                self.pause()
                self.last_dashboard = self.get("/learning/", "dashboard (certificate?)").text
            row = next((r for r in COMPLETED_ROW.findall(self.last_dashboard)
                        if f">{course['code']} <" in r), None)  # fmt: skip
            if row is None:
                raise JourneyFailed(f"{course['code']} not among the completed courses")
            download = DOWNLOAD.search(row)
            if download:
                JOURNEYS["certificates_seen"] += 1
                JOURNEYS["certificate_latency_s"].append(time.monotonic() - self.completed_at)
                self.pause()
                with self.client.get(download.group(1), name="certificate PDF",
                                     catch_response=True, timeout=TIMEOUT) as pdf:  # fmt: skip
                    if pdf.status_code != 200 or not pdf.content.startswith(b"%PDF"):
                        pdf.failure(f"{pdf.status_code}: not a PDF")
                        raise JourneyFailed(download.group(1))
                self.pause()
                self.get(VERIFY.search(row).group(1), "verification page",
                         contains="Valid certificate")  # fmt: skip
                self.pause()
                return
        JOURNEYS["certificates_not_seen_yet"] += 1

    def revisit(self):
        """Every course done: the learner comes back to look at what they have."""
        self.get("/", "home (signed in)", contains=SIGNED_IN)
        self.pause()
        self.get("/learning/", "dashboard")
        self.pause()
        self.get("/certificates/transcript/", "transcript")
        self.pause()

    def fire_failure(self, name, message):
        events.request.fire(request_type="CHECK", name=name, response_time=0,
                            response_length=0, exception=JourneyFailed(message))  # fmt: skip


@events.quitting.add_listener
def write_journeys(environment, **kwargs):
    out = os.environ.get("LOAD_JOURNEYS_OUT")
    if out:
        summary = {
            **JOURNEYS,
            "cohort_size": COHORT,
            "cohort_released_with": COHORT_GATE.released_with,
            "cohort_released_at": COHORT_GATE.released_at,
        }
        with open(out, "w", encoding="utf-8") as handle:
            json.dump(summary, handle)
