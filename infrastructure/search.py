"""Search text is words, never query syntax: every full-text search box goes through here.

Wagtail's database backend hands each term to the database's own query language (SQLite FTS5's
MATCH, PostgreSQL's tsquery), where a lone ``"``, ``NEAR(``, ``title:x`` or a NUL byte is a syntax
error, i.e. a 500. The configured backend (``WAGTAILSEARCH_BACKENDS``) is the database backend with
every query cleaned first by :func:`clean_search_query`: the catalog, the admin's page search and
page chooser, snippet, image and document searches all reach the index through it. Listings that
search with the ORM (``search_backend_name = None``: certificates, learner progress, users) only
build parameterised ``icontains`` filters and need no cleaning.
"""

import copy
import functools
import unicodedata

from modelsearch.backends.database import SearchBackend as DatabaseSearchBackend
from modelsearch.query import And, Boost, Fuzzy, MatchAll, Not, Or, Phrase, PlainText

MAX_QUERY_LENGTH = 200
MAX_QUERY_TERMS = 20

# Letters, marks and numbers make words; everything else (quotes, brackets, operators, colons,
# control characters, lone surrogates) only separates them, as the databases' tokenizers do.
_WORD_CATEGORIES = ("L", "M", "N")


def clean_search_query(text: str) -> str:
    """The words of ``text``, space-separated: at most MAX_QUERY_TERMS of them, MAX_QUERY_LENGTH
    characters in all. An empty result means "nothing to search for"."""
    chars = (ch if unicodedata.category(ch)[0] in _WORD_CATEGORIES else " " for ch in text)
    words = "".join(chars).split()[:MAX_QUERY_TERMS]
    cleaned = ""
    for word in words:
        candidate = f"{cleaned} {word}" if cleaned else word
        if len(candidate) > MAX_QUERY_LENGTH:
            break
        cleaned = candidate
    if not cleaned and words:
        cleaned = words[0][:MAX_QUERY_LENGTH]
    return cleaned


def clean_query(query):
    """A search query (a string or Wagtail's query objects) with every text part cleaned; ``""``
    when no words are left."""
    cleaned = _clean(query)
    return "" if cleaned is None else cleaned


def _clean(query):
    if isinstance(query, str):
        return clean_search_query(query) or None
    if isinstance(query, MatchAll):
        return query
    if isinstance(query, (PlainText, Phrase, Fuzzy)):
        text = clean_search_query(query.query_string)
        if not text:
            return None
        cleaned = copy.copy(query)
        cleaned.query_string = text
        return cleaned
    if isinstance(query, (And, Or)):
        parts = [part for part in map(_clean, query.subqueries) if part is not None]
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else type(query)(parts)
    if isinstance(query, Not):
        inner = _clean(query.subquery)
        return None if inner is None else Not(inner)
    if isinstance(query, Boost):
        inner = _clean(query.subquery)
        return None if inner is None else Boost(inner, query.boost)
    return None  # a kind of query this platform never builds: search for nothing


class CleanQueryMixin:
    def search(self, query, model_or_queryset, *args, **kwargs):
        return super().search(clean_query(query), model_or_queryset, *args, **kwargs)

    def autocomplete(self, query, model_or_queryset, *args, **kwargs):
        return super().autocomplete(clean_query(query), model_or_queryset, *args, **kwargs)


@functools.cache
def _with_clean_queries(backend_class: type) -> type:
    return type(f"Clean{backend_class.__name__}", (CleanQueryMixin, backend_class), {})


def SearchBackend(params):  # noqa: N802 (the name Wagtail looks up in a backend module)
    """The database backend for this connection's vendor, cleaning every query first."""
    backend = DatabaseSearchBackend(params)
    return _with_clean_queries(type(backend))(params)
