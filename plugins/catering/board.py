"""The floor board's data: an area's tables with their open requests, how long each has waited and how urgent
it is. Two queries whatever the number of tables: the tables, then the open requests of the area."""
from flask_login import current_user
from sqlalchemy import select

from core.extensions import db
from core.models import Ticket, TicketType, User
from plugins.catering.models import DiningTable, FloorRequest
from plugins.catering.ticket_types import TICKET_TYPES
from plugins.catering.workflows import WORKFLOWS

POLL_SECONDS = 4  # the board updates within 5 seconds
WARN_MINUTES = 5
URGENT_MINUTES = 10

_TYPE_LABELS = {spec.key: spec.label for spec in TICKET_TYPES}
_WORKFLOW_OF = {spec.key: spec.workflow for spec in TICKET_TYPES}
_WORKFLOWS = {spec.key: spec for spec in WORKFLOWS}


def urgency(minutes, escalated):
    if escalated or minutes >= URGENT_MINUTES:
        return "urgent"
    return "warn" if minutes >= WARN_MINUTES else "calm"


def _steps(type_key, status):
    """The one-tap steps of a request from its state (the complaint's settling needs words: on its page)."""
    workflow = _WORKFLOWS[_WORKFLOW_OF[type_key]]
    return [{"key": step.key, "label": str(step.label)} for step in workflow.transitions_from(status)
            if "comment" not in step.requires and current_user.can(step.permission)]


def snapshot(area, now):
    tables = db.session.execute(select(DiningTable.id, DiningTable.name, DiningTable.kind, DiningTable.seats)
                                .where(DiningTable.area_id == area.id)
                                .order_by(DiningTable.sort_order, DiningTable.name)).all()
    requests = db.session.execute(
        select(FloorRequest.table_id, Ticket.id, Ticket.title, Ticket.status, Ticket.created_at,
               Ticket.escalation_level, TicketType.key, User.name)
        .join(Ticket, Ticket.id == FloorRequest.ticket_id).join(TicketType, TicketType.id == Ticket.type_id)
        .join(DiningTable, DiningTable.id == FloorRequest.table_id).outerjoin(User, User.id == Ticket.assignee_id)
        .where(DiningTable.area_id == area.id, Ticket.active.is_(True)).order_by(Ticket.created_at)).all()
    by_table = {}
    for table_id, ticket_id, title, status, created, level, type_key, assignee in requests:
        waited = max(0, int((now - created).total_seconds() // 60))
        by_table.setdefault(table_id, []).append({
            "id": ticket_id, "title": title, "type": str(_TYPE_LABELS[type_key]), "type_key": type_key,
            "status": status, "waited_minutes": waited, "escalated": level, "assignee": assignee,
            "urgency": urgency(waited, level > 0), "steps": _steps(type_key, status)})
    order = {"calm": 0, "warn": 1, "urgent": 2}
    return {
        "area": {"id": area.id, "name": area.name},
        "now": now.isoformat(),
        "tables": [{"id": table_id, "name": name, "kind": kind, "seats": seats,
                    "requests": by_table.get(table_id, []),
                    "urgency": max((r["urgency"] for r in by_table.get(table_id, [])), key=order.get, default=None)}
                   for table_id, name, kind, seats in tables],
    }
