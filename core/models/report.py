"""What the reports read instead of the tickets: each ticket's contribution to the measures, the spans of time
it was open, the daily sums of those contributions, the tickets waiting to be counted again, and the monthly
report e-mails already sent.

The sums are kept equal to the sum of the stored contributions: whoever changes a ticket's contribution applies
the difference to the daily rows in the same transaction (core.reports.refresh).
"""
from sqlalchemy import Date, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.models.types import UTCDateTime, utcnow

# Additive counters a ticket contributes on the day it was received (the site's local date).
COHORT_COUNTERS = (
    "received",  # received: 1 unless merged into another ticket
    "complaints",  # a complaint (category "complaint")
    "resolved",  # resolved now (a resolved state, or closed after being resolved)
    "complaints_resolved",
    "ever_resolved",  # resolved at least once
    "reopened",  # opened again after being resolved
    "responded",  # has a first response
    "sla_met",  # SLA clocks met …
    "sla_decided",  # … of the clocks met or breached (running, paused and cancelled ones are undecided)
    "resolution_met",
    "resolution_decided",
    # The closed loop (回访, 评价, 质检), as the ticket stands now:
    "surveyed",  # its latest survey was answered …
    "satisfied",  # … with no score below SATISFIED_SCORE
    "followed_up",  # resolved now, and followed up since that resolution
    "complaints_followed_up",
    "inspected",  # a quality inspection was scored …
    "quality_points",  # … its score (0–100) in hundredths, so that sums stay whole numbers
)
SATISFIED_SCORE = 4  # of 5: 满意 or 非常满意 on every question
# Changes, on the day they happen, of the number of open tickets and of those older than 1, 3 and 7 days:
# the backlog at the end of a day is the sum of these up to that day.
BACKLOG_DELTAS = ("backlog", "aged_1d", "aged_3d", "aged_7d")
AGE_THRESHOLDS = {"aged_1d": 1, "aged_3d": 3, "aged_7d": 7}  # days
# The single dimensions the daily sums are kept for ("all" is the whole site).
DIMENSIONS = ("all", "agent", "team", "type", "category", "channel", "grade")
NONE_VALUE = "-"  # no agent, no team, no category, no customer


class ReportTicketFact(db.Model):
    """One ticket's current contribution: its dimensions and its counters (0/1 or clock counts)."""

    __tablename__ = "report_ticket_fact"

    ticket_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)  # kept after a deletion
    created_at = mapped_column(UTCDateTime, nullable=False)
    type_key: Mapped[str] = mapped_column(String(64))
    category: Mapped[str | None] = mapped_column(String(40))
    channel: Mapped[str] = mapped_column(String(20))
    team_id: Mapped[int | None] = mapped_column(Integer)
    agent_id: Mapped[int | None] = mapped_column(Integer)
    grade: Mapped[str | None] = mapped_column(String(20))
    first_response_seconds: Mapped[int | None] = mapped_column(Integer)
    received: Mapped[int] = mapped_column(Integer, default=0)
    complaints: Mapped[int] = mapped_column(Integer, default=0)
    resolved: Mapped[int] = mapped_column(Integer, default=0)
    complaints_resolved: Mapped[int] = mapped_column(Integer, default=0)
    ever_resolved: Mapped[int] = mapped_column(Integer, default=0)
    reopened: Mapped[int] = mapped_column(Integer, default=0)
    responded: Mapped[int] = mapped_column(Integer, default=0)
    sla_met: Mapped[int] = mapped_column(Integer, default=0)
    sla_decided: Mapped[int] = mapped_column(Integer, default=0)
    resolution_met: Mapped[int] = mapped_column(Integer, default=0)
    resolution_decided: Mapped[int] = mapped_column(Integer, default=0)
    surveyed: Mapped[int] = mapped_column(Integer, default=0)
    satisfied: Mapped[int] = mapped_column(Integer, default=0)
    followed_up: Mapped[int] = mapped_column(Integer, default=0)
    complaints_followed_up: Mapped[int] = mapped_column(Integer, default=0)
    inspected: Mapped[int] = mapped_column(Integer, default=0)
    quality_points: Mapped[int] = mapped_column(Integer, default=0)
    refreshed_at = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        # The period's tickets in order of first response: medians and percentiles without touching tickets.
        Index("ix_report_fact_created_response", "created_at", "first_response_seconds"),
        Index("ix_report_fact_agent_created", "agent_id", "created_at"),
        Index("ix_report_fact_team_created", "team_id", "created_at"),
    )


class ReportOpenSpan(db.Model):
    """A stretch of time a ticket was open or pending (a reopened ticket has several)."""

    __tablename__ = "report_open_span"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(Integer, index=True)
    opened_at = mapped_column(UTCDateTime, nullable=False)
    closed_at = mapped_column(UTCDateTime)  # None: still open

    __table_args__ = (Index("ix_report_open_span_closed", "closed_at", "opened_at"),)


class ReportDaily(db.Model):
    """The sum of the contributions for one local day and one value of one dimension."""

    __tablename__ = "report_daily"

    day = mapped_column(Date, primary_key=True)
    dimension: Mapped[str] = mapped_column(String(12), primary_key=True)
    value: Mapped[str] = mapped_column(String(64), primary_key=True)
    received: Mapped[int] = mapped_column(Integer, default=0)
    complaints: Mapped[int] = mapped_column(Integer, default=0)
    resolved: Mapped[int] = mapped_column(Integer, default=0)
    complaints_resolved: Mapped[int] = mapped_column(Integer, default=0)
    ever_resolved: Mapped[int] = mapped_column(Integer, default=0)
    reopened: Mapped[int] = mapped_column(Integer, default=0)
    responded: Mapped[int] = mapped_column(Integer, default=0)
    sla_met: Mapped[int] = mapped_column(Integer, default=0)
    sla_decided: Mapped[int] = mapped_column(Integer, default=0)
    resolution_met: Mapped[int] = mapped_column(Integer, default=0)
    resolution_decided: Mapped[int] = mapped_column(Integer, default=0)
    surveyed: Mapped[int] = mapped_column(Integer, default=0)
    satisfied: Mapped[int] = mapped_column(Integer, default=0)
    followed_up: Mapped[int] = mapped_column(Integer, default=0)
    complaints_followed_up: Mapped[int] = mapped_column(Integer, default=0)
    inspected: Mapped[int] = mapped_column(Integer, default=0)
    quality_points: Mapped[int] = mapped_column(Integer, default=0)
    backlog: Mapped[int] = mapped_column(Integer, default=0)
    aged_1d: Mapped[int] = mapped_column(Integer, default=0)
    aged_3d: Mapped[int] = mapped_column(Integer, default=0)
    aged_7d: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (Index("ix_report_daily_dimension_day", "dimension", "value", "day"),)


class ReportDirty(db.Model):
    """A ticket whose contribution may have changed; written in the changing transaction, emptied by the
    worker's report refresh."""

    __tablename__ = "report_dirty"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(Integer, index=True)


class ReportMailing(db.Model):
    """One monthly report e-mail: the row is claimed before sending, so two workers never both send it."""

    __tablename__ = "report_mailing"

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(String(20))  # "2026-03"
    recipient: Mapped[str] = mapped_column(String(254))
    state: Mapped[str] = mapped_column(String(10), default="sending")  # sending | sent | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_at = mapped_column(UTCDateTime, default=utcnow)
    sent_at = mapped_column(UTCDateTime)
    error: Mapped[str | None] = mapped_column(String(500))

    __table_args__ = (UniqueConstraint("period", "recipient", name="uq_report_mailing_period_recipient"),)
