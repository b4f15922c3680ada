"""A bare Django project: the floor bench/pages.py measures the platform's pages against.

One view, one query (the default site's name, from the same PostgreSQL database), a small
template; no middleware, no installed apps. Served by the same gunicorn settings as the platform.
"""
