"""Who gets a ticket: routing rules and the duty rota (值班). Approvals of reassignment are in core.models.approval."""
from sqlalchemy import Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.models.types import UTCDateTime

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
