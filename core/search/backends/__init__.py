"""Search index backends: Whoosh (embedded, the default) and PostgreSQL (one index shared by many hosts).

A backend stores core.search.documents.Document records and executes core.search.plan.Plan queries.
What each offers, and what the rest of core.search relies on:

``exists()`` / ``problem()``
    whether a live index exists; what is wrong with it (None when it answers).
``create_empty()``
    make an empty live index (a new site has nothing to rebuild).
``writer_lock(wait=False)``
    a context manager yielding whether this process is now the single writer of the live index.
``write(documents, removed_keys)``
    write documents to the live index, and remove those of objects that no longer exist; call it
    holding the writer lock.
``building()`` / ``build_lock()``
    whether a rebuild is running anywhere; the lock a rebuild holds (released if its process dies).
``new_build()``
    a Build beside the live index: ``add(documents)`` (many times, in one process or in several forked
    from this one, each adding its own documents), ``part()`` in each process when it has added all of
    its documents, ``finish(parts)`` in this process with what each ``part()`` returned, then holding the
    writer lock ``write(documents, removed_keys)`` (changes that happened meanwhile) and ``publish()``
    (it becomes the live index, atomically); ``discard()`` on failure.
``search(plan, offset, limit)``
    Hits: the object ids of one page in order, and how many match (``total``, capped at
    COUNT_CAP; ``exact`` false when it is an estimate).
``count()``
    documents in the live index.

Readers never take a lock and never wait for the writer.
"""
from typing import NamedTuple

COUNT_CAP = 1000


class IndexUnavailable(Exception):
    """There is no live index to search (it is missing, or being rebuilt)."""


class Hits(NamedTuple):
    ids: list
    total: int
    exact: bool  # False: `total` is an estimate or the cap (more match)


def create_backend(app):
    """The backend the site's SEARCH_BACKEND names."""
    name = app.config["SEARCH_BACKEND"]
    if name == "whoosh":
        from core.search.backends.whoosh import WhooshBackend

        return WhooshBackend(app)
    if name == "postgresql":
        from core.search.backends.postgres import PostgresBackend

        return PostgresBackend(app)
    from core.config import ConfigError

    raise ConfigError(f"SEARCH_BACKEND must be whoosh or postgresql, not {name!r}")
