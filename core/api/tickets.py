"""Tickets through the API: the same services, access rules and permissions as the helpdesk and portal.

Staff work as in the desk (desk.access plus each action's permission); customer accounts as in the portal
(portal.access): their own tickets, public ticket types, replies, public events only."""
from flask import current_app, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm.attributes import set_committed_value

from core.api import bp
from core.api.errors import ApiError, forbidden, invalid
from core.api.openapi import operation
from core.api.pages import body as page_body
from core.api.schemas import (
    DEFAULT_CHANNEL,
    CommentRequestSchema,
    CommentSchema,
    TicketCreateSchema,
    TicketDetailSchema,
    TicketPageSchema,
    TicketQuerySchema,
    TicketSchema,
    TicketTypeSchema,
    TicketUpdateSchema,
    TransitionRequestSchema,
    TransitionSchema,
)
from core.extensions import db
from core.models import Customer, TicketType, User
from core.sanitize import clean_html
from core.tickets.access import active_type_ids, visible_ticket_or_404
from core.tickets.assignment import AssignmentError, assign
from core.tickets.queues import page
from core.tickets.relations import RelationError, set_tags
from core.tickets.service import TicketInputError, add_comment, check_version, create_ticket, update_ticket
from core.tickets.timeline import timeline
from core.workflow.approvals import pending_approvals
from core.workflow.engine import TransitionError, available_transitions, transition, workflow_of

STAFF_ONLY_ON_CREATE = ("priority", "channel", "customer_id")
TICKET = TicketSchema()
EDITS_NEEDING_TRANSITION = ("title", "priority", "category", "type", "fields", "tags")


# Access rules (their docstrings go into the OpenAPI document) ---------------------------------------------


def desk_or_portal(user):
    """Staff need desk.access, customer accounts portal.access; a ticket the account may not see is a 404."""
    return user.can("desk.access" if user.is_staff else "portal.access")


def may_create(user):
    """Staff need ticket.create. Customer accounts need portal.access, may only use public ticket types and
    cannot set priority, channel or customer_id (they file for their own customer record)."""
    return user.can("ticket.create" if user.is_staff else "portal.access")


def may_reply(user):
    """Staff need desk.access and ticket.reply; customer accounts need portal.access (their own tickets)."""
    if user.is_staff:
        return user.can("desk.access") and user.can("ticket.reply")
    return user.can("portal.access")


# Helpers ----------------------------------------------------------------------------------------------------


def _field_paths(errors, schema):
    """The service's {key: message} with the type's own fields named "fields.<key>"."""
    declared = {field.data_key or name for name, field in schema().fields.items()}
    return {key if key in declared else f"fields.{key}": message for key, message in errors.items()}


def _refuse_unknown_fields(type_key, values):
    """The services ignore keys a type does not declare; an API client is told instead."""
    spec = current_app.extensions["kefu"].registry.ticket_types.get(type_key)
    unknown = sorted(set(values or {}) - {field.key for field in spec.fields}) if spec else []
    if unknown:
        raise invalid({f"fields.{key}": _("Unknown field.") for key in unknown})


def staff_member(user_id):
    user = db.session.get(User, user_id)
    if user is None or not user.is_staff or not user.is_active:
        raise invalid({"assignee_id": _("Tickets can only be assigned to active staff.")})
    return user


def _assignment_error(exc):
    if exc.code in ("forbidden", "approval_required"):
        return ApiError(403, exc.code, str(exc), "assignee_id")
    return invalid({"assignee_id": str(exc)})


# Refusals of a step that keep their own code in the 409 (the others are "conflict").
STEP_CONFLICTS = ("approval_required", "approval_pending", "approval_not_needed", "already_decided",
                  "follow_up_required", "own_request")


def transition_error(exc, ticket, field="to"):
    """A refused step (or approval) as the API's error: 403, 422 naming the field, or 409 with `allowed`."""
    if exc.code == "forbidden":
        return forbidden(str(exc), field)
    if exc.code == "comment_required":
        return invalid({"comment": str(exc)})
    if exc.code == "assignee_required":
        return invalid({"assignee_id": str(exc)})
    if exc.code in ("field_required", "field_invalid"):
        return invalid({f"fields.{exc.field}": str(exc)})
    allowed = [t for t in workflow_of(ticket).transitions_from(ticket.status) if t.key in exc.allowed]
    code = exc.code if exc.code in STEP_CONFLICTS else "conflict"
    return ApiError(409, code, str(exc), field, allowed=TransitionSchema(many=True).dump(allowed))


# Views ------------------------------------------------------------------------------------------------------


@bp.get("/ticket-types")
@operation("tickets", response=TicketTypeSchema(many=True), access=desk_or_portal, errors=(403,))
def list_ticket_types():
    """Ticket types one may file, with their own fields.

    Customer accounts see the public types only."""
    registry = current_app.extensions["kefu"].registry
    query = (select(TicketType).where(TicketType.id.in_(active_type_ids()), TicketType.active.is_(True))
             .order_by(TicketType.sort_order, TicketType.id))
    if not current_user.is_staff:
        query = query.where(TicketType.public.is_(True))
    types = [{"key": row.key, "label": row.label, "public": row.public, "category": spec.category,
              "workflow": spec.workflow, "fields": spec.fields}
             for row in db.session.scalars(query) if (spec := registry.ticket_types.get(row.key))]
    return TicketTypeSchema(many=True).dump(types)


@bp.get("/tickets")
@operation("tickets", query=TicketQuerySchema, response=TicketPageSchema, errors=(400, 403), access=desk_or_portal)
def list_tickets(query):
    """List tickets: a queue, filters, a sort order; paginated.

    Filters take comma-separated values and combine with AND. `count` stops at 1000 (`count_capped`)."""
    controls = {key: query.pop(key) for key in ("queue", "sort", "cursor", "limit") if key in query}
    result = page(current_user, filters=query, **controls)
    return TicketPageSchema().dump(page_body(result.tickets, result.next_cursor, count=result.count,
                                             count_capped=result.count_capped))


@bp.post("/tickets")
@operation("tickets", body=TicketCreateSchema, response=TicketSchema, status=201, errors=(400, 403, 422),
           access=may_create)
def new_ticket(body):
    """Create a ticket.

    The type's own fields go in `fields`; a wrong one is a 422 naming it as `fields.<key>`."""
    if current_user.is_staff:
        customer, requester = _customer(body.get("customer_id")), None
    else:
        _check_customer_request(body)
        customer, requester = current_user.customer, current_user
    _refuse_unknown_fields(body["type"], body.get("fields"))
    try:
        ticket = create_ticket(type_key=body["type"], title=body["title"], body=body.get("body", ""),
                               actor=current_user, customer=customer, requester=requester,
                               channel=body.get("channel", DEFAULT_CHANNEL), priority=body.get("priority", "normal"),
                               fields=body.get("fields"))
    except TicketInputError as exc:
        raise invalid(_field_paths(exc.errors, TicketCreateSchema)) from None
    set_committed_value(ticket, "tags", [])  # a new ticket has none: no need to ask the database
    created = TICKET.dump(ticket)  # before the commit, which would expire what is already known
    db.session.commit()
    return created, 201, {"Location": url_for(".get_ticket", ticket_id=created["id"])}


def _customer(customer_id):
    if customer_id is None:
        return None
    customer = db.session.get(Customer, customer_id)
    if customer is None:
        raise invalid({"customer_id": _("No customer with this id.")})
    return customer


def _check_customer_request(body):
    for key in STAFF_ONLY_ON_CREATE:
        if key in body:
            raise forbidden(_("Only staff can set this field."), key)
    public = db.session.scalar(select(TicketType.public).where(TicketType.key == body["type"]))
    if not public:
        raise invalid({"type": _("Choose a ticket type.")})


@bp.get("/tickets/<int:ticket_id>")
@operation("tickets", response=TicketDetailSchema, errors=(403, 404), access=desk_or_portal)
def get_ticket(ticket_id):
    """A ticket with its timeline and the workflow steps you may take.

    Customer accounts get the public events only (never internal notes)."""
    ticket = visible_ticket_or_404(current_user, ticket_id)
    events = [entry.event for entry in timeline(ticket, staff=current_user.is_staff)]
    approvals = pending_approvals(ticket) if current_user.is_staff else []
    return TicketDetailSchema(events=events, transitions=available_transitions(ticket, current_user),
                              approvals=approvals).dump(ticket)


@bp.patch("/tickets/<int:ticket_id>")
@operation("tickets", body=TicketUpdateSchema, response=TicketSchema, errors=(400, 403, 404, 409, 422),
           permissions=("desk.access",))
def edit_ticket(ticket_id, body):
    """Change a ticket's title, priority, category, type (one of the same workflow), fields, tags or assignee.

    Send the `version` you read: if the ticket changed since, nothing is saved and the answer is a 409.
    As at the desk, changing title, priority, category, fields or tags needs ticket.transition; assigning
    needs ticket.assign (or takes an unassigned ticket for yourself), and moving a dispatched ticket to
    someone else needs ticket.approve_reassign."""
    ticket = visible_ticket_or_404(current_user, ticket_id)
    if any(key in body for key in EDITS_NEEDING_TRANSITION) and not current_user.can("ticket.transition"):
        raise forbidden(_("You do not have permission to edit this ticket."))
    check_version(ticket, body["version"])
    _refuse_unknown_fields(body.get("type") or ticket.type.key, body.get("fields"))
    changes = {key: body[key] for key in ("title", "priority", "category", "type", "fields") if key in body}
    try:
        update_ticket(ticket, actor=current_user, changes=changes)
        if "tags" in body:
            set_tags(ticket, body["tags"], actor=current_user)
        if "assignee_id" in body and body["assignee_id"] != ticket.assignee_id:
            assignee = staff_member(body["assignee_id"]) if body["assignee_id"] is not None else None
            assign(ticket, actor=current_user, assignee=assignee)
    except TicketInputError as exc:
        raise invalid(_field_paths(exc.errors, TicketUpdateSchema)) from None
    except RelationError as exc:
        raise invalid({"tags": str(exc)}) from None
    except AssignmentError as exc:
        raise _assignment_error(exc) from None
    db.session.commit()
    return TICKET.dump(ticket)


@bp.post("/tickets/<int:ticket_id>/transitions")
@operation("tickets", body=TransitionRequestSchema, response=TicketSchema, errors=(400, 403, 404, 409, 422),
           access=desk_or_portal)
def take_step(ticket_id, body):
    """Take a workflow step: {"to": a target state or a transition key}.

    Each step has its own permission (403 without it). A step that is not possible from the current state is
    a 409 whose `allowed` lists the possible ones; so is a step that requires an approval (code
    `approval_required`: request one with POST /tickets/{id}/approvals), and so is 回访 (code
    `follow_up_required`: record the follow-up with POST /follow-ups/{id}/completion). A step that needs a
    comment, an assignee or a value of a ticket field (`fields`) is a 422 naming it."""
    ticket = visible_ticket_or_404(current_user, ticket_id)
    if "version" in body:
        check_version(ticket, body["version"])
    assignee = staff_member(body["assignee_id"]) if body.get("assignee_id") is not None else None
    try:
        transition(ticket, body["to"], actor=current_user, comment=clean_html(body.get("comment", "")),
                   assignee=assignee, fields=body.get("fields"))
    except TransitionError as exc:
        raise transition_error(exc, ticket) from None
    db.session.commit()
    return TICKET.dump(ticket)


@bp.post("/tickets/<int:ticket_id>/replies")
@operation("tickets", body=CommentRequestSchema, response=CommentSchema, status=201,
           errors=(400, 403, 404, 422), access=may_reply)
def add_reply(ticket_id, body):
    """Reply to the customer (a public event). HTML is sanitized."""
    return _comment(ticket_id, body["body"], public=True)


@bp.post("/tickets/<int:ticket_id>/notes")
@operation("tickets", body=CommentRequestSchema, response=CommentSchema, status=201,
           errors=(400, 403, 404, 422), permissions=("desk.access", "ticket.note"))
def add_note(ticket_id, body):
    """Add an internal note, which customer accounts never see. HTML is sanitized."""
    return _comment(ticket_id, body["body"], public=False)


def _comment(ticket_id, text, public):
    ticket = visible_ticket_or_404(current_user, ticket_id)
    try:
        event = add_comment(ticket, actor=current_user, body=text, public=public)
    except TicketInputError as exc:
        raise invalid(exc.errors) from None
    added = CommentSchema().dump(event)
    db.session.commit()
    return added, 201
