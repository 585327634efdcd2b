"""Time-based work of the closed loop, for the worker: overdue follow-ups warn their assignee (once), and
finished resolved tickets are archived (archive.archive_due). Each claims its rows with a conditional UPDATE,
so two workers never warn twice."""
from sqlalchemy import select, update

from core.extensions import db
from core.followups.investigations import supervisor_for
from core.models import FollowUp
from core.notifications import notify

BATCH = 500


def warn_overdue(now):
    """Tell the assignee (the supervisor when nobody has it) of each follow-up past its due time; returns how
    many were warned."""
    ids = db.session.scalars(select(FollowUp.id).where(FollowUp.state == "pending", FollowUp.due_at <= now,
                                                       FollowUp.overdue_notified_at.is_(None))
                             .order_by(FollowUp.due_at).limit(BATCH)).all()
    warned = 0
    for follow_up_id in ids:
        claimed = db.session.execute(
            update(FollowUp).where(FollowUp.id == follow_up_id, FollowUp.state == "pending",
                                   FollowUp.overdue_notified_at.is_(None))
            .values(overdue_notified_at=now).execution_options(synchronize_session=False)).rowcount == 1
        if claimed:
            follow_up = db.session.get(FollowUp, follow_up_id, populate_existing=True)
            notify(follow_up.assignee or supervisor_for(follow_up.ticket), "follow_up_overdue", follow_up.ticket,
                   due=follow_up.due_at.isoformat(), follow_up=follow_up.id)
            warned += 1
        db.session.commit()  # the claim and its notification together
    return warned
