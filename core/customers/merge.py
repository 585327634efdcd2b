"""Merging a duplicate customer record into the one that stays: tickets, contacts, portal accounts, people of
an organisation, tags, flags and care tasks move; missing details are filled in from the duplicate; the
duplicate is kept, pointing at the record it went into, so old links and the access log still lead there."""
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, update

from core.customers.access import has_clearance
from core.extensions import db
from core.models import (
    CONFIDENTIALITY,
    CareTask,
    Customer,
    CustomerContact,
    CustomerFlag,
    Ticket,
    TicketEvent,
    User,
    audit,
    utcnow,
)


class MergeError(Exception):
    pass


def _check(kept, duplicate, actor):
    if kept.id == duplicate.id:
        raise MergeError(_("A record cannot be merged into itself."))
    if kept.merged_into_id is not None or duplicate.merged_into_id is not None:
        raise MergeError(_("One of the records was already merged into another; use the record it went into."))
    if kept.kind != duplicate.kind:
        raise MergeError(_("A person and an organisation cannot be merged."))
    if not all(has_clearance(actor, record.confidentiality) for record in (kept, duplicate)):
        raise MergeError(_("You have no clearance for one of the records."))
    if duplicate.id == kept.organisation_id:
        raise MergeError(_("A person cannot be merged with their own organisation."))


def _move_contact_details(kept, duplicate):
    """The duplicate's main phone, e-mail and address fill the kept record's empty ones, else become contacts."""
    moved = 0
    for field in ("phone", "email", "address"):
        value = getattr(duplicate, field)
        if not value or value == getattr(kept, field):
            continue
        if not getattr(kept, field):
            setattr(kept, field, value)
        elif not any(c.kind == field and c.value == value for c in kept.contacts):
            kept.contacts.append(CustomerContact(kind=field, value=value))
        moved += 1
    for field in ("birthday", "credit_grade"):
        if getattr(kept, field) is None:
            setattr(kept, field, getattr(duplicate, field))
    if duplicate.notes and duplicate.notes != kept.notes:
        kept.notes = "\n\n".join(filter(None, [kept.notes, duplicate.notes]))
    return moved


def _move_tickets(kept, duplicate, actor, now):
    ids = db.session.scalars(select(Ticket.id).where(Ticket.customer_id == duplicate.id)).all()
    if ids:
        db.session.execute(update(Ticket).where(Ticket.id.in_(ids))
                           .values(customer_id=kept.id, version=Ticket.version + 1)
                           .execution_options(synchronize_session=False))
        db.session.add_all(TicketEvent(ticket_id=ticket_id, kind="customer_change", actor_id=getattr(actor, "id", None),
                                       public=False, created_at=now,
                                       data={"from": duplicate.id, "to": kept.id, "merge": True})
                           for ticket_id in ids)
    return len(ids)


def _move_rows(model, column, kept, duplicate):
    statement = update(model).where(column == duplicate.id).values({column.key: kept.id})
    return db.session.execute(statement.execution_options(synchronize_session=False)).rowcount


def merge_customers(kept, duplicate, *, actor, now=None):
    """Fold `duplicate` into `kept`; returns what moved, by kind. Raises MergeError. The caller commits."""
    _check(kept, duplicate, actor)
    now = now or utcnow()
    db.session.flush()
    moved = {"tickets": _move_tickets(kept, duplicate, actor, now),
             "accounts": _move_rows(User, User.customer_id, kept, duplicate),
             "people": _move_rows(Customer, Customer.organisation_id, kept, duplicate),
             "flags": _move_rows(CustomerFlag, CustomerFlag.customer_id, kept, duplicate)}
    moved["care_tasks"] = _move_care_tasks(kept, duplicate)
    moved["contacts"] = _move_rows(CustomerContact, CustomerContact.customer_id, kept, duplicate)
    db.session.expire(kept, ["contacts"])
    moved["contacts"] += _move_contact_details(kept, duplicate)
    kept.tags = sorted(set(kept.tags) | set(duplicate.tags), key=lambda tag: tag.name)
    kept.problem = kept.problem or duplicate.problem
    kept.verified = kept.verified or duplicate.verified
    kept.confidentiality = max(kept.confidentiality, duplicate.confidentiality, key=CONFIDENTIALITY.index)
    duplicate.merged_into_id = kept.id
    duplicate.tags = []
    current_app.extensions["kefu"].pm.hook.kefu_customer_merged(kept=kept, merged=duplicate)
    audit.record("customer.merge", actor=actor, target=kept, merged=duplicate.id, name=duplicate.name, **moved)
    db.session.flush()
    return moved


def _move_care_tasks(kept, duplicate):
    """A task the kept record already has for the same occasion and day is not moved but dropped."""
    kept_days = set(db.session.execute(select(CareTask.kind, CareTask.on).where(CareTask.customer_id == kept.id)))
    moved = 0
    for task in db.session.scalars(select(CareTask).where(CareTask.customer_id == duplicate.id)):
        if (task.kind, task.on) in kept_days:
            db.session.delete(task)
        else:
            task.customer_id = kept.id
            moved += 1
    return moved


def resolve_merged(customer):
    """The record a merged one ended up in (following a chain of merges)."""
    seen = set()
    while customer is not None and customer.merged_into_id is not None and customer.id not in seen:
        seen.add(customer.id)
        customer = db.session.get(Customer, customer.merged_into_id)
    return customer
