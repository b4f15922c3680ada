"""Run Ralph's LRS app (what `ralph runserver -b fs` serves) for the tests, run by .venv-lrs.

Usage: .venv-lrs/bin/python tests/xapi/lrs_server.py HOST PORT (configuration in RALPH_*
environment variables). Two differences from `ralph runserver`: no auto-reloader process, and
the file-system backend appends. Ralph 5.1.0's runserver writes statements to the backend's file
with the default operation "create", which refuses a file that exists: every POST after the
first answers 500. Appending is what a store that keeps statements must do.

Never imported by the project or by pytest (it needs Ralph, which lives in .venv-lrs only).
"""

import sys

import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend
from ralph.conf import settings

FSLRSBackend.default_operation_type = BaseOperationType.APPEND

if __name__ == "__main__":
    host, port = sys.argv[1], int(sys.argv[2])
    uvicorn.run("ralph.api:app", host=host, port=port, log_config=settings.LOGGING)
