"""Approvals (审批): a step on a ticket that waits for the decision of someone holding a permission."""
from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.models.types import JSONType, UTCDateTime, utcnow

APPROVAL_KINDS = ("transition", "reassign")
APPROVAL_STATES = ("pending", "approved", "refused", "cancelled")


class Approval(db.Model):
    """A workflow step that requires "approval" (kind "transition"), or moving an already dispatched ticket
    to someone else (kind "reassign", 改派审批). Approving carries the step out at once, as the approver."""

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))  # one of APPROVAL_KINDS
    transition: Mapped[str | None] = mapped_column(String(64))  # the step's key (kind "transition")
    to_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))  # the new assignee
    permission: Mapped[str] = mapped_column(String(80))  # who may decide: holders of this permission
    state: Mapped[str] = mapped_column(String(10), default="pending")  # one of APPROVAL_STATES
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    reason: Mapped[str | None] = mapped_column(Text)  # the requester's comment
    fields: Mapped[dict] = mapped_column(JSONType, default=dict)  # field values given with the request
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    decision_note: Mapped[str | None] = mapped_column(Text)
    created_at = mapped_column(UTCDateTime, default=utcnow)
    decided_at = mapped_column(UTCDateTime)

    ticket = relationship("Ticket")
    to_user = relationship("User", foreign_keys=[to_user_id])
    requested_by = relationship("User", foreign_keys=[requested_by_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])

    __table_args__ = (Index("ix_approval_ticket_state", "ticket_id", "state"),
                      Index("ix_approval_state_permission", "state", "permission"))
