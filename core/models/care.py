"""Customer care (客户关怀): the site's greeting rules and the greeting and reminder tasks they produce."""
from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.i18n import Label
from core.models.types import JSONType, UTCDateTime, utcnow


class CareRule(db.Model):
    """When to greet whom for one occasion (a birthday, a festival, or the plugins' reminders): how many days
    ahead the task appears, and for which customer grades (empty: every grade)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    days_ahead: Mapped[int] = mapped_column(Integer)
    grades: Mapped[list] = mapped_column(JSONType, default=list)


class CareTask(db.Model):
    """A greeting or reminder for one customer on one day, for staff to work through and mark done."""

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(60))  # birthday, spring_festival, … or a plugin's reminder kind
    on = mapped_column(Date, nullable=False)  # the day of the occasion
    label_zh: Mapped[str] = mapped_column(String(120))
    label_en: Mapped[str] = mapped_column(String(120))
    note: Mapped[str | None] = mapped_column(Text)
    created_at = mapped_column(UTCDateTime, default=utcnow)
    done_at = mapped_column(UTCDateTime)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    outcome: Mapped[str | None] = mapped_column(Text)

    customer = relationship("Customer")
    done_by = relationship("User")

    # One task per customer, occasion and day, however often (and by however many workers) it is generated.
    __table_args__ = (UniqueConstraint("customer_id", "kind", "on", name="uq_care_task_customer_kind_on"),
                      Index("ix_care_task_open", "done_at", "on", "id"),
                      Index("ix_care_task_on", "on", "id"))

    @property
    def label(self):
        return Label(zh=self.label_zh, en=self.label_en)
