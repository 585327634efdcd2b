"""Teams: a department or group with a supervisor and members."""
from sqlalchemy import Boolean, Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.models.types import UTCDateTime, utcnow

team_members = Table(
    "team_member",
    db.metadata,
    Column("team_id", ForeignKey("team.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("user.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Team(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    supervisor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Round-robin assignment continues after this member.
    last_assigned_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at = mapped_column(UTCDateTime, default=utcnow)

    supervisor = relationship("User", foreign_keys=[supervisor_id])
    last_assigned = relationship("User", foreign_keys=[last_assigned_id])
    members = relationship("User", secondary=team_members, backref="teams", lazy="selectin")

    def __str__(self):
        return self.name
