"""The 500 handler: a database that cannot be reached is "503, try again", not a server error.

While PostgreSQL restarts or fails over, any request that needs it fails with OperationalError
(or InterfaceError on a connection that died). That is a temporary outage, so the answer is 503
with Retry-After, rendered without touching the database. Every other error, deadlocks and
timeouts included, stays a 500.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.views.decorators.csrf import requires_csrf_token
from django.views.defaults import server_error as default_server_error

RETRY_AFTER_SECONDS = 10
UNAVAILABLE_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Temporarily unavailable</title></head>
<body><h1>Temporarily unavailable</h1>
<p>The site cannot reach its database just now. Please try again in a few seconds.</p></body></html>
"""


@requires_csrf_token
def server_error(request):
    error = sys.exc_info()[1]  # Django calls this handler while handling the exception
    if _database_unreachable(error):
        response = HttpResponse(UNAVAILABLE_PAGE, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return default_server_error(request)


# SQLSTATE classes of a lost or refused connection: 08 (connection exception), 57P01-57P03
# (admin shutdown, crash shutdown, cannot connect now). A deadlock or a timeout is a server error.
UNREACHABLE_SQLSTATES = ("08", "57P01", "57P02", "57P03")


def _database_unreachable(error) -> bool:
    if isinstance(error, InterfaceError):  # the connection was closed under us
        return True
    if not isinstance(error, OperationalError):
        return False
    sqlstate = getattr(error.__cause__, "sqlstate", None)
    # psycopg gives no SQLSTATE when it cannot connect at all.
    return sqlstate is None or sqlstate.startswith(UNREACHABLE_SQLSTATES)
