"""The PostgreSQL backend: documents in the site's own PostgreSQL database, so every app host shares them.

Each document is a row of search_document_a or _b (SearchState "postgres.live" names the live one; a
rebuild fills the other, then switches). Its text is a tsvector of the analyser's own terms, written as a
tsvector literal (no PostgreSQL text parser in between, so Chinese is cut exactly as for Whoosh), with
tags and plugin fields as "tag:…" and "f:<key>:…" lexemes; a GIN index serves the @@ test, and the
normalised text columns the exact substring checks (strpos).

The single writer holds a transaction-level advisory lock while it writes and empties the outbox in the
same transaction, so an outbox row is removed exactly when its change is in the index. A rebuild holds a
session-level advisory lock on a connection of its own, released if its process dies.
"""
from collections import Counter
from contextlib import contextmanager

from sqlalchemy import and_, cast, delete, false, func, insert, literal, or_, select, text, true, tuple_
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.dialects.postgresql import insert as pg_insert

from core.extensions import db
from core.models import SearchState, search_documents
from core.search.analysis import index_terms
from core.search.backends import COUNT_CAP, Hits, IndexUnavailable

LOCK_CLASS = 0x6B656675  # "kefu"
WRITER, BUILD = 1, 2
LIVE = "postgres.live"
MAX_POSITIONS = 8  # per lexeme: enough for ts_rank to tell one mention from many
MAX_LEXEME = 500  # characters (PostgreSQL allows 2 KB)


def _quote(lexeme):
    return "'" + lexeme[:MAX_LEXEME].replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector(terms):
    """A tsvector literal of `terms` (repeated terms get positions, so that ts_rank counts them)."""
    counts = Counter(terms)
    return " ".join(f"{_quote(term)}:{','.join(str(i) for i in range(1, min(n, MAX_POSITIONS) + 1))}"
                    for term, n in counts.items())


def document_row(doc):
    facets = [f"tag:{tag.casefold()}" for tag in doc.tags]
    facets += [f"f:{key}:{value}" for key, values in doc.fields.items() for value in values]
    return {
        "kind": doc.kind, "object_id": doc.object_id,
        "terms": tsvector(index_terms(doc.all_text) + facets), "title_terms": tsvector(index_terms(doc.title)),
        "norm_all": doc.norm_all, "norm_public": doc.norm_public, "norm_customer": doc.norm_customer,
        "status": doc.status, "status_category": doc.status_category, "type_id": doc.type_id,
        "priority": doc.priority, "channel": doc.channel, "assignee_id": doc.assignee_id, "team_id": doc.team_id,
        "created_by_id": doc.created_by_id, "requester_id": doc.requester_id, "customer_id": doc.customer_id,
        "category_id": doc.category_id, "merged": doc.merged, "public": doc.public,
        "created_at": doc.created_at, "updated_at": doc.updated_at,
    }


def tsquery(plan):
    """The plan's terms, tags and plugin fields as a tsquery literal (None when there are none)."""
    parts = [_quote(term.text) + (":*" if term.prefix else "") for term in plan.terms]
    if plan.tags is not None:
        parts.append("(" + " | ".join(_quote(f"tag:{tag}") for tag in plan.tags) + ")")
    for key, values in plan.fields.items():
        parts.append("(" + " | ".join(_quote(f"f:{key}:{value}") for value in values) + ")")
    return " & ".join(parts) or None


def _any(column, values):
    present = [v for v in values if v is not None]
    condition = column.in_(present) if present else false()
    return or_(condition, column.is_(None)) if None in values else condition


def _visibility(table, rules):
    if rules.everything:
        return true()
    c = table.c
    options = [c[name].in_(ids) for name, ids in (("assignee_id", rules.assignee_ids),
                                                  ("created_by_id", rules.created_by_ids),
                                                  ("team_id", rules.team_ids), ("requester_id", rules.requester_ids),
                                                  ("customer_id", rules.customer_ids)) if ids]
    if rules.unowned:
        options.append(and_(c.assignee_id.is_(None), c.team_id.is_(None)))
    return or_(*options) if options else false()


NEEDLE_COLUMNS = {"all": "norm_all", "public": "norm_public", "customer": "norm_customer"}


def conditions(table, plan, query):
    c = table.c
    where = [c.kind == plan.scope]
    if query is not None:
        where.append(c.terms.op("@@")(query))
    for item in plan.needles:
        where.append(func.strpos(c[NEEDLE_COLUMNS[item.where]], item.text) > 0)
    if plan.scope == "kb" and plan.public_only:
        where.append(c.public.is_(True))
    if plan.scope == "ticket":
        if not plan.include_merged:
            where.append(c.merged.is_(False))
        where.append(c.type_id.in_(plan.visibility.type_ids))
        where.append(_visibility(table, plan.visibility))
    if plan.statuses is not None or plan.categories is not None:
        where.append(or_(c.status.in_(plan.statuses or ()), c.status_category.in_(plan.categories or ())))
    for name, values in (("type_id", plan.type_ids), ("priority", plan.priorities), ("channel", plan.channels),
                         ("assignee_id", plan.assignee_ids), ("team_id", plan.team_ids)):
        if values is not None:
            where.append(_any(c[name], values))
    for name in ("created", "updated"):
        span = getattr(plan, name)
        if span is not None:
            start, end = span
            column = c[name + "_at"]
            where += [column >= start] if start else []
            where += [column < end] if end else []
    return where


class PostgresBackend:
    name = "postgresql"

    def __init__(self, app):
        if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
            from core.config import ConfigError

            raise ConfigError("SEARCH_BACKEND postgresql keeps the index in the site's database, which must then "
                              "be PostgreSQL (SQLALCHEMY_DATABASE_URI)")

    # -- the live table ------------------------------------------------------------------------------------

    def live_suffix(self):
        row = db.session.get(SearchState, LIVE)
        return row.value if row is not None else None

    def _live(self):
        suffix = self.live_suffix()
        if suffix is None:
            raise IndexUnavailable()
        return search_documents[suffix]

    def exists(self):
        return self.live_suffix() is not None

    def problem(self):
        try:
            table = self._live()
            db.session.execute(select(table.c.object_id).limit(1)).all()
        except IndexUnavailable:
            return "no index yet"
        except Exception as exc:  # the table cannot be read
            db.session.rollback()
            return f"{type(exc).__name__}: {exc}"
        return None

    def _set_live(self, suffix):
        row = db.session.get(SearchState, LIVE) or SearchState(key=LIVE, value=suffix)
        row.value = suffix
        db.session.add(row)

    def create_empty(self):
        db.session.execute(search_documents["a"].delete())
        self._set_live("a")
        db.session.commit()

    def count(self):
        return db.session.scalar(select(func.count()).select_from(self._live()))

    # -- writing -------------------------------------------------------------------------------------------

    @contextmanager
    def writer_lock(self, wait=False):
        """The writer's lock, held until db.session's transaction ends (commit or rollback)."""
        if wait:
            db.session.execute(select(func.pg_advisory_xact_lock(LOCK_CLASS, WRITER)))
            yield True
        else:
            yield db.session.scalar(select(func.pg_try_advisory_xact_lock(LOCK_CLASS, WRITER)))

    @contextmanager
    def build_lock(self):
        connection = db.engine.connect()
        mine = False
        try:
            mine = connection.scalar(select(func.pg_try_advisory_lock(LOCK_CLASS, BUILD)))
            connection.commit()
            yield mine
        finally:
            # Closing only returns the connection to the pool, where the session (and a session-level lock) lives
            # on: unlock explicitly. A process that dies ends its sessions, and their locks, anyway.
            if mine:
                connection.scalar(select(func.pg_advisory_unlock(LOCK_CLASS, BUILD)))
                connection.commit()
            connection.close()

    def building(self):
        return db.session.scalar(text(
            "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND classid = :c AND objid = :o "
            "AND objsubid = 2 AND granted)").bindparams(c=LOCK_CLASS, o=BUILD))

    def write(self, documents, removed_keys):
        _write(self._live(), documents, removed_keys)

    def new_build(self):
        live = self.live_suffix()
        return PostgresBuild(self, "b" if live == "a" else "a")

    # -- reading -------------------------------------------------------------------------------------------

    def search(self, plan, offset, limit):
        table = self._live()
        literal_query = tsquery(plan)
        query = cast(literal(literal_query), TSQUERY) if literal_query else None
        where = conditions(table, plan, query)
        statement = select(table.c.object_id).where(*where)
        if plan.sort == "date" or not plan.terms:
            order = (table.c.updated_at.desc(), table.c.object_id.desc())
        else:
            rank = func.ts_rank(table.c.terms, query) + 2 * func.ts_rank(table.c.title_terms, query)
            order = (rank.desc(), table.c.updated_at.desc(), table.c.object_id.desc())
        ids = db.session.scalars(statement.order_by(*order).offset(offset).limit(limit)).all()
        if len(ids) < limit and (ids or offset == 0):
            total = offset + len(ids)
        else:
            capped = select(table.c.object_id).where(*where).limit(COUNT_CAP + 1).subquery()
            total = db.session.scalar(select(func.count()).select_from(capped))
        return Hits(ids, min(total, COUNT_CAP), total <= COUNT_CAP)


def _write(table, documents, removed_keys):
    rows = [document_row(doc) for doc in documents]
    if rows:
        statement = pg_insert(table)
        columns = {name: statement.excluded[name] for name in rows[0] if name not in ("kind", "object_id")}
        db.session.execute(statement.on_conflict_do_update(index_elements=["kind", "object_id"], set_=columns), rows)
    if removed_keys:
        db.session.execute(delete(table).where(tuple_(table.c.kind, table.c.object_id).in_(list(removed_keys))))


class PostgresBuild:
    """Fills the table that is not live (its GIN index dropped while loading, made again at the end), then
    names it live."""

    def __init__(self, backend, suffix):
        self.backend, self.suffix = backend, suffix
        self.table = search_documents[suffix]
        self.gin = next(ix for ix in self.table.indexes if ix.name.endswith("_terms"))
        db.session.execute(text(f"TRUNCATE {self.table.name}"))
        db.session.execute(text(f"DROP INDEX IF EXISTS {self.gin.name}"))
        db.session.commit()

    def add(self, documents):
        rows = [document_row(doc) for doc in documents]
        if rows:
            db.session.execute(insert(self.table), rows)
        db.session.commit()

    def part(self):
        """What `finish` needs from a process that added documents: nothing, they are in the table."""
        return None

    def finish(self, parts):
        self.gin.create(db.session.connection())
        db.session.execute(text(f"ANALYZE {self.table.name}"))
        db.session.commit()

    def write(self, documents, removed_keys):
        _write(self.table, documents, removed_keys)

    def publish(self):
        self.backend._set_live(self.suffix)

    def discard(self):
        db.session.rollback()
        db.session.execute(text(f"TRUNCATE {self.table.name}"))
        db.session.execute(text(f"CREATE INDEX IF NOT EXISTS {self.gin.name} ON {self.table.name} USING gin (terms)"))
        db.session.commit()
