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

A rebuilt index is made of segments of SEGMENT_DOCUMENTS documents (see WhooshBuild); the commits of
changes merge only the smaller segments they write, never those.
"""
import fcntl
import os
import shutil
import struct
import threading
import time
from collections import OrderedDict
from contextlib import contextmanager

from sqlalchemy import select
from whoosh import fields, index
from whoosh import query as wq
from whoosh.analysis import RegexTokenizer
from whoosh.index import TOC
from whoosh.writing import MERGE_SMALL, SegmentWriter

from core.extensions import db
from core.models import TicketType
from core.search.analysis import ChineseAnalyzer
from core.search.backends import COUNT_CAP, Hits, IndexUnavailable

POINTER = "CURRENT"
NONE = "-"  # the ID-field value of an empty column (unassigned, no team)
SEPARATOR = "\x1f"  # between the keywords of one field
# What reading an index whose files are missing or cut short raises (whoosh decodes them without checks).
UNREADABLE = (OSError, EOFError, TypeError, ValueError, struct.error, index.EmptyIndexError)
DOCUMENT_SETS = 64  # visibility and exclusion sets kept per process (readers with the same rules share one)
SEGMENT_DOCUMENTS = 5_000  # documents per segment of a rebuild: their postings fit SEGMENT_MEMORY_MB
SEGMENT_MEMORY_MB = 512
STORED_NEEDLE_FIELDS = {"all": "norm_all", "public": "norm_public", "customer": "norm_customer"}


def _keywords():
    field = fields.KEYWORD(scorable=False)
    field.analyzer = RegexTokenizer(rf"[^{SEPARATOR}]+")  # keywords may hold spaces and commas
    return field


def schema():
    # One text field: a word is one posting list to read. The title is indexed twice in it, so a ticket about
    # the thing ranks before one that mentions it. Times are whole seconds, unsigned 32 bits (until 2106):
    # half the terms of 64 bits for every document, and a date range is still a few hundred terms at most.
    result = fields.Schema(
        key=fields.ID(unique=True, stored=True),  # "ticket:12", "kb:3"
        kind=fields.ID,
        text=fields.TEXT(analyzer=ChineseAnalyzer(), phrase=False),
        norm_all=fields.STORED, norm_public=fields.STORED, norm_customer=fields.STORED,
        status=fields.ID, status_category=fields.ID, type_id=fields.ID, priority=fields.ID, channel=fields.ID,
        assignee=fields.ID, team=fields.ID, creator=fields.ID, requester=fields.ID, customer=fields.ID,
        category=fields.ID, merged=fields.ID, public=fields.ID,
        tag=_keywords(),
        created=_moment(), updated=_moment(),
    )
    result.add("f_*", _keywords(), glob=True)  # plugin search fields
    return result


def _moment():
    return fields.NUMERIC(bits=32, signed=False, sortable=True)


def _id(value):
    return NONE if value is None else str(value)


def _stamp(moment):
    return int(moment.timestamp()) if moment is not None else 0


def whoosh_fields(doc):
    values = {
        "key": f"{doc.kind}:{doc.object_id}", "kind": doc.kind, "text": f"{doc.title}\n{doc.all_text}",
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


def visibility_query(rules):
    """The Visibility of core.tickets.access as a query (None: every ticket)."""
    if rules.everything:
        return None
    options = [_any(name, ids) for name, ids in (
        ("assignee", rules.assignee_ids), ("creator", rules.created_by_ids), ("team", rules.team_ids),
        ("requester", rules.requester_ids), ("customer", rules.customer_ids)) if ids]
    if rules.unowned:
        options.append(wq.And([wq.Term("assignee", NONE), wq.Term("team", NONE)]))
    return wq.Or(options) if options else wq.NullQuery


def exclusions(plan, hidden_type_ids, with_words):
    """What no hit may be, as one query (None: nothing is excluded): beside words, articles when searching
    tickets (without words the kind is required instead); merged tickets; the types of disabled plugins."""
    parts = [wq.Term("kind", "kb")] if plan.scope == "ticket" and with_words else []
    if plan.scope == "ticket":
        if not plan.include_merged:
            parts.append(wq.Term("merged", "True"))
        if hidden_type_ids:
            parts.append(_any("type_id", hidden_type_ids))
    return wq.Or(parts) if parts else None


def filters(plan, with_words):
    """Queries every hit must match besides the words: the kind without words, public articles for customers,
    and the filters the reader typed. They add nothing to scores."""
    required = []
    if plan.scope == "kb" or not with_words:
        required.append(wq.Term("kind", plan.scope))
    if plan.scope == "kb" and plan.public_only:
        required.append(wq.Term("public", "True"))
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
    return [wq.ConstantScoreQuery(part, 0.0) for part in required]


def text_query(plan):
    terms = [wq.Prefix("text", term.text) if term.prefix else wq.Term("text", term.text) for term in plan.terms]
    if not terms:
        return None
    return terms[0] if len(terms) == 1 else wq.And(terms)


class WhooshBackend:
    name = "whoosh"

    def __init__(self, app):
        self.root = app.config["SEARCH_WHOOSH_PATH"] or os.path.join(app.instance_path, "search")
        os.makedirs(self.root, exist_ok=True)
        self._lock = threading.Lock()
        self._folder = None  # the folder the cached index and searcher belong to
        self._index = None
        self._searcher = None
        self._sets_of, self._sets = None, OrderedDict()  # the searcher they belong to; see _documents

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

    def _documents(self, searcher, key, q):
        """The set of document numbers `q` matches in `searcher`, kept while the searcher is the current one:
        a reader's visibility and the exclusions are the same for search after search, and reading them
        along with the words cost more than the words."""
        with self._lock:
            if self._sets_of is not searcher:
                self._sets_of, self._sets = searcher, OrderedDict()
            found = self._sets.get(key)
            if found is None:
                found = self._sets[key] = set(searcher.docs_for_query(q))
                if len(self._sets) > DOCUMENT_SETS:
                    self._sets.popitem(last=False)
            else:
                self._sets.move_to_end(key)
            return found

    def search(self, plan, offset, limit):
        if plan.scope == "ticket" and not plan.visibility.type_ids:
            return Hits([], 0, True)
        searcher = self._current_searcher()
        scored = text_query(plan)
        parts = ([scored] if scored else []) + filters(plan, with_words=scored is not None)
        q = parts[0] if len(parts) == 1 else wq.And(parts)
        # Visibility and exclusions are sets the collector checks before it scores a match.
        options = {"optimize": False}  # Whoosh's block skipping skips nothing here, and its count reads the query again
        if plan.scope == "ticket" and not plan.visibility.everything:
            allowed = self._documents(searcher, plan.visibility, visibility_query(plan.visibility))
            if not allowed:
                return Hits([], 0, True)
            options["filter"] = allowed
        hidden = _hidden_type_ids(plan)
        excluded = exclusions(plan, hidden, with_words=scored is not None)
        if excluded is not None:
            key = ("excluded", plan.scope, scored is not None, plan.include_merged, tuple(hidden))
            options["mask"] = self._documents(searcher, key, excluded) or None
        if plan.sort == "date" or scored is None:
            options.update(sortedby="updated", reverse=True)
        if not plan.needles:
            results = searcher.search(q, limit=offset + limit, **options)
            total = len(results)
            ids = [_object_id(hit["key"]) for hit in results[offset:offset + limit]]
            return Hits(ids, min(total, COUNT_CAP), total <= COUNT_CAP)
        return _checked(searcher, q, plan, offset, limit, options)


def _checked(searcher, q, plan, offset, limit, options):
    """Every candidate in order, kept when it contains every needle; checked until the page is full (and at
    least a window's worth, for the estimate of the total)."""
    fields_of = [(STORED_NEEDLE_FIELDS[n.where], n.text) for n in plan.needles]
    results = searcher.search(q, limit=None, **options)
    candidates = results.scored_length()
    window = max(2 * (offset + limit), 50)
    kept, checked = [], 0
    while checked < candidates and (len(kept) < offset + limit or checked < window):
        stored = searcher.stored_fields(results.docnum(checked))
        checked += 1
        if all(text in stored[field] for field, text in fields_of):
            kept.append(stored["key"])
    if checked == candidates:
        total, exact = len(kept), True
    else:  # estimated from the share of the candidates checked that contain the needles
        total, exact = round(candidates * len(kept) / checked), False
    ids = [_object_id(key) for key in kept[offset:offset + limit]]
    return Hits(ids, min(total, COUNT_CAP), exact and total <= COUNT_CAP)


def _hidden_type_ids(plan):
    """The ticket types the index may hold that the user may not see (those of disabled plugins)."""
    if plan.scope != "ticket" or not plan.visibility.type_ids:
        return []
    return db.session.scalars(select(TicketType.id).where(TicketType.id.not_in(plan.visibility.type_ids))).all()


def _object_id(key):
    return int(key.partition(":")[2])


def _write(ix, documents, removed_keys):
    writer = ix.writer()
    try:
        for doc in documents:
            writer.update_document(**whoosh_fields(doc))
        for kind, object_id in removed_keys:
            writer.delete_by_term("key", f"{kind}:{object_id}")
    except BaseException:
        writer.cancel()
        raise
    writer.commit(mergetype=_merge_small)


def _merge_small(writer, segments):
    """Whoosh's own policy, over the segments smaller than a rebuild's: each commit of changes writes a
    small segment, and the policy merges those as they pile up; over a rebuild's equal segments it would
    rewrite most of the index at the first change after it."""
    large = [segment for segment in segments if segment.doc_count_all() >= SEGMENT_DOCUMENTS]
    return large + MERGE_SMALL(writer, [segment for segment in segments if segment.doc_count_all() < SEGMENT_DOCUMENTS])


class WhooshBuild:
    """A new index in its own folder; published by switching CURRENT to it.

    `add` writes segments of SEGMENT_DOCUMENTS documents, each sorted in memory: Whoosh sorts a segment's
    postings in its own Python, and one that outgrows its memory pool is sorted through files, which made a
    document cost twice as much at 10,000 documents as at 2,500. The segments are written without Whoosh's
    index lock, by this process or by several processes at once (each its own segments, named at random),
    and listed in the index by `finish`, as Whoosh's own multiprocessing writer does.
    """

    def __init__(self, backend, folder):
        self.backend, self.folder = backend, folder
        self.index = index.open_dir(folder)
        self._writer, self._segments = None, []

    def add(self, documents):
        for doc in documents:
            if self._writer is None:
                self._writer = SegmentWriter(self.index, _lk=False, limitmb=SEGMENT_MEMORY_MB)
            self._writer.add_document(**whoosh_fields(doc))
            if self._writer.doc_count() >= SEGMENT_DOCUMENTS:
                self._close_segment()

    def _close_segment(self):
        self._segments.append(self._writer._finalize_segment())
        # The writer's parts reference each other, so only the garbage collector frees the writer, and kefu
        # reindex turns it off: let go of the segment's postings here (a full collection cost 0.8 s a segment).
        self._writer.pool.current = []
        self._writer = None

    def part(self):
        """The segments this process wrote, for `finish`."""
        if self._writer is not None:
            self._close_segment()
        segments, self._segments = self._segments, []
        return segments

    def finish(self, parts):
        """List the segments of every part in the new index."""
        segments = [segment for part in parts for segment in part]
        storage, name = self.index.storage, self.index.indexname
        TOC(self.index.schema, segments, self.index.latest_generation() + 1).write(storage, name)
        # The writers' temporary folder, shared by all of them (a writer's commit would remove it).
        storage.temp_storage(f"{name}.tmp").destroy()

    def write(self, documents, removed_keys):
        _write(self.index, documents, removed_keys)

    def publish(self):
        self.backend._publish(self.folder)

    def discard(self):
        if self._writer is not None:
            self._writer.cancel()
            self._writer = None
        shutil.rmtree(self.folder, ignore_errors=True)
