"""The closed loop after resolution (DOMAIN.md §1): follow-up rules, follow-up tasks (回访), satisfaction
surveys (评价) and the investigations a bad rating opens. Reports read these tables directly."""
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.models.types import UTCDateTime, utcnow

FOLLOW_UP_METHODS = ("phone", "sms", "email", "visit")
FOLLOW_UP_STATES = ("pending", "done", "cancelled")
SURVEY_QUESTIONS = ("quality", "attitude", "speed")  # 服务质量, 服务态度, 响应速度
SURVEY_STATES = ("open", "answered", "cancelled")
SURVEY_CHANNELS = ("link", "portal", "follow_up", "api")
BAD_SCORE = 2  # a score of 2 or less opens an investigation


class FollowUpRule(db.Model):
    """Which share of resolved tickets gets a follow-up: the most specific active rule for the customer's grade
    and the ticket's type wins (empty columns match any); without one, the site's defaults apply."""

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_grade: Mapped[str | None] = mapped_column(String(20))
    ticket_type: Mapped[str | None] = mapped_column(String(64))
    percent: Mapped[int] = mapped_column(Integer, default=100)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (CheckConstraint("percent >= 0 AND percent <= 100", name="percent_range"),)


class FollowUp(db.Model):
    """A follow-up task (回访) for one resolution of a ticket."""

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), index=True)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    state: Mapped[str] = mapped_column(String(10), default="pending")  # one of FOLLOW_UP_STATES
    reason: Mapped[str] = mapped_column(String(20))  # always (grade), sampled, investigation
    created_at = mapped_column(UTCDateTime, default=utcnow)
    due_at = mapped_column(UTCDateTime, nullable=False)
    method: Mapped[str | None] = mapped_column(String(10))  # one of FOLLOW_UP_METHODS
    outcome: Mapped[str | None] = mapped_column(Text)  # plain text: what the customer said
    done_at = mapped_column(UTCDateTime)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    overdue_notified_at = mapped_column(UTCDateTime)

    ticket = relationship("Ticket")
    assignee = relationship("User", foreign_keys=[assignee_id])
    done_by = relationship("User", foreign_keys=[done_by_id])

    __table_args__ = (
        Index("ix_follow_up_assignee_state_due", "assignee_id", "state", "due_at"),
        Index("ix_follow_up_state_due", "state", "due_at"),
        Index("ix_follow_up_done", "done_at"),
    )


def _score_check(name):
    return CheckConstraint(f"{name} IS NULL OR ({name} >= 1 AND {name} <= 5)", name=f"{name}_range")


class Survey(db.Model):
    """The satisfaction survey of one resolution: answered once, by the customer (signed link or portal) or
    by the agent during the follow-up."""

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), index=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customer.id", ondelete="SET NULL"))
    follow_up_id: Mapped[int | None] = mapped_column(ForeignKey("follow_up.id", ondelete="SET NULL"))
    state: Mapped[str] = mapped_column(String(10), default="open")  # one of SURVEY_STATES
    created_at = mapped_column(UTCDateTime, default=utcnow)
    expires_at = mapped_column(UTCDateTime, nullable=False)  # when the signed link stops working
    answered_at = mapped_column(UTCDateTime)
    channel: Mapped[str | None] = mapped_column(String(10))  # one of SURVEY_CHANNELS
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    quality: Mapped[int | None] = mapped_column(Integer)
    attitude: Mapped[int | None] = mapped_column(Integer)
    speed: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)  # plain text

    ticket = relationship("Ticket")
    customer = relationship("Customer")
    follow_up = relationship(FollowUp)
    answered_by = relationship("User")

    __table_args__ = (
        *(_score_check(name) for name in SURVEY_QUESTIONS),
        Index("ix_survey_answered", "answered_at"),
    )

    @property
    def scores(self):
        return {name: getattr(self, name) for name in SURVEY_QUESTIONS}

    @property
    def is_bad(self):
        return self.state == "answered" and any(score <= BAD_SCORE for score in self.scores.values())


class Investigation(db.Model):
    """A bad rating reopened the ticket for the team's supervisor; the outcome is told to the customer."""

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), index=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), unique=True)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    state: Mapped[str] = mapped_column(String(10), default="open")  # open | done
    opened_at = mapped_column(UTCDateTime, default=utcnow)
    outcome: Mapped[str | None] = mapped_column(Text)  # sanitized HTML: the resolving comment
    done_at = mapped_column(UTCDateTime)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    ticket = relationship("Ticket")
    survey = relationship(Survey)
    assignee = relationship("User", foreign_keys=[assignee_id])
    done_by = relationship("User", foreign_keys=[done_by_id])

    __table_args__ = (Index("ix_investigation_assignee_state", "assignee_id", "state"),)
