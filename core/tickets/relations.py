"""Tags, watchers, links between tickets, and merging a duplicate into the ticket that stays."""
import re

from flask_babel import gettext as _
from sqlalchemy import or_, select

from core.extensions import db
from core.models import Tag, Ticket, TicketEvent, TicketLink, utcnow
from core.workflow.spec import ACTIVE_CATEGORIES

TAG_PATTERN = re.compile(r"^[\w\u4e00-\u9fff][\w\u4e00-\u9fff\- ]{0,39}$")


class RelationError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def _event(subject, actor, kind, now, **data):
    db.session.add(TicketEvent(ticket=subject, kind=kind, actor=actor, public=False, data=data, created_at=now))


def tag_rows(names):
    """The Tag rows named (created on first use), sorted by name; tickets and customer records share them.
    Raises RelationError for a name that is not a tag."""
    clean = sorted({name.strip() for name in names if name and name.strip()})
    bad = [name for name in clean if not TAG_PATTERN.match(name)]
    if bad:
        raise RelationError("invalid_tag", _("Invalid tag: %(tags)s", tags=", ".join(bad)))
    existing = {tag.name: tag for tag in db.session.scalars(select(Tag).where(Tag.name.in_(clean)))} if clean else {}
    return [existing.get(name) or Tag(name=name) for name in clean]


def set_tags(ticket, names, *, actor, now=None):
    """Replace the ticket's tags with `names` (created on first use); records what was added and removed."""
    tags = tag_rows(names)
    clean = [tag.name for tag in tags]
    before = {tag.name for tag in ticket.tags}
    added, removed = sorted(set(clean) - before), sorted(before - set(clean))
    if not added and not removed:
        return False
    ticket.tags = tags
    now = now or utcnow()
    ticket.updated_at = now
    _event(ticket, actor, "tags", now, added=added, removed=removed)
    return True


def add_tags(tickets, names, *, actor):
    for ticket in tickets:
        set_tags(ticket, [tag.name for tag in ticket.tags] + list(names), actor=actor)


def watch(ticket, user, watching=True):
    if watching and user not in ticket.watchers:
        ticket.watchers.append(user)
    elif not watching and user in ticket.watchers:
        ticket.watchers.remove(user)


def links_of(ticket):
    query = select(TicketLink).where(or_(TicketLink.source_id == ticket.id, TicketLink.target_id == ticket.id))
    return [link.target if link.source_id == ticket.id else link.source for link in db.session.scalars(query)]


def link(ticket, other, *, actor, now=None):
    if other.id == ticket.id:
        raise RelationError("self", _("A ticket cannot be linked to itself."))
    if other in links_of(ticket):
        return False
    now = now or utcnow()
    db.session.add(TicketLink(source_id=ticket.id, target_id=other.id, created_by_id=actor.id, created_at=now))
    _event(ticket, actor, "link", now, ticket=other.id)
    _event(other, actor, "link", now, ticket=ticket.id)
    return True


def merge(duplicate, into, *, actor, now=None):
    """Fold `duplicate` into `into`: it is closed with a pointer and its page redirects to the ticket that
    stays, whose timeline then shows the duplicate's events and files too (they are kept where they are)."""
    if duplicate.id == into.id:
        raise RelationError("self", _("A ticket cannot be merged into itself."))
    if into.merged_into_id is not None:
        raise RelationError("merged", _("The ticket to merge into was itself merged; choose the ticket it went to."))
    if duplicate.merged_into_id is not None:
        raise RelationError("merged", _("This ticket was already merged."))
    now = now or utcnow()
    closed = next(state for state in _workflow_states(duplicate) if state.category == "closed")
    duplicate.merged_into_id = into.id
    duplicate.status, duplicate.status_category = closed.key, closed.category
    duplicate.active = closed.category in ACTIVE_CATEGORIES
    duplicate.closed_at = duplicate.updated_at = into.updated_at = now
    for watcher in duplicate.watchers:
        watch(into, watcher)
    _event(into, actor, "merge", now, merged=duplicate.id, title=duplicate.title)
    _event(duplicate, actor, "merged_into", now, ticket=into.id)
    db.session.flush()
    return into


def _workflow_states(ticket):
    from core.workflow.engine import workflow_of

    return workflow_of(ticket).states


def merged_ids(ticket):
    """The ticket and every ticket merged into it (directly or through a chain): whose events it shows."""
    ids, frontier = [ticket.id], [ticket.id]
    while frontier:
        frontier = db.session.scalars(select(Ticket.id).where(Ticket.merged_into_id.in_(frontier))).all()
        ids += frontier
    return ids


def resolve_merged(ticket):
    """The ticket a merged one ended up in (following a chain of merges)."""
    seen = set()
    while ticket.merged_into_id is not None and ticket.id not in seen:
        seen.add(ticket.id)
        ticket = db.session.get(Ticket, ticket.merged_into_id)
    return ticket
