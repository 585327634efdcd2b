"""Choices the desk's forms offer (types, teams, staff, states), read once per request.

Teams and staff are (id, name) rows, not ORM objects: loading the objects would also load every member's roles
and permissions (selectin relationships), which cost more than the rest of a queue page.
"""
from flask import current_app, g
from sqlalchemy import select

from core.extensions import db
from core.models import Team, TicketType, User
from core.tickets.access import active_type_ids


def ticket_types():
    if "kefu_desk_types" not in g:
        rows = db.session.scalars(select(TicketType).where(TicketType.id.in_(active_type_ids()),
                                                           TicketType.active.is_(True))
                                  .order_by(TicketType.sort_order, TicketType.id)).all()
        g.kefu_desk_types = rows
    return g.kefu_desk_types


def teams():
    if "kefu_desk_teams" not in g:
        query = select(Team.id, Team.name).where(Team.active.is_(True)).order_by(Team.name)
        g.kefu_desk_teams = db.session.execute(query).all()
    return g.kefu_desk_teams


def staff():
    if "kefu_desk_staff" not in g:
        query = (select(User.id, User.name).where(User.kind == "staff", User.is_active_account.is_(True))
                 .order_by(User.name))
        g.kefu_desk_staff = db.session.execute(query).all()
    return g.kefu_desk_staff


def states():
    """Every state of every workflow in use, by key, for the status filter."""
    registry = current_app.extensions["kefu"].registry
    seen = {}
    for workflow in registry.workflows.values():
        for state in workflow.states:
            seen.setdefault(state.key, state)
    return list(seen.values())
