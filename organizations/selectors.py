"""Reads of the organization registry."""

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from organizations.constants import SEARCH_MAX_RESULTS
from organizations.models import Membership, Organization, Role, normalize_name


def search(query: str, *, limit: int = SEARCH_MAX_RESULTS) -> list[Organization]:
    """Approved organizations matching ``query`` (name, site identifier, city): names that start
    with it first. One query."""
    key = normalize_name(query)
    rows = (
        Organization.objects.approved()
        .filter(
            Q(normalized_name__contains=key)
            | Q(site_identifier__iexact=query)
            | Q(city__icontains=query)
        )
        .annotate(
            starts=Case(
                When(normalized_name__startswith=key, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("starts", "name")
    )
    return list(rows[:limit])


def coordinated_organizations(user_id: int | None) -> QuerySet[Organization]:
    """The organizations this person coordinates (none for anyone else)."""
    if user_id is None:
        return Organization.objects.none()
    return Organization.objects.filter(
        memberships__user_id=user_id, memberships__role=Role.COORDINATOR
    )


def membership_of(user_id: int) -> Membership | None:
    return Membership.objects.filter(user_id=user_id).select_related("organization").first()
