"""Which tickets a user may see. Every list, page, download and search result goes through here."""
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Visibility:
    """The tickets a user may open, as plain matches that SQL and the search index both apply: a ticket
    is visible when its type is active and `everything` is true or any one of the rest matches it."""

    type_ids: tuple
    everything: bool = False
    assignee_ids: tuple = ()
    created_by_ids: tuple = ()
    team_ids: tuple = ()
    unowned: bool = False  # neither a team nor an assignee: a ticket waiting to be dispatched
    requester_ids: tuple = ()
    customer_ids: tuple = ()


def visibility(user):
    """Which tickets `user` may open (see Visibility)."""
    types = tuple(active_type_ids())
    if not user.is_authenticated:
        return Visibility(types)
    if not user.is_staff:
        # Customers: what they filed, and what was filed for their customer record.
        return Visibility(types, requester_ids=(user.id,), customer_ids=(user.customer_id,) if user.customer_id else ())
    if user.can("ticket.view_all"):
        return Visibility(types, everything=True)
    own = (user.id,) if user.can("ticket.view_own") else ()
    if not user.can("ticket.view_team"):
        return Visibility(types, assignee_ids=own, created_by_ids=own)
    teams = tuple(db.session.scalars(select(team_members.c.team_id).where(team_members.c.user_id == user.id)))
    return Visibility(types, assignee_ids=own, created_by_ids=own, team_ids=teams, unowned=True)


def visible_tickets(user):
    """A SELECT of the tickets `user` may open (narrow it further with .where())."""
    rules = visibility(user)
    query = select(Ticket).where(Ticket.type_id.in_(rules.type_ids))
    if rules.everything:
        return query
    conditions = [column.in_(ids) for column, ids in ((Ticket.assignee_id, rules.assignee_ids),
                                                       (Ticket.created_by_id, rules.created_by_ids),
                                                       (Ticket.team_id, rules.team_ids),
                                                       (Ticket.requester_id, rules.requester_ids),
                                                       (Ticket.customer_id, rules.customer_ids)) if ids]
    if rules.unowned:
        conditions.append(Ticket.assignee_id.is_(None) & Ticket.team_id.is_(None))
    return query.where(or_(*conditions)) if conditions else query.where(false())
