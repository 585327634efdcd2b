"""Request and response shapes of the API (marshmallow); the OpenAPI document is made from them.

Request schemas check the shape (types, unknown keys). What a value means (a title is required, a phone
number's format, a type's own fields) is checked by the services, so that the desk, the portal and the API
refuse the same things with the same messages; field metadata shows those rules to API clients."""
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields

from core.customers.service import ADDRESS_MAX_LENGTH, GRADES, KINDS, NAME_MAX_LENGTH
from core.models import CHANNELS, PRIORITIES
from core.tickets.fields import FIELD_TYPES
from core.tickets.queues import FILTER_KEYS, MAX_PAGE_SIZE, PAGE_SIZE, QUEUES, SORTS
from core.workflow.spec import STATE_CATEGORIES

DEFAULT_CHANNEL = "api"
_COMMON_MESSAGES = {"required": _l("This field is required."), "null": _l("This field cannot be null.")}


def _localized(field_class, invalid):
    """`field_class` with error messages in the reader's language."""
    messages = {**_COMMON_MESSAGES, "invalid": invalid}
    return type(field_class.__name__, (field_class,), {"default_error_messages": messages})


# Fields that read input; responses use marshmallow's own fields.
String = _localized(fields.String, _l("Must be text."))
Integer = _localized(fields.Integer, _l("Must be a whole number."))
Dict = _localized(fields.Dict, _l("Must be an object."))
List = _localized(fields.List, _l("Must be a list."))


def _one_of(values, **extra):
    """Metadata that documents the allowed values (the services check them)."""
    return {"enum": list(values), **extra}


NAMES = {"type": "array", "items": {"type": "string"}}  # how a Function field listing names is documented


class RequestSchema(Schema):
    error_messages = {"unknown": _l("Unknown field."), "type": _l("Must be an object.")}


class ListQuerySchema(RequestSchema):
    cursor = String(metadata={"description": "The next_cursor of the previous page; omit for the first page."})
    limit = Integer(metadata={"minimum": 1, "maximum": MAX_PAGE_SIZE, "default": PAGE_SIZE})


def page_schema(item_schema, name, counted=False):
    declared = {
        "items": fields.List(fields.Nested(item_schema)),
        "next_cursor": fields.String(allow_none=True, metadata={"description": "null on the last page"}),
        "next": fields.String(allow_none=True, metadata={"description": "URL of the next page; null on the last"}),
    }
    if counted:
        declared["count"] = fields.Integer(metadata={"description": "matching tickets, counted up to a cap"})
        declared["count_capped"] = fields.Boolean(metadata={"description": "true: there are more than count"})
    return Schema.from_dict(declared, name=name)


# Labels, errors ---------------------------------------------------------------------------------------------


class LabelSchema(Schema):
    zh = fields.String()
    en = fields.String()


class TransitionSchema(Schema):
    key = fields.String()
    to = fields.String(attribute="target", metadata={"description": "the state it leads to"})
    label = fields.Nested(LabelSchema)
    requires = fields.List(fields.String(), metadata={"description": "comment, assignee, …: what the step needs"})


class FieldErrorSchema(Schema):
    field = fields.String()
    message = fields.String()


class ErrorBodySchema(Schema):
    code = fields.String(metadata={"description": "bad_request, unauthorized, forbidden, not_found, conflict, "
                                                  "invalid, approval_required"})
    message = fields.String(metadata={"description": "for people, in the account's language"})
    field = fields.String(allow_none=True, metadata={"description": "the request field at fault, if one is"})
    details = fields.List(fields.Nested(FieldErrorSchema), metadata={"description": "422: every wrong field"})
    allowed = fields.List(fields.Nested(TransitionSchema),
                          metadata={"description": "409 on a transition: the steps possible from the current state"})


class ErrorSchema(Schema):
    error = fields.Nested(ErrorBodySchema)


# Tickets ----------------------------------------------------------------------------------------------------


class ChoiceSchema(Schema):
    value = fields.String()
    label = fields.Nested(LabelSchema)


class FieldSpecSchema(Schema):
    key = fields.String()
    label = fields.Nested(LabelSchema)
    type = fields.String(metadata=_one_of(FIELD_TYPES))
    required = fields.Boolean()
    choices = fields.List(fields.Nested(ChoiceSchema))
    min_value = fields.Float(allow_none=True)
    max_value = fields.Float(allow_none=True)
    max_length = fields.Integer()
    help = fields.Nested(LabelSchema, allow_none=True)


class TicketTypeSchema(Schema):
    key = fields.String()
    label = fields.Nested(LabelSchema)
    category = fields.String(allow_none=True)
    workflow = fields.String()
    public = fields.Boolean(metadata={"description": "offered to customer accounts"})
    fields_ = fields.List(fields.Nested(FieldSpecSchema), data_key="fields", attribute="fields",
                          metadata={"description": "the type's own fields, sent as {\"fields\": {key: value}}"})


class TicketSchema(Schema):
    id = fields.Integer()
    type = fields.String(attribute="type.key")
    title = fields.String()
    body = fields.String(metadata={"description": "sanitized HTML"})
    status = fields.String(metadata={"description": "the workflow state"})
    status_category = fields.String(metadata=_one_of(STATE_CATEGORIES))
    priority = fields.String(metadata=_one_of(PRIORITIES))
    channel = fields.String(metadata=_one_of(CHANNELS))
    category = fields.String(allow_none=True)
    fields_ = fields.Dict(data_key="fields", attribute="fields", metadata={"description": "the type's own fields"})
    tags = fields.Function(lambda ticket: [tag.name for tag in ticket.tags], metadata=NAMES)
    customer_id = fields.Integer(allow_none=True)
    requester_id = fields.Integer(allow_none=True)
    created_by_id = fields.Integer(allow_none=True)
    assignee_id = fields.Integer(allow_none=True)
    team_id = fields.Integer(allow_none=True)
    merged_into_id = fields.Integer(allow_none=True)
    escalation_level = fields.Integer(metadata={"description": "0 front line, 1 supervisor, 2 managers"})
    version = fields.Integer(metadata={"description": "send it back with PATCH; it changes on every save"})
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    first_response_at = fields.DateTime(allow_none=True)
    resolved_at = fields.DateTime(allow_none=True)
    closed_at = fields.DateTime(allow_none=True)


class EventSchema(Schema):
    id = fields.Integer()
    ticket_id = fields.Integer(metadata={"description": "differs from the ticket's id for merged tickets"})
    kind = fields.String(metadata={"description": "created, reply, note, transition, assign, field_change, …"})
    public = fields.Boolean(metadata={"description": "false: internal, never shown to customer accounts"})
    body = fields.String(allow_none=True, metadata={"description": "sanitized HTML"})
    actor_id = fields.Integer(allow_none=True, metadata={"description": "null: the system"})
    data = fields.Dict()
    created_at = fields.DateTime()


class CommentSchema(EventSchema):
    ticket_version = fields.Integer(attribute="ticket.version", metadata={"description": "the ticket's new version"})


class TicketDetailSchema(TicketSchema):
    """A ticket with its timeline and the steps the reader may take; both are given to the constructor."""

    events = fields.List(fields.Nested(EventSchema), metadata={"description": "customer accounts see public ones"})
    transitions = fields.List(fields.Nested(TransitionSchema), metadata={"description": "the steps you may take"})

    def __init__(self, *, events=(), transitions=(), **kwargs):
        super().__init__(**kwargs)
        self._extra = {"events": events, "transitions": transitions}

    def get_attribute(self, obj, attr, default):
        if attr in self._extra:
            return self._extra[attr]
        return super().get_attribute(obj, attr, default)


TicketPageSchema = page_schema(TicketSchema, "TicketPage", counted=True)


class TicketCreateSchema(RequestSchema):
    type = String(required=True, metadata={"description": "a ticket type key (GET /ticket-types)"})
    title = String(required=True, metadata={"maxLength": 200})
    body = String(metadata={"description": "plain text or HTML; HTML is sanitized"})
    priority = String(metadata=_one_of(PRIORITIES, description="staff only", default="normal"))
    channel = String(metadata=_one_of(CHANNELS, description="staff only", default=DEFAULT_CHANNEL))
    customer_id = Integer(allow_none=True, metadata={"description": "staff only; customer accounts file for "
                                                                    "their own customer record"})
    fields_ = Dict(data_key="fields", attribute="fields", metadata={"description": "the type's own fields"})


class TicketUpdateSchema(RequestSchema):
    version = Integer(required=True, metadata={"description": "the version you read; a stale one is refused "
                                                              "with 409 and nothing is saved"})
    title = String(metadata={"maxLength": 200})
    priority = String(metadata=_one_of(PRIORITIES))
    category = String(allow_none=True)
    fields_ = Dict(data_key="fields", attribute="fields",
                   metadata={"description": "the type's fields to change; the others keep their values"})
    tags = List(String(), metadata={"description": "the complete new list of tags"})
    assignee_id = Integer(allow_none=True, metadata={"description": "an active staff member, or null to unassign"})


class TransitionRequestSchema(RequestSchema):
    to = String(required=True, metadata={"description": "a target state or a transition key"})
    comment = String(metadata={"description": "required by some steps; shown to the customer"})
    assignee_id = Integer(allow_none=True, metadata={"description": "for steps that need an assignee"})
    version = Integer(metadata={"description": "optional: refuse the step if the ticket changed since"})


class CommentRequestSchema(RequestSchema):
    body = String(required=True, metadata={"description": "plain text or HTML; HTML is sanitized"})


_FILTER_HELP = {
    "status": "workflow state keys",
    "category": "state categories: " + ", ".join(STATE_CATEGORIES),
    "type": "ticket type keys",
    "priority": ", ".join(PRIORITIES),
    "team": "team ids",
    "assignee": "user ids, \"me\", or \"none\" for unassigned",
    "customer": "customer ids",
    "channel": ", ".join(CHANNELS),
    "tag": "tag names",
}
TicketQuerySchema = ListQuerySchema.from_dict(
    {
        "queue": String(metadata=_one_of(QUEUES, default="all")),
        "sort": String(metadata=_one_of(SORTS, default="updated")),
        **{key: String(metadata={"description": (_FILTER_HELP[key] + ", comma-separated") if key in _FILTER_HELP
                                 else "a date, YYYY-MM-DD (inclusive)"}) for key in FILTER_KEYS},
    },
    name="TicketQuery",
)


# Customers --------------------------------------------------------------------------------------------------


class CustomerSchema(Schema):
    id = fields.Integer()
    kind = fields.String(metadata=_one_of(KINDS))
    name = fields.String()
    organisation_id = fields.Integer(allow_none=True)
    phone = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    address = fields.String(allow_none=True)
    grade = fields.String(metadata=_one_of(GRADES))
    notes = fields.String(allow_none=True)
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class CustomerUpdateSchema(RequestSchema):
    name = String(metadata={"maxLength": NAME_MAX_LENGTH})
    kind = String(metadata=_one_of(KINDS))
    phone = String(allow_none=True, metadata={"description": "a mobile number (1[3-9] and 9 digits, optionally "
                                                             "+86) or a landline such as 010-12345678"})
    email = String(allow_none=True, metadata={"format": "email"})
    address = String(allow_none=True, metadata={"maxLength": ADDRESS_MAX_LENGTH})
    grade = String(metadata=_one_of(GRADES))
    notes = String(allow_none=True)
    organisation_id = Integer(allow_none=True, metadata={"description": "a customer of kind organisation"})


class CustomerCreateSchema(CustomerUpdateSchema):
    name = String(required=True, metadata={"maxLength": NAME_MAX_LENGTH})
    kind = String(metadata=_one_of(KINDS, default="person"))
    grade = String(metadata=_one_of(GRADES, default="ordinary"))


class CustomerQuerySchema(ListQuerySchema):
    q = String(metadata={"description": "part of the name, phone or e-mail"})
    kind = String(metadata=_one_of(KINDS))
    grade = String(metadata=_one_of(GRADES))


CustomerPageSchema = page_schema(CustomerSchema, "CustomerPage")


# Users ------------------------------------------------------------------------------------------------------


class UserSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    email = fields.String()
    kind = fields.String(metadata=_one_of(("staff", "customer")))
    active = fields.Boolean(attribute="is_active_account")
    locale = fields.String(allow_none=True)
    customer_id = fields.Integer(allow_none=True, metadata={"description": "customer accounts: their record"})
    roles = fields.Function(lambda user: [role.key for role in user.active_roles()], metadata=NAMES)
    team_ids = fields.Function(lambda user: [team.id for team in user.teams],
                               metadata={"type": "array", "items": {"type": "integer"}})


class MeSchema(UserSchema):
    permissions = fields.Function(lambda user: sorted(user.permission_keys), metadata=NAMES)


class UserQuerySchema(ListQuerySchema):
    kind = String(metadata=_one_of(("staff", "customer")))
    q = String(metadata={"description": "part of the name or e-mail"})


UserPageSchema = page_schema(UserSchema, "UserPage")
