"""Full-text search that understands Chinese: the index (Whoosh in the instance folder, or PostgreSQL for
sites on several hosts), how it is kept up to date, and searching it.

- ``queue_reindex(ticket_ids)`` (contract C4): index tickets again once the caller's transaction commits.
- ``core.search.service.search(user, text, …)``: what the desk, the portal and the API call.
- Changes reach the index through the outbox (core.search.outbox) and its single writer
  (core.search.indexer): after a commit that changed indexed data, this process applies it in a background
  thread within about a second (SEARCH_APPLY), and the worker's job applies whatever is left.
- When the site starts (wsgi.py) the index is checked: a missing or unreadable one is rebuilt in a
  background thread while the site answers; until it is ready a search says so (IndexUnavailable).
"""
import logging
import os
import threading
import time

from sqlalchemy import inspect, select

from core.extensions import db
from core.search.backends import IndexUnavailable, create_backend
from core.search.outbox import queue_reindex

log = logging.getLogger("kefu.search")
APPLY_MODES = ("background", "inline", "worker")
RETRY_SECONDS = 0.2
RETRIES = 25


class SearchIndex:
    """One app's search index (``app.extensions["kefu_search"]``): its backend and its background work."""

    def __init__(self, app, backend):
        self.app = app
        self.backend = backend
        self._wake = threading.Event()
        self._thread = None
        self._thread_pid = None
        self._start_lock = threading.Lock()
        self.rebuild_thread = None

    # -- after a commit ------------------------------------------------------------------------------------

    def changed(self):
        """A transaction that changed indexed data committed (called by core.search.outbox)."""
        mode = self.app.config["SEARCH_APPLY"]
        if mode == "inline":
            self.apply_now()
        elif mode == "background":
            self._applier_running()
            self._wake.set()

    def apply_now(self):
        """Apply the outbox here and now; a failure is logged (the rows stay for the next writer)."""
        from core.search.indexer import apply_outbox

        with self.app.app_context():
            try:
                return apply_outbox()
            except Exception:  # the change is committed; the index catches up later
                log.exception("applying the search outbox failed; it is retried with the next change")
                return None

    def _applier_running(self):
        with self._start_lock:
            if self._thread is None or not self._thread.is_alive() or self._thread_pid != os.getpid():
                self._thread = threading.Thread(target=self._apply_loop, name="kefu-search-writer", daemon=True)
                self._thread_pid = os.getpid()
                self._thread.start()

    def _apply_loop(self):
        from core.search.indexer import pending

        while True:
            self._wake.wait()
            self._wake.clear()
            time.sleep(self.app.config["SEARCH_APPLY_DELAY"])  # the commits of the next moments: one index commit
            for _attempt in range(RETRIES):
                if self.apply_now() is not None:
                    break
                # Another process holds the writer lock, and may have finished before our rows committed.
                time.sleep(RETRY_SECONDS)
                with self.app.app_context():
                    if not pending():
                        break

    # -- at start --------------------------------------------------------------------------------------------

    def check(self, rebuild=True):
        """Run when the site starts: make an empty index for a new site, rebuild a missing or unreadable one
        in the background (unless `rebuild` is false; returns the problem then), and apply changes left in
        the outbox."""
        from core.search.indexer import pending

        with self.app.app_context():
            if not inspect(db.engine).has_table("search_outbox"):
                return None  # the migrations have not run yet
            problem = self.backend.problem()
            if problem is None:
                if pending():
                    self.changed()
                return None
            from core.models import KbArticle, Ticket

            has_data = any(db.session.scalar(select(model.id).limit(1)) is not None for model in (Ticket, KbArticle))
            if not has_data and not self.backend.exists():
                with self.backend.build_lock() as mine:
                    if mine:
                        self.backend.create_empty()
                db.session.remove()
                return None
            db.session.remove()
        if not rebuild:
            return problem
        log.warning("the search index cannot be used (%s): rebuilding it in the background", problem)
        self.rebuild_in_background()
        return problem

    def rebuild_in_background(self):
        from core.search.indexer import RebuildRunning, rebuild

        def run():
            with self.app.app_context():
                try:
                    rebuild()
                except RebuildRunning:
                    pass  # another process is at it
                except Exception:
                    log.exception("rebuilding the search index failed")

        self.rebuild_thread = threading.Thread(target=run, name="kefu-search-rebuild", daemon=True)
        self.rebuild_thread.start()
        return self.rebuild_thread


def init_app(app):
    if app.config["SEARCH_APPLY"] not in APPLY_MODES:
        from core.config import ConfigError

        raise ConfigError(f"SEARCH_APPLY must be one of {', '.join(APPLY_MODES)}, not {app.config['SEARCH_APPLY']!r}")
    app.extensions["kefu_search"] = index = SearchIndex(app, create_backend(app))
    registry = app.extensions["kefu"].registry
    app.jinja_env.globals["search_fields"] = lambda: list(registry.search_fields.values())
    return index


__all__ = ["IndexUnavailable", "SearchIndex", "init_app", "queue_reindex"]
