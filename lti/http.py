"""Requests to platforms (their keys, token and gradebook endpoints) never wait forever.

pylti1p3 sends its requests without a timeout; a platform that does not answer would hold a
launch (a web worker) or a grade passback (a Celery worker) until the process is killed.
"""

import requests
from django.conf import settings


class PlatformSession(requests.Session):
    def request(self, method, url, **kwargs):
        kwargs.setdefault("timeout", settings.LTI_PLATFORM_TIMEOUT_SECONDS)
        return super().request(method, url, **kwargs)
