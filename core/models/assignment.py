"""Who gets a ticket: routing rules, the duty rota (值班) and approvals of reassignment (改派审批)."""
from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.models.types import UTCDateTime, utcnow

STRATEGIES = ("workload", "round_robin")


class AssignmentRule(db.Model):
    """Tickets of a type and/or category go to a team; within it by workload or in turn, optionally by skill.
    The first active rule in `position` order that matches wins."""

    id: Mapped[int] = mapped_column(primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=100)
    type_key: Mapped[str | None] = mapped_column(String(64))  # None: any type
    category: Mapped[str | None] = mapped_column(String(40))  # None: any category
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"))
    strategy: Mapped[str] = mapped_column(String(20), default="workload")
    skill: Mapped[str | None] = mapped_column(String(40))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    team = relationship("Team")


class DutyShift(db.Model):
    """A member on duty for a team between two instants. A team with no shifts at all is always on duty."""

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    starts_at = mapped_column(UTCDateTime, nullable=False)
    ends_at = mapped_column(UTCDateTime, nullable=False)

    team = relationship("Team")
    user = relationship("User")

    __table_args__ = (Index("ix_duty_shift_team_time", "team_id", "starts_at", "ends_at"),)


class ReassignRequest(db.Model):
    """Moving an already dispatched ticket to someone else needs the supervisor's approval."""

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), index=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    from_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    to_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(10), default="pending")  # pending | approved | refused
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    decision_note: Mapped[str | None] = mapped_column(Text)
    created_at = mapped_column(UTCDateTime, default=utcnow)
    decided_at = mapped_column(UTCDateTime)

    ticket = relationship("Ticket")
    requested_by = relationship("User", foreign_keys=[requested_by_id])
    from_user = relationship("User", foreign_keys=[from_user_id])
    to_user = relationship("User", foreign_keys=[to_user_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])
