"""The Whoosh backend: an index folder in the instance folder, for a site on one host.

Layout of SEARCH_WHOOSH_PATH (instance/search by default):

    CURRENT          the name of the live index folder; replaced atomically to switch to a rebuilt one
    index-<stamp>/   Whoosh indexes (the live one, and while rebuilding the next one)
    writer.lock      held by the single writer (flock: released when its process ends, however it ends)
    build.lock       held by a rebuild

Whoosh itself allows one writer at a time and fails at once with LockError when a second one opens, so
writers take writer.lock first (a process that cannot is simply not the writer this round). Readers open
a searcher on the live folder and open a new one when the index changed (``up_to_date``); a new searcher,
not ``refresh()``, which double-counts updated documents in the whoosh forks.
"""
import fcntl
import os
import shutil
import struct
import threading
import time
from contextlib import contextmanager

from sqlalchemy import select
from whoosh import fields, index
from whoosh import query as wq
from whoosh.analysis import RegexTokenizer

from core.extensions import db
from core.models import TicketType
from core.search.analysis import ChineseAnalyzer
from core.search.backends import COUNT_CAP, Hits, IndexUnavailable

POINTER = "CURRENT"
NONE = "-"  # the ID-field value of an empty column (unassigned, no team)
SEPARATOR = "\x1f"  # between the keywords of one field
# What reading an index whose files are missing or cut short raises (whoosh decodes them without checks).
UNREADABLE = (OSError, EOFError, TypeError, ValueError, struct.error, index.EmptyIndexError)
STORED_NEEDLE_FIELDS = {"all": "norm_all", "public": "norm_public", "customer": "norm_customer"}


def _keywords():
    field = fields.KEYWORD(scorable=False)
    field.analyzer = RegexTokenizer(rf"[^{SEPARATOR}]+")  # keywords may hold spaces and commas
    return field


def schema():
    analyzer = ChineseAnalyzer()
    result = fields.Schema(
        key=fields.ID(unique=True, stored=True),  # "ticket:12", "kb:3"
        kind=fields.ID,
        text=fields.TEXT(analyzer=analyzer, phrase=False),
        title=fields.TEXT(analyzer=analyzer, phrase=False),
        norm_all=fields.STORED, norm_public=fields.STORED, norm_customer=fields.STORED,
        status=fields.ID, status_category=fields.ID, type_id=fields.ID, priority=fields.ID, channel=fields.ID,
        assignee=fields.ID, team=fields.ID, creator=fields.ID, requester=fields.ID, customer=fields.ID,
        category=fields.ID, merged=fields.ID, public=fields.ID,
        tag=_keywords(),
        created=fields.NUMERIC(bits=64, sortable=True), updated=fields.NUMERIC(bits=64, sortable=True),
    )
    result.add("f_*", _keywords(), glob=True)  # plugin search fields
    return result


def _id(value):
    return NONE if value is None else str(value)


def _stamp(moment):
    return int(moment.timestamp()) if moment is not None else 0


def whoosh_fields(doc):
    values = {
        "key": f"{doc.kind}:{doc.object_id}", "kind": doc.kind, "text": doc.all_text, "title": doc.title,
        "norm_all": doc.norm_all, "norm_public": doc.norm_public, "norm_customer": doc.norm_customer,
        "status": _id(doc.status), "status_category": _id(doc.status_category), "type_id": _id(doc.type_id),
        "priority": _id(doc.priority), "channel": _id(doc.channel), "assignee": _id(doc.assignee_id),
        "team": _id(doc.team_id), "creator": _id(doc.created_by_id), "requester": _id(doc.requester_id),
        "customer": _id(doc.customer_id), "category": _id(doc.category_id), "merged": _id(doc.merged),
        "public": _id(doc.public), "created": _stamp(doc.created_at), "updated": _stamp(doc.updated_at),
    }
    if doc.tags:
        values["tag"] = SEPARATOR.join(tag.casefold() for tag in doc.tags)
    for key, keywords in doc.fields.items():
        values["f_" + key] = SEPARATOR.join(keywords)
    return values


@contextmanager
def _flock(path, wait):
    """Hold an exclusive lock on `path`; yields whether it was taken (without waiting unless `wait`)."""
    os.makedirs(os.path.dirname(path), exist_ok=True)  # the index folder may have been deleted
    handle = open(path, "a+")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        handle.close()


def _any(field, values, boost=1.0):
    terms = [wq.Term(field, _id(value), boost=boost) for value in values]
    return terms[0] if len(terms) == 1 else wq.Or(terms)


def _range(field, span):
    start, end = span
    return wq.NumericRange(field, _stamp(start) if start else None, _stamp(end) - 1 if end else None)


def _visibility(rules):
    """The Visibility of core.tickets.access as a query (None: every ticket)."""
    if rules.everything:
        return None
    # Terms that score nothing (boost 0), read along with the words: listing a team's tickets first costs more.
    options = [_any(name, ids, boost=0.0) for name, ids in (
        ("assignee", rules.assignee_ids), ("creator", rules.created_by_ids), ("team", rules.team_ids),
        ("requester", rules.requester_ids), ("customer", rules.customer_ids)) if ids]
    if rules.unowned:
        options.append(wq.And([wq.Term("assignee", NONE, boost=0.0), wq.Term("team", NONE, boost=0.0)]))
    return wq.Or(options) if options else wq.NullQuery


def filters(plan, hidden_type_ids, with_words):
    """(required, excluded): queries every hit must match (they add nothing to scores) and queries none may.

    A required filter is a ConstantScoreQuery, which first lists every document it matches. "A ticket", "not
    merged" and "of a type the user may see" hold for nearly the whole index, so beside words they are written
    as what they exclude (kb articles, merged tickets, the types of disabled plugins): listing the whole index
    three times cost over a second per search at 100k tickets, and with Whoosh's skipping it undercounted the
    hits. The user's visibility is a query of zero-scored terms, read along with the words."""
    required, excluded, visible = [], [], []
    if plan.scope == "ticket" and with_words:
        excluded.append(wq.Term("kind", "kb"))
    else:
        required.append(wq.Term("kind", plan.scope))
    if plan.scope == "kb" and plan.public_only:
        required.append(wq.Term("public", "True"))
    if plan.scope == "ticket":
        if not plan.include_merged:
            excluded.append(wq.Term("merged", "True"))
        if not plan.visibility.type_ids:
            required.append(wq.NullQuery)
        elif hidden_type_ids:
            excluded.append(_any("type_id", hidden_type_ids))
        allowed = _visibility(plan.visibility)
        if allowed is not None:
            visible = [allowed]
    if plan.statuses is not None or plan.categories is not None:
        required.append(wq.Or([*(wq.Term("status", s) for s in plan.statuses or ()),
                               *(wq.Term("status_category", c) for c in plan.categories or ())]))
    for field, values in (("type_id", plan.type_ids), ("priority", plan.priorities), ("channel", plan.channels),
                          ("assignee", plan.assignee_ids), ("team", plan.team_ids), ("tag", plan.tags)):
        if values is not None:
            required.append(_any(field, values))
    for key, values in plan.fields.items():
        required.append(_any("f_" + key, values))
    for field in ("created", "updated"):
        if getattr(plan, field) is not None:
            required.append(_range(field, getattr(plan, field)))
    return [wq.ConstantScoreQuery(part, 0.0) for part in required] + visible, excluded


def text_query(plan):
    terms = [wq.Prefix("text", term.text) if term.prefix else wq.Term("text", term.text) for term in plan.terms]
    if not terms:
        return None
    required = terms[0] if len(terms) == 1 else wq.And(terms)
    # The same words in the title count extra: a ticket about the thing ranks before one that mentions it.
    in_title = [wq.Prefix("title", term.text, boost=2.0) if term.prefix else wq.Term("title", term.text, boost=2.0)
                for term in plan.terms]
    return wq.AndMaybe(required, wq.Or(in_title))


class WhooshBackend:
    name = "whoosh"

    def __init__(self, app):
        self.root = app.config["SEARCH_WHOOSH_PATH"] or os.path.join(app.instance_path, "search")
        os.makedirs(self.root, exist_ok=True)
        self._lock = threading.Lock()
        self._folder = None  # the folder the cached index and searcher belong to
        self._index = None
        self._searcher = None

    # -- the live index ------------------------------------------------------------------------------------

    def _path(self, name):
        return os.path.join(self.root, name)

    def live_folder(self):
        try:
            with open(self._path(POINTER), encoding="ascii") as handle:
                name = handle.read().strip()
        except FileNotFoundError:
            return None
        return self._path(name) if name else None

    def exists(self):
        folder = self.live_folder()
        return folder is not None and index.exists_in(folder)

    def problem(self):
        folder = self.live_folder()
        if folder is None:
            return "no index yet"
        try:
            ix = index.open_dir(folder)
            with ix.searcher() as searcher:
                searcher.doc_count()
                list(searcher.lexicon("kind"))
        except Exception as exc:  # any failure to open or read means the index cannot answer
            return f"{type(exc).__name__}: {exc}"
        return None

    def _publish(self, folder):
        """Make `folder` the live index (atomically), then delete the older folders but the one before."""
        previous = self.live_folder()
        pointer = self._path(POINTER)
        with open(pointer + ".new", "w", encoding="ascii") as handle:
            handle.write(os.path.basename(folder))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(pointer + ".new", pointer)
        keep = {os.path.basename(folder), os.path.basename(previous or "")}
        for name in os.listdir(self.root):
            if name.startswith("index-") and name not in keep:
                shutil.rmtree(self._path(name), ignore_errors=True)  # readers of it may still be open: kept one round

    def _new_folder(self):
        folder = self._path(f"index-{time.time_ns()}")
        os.makedirs(folder)
        index.create_in(folder, schema())
        return folder

    def create_empty(self):
        self._publish(self._new_folder())

    def count(self):
        return self._current_searcher().doc_count()

    # -- writing -------------------------------------------------------------------------------------------

    def writer_lock(self, wait=False):
        return _flock(self._path("writer.lock"), wait)

    def build_lock(self):
        return _flock(self._path("build.lock"), False)

    def building(self):
        with _flock(self._path("build.lock"), False) as free:
            return not free

    def write(self, documents, removed_keys):
        folder = self.live_folder()
        if folder is None or not index.exists_in(folder):
            raise IndexUnavailable()
        _write(index.open_dir(folder), documents, removed_keys)

    def new_build(self):
        return WhooshBuild(self, self._new_folder())

    # -- reading -------------------------------------------------------------------------------------------

    def _current_searcher(self):
        folder = self.live_folder()
        if folder is None:
            raise IndexUnavailable()
        with self._lock:
            try:
                if folder != self._folder:
                    self._index = index.open_dir(folder)
                    self._folder, self._searcher = folder, None
                if self._searcher is None or not self._searcher.up_to_date():
                    # The old searcher is closed by the garbage collector once no request uses it.
                    self._searcher = self._index.searcher()
            except UNREADABLE as exc:  # missing, or files cut short: it must be built again
                self._folder, self._searcher = None, None
                raise IndexUnavailable() from exc
            return self._searcher

    def search(self, plan, offset, limit):
        searcher = self._current_searcher()
        scored = text_query(plan)
        required, excluded = filters(plan, _hidden_type_ids(plan), with_words=scored is not None)
        parts = ([scored] if scored else []) + required
        q = parts[0] if len(parts) == 1 else wq.And(parts)
        if excluded:
            q = wq.AndNot(q, excluded[0] if len(excluded) == 1 else wq.Or(excluded))
        by_date = plan.sort == "date" or scored is None
        options = {"sortedby": "updated", "reverse": True} if by_date else {}
        if not plan.needles:
            results = searcher.search(q, limit=offset + limit, **options)
            total = len(results)
            ids = [_object_id(hit["key"]) for hit in results[offset:offset + limit]]
            return Hits(ids, min(total, COUNT_CAP), total <= COUNT_CAP)
        return self._checked(searcher, q, plan, offset, limit, options)

    def _checked(self, searcher, q, plan, offset, limit, options):
        """Candidates in order, kept when they contain every needle; widened until the page is full."""
        fields_of = [(STORED_NEEDLE_FIELDS[n.where], n.text) for n in plan.needles]
        window = max(2 * (offset + limit), 50)
        while True:
            results = searcher.search(q, limit=window, **options)
            kept = [hit for hit in results if all(text in hit[field] for field, text in fields_of)]
            complete = results.scored_length() < window
            if len(kept) >= offset + limit or complete:
                break
            window *= 4
        candidates = len(results)
        if complete:
            total, exact = len(kept), True
        else:  # estimated from the share of candidates seen that contain the needles
            total, exact = round(candidates * len(kept) / max(results.scored_length(), 1)), False
        ids = [_object_id(hit["key"]) for hit in kept[offset:offset + limit]]
        return Hits(ids, min(total, COUNT_CAP), exact and total <= COUNT_CAP)


def _hidden_type_ids(plan):
    """The ticket types the index may hold that the user may not see (those of disabled plugins)."""
    if plan.scope != "ticket" or not plan.visibility.type_ids:
        return []
    return db.session.scalars(select(TicketType.id).where(TicketType.id.not_in(plan.visibility.type_ids))).all()


def _object_id(key):
    return int(key.partition(":")[2])


def _write(ix, documents, removed_keys, **options):
    writer = ix.writer(**options)
    try:
        for doc in documents:
            writer.update_document(**whoosh_fields(doc))
        for kind, object_id in removed_keys:
            writer.delete_by_term("key", f"{kind}:{object_id}")
    except BaseException:
        writer.cancel()
        raise
    writer.commit()


class WhooshBuild:
    """A new index in its own folder; published by switching CURRENT to it."""

    def __init__(self, backend, folder):
        self.backend, self.folder = backend, folder
        self.index = index.open_dir(folder)
        self._writer = None

    def add(self, documents):
        if self._writer is None:
            self._writer = self.index.writer(limitmb=256)
        for doc in documents:
            self._writer.add_document(**whoosh_fields(doc))

    def finish(self):
        """Commit what `add` wrote (into one segment)."""
        if self._writer is not None:
            self._writer.commit()
            self._writer = None

    def write(self, documents, removed_keys):
        _write(self.index, documents, removed_keys)

    def publish(self):
        self.backend._publish(self.folder)

    def discard(self):
        if self._writer is not None:
            self._writer.cancel()
            self._writer = None
        shutil.rmtree(self.folder, ignore_errors=True)
