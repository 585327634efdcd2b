"""The worker's lease on each scheduled job: when it is due next, and which worker runs it right now."""
from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.models.types import UTCDateTime


class JobLease(db.Model):
    """One row per scheduled job key. A worker runs a job only after a conditional UPDATE set `leased_by` to
    itself (`host:pid:token`); a lease ends when the run finishes, or at `leased_until` if the worker died."""

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    due_at = mapped_column(UTCDateTime, nullable=False)
    leased_by: Mapped[str | None] = mapped_column(String(200))
    leased_until = mapped_column(UTCDateTime)
    last_started_at = mapped_column(UTCDateTime)
    last_finished_at = mapped_column(UTCDateTime)
    last_result: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)
    runs: Mapped[int] = mapped_column(Integer, default=0)
