import secrets

from django.core.management.base import BaseCommand, CommandError

from infrastructure.tasks import ping


class Command(BaseCommand):
    help = "Send a task through the broker and wait for a worker to answer it."

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=20.0)

    def handle(self, *args, timeout, **options):
        token = secrets.token_hex(8)
        try:
            result = ping.delay(token).get(timeout=timeout)
        except Exception as exc:  # noqa: BLE001 - report any failure as one line
            raise CommandError(
                f"No worker answered within {timeout:g}s ({exc.__class__.__name__})"
            ) from None
        if result != f"pong:{token}":
            raise CommandError(f"Unexpected answer from the worker: {result!r}")
        self.stdout.write(f"Celery round trip OK: {result}")
