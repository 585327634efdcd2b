"""Tickets, their types, their events (timeline and audit trail in one) and attachments."""
from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.i18n import Label
from core.models.types import JSONType, UTCDateTime, utcnow

PRIORITIES = ("urgent", "high", "normal", "low")
CHANNELS = ("phone", "walk_in", "email", "web", "portal", "chat", "wechat", "sms", "api", "system")


ticket_tags = Table(
    "ticket_tag",
    db.metadata,
    Column("ticket_id", ForeignKey("ticket.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True, index=True),
)

ticket_watchers = Table(
    "ticket_watcher",
    db.metadata,
    Column("ticket_id", ForeignKey("ticket.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("user.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Tag(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)

    def __str__(self):
        return self.name


class TicketType(db.Model):
    """The site's settings of a ticket type. Its fields and workflow come from code (core or a plugin)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    plugin: Mapped[str | None] = mapped_column(String(64))
    label_zh: Mapped[str] = mapped_column(String(120))
    label_en: Mapped[str] = mapped_column(String(120))
    workflow: Mapped[str] = mapped_column(String(64))
    public: Mapped[bool] = mapped_column(Boolean, default=False)  # offered in the portal and public form
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=100)

    @property
    def label(self):
        return Label(zh=self.label_zh, en=self.label_en)

    def __str__(self):
        return str(self.label)


MERGED = text("merged_into_id IS NOT NULL")  # the condition of the partial index of merged tickets


class Ticket(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    type_id: Mapped[int] = mapped_column(ForeignKey("ticket_type.id"))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    # The workflow state key, and its category (open/pending/resolved/closed) kept beside it for queues.
    status: Mapped[str] = mapped_column(String(40))
    status_category: Mapped[str] = mapped_column(String(20))
    # True while the ticket still needs work (its state is open or pending): the filter of every work queue,
    # one value so that an index can hand the queue over already in order.
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    priority: Mapped[str] = mapped_column(String(10), default="normal")
    channel: Mapped[str] = mapped_column(String(20), default="web")
    category: Mapped[str | None] = mapped_column(String(40))
    fields: Mapped[dict] = mapped_column(JSONType, default=dict)  # the type's own typed fields

    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customer.id", ondelete="SET NULL"))
    requester_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", ondelete="SET NULL"))
    # Set when this ticket was merged into another; its page redirects there and its events are kept.
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id", ondelete="SET NULL"))
    # 0: the front line; 1: the team supervisor; 2: the manager (问题升级路径).
    escalation_level: Mapped[int] = mapped_column(Integer, default=0)

    created_at = mapped_column(UTCDateTime, default=utcnow)
    updated_at = mapped_column(UTCDateTime, default=utcnow)
    first_response_at = mapped_column(UTCDateTime)
    resolved_at = mapped_column(UTCDateTime)
    closed_at = mapped_column(UTCDateTime)
    # Optimistic locking: a save based on a stale copy fails instead of overwriting.
    version: Mapped[int] = mapped_column(Integer, default=1)

    type = relationship(TicketType, lazy="joined")
    customer = relationship("Customer")
    requester = relationship("User", foreign_keys=[requester_id])
    created_by = relationship("User", foreign_keys=[created_by_id])
    assignee = relationship("User", foreign_keys=[assignee_id])
    team = relationship("Team")
    merged_into = relationship("Ticket", remote_side=[id])
    tags = relationship(Tag, secondary=ticket_tags, order_by=Tag.name)
    watchers = relationship("User", secondary=ticket_watchers)
    events = relationship("TicketEvent", back_populates="ticket", order_by="TicketEvent.id", lazy="dynamic")

    __mapper_args__ = {"version_id_col": version}
    # Queue lists filter on a category or an owner and sort by last update; keyset pagination uses (updated_at, id).
    __table_args__ = (
        Index("ix_ticket_status_category_updated", "status_category", "updated_at", "id"),
        Index("ix_ticket_active_updated", "active", "updated_at", "id"),
        Index("ix_ticket_assignee_active_updated", "assignee_id", "active", "updated_at", "id"),
        Index("ix_ticket_team_active_updated", "team_id", "active", "updated_at", "id"),
        Index("ix_ticket_created", "created_at", "id"),
        Index("ix_ticket_updated", "updated_at", "id"),  # the "all" queue, newest first
        # A ticket page shows what was merged into it. Partial: as a full index, "not merged" (nearly every
        # ticket) looked selective to SQLite, which then read whole periods through it for the KPIs.
        Index("ix_ticket_merged_into", "merged_into_id", sqlite_where=MERGED, postgresql_where=MERGED),
        Index("ix_ticket_customer", "customer_id", "created_at"),
        # Plugins' KPIs count one type's (or category's) tickets received or resolved in a period, for the
        # dashboard and for every person of the appraisal: without these each count reads the whole period.
        Index("ix_ticket_type_created", "type_id", "created_at"),
        Index("ix_ticket_type_resolved", "type_id", "resolved_at"),
        # With the columns a hotline's monthly lines read (answered, resolved, how long), so that a month's
        # requests are counted from the index alone.
        Index("ix_ticket_category_created", "category", "created_at", "merged_into_id", "type_id", "first_response_at",
              "resolved_at"),
        Index("ix_ticket_requester", "requester_id", "created_at"),
    )

    def __str__(self):
        return f"#{self.id} {self.title}"


class TicketEvent(db.Model):
    """One change, reply or note. The timeline and the audit trail are these rows."""

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"))
    # created, reply, note, transition, assign, field_change, … (plugins may add kinds)
    kind: Mapped[str] = mapped_column(String(30))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))  # None: the system
    public: Mapped[bool] = mapped_column(Boolean, default=False)  # visible to the customer
    body: Mapped[str | None] = mapped_column(Text)  # sanitized HTML
    data: Mapped[dict] = mapped_column(JSONType, default=dict)
    created_at = mapped_column(UTCDateTime, default=utcnow)

    ticket = relationship(Ticket, back_populates="events")
    actor = relationship("User")

    __table_args__ = (Index("ix_ticket_event_ticket", "ticket_id", "id"),)


class TicketLink(db.Model):
    """A link between two related tickets (stored once; shown on both)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), index=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at = mapped_column(UTCDateTime, default=utcnow)

    source = relationship(Ticket, foreign_keys=[source_id])
    target = relationship(Ticket, foreign_keys=[target_id])

    __table_args__ = (UniqueConstraint("source_id", "target_id", name="uq_ticket_link_pair"),)


class Attachment(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("ticket_event.id", ondelete="SET NULL"))
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_path: Mapped[str] = mapped_column(String(300))  # relative to instance/uploads
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at = mapped_column(UTCDateTime, default=utcnow)

    ticket = relationship(Ticket)
    event = relationship(TicketEvent)
