"""The index's single writer: applies the outbox to the live index, and rebuilds the index from the database
beside the live one, then switches to it.

Several processes (gunicorn workers, `kefu worker`, `kefu reindex`) may call these at once: each batch is
written under the backend's writer lock, which only one process holds; the others leave the work to it.
An outbox row is deleted after its document is in the index, so a writer that dies half-way leaves the
row for the next one, which writes the document again from the database (writing is idempotent).

While a rebuild runs, the writer still applies changes to the live index but keeps their rows (marked
``applied``); the rebuild writes those documents again into the new index just before it goes live, under
the writer lock, so no change made during a rebuild is lost.
"""
import logging
import multiprocessing
import queue
import time
import traceback

from flask import current_app
from sqlalchemy import delete, func, select, update

from core.extensions import db
from core.models import Customer, KbArticle, SearchOutbox, SearchState, Ticket
from core.search.analysis import segmenter
from core.search.backends import IndexUnavailable
from core.search.documents import article_documents, ticket_documents

log = logging.getLogger("kefu.search")

BATCH = 500
PROGRESS = "rebuild.progress"  # SearchState: "done/total" of the running rebuild
PROGRESS_SECONDS = 2.0


class RebuildRunning(Exception):
    """Another process is rebuilding the index."""


def backend():
    return current_app.extensions["kefu_search"].backend


def _tickets_of_customers(customer_ids):
    """Tickets whose document shows one of these customers: theirs, and their member people's (whose
    customer text names the organisation)."""
    members = select(Customer.id).where(Customer.organisation_id.in_(customer_ids))
    return set(db.session.scalars(select(Ticket.id).where(Ticket.customer_id.in_(customer_ids)
                                                          | Ticket.customer_id.in_(members))))


def _merge_roots(ticket_ids):
    """The tickets these were merged into (to the end of each chain): their documents hold the text of
    the tickets merged into them."""
    roots, frontier, seen = set(), set(ticket_ids), set(ticket_ids)
    while frontier:
        rows = db.session.execute(select(Ticket.id, Ticket.merged_into_id).where(Ticket.id.in_(list(frontier)),
                                                                                Ticket.merged_into_id.is_not(None)))
        frontier = {target for _id, target in rows if target not in seen}
        seen |= frontier
        roots |= frontier
    return roots


def changes_of(rows):
    """(documents, keys of objects that no longer exist) for outbox rows (kind, object_id)."""
    ids = {"ticket": set(), "customer": set(), "kb": set()}
    for kind, object_id in rows:
        ids[kind].add(object_id)
    tickets = ids["ticket"] | (_tickets_of_customers(ids["customer"]) if ids["customer"] else set())
    tickets |= _merge_roots(tickets)
    documents = []
    for start in range(0, len(tickets), BATCH):
        documents += ticket_documents(sorted(tickets)[start:start + BATCH])
    documents += article_documents(ids["kb"])
    found = {doc.key for doc in documents}
    removed = [("ticket", i) for i in sorted(tickets) if ("ticket", i) not in found]
    removed += [("kb", i) for i in sorted(ids["kb"]) if ("kb", i) not in found]
    return documents, removed


def pending():
    """Outbox rows not yet in the live index."""
    return db.session.scalar(select(func.count(SearchOutbox.id)).where(SearchOutbox.applied.is_(False)))


def _delete_rows(ids):
    for start in range(0, len(ids), 10_000):
        db.session.execute(delete(SearchOutbox).where(SearchOutbox.id.in_(ids[start:start + 10_000])))


def apply_outbox(now=None, batch=BATCH):
    """Write the outbox's changes to the live index, batch after batch, until it is empty; returns how many
    rows were applied, or None when another process is the writer at this moment (or there is no index yet:
    the rebuild that makes it applies them). Runs in an app context of its own, so the caller's session is
    left alone. `now` is unused: the signature of a scheduled job."""
    with current_app.app_context():
        return _apply_outbox(batch)


def _apply_outbox(batch):
    index = backend()
    applied = 0
    try:
        while True:
            with index.writer_lock() as mine:
                if not mine or not index.exists():
                    return applied or None
                building = index.building()
                rows = db.session.execute(select(SearchOutbox.id, SearchOutbox.kind, SearchOutbox.object_id)
                                          .where(SearchOutbox.applied.is_(False)).order_by(SearchOutbox.id)
                                          .limit(batch)).all()
                if not rows:
                    if not building:  # rows a rebuild that died had kept
                        db.session.execute(delete(SearchOutbox).where(SearchOutbox.applied.is_(True)))
                    db.session.commit()
                    return applied
                documents, removed = changes_of([(row.kind, row.object_id) for row in rows])
                index.write(documents, removed)
                ids = [row.id for row in rows]
                if building:
                    db.session.execute(update(SearchOutbox).where(SearchOutbox.id.in_(ids)).values(applied=True))
                else:
                    _delete_rows(ids)
                db.session.commit()
                applied += len(rows)
    except IndexUnavailable:
        db.session.rollback()
        return applied or None


def _set_progress(done, total):
    row = db.session.get(SearchState, PROGRESS) or SearchState(key=PROGRESS, value="")
    row.value = f"{done}/{total}"
    db.session.add(row)
    db.session.commit()


def progress():
    """(done, total) of the rebuild that is running, or None."""
    if not backend().building():
        return None
    row = db.session.get(SearchState, PROGRESS)
    try:
        done, total = (int(part) for part in row.value.split("/"))
    except (AttributeError, ValueError):
        return 0, 0
    return done, total


def rebuild(report=None, batch=BATCH, processes=1):
    """Index every ticket and article again into a new index beside the live one, then switch to it; the
    site keeps searching the old index meanwhile. `report(done, total)` is called as it goes. With several
    `processes`, each indexes its own share of the tickets at the same time (forked from this one: call it
    where no other thread runs, as `kefu reindex` does). Raises RebuildRunning when another process is
    rebuilding, RebuildFailed when one of the processes failed. Returns the number of documents. Runs in an
    app context of its own."""
    with current_app.app_context():
        return _rebuild(report, batch, processes)


class RebuildFailed(Exception):
    """A process of a rebuild failed; the live index is unchanged."""


def _rebuild(report, batch, processes):
    index = backend()
    with index.build_lock() as mine:
        if not mine:
            raise RebuildRunning()
        ticket_ids = db.session.scalars(select(Ticket.id).order_by(Ticket.id)).all()
        article_ids = db.session.scalars(select(KbArticle.id).order_by(KbArticle.id)).all()
        total = len(ticket_ids) + len(article_ids)
        _set_progress(0, total)
        build = index.new_build()
        try:
            shares = _shares(ticket_ids, article_ids, processes)
            progress = _Progress(report, total)
            if len(shares) == 1:
                parts = [_index_share(build, shares[0], batch, progress.add)]
            else:
                parts = _index_in_processes(build, shares, batch, progress)
            build.finish(parts)
            with index.writer_lock(wait=True):
                rows = db.session.execute(select(SearchOutbox.id, SearchOutbox.kind, SearchOutbox.object_id)).all()
                documents, removed = changes_of([(row.kind, row.object_id) for row in rows])
                build.write(documents, removed)
                build.publish()
                _delete_rows([row.id for row in rows])
                db.session.execute(delete(SearchState).where(SearchState.key == PROGRESS))
                db.session.commit()
        except BaseException:
            db.session.rollback()
            build.discard()
            raise
    log.info("search index rebuilt: %d documents", total)
    return total


def _shares(ticket_ids, article_ids, processes):
    """The work of each process: consecutive tickets (neighbours share customers and texts, which the
    analysis caches), the articles with the first share."""
    size = -(-len(ticket_ids) // max(1, processes)) or 1
    shares = [[("ticket", ticket_ids[start:start + size])] for start in range(0, len(ticket_ids), size)] or [[]]
    shares[0].append(("kb", article_ids))
    return shares


class _Progress:
    """Counts what the processes indexed; reports it to the caller, and to SearchState now and then."""

    def __init__(self, report, total):
        self.report, self.total, self.done, self.shown = report, total, 0, 0.0

    def add(self, count):
        self.done += count
        if self.report:
            self.report(self.done, self.total)
        if time.monotonic() - self.shown > PROGRESS_SECONDS:
            _set_progress(self.done, self.total)
            self.shown = time.monotonic()


def _index_share(build, share, batch, indexed):
    """Write one share's documents with `build`; returns what `build.finish` needs from this process."""
    for kind, ids in share:
        make = ticket_documents if kind == "ticket" else article_documents
        for start in range(0, len(ids), batch):
            chunk = ids[start:start + batch]
            build.add(make(chunk))
            db.session.expunge_all()
            db.session.commit()  # ends the read transaction: SQLite's WAL can be checkpointed meanwhile
            indexed(len(chunk))
    return build.part()


def _index_in_processes(build, shares, batch, progress):
    context = multiprocessing.get_context("fork")  # the children use this process's app, jieba and build
    messages = context.Queue()
    db.session.commit()
    db.session.close()  # the children must not share this process's connection
    segmenter()  # loaded once, before the children fork: they share its memory

    def child(share):
        db.engine.dispose(close=False)  # the parent's pooled connections are its own
        try:
            messages.put(("part", _index_share(build, share, batch, lambda count: messages.put(("done", count)))))
        except BaseException:
            messages.put(("failed", traceback.format_exc()))
        finally:
            db.session.remove()

    children = [context.Process(target=child, args=(share,), name=f"kefu-reindex-{n}", daemon=True)
                for n, share in enumerate(shares)]
    for process in children:
        process.start()
    parts = []
    try:
        while len(parts) < len(children):
            try:
                what, value = messages.get(timeout=1.0)
            except queue.Empty:
                # A child that ended without its part was killed: its message will never come.
                if any(process.exitcode not in (None, 0) for process in children):
                    raise RebuildFailed("a rebuild process ended unexpectedly") from None
                continue
            if what == "done":
                progress.add(value)
            elif what == "part":
                parts.append(value)
            else:
                raise RebuildFailed(value)
    finally:
        for process in children:
            if process.is_alive() and len(parts) < len(children):
                process.terminate()
            process.join()
    return parts
