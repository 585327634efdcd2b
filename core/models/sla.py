"""Service levels: policies, service calendars and their holiday overrides, the clocks of each ticket, and the
delivery queue of notifications to outside channels (e-mail, plugins' SMS/WeCom) that the worker empties."""
from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.models.types import DeliveryQueue, JSONType, UTCDateTime, utcnow

# The targets a policy may set, in the order they happen on a ticket.
SLA_TARGETS = ("first_response", "next_response", "resolution", "feedback", "follow_up")
CLOCK_STATES = ("running", "paused", "met", "breached", "cancelled")


class SlaPolicy(db.Model):
    """Targets for the tickets it matches. Empty match columns mean "any"; the most specific policy wins.
    For each target: minutes (None: no target) and whether they count business time or calendar time."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    ticket_type: Mapped[str | None] = mapped_column(String(64))
    priority: Mapped[str | None] = mapped_column(String(10))
    customer_grade: Mapped[str | None] = mapped_column(String(20))
    channel: Mapped[str | None] = mapped_column(String(20))
    first_response_minutes: Mapped[int | None] = mapped_column(Integer)
    first_response_business: Mapped[bool] = mapped_column(Boolean, default=True)
    next_response_minutes: Mapped[int | None] = mapped_column(Integer)
    next_response_business: Mapped[bool] = mapped_column(Boolean, default=True)
    resolution_minutes: Mapped[int | None] = mapped_column(Integer)
    resolution_business: Mapped[bool] = mapped_column(Boolean, default=True)
    feedback_minutes: Mapped[int | None] = mapped_column(Integer)
    feedback_business: Mapped[bool] = mapped_column(Boolean, default=True)
    follow_up_minutes: Mapped[int | None] = mapped_column(Integer)
    follow_up_business: Mapped[bool] = mapped_column(Boolean, default=True)
    # Share of a target's time after which the assignee is warned.
    at_risk_percent: Mapped[int] = mapped_column(Integer, default=80)
    # After a breach the team supervisor is told at once, the managers this many minutes later (None: never).
    manager_after_minutes: Mapped[int | None] = mapped_column(Integer)
    created_at = mapped_column(UTCDateTime, default=utcnow)

    def __str__(self):
        return self.name


class ServiceCalendar(db.Model):
    """Service hours of a team (or, without a team, of the whole site), e.g. "mon-fri 09:00-12:00 13:00-18:00"
    or "7x24". Business-time targets are counted in these hours; public holidays and 调休 come from the
    holiday package and CalendarOverride."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"), unique=True)
    hours: Mapped[str] = mapped_column(Text)
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Shanghai")
    observe_holidays: Mapped[bool] = mapped_column(Boolean, default=True)

    team = relationship("Team")

    def __str__(self):
        return self.name


class CalendarOverride(db.Model):
    """A date the holiday package gets wrong or does not know yet (a new year's State Council notice): a
    holiday (working=False) or a working day such as a 调休 weekend (working=True). Applies to every calendar
    that observes holidays."""

    id: Mapped[int] = mapped_column(primary_key=True)
    day = mapped_column(Date, nullable=False, unique=True)
    working: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(String(120))

    def __str__(self):
        return f"{self.day.isoformat()} {self.note or ''}".strip()


class SlaClock(db.Model):
    """One target of one ticket. Its due time is computed when it starts or resumes and then kept: a policy
    edited later applies to new tickets only. `explanation` lists how the due time was computed."""

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))  # one of SLA_TARGETS
    state: Mapped[str] = mapped_column(String(10), default="running")  # one of CLOCK_STATES
    policy_id: Mapped[int | None] = mapped_column(ForeignKey("sla_policy.id", ondelete="SET NULL"))
    policy_name: Mapped[str] = mapped_column(String(120))  # kept: policies of plugins have no row
    target_minutes: Mapped[int] = mapped_column(Integer)
    business: Mapped[bool] = mapped_column(Boolean, default=True)
    calendar_name: Mapped[str | None] = mapped_column(String(120))
    at_risk_percent: Mapped[int] = mapped_column(Integer, default=80)
    manager_after_minutes: Mapped[int | None] = mapped_column(Integer)
    started_at = mapped_column(UTCDateTime, nullable=False)
    running_since = mapped_column(UTCDateTime)  # the last start or resume
    consumed_seconds: Mapped[int] = mapped_column(Integer, default=0)  # target time used before the last pause
    paused_at = mapped_column(UTCDateTime)
    paused_total_seconds: Mapped[int] = mapped_column(Integer, default=0)  # wall-clock time spent paused
    due_at = mapped_column(UTCDateTime)
    at_risk_at = mapped_column(UTCDateTime)
    completed_at = mapped_column(UTCDateTime)
    at_risk_notified_at = mapped_column(UTCDateTime)
    breached_notified_at = mapped_column(UTCDateTime)
    escalated_level: Mapped[int] = mapped_column(Integer, default=0)
    escalated_at = mapped_column(UTCDateTime)
    explanation: Mapped[dict] = mapped_column(JSONType, default=dict)

    ticket = relationship("Ticket")
    policy = relationship(SlaPolicy)

    __table_args__ = (
        UniqueConstraint("ticket_id", "kind", name="uq_sla_clock_ticket_kind"),
        # The sweep's two scans: clocks about to be at risk, and clocks past due.
        Index("ix_sla_clock_state_at_risk", "state", "at_risk_at"),
        Index("ix_sla_clock_state_due", "state", "due_at"),
    )


class NotificationDelivery(DeliveryQueue, db.Model):
    """A notification to send through an outside channel. Written in the notifying transaction; the worker
    claims each row with a conditional UPDATE, so two workers never send it twice."""

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int] = mapped_column(ForeignKey("notification.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(40))

    notification = relationship("Notification")

    __table_args__ = (Index("ix_notification_delivery_state", "state", "id"),)
