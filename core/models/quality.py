"""Quality inspection (质检): the admin's checklist, the weekly sample of closed tickets per agent, and the
inspector's points per item. Scores keep a copy of each item's maximum and weight, so editing the checklist
later does not change a score already given. Reports read these tables directly."""
from sqlalchemy import Boolean, CheckConstraint, Date, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.models.types import UTCDateTime, utcnow


class QualityChecklistItem(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str | None] = mapped_column(Text)
    max_points: Mapped[int] = mapped_column(Integer, default=10)
    weight: Mapped[int] = mapped_column(Integer, default=1)
    position: Mapped[int] = mapped_column(Integer, default=100)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (CheckConstraint("max_points > 0", name="max_points_positive"),
                      CheckConstraint("weight > 0", name="weight_positive"))

    def __str__(self):
        return self.title


class QualityInspection(db.Model):
    """One closed ticket drawn for inspection: the agent who handled it, the week it was closed in (Monday,
    site time), and once scored the total in percent of the weighted maximum."""

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), unique=True)
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    week_start = mapped_column(Date, nullable=False)
    state: Mapped[str] = mapped_column(String(10), default="pending")  # pending | done
    drawn_at = mapped_column(UTCDateTime, default=utcnow)
    inspector_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    score: Mapped[float | None] = mapped_column(Float)  # 0–100
    comment: Mapped[str | None] = mapped_column(Text)  # plain text
    done_at = mapped_column(UTCDateTime)

    ticket = relationship("Ticket")
    agent = relationship("User", foreign_keys=[agent_id])
    inspector = relationship("User", foreign_keys=[inspector_id])
    scores = relationship("QualityScore", back_populates="inspection", order_by="QualityScore.id",
                          cascade="all, delete-orphan")

    __table_args__ = (Index("ix_quality_inspection_week_agent", "week_start", "agent_id"),
                      Index("ix_quality_inspection_agent_done", "agent_id", "done_at"))


class QualityScore(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("quality_inspection.id", ondelete="CASCADE"))
    item_id: Mapped[int | None] = mapped_column(ForeignKey("quality_checklist_item.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(120))
    max_points: Mapped[int] = mapped_column(Integer)
    weight: Mapped[int] = mapped_column(Integer)
    points: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)

    inspection = relationship(QualityInspection, back_populates="scores")
    item = relationship(QualityChecklistItem)

    __table_args__ = (UniqueConstraint("inspection_id", "item_id", name="uq_quality_score_item"),
                      CheckConstraint("points >= 0 AND points <= max_points", name="points_range"))
