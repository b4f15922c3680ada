"""The demo registry: a few organizations of the network (development only, idempotent)."""

from organizations.models import Organization, OrganizationKind, OrganizationStatus, normalize_name

DEMO_ORGANIZATIONS = (
    ("Riverside Imaging Research Center", OrganizationKind.IMAGING_SITE, "CTN-0042", "Portland",
     "United States"),
    ("Lakeside University Hospital", OrganizationKind.IMAGING_SITE, "CTN-0107", "Madison",
     "United States"),
    ("Northgate PET Center", OrganizationKind.IMAGING_SITE, "CTN-0213", "Toronto", "Canada"),
    ("Cyclotope Radiopharmaceuticals", OrganizationKind.MANUFACTURER, "RPM-017", "Houston",
     "United States"),
    ("Meridian Oncology Trials", OrganizationKind.SPONSOR, "", "Boston", "United States"),
    ("Westbrook Imaging Core Lab", OrganizationKind.CORE_LAB, "ICL-004", "Philadelphia",
     "United States"),
    ("Eastfield University Molecular Imaging", OrganizationKind.ACADEMIC, "", "Leeds",
     "United Kingdom"),
)  # fmt: skip


def load_demo_organizations() -> list[Organization]:
    organizations = []
    for name, kind, site_identifier, city, country in DEMO_ORGANIZATIONS:
        organization, _ = Organization.objects.update_or_create(
            normalized_name=normalize_name(name),
            defaults={"name": name, "kind": kind, "site_identifier": site_identifier,
                      "city": city, "country": country, "status": OrganizationStatus.APPROVED},
        )  # fmt: skip
        organizations.append(organization)
    return organizations
