"""Which tickets a user may see. Every list, page, download and search result goes through here."""
from flask import abort, current_app, g
from sqlalchemy import false, or_, select

from core.extensions import db
from core.models import Ticket, TicketType, team_members


def active_type_ids():
    """Ticket types of the core and the enabled plugins; a disabled plugin's tickets are kept but hidden."""
    if "kefu_active_type_ids" not in g:
        enabled = current_app.extensions["kefu"].enabled_plugins
        query = select(TicketType.id).where(or_(TicketType.plugin.is_(None), TicketType.plugin.in_(enabled)))
        g.kefu_active_type_ids = db.session.scalars(query).all()
    return g.kefu_active_type_ids


def visible_ticket_or_404(user, ticket_id):
    """The ticket if `user` may open it; the same 404 whether it is hidden or does not exist."""
    ticket = db.session.scalar(visible_tickets(user).where(Ticket.id == ticket_id))
    if ticket is None:
        abort(404)
    return ticket


def visible_tickets(user):
    """A SELECT of the tickets `user` may open (narrow it further with .where())."""
    query = select(Ticket).where(Ticket.type_id.in_(active_type_ids()))
    if not user.is_authenticated:
        return query.where(false())
    if not user.is_staff:
        # Customers: what they filed, and what was filed for their customer record.
        conditions = [Ticket.requester_id == user.id]
        if user.customer_id:
            conditions.append(Ticket.customer_id == user.customer_id)
        return query.where(or_(*conditions))
    if user.can("ticket.view_all"):
        return query
    conditions = []
    if user.can("ticket.view_own"):
        conditions += [Ticket.assignee_id == user.id, Ticket.created_by_id == user.id]
    if user.can("ticket.view_team"):
        my_teams = select(team_members.c.team_id).where(team_members.c.user_id == user.id)
        conditions += [Ticket.team_id.in_(my_teams), Ticket.assignee_id.is_(None) & Ticket.team_id.is_(None)]
    return query.where(or_(*conditions)) if conditions else query.where(false())
