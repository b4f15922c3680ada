"""The infrastructure's own state: the page caches' content version."""

from django.db import models


class PageCacheVersion(models.Model):
    """The one row whose number is part of every cached page's key (infrastructure.caching).

    Kept in the database, so that a change made while Redis is away still retires the cached
    pages once Redis is back; Redis holds a copy for a few seconds at a time.
    """

    version = models.PositiveBigIntegerField(default=1)

    class Meta:
        # The table was created by the home app, where this model lived first.
        db_table = "home_pagecacheversion"

    def __str__(self):
        return f"page cache version {self.version}"
