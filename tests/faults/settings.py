"""Settings of every process the fault suite starts: the test settings, changed where a fault
would otherwise meet something production does not do.

- The anonymous page cache is on, as in production: it is what a Redis outage meets first.
- Mail goes to files in ``FAULTS_MAIL_DIR``: a worker subprocess cannot share the test
  process's locmem outbox, and the suite counts the certificate mails actually sent.
- Every process shares one cache namespace (production's is fixed too), so a version bump in
  one process reaches the page cache of the others.
- ``FAULTS_SWEEP_SECONDS`` lets Celery beat sweep every few seconds instead of every two minutes.
"""

import os

from lms.settings.test import *  # noqa: F403
from lms.settings.test import CACHES, CELERY_BEAT_SCHEDULE, VAR_DIR

LMS_ANONYMOUS_PAGE_CACHE_SECONDS = 300

EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ.get("FAULTS_MAIL_DIR") or str(VAR_DIR / "test" / "faults-mail")

CACHES = {
    "default": {**CACHES["default"], "KEY_PREFIX": os.environ.get("FAULTS_CACHE_PREFIX", "faults")}
}

CELERY_BEAT_SCHEDULE = {
    **CELERY_BEAT_SCHEDULE,
    "certificates-sweep": {
        **CELERY_BEAT_SCHEDULE["certificates-sweep"],
        "schedule": float(os.environ.get("FAULTS_SWEEP_SECONDS", "120")),
    },
}
