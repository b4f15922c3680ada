from tests.reports.conftest import catalog  # noqa: F401 (the reports' two-program catalog)
