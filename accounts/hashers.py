"""The password hasher: Argon2id at OWASP's recommended minimum, tunable per deployment.

Django's own Argon2 parameters (100 MiB, 2 passes, 8 lanes) cost about 230 ms of CPU per sign-in
on a 2-core web machine: in the load scenario (``make load``) the sign-ins of learners arriving
together took a third of the web processes' CPU and set the capacity. OWASP's Password Storage
Cheat Sheet recommends Argon2id with at least 19 MiB of memory, 2 passes and 1 lane; those are the
defaults here (about 24 ms), and ``LMS_ARGON2_MEMORY_KIB``, ``LMS_ARGON2_TIME_COST`` and
``LMS_ARGON2_PARALLELISM`` raise them. A stored hash with other parameters still verifies and is
rehashed with these at its owner's next sign-in (Django's ``must_update``).
"""

from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher


class TunedArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id (Django's ``argon2`` algorithm) with the deployment's parameters."""

    @property
    def time_cost(self) -> int:  # type: ignore[override]
        return settings.LMS_ARGON2_TIME_COST

    @property
    def memory_cost(self) -> int:  # type: ignore[override]
        return settings.LMS_ARGON2_MEMORY_KIB

    @property
    def parallelism(self) -> int:  # type: ignore[override]
        return settings.LMS_ARGON2_PARALLELISM
