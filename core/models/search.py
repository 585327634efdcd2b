"""The search index's tables: the outbox of changes still to index, and the PostgreSQL backend's documents.

The outbox is written in the transaction that changes indexed data (core.search.outbox) and emptied by the
index's single writer. The document tables exist on every database so that one schema serves both; only
the PostgreSQL backend fills them. There are two, so that a rebuild fills the one not in use and then
switches over (SearchState "postgres.live" names the live one).
"""
from sqlalchemy import BigInteger, Boolean, Column, Index, Integer, String, Table, Text
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.models.types import UTCDateTime, utcnow

OUTBOX_KINDS = ("ticket", "customer", "kb")
# A bigint on PostgreSQL (the outbox sees every change of every ticket); SQLite's rowid is 64-bit anyway.
OutboxId = BigInteger().with_variant(Integer(), "sqlite")
TextSearchVector = Text().with_variant(TSVECTOR(), "postgresql")


class SearchOutbox(db.Model):
    """One object whose search document must be written again: a ticket, a customer (its tickets) or a
    knowledge-base article. Rows are deleted once applied; `applied` marks rows already applied to the live
    index while a rebuild is running, which the rebuild applies to the new index before it goes live."""

    __tablename__ = "search_outbox"

    id: Mapped[int] = mapped_column(OutboxId, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    object_id: Mapped[int] = mapped_column(Integer)
    applied: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at = mapped_column(UTCDateTime, default=utcnow)


class SearchState(db.Model):
    """Small shared facts of the search index, by key (which document table is live, rebuild progress)."""

    __tablename__ = "search_state"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    updated_at = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


def _document_table(name):
    """A PostgreSQL backend document table: the filters as columns, the text as a tsvector of the analyser's
    terms (plus "tag:…" and "<field>:…" keywords) and as normalised text for exact substring checks."""
    return Table(
        name,
        db.metadata,
        Column("kind", String(10), primary_key=True),  # ticket | kb
        Column("object_id", Integer, primary_key=True),
        Column("terms", TextSearchVector, nullable=False),
        Column("title_terms", TextSearchVector, nullable=False),
        Column("norm_all", Text, nullable=False),  # everything staff search: title, text, notes, customer, fields
        Column("norm_public", Text, nullable=False),  # what the ticket's customer sees of it
        Column("norm_customer", Text, nullable=False),
        Column("status", String(40)),
        Column("status_category", String(20)),
        Column("type_id", Integer),
        Column("priority", String(10)),
        Column("channel", String(20)),
        Column("assignee_id", Integer),
        Column("team_id", Integer),
        Column("created_by_id", Integer),
        Column("requester_id", Integer),
        Column("customer_id", Integer),
        Column("category_id", Integer),  # knowledge-base articles
        Column("merged", Boolean, nullable=False),
        Column("public", Boolean, nullable=False),
        Column("created_at", UTCDateTime),
        Column("updated_at", UTCDateTime),
        Index(f"ix_{name}_terms", "terms", postgresql_using="gin"),
        Index(f"ix_{name}_kind_updated", "kind", "updated_at", "object_id"),
        Index(f"ix_{name}_customer", "customer_id"),
        Index(f"ix_{name}_requester", "requester_id"),
    )


search_documents = {suffix: _document_table(f"search_document_{suffix}") for suffix in ("a", "b")}
