"""Reads of the outbox for administrators."""

from django.db.models import Count

from xapi.models import DeliveryStatus, OutboxStatement


def outbox_counts() -> dict[str, int]:
    """Rows per delivery status (every status present, zero when none): one query."""
    counts = {status.value: 0 for status in DeliveryStatus}
    for row in OutboxStatement.objects.values("status").annotate(n=Count("pk")).order_by():
        counts[row["status"]] = row["n"]
    return counts
