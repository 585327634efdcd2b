"""Choices the desk's forms offer (types, teams, staff, states), read once per request."""
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
        g.kefu_desk_teams = db.session.scalars(select(Team).where(Team.active.is_(True)).order_by(Team.name)).all()
    return g.kefu_desk_teams


def staff():
    if "kefu_desk_staff" not in g:
        query = select(User).where(User.kind == "staff", User.is_active_account.is_(True)).order_by(User.name)
        g.kefu_desk_staff = db.session.scalars(query).all()
    return g.kefu_desk_staff


def states():
    """Every state of every workflow in use, by key, for the status filter."""
    registry = current_app.extensions["kefu"].registry
    seen = {}
    for workflow in registry.workflows.values():
        for state in workflow.states:
            seen.setdefault(state.key, state)
    return list(seen.values())
