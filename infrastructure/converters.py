"""The ``id`` path converter: a database id, at most 18 digits.

Django's ``int`` converter takes any length; a 20-digit id reached the database and was an
``OverflowError`` (SQLite) or an out-of-range error (PostgreSQL) on lookups through a page's
parent link, a 500. No id of ours has more than 18 digits (a bigint holds 19), so a longer one
matches no route: a 404.
"""

from django.urls.converters import IntConverter


class ObjectIdConverter(IntConverter):
    regex = "[0-9]{1,18}"
