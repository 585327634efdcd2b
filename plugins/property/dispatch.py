"""Who a repair goes to: the butler of the building first, then the repair technicians, the one with the fewest
open jobs first, each with the reason it is offered."""
from sqlalchemy import func, select

from core.extensions import db
from core.i18n import Label
from core.models import FollowUp, Role, Ticket, User, user_roles
from plugins.property.location import ticket_building

BUTLER_SCORE, TECHNICIAN_SCORE = 100, 90
WORK_TYPES = ("property_repair", "property_paid_service")


def users_with_role(key):
    query = (select(User).join(user_roles).join(Role)
             .where(Role.key == key, User.is_active_account.is_(True)).order_by(User.id))
    return db.session.scalars(query).all()


def open_jobs():
    """{user id: how many active tickets they hold}."""
    rows = db.session.execute(select(Ticket.assignee_id, func.count(Ticket.id))
                              .where(Ticket.active.is_(True), Ticket.assignee_id.is_not(None))
                              .group_by(Ticket.assignee_id)).all()
    return dict(rows)


def candidates(ticket):
    if ticket.type.key not in (*WORK_TYPES, "property_complaint", "property_emergency"):
        return []
    found = []
    building = ticket_building(ticket)
    butler = building.butler if building is not None else None
    if butler is not None and butler.is_active and butler.is_staff:
        found.append((butler, BUTLER_SCORE, Label(zh=f"{building}的物业管家", en=f"Butler of {building}")))
    if ticket.type.key not in WORK_TYPES:
        return found
    jobs = open_jobs()
    technicians = sorted(users_with_role("property_technician"), key=lambda user: (jobs.get(user.id, 0), user.id))
    for rank, user in enumerate(technicians):
        count = jobs.get(user.id, 0)
        found.append((user, TECHNICIAN_SCORE - rank, Label(zh=f"维修工·在办工单{count}张",
                                                           en=f"Technician: {count} open jobs")))
    return found


def follow_up_to_butler(ticket, to_state):
    """回访 is the building's butler's, not the technician's who did the work: a repair confirmed hands its
    pending follow-up to the butler."""
    if ticket.type.key not in WORK_TYPES or to_state != "confirmed":
        return
    building = ticket_building(ticket)
    butler = building.butler if building is not None else None
    if butler is None or not butler.is_active or not butler.can("followup.do"):
        return
    for follow_up in db.session.scalars(select(FollowUp).where(FollowUp.ticket_id == ticket.id,
                                                               FollowUp.state == "pending")):
        follow_up.assignee = butler
