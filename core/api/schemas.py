"""Request and response shapes of the API (marshmallow); the OpenAPI document is made from them.

Request schemas check the shape (types, unknown keys). What a value means (a title is required, a phone
number's format, a type's own fields) is checked by the services, so that the desk, the portal and the API
refuse the same things with the same messages; field metadata shows those rules to API clients."""
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields

from core.customers.service import ADDRESS_MAX_LENGTH, KINDS, NAME_MAX_LENGTH
from core.models import (
    APPROVAL_KINDS,
    APPROVAL_STATES,
    CHANNELS,
    CONFIDENTIALITY,
    CONTACT_KINDS,
    FOLLOW_UP_METHODS,
    PRIORITIES,
)
from core.models.followup import FOLLOW_UP_STATES, SURVEY_CHANNELS, SURVEY_STATES
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
Boolean = _localized(fields.Boolean, _l("Must be true or false."))


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
    requires = fields.List(fields.String(), metadata={"description": "what the step needs: comment, assignee, "
                                                                     "field:<key> (a value of that ticket field), "
                                                                     "approval (POST …/approvals first)"})


class FieldErrorSchema(Schema):
    field = fields.String()
    message = fields.String()


class ErrorBodySchema(Schema):
    code = fields.String(metadata={"description": "bad_request, unauthorized, forbidden, not_found, conflict, "
                                                  "invalid, approval_required, approval_pending, "
                                                  "approval_not_needed, already_decided, follow_up_required, own_request"})
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
    source = fields.String(allow_none=True, metadata={"description": "lookup fields: choices from "
                                                                      "/api/v1/lookups/{source}"})
    parent = fields.String(allow_none=True, metadata={"description": "lookup fields: the field whose value is "
                                                                      "passed as ?parent= to list the choices"})
    required_if = fields.List(fields.String(), allow_none=True,
                              metadata={"description": "[field, value]: required when that field has that value"})


class LookupQuerySchema(RequestSchema):
    parent = String(metadata={"description": "the parent field's value; omit for a lookup without a parent"})


class LookupChoicesSchema(Schema):
    items = fields.List(fields.Nested(ChoiceSchema))


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


class ApprovalSchema(Schema):
    id = fields.Integer()
    ticket_id = fields.Integer()
    kind = fields.String(metadata=_one_of(APPROVAL_KINDS, description="a workflow step, or a reassignment"))
    transition = fields.String(allow_none=True, metadata={"description": "the step's key (kind transition)"})
    assignee_id = fields.Integer(attribute="to_user_id", allow_none=True,
                                 metadata={"description": "the assignee the step or the reassignment gives"})
    permission = fields.String(metadata={"description": "who may decide: those holding this permission"})
    state = fields.String(metadata=_one_of(APPROVAL_STATES))
    requested_by_id = fields.Integer(allow_none=True)
    reason = fields.String(allow_none=True, metadata={"description": "the requester's comment, sanitized HTML"})
    fields_ = fields.Dict(data_key="fields", attribute="fields", metadata={"description": "field values given"})
    decided_by_id = fields.Integer(allow_none=True)
    decision_note = fields.String(allow_none=True)
    created_at = fields.DateTime()
    decided_at = fields.DateTime(allow_none=True)
    ticket_status = fields.String(attribute="ticket.status", metadata={"description": "the ticket's state now"})


class TicketDetailSchema(TicketSchema):
    """A ticket with its timeline, the steps the reader may take and the approvals waiting for a decision; all
    three are given to the constructor."""

    events = fields.List(fields.Nested(EventSchema), metadata={"description": "customer accounts see public ones"})
    transitions = fields.List(fields.Nested(TransitionSchema), metadata={"description": "the steps you may take"})
    approvals = fields.List(fields.Nested(ApprovalSchema), metadata={"description": "pending approvals (staff)"})

    def __init__(self, *, events=(), transitions=(), approvals=(), **kwargs):
        super().__init__(**kwargs)
        self._extra = {"events": events, "transitions": transitions, "approvals": approvals}

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
    type = String(metadata={"description": "another ticket type of the same workflow; the SLA clocks are "
                                           "re-evaluated"})
    fields_ = Dict(data_key="fields", attribute="fields",
                   metadata={"description": "the type's fields to change; the others keep their values"})
    tags = List(String(), metadata={"description": "the complete new list of tags"})
    assignee_id = Integer(allow_none=True, metadata={"description": "an active staff member, or null to unassign"})


class TransitionRequestSchema(RequestSchema):
    to = String(required=True, metadata={"description": "a target state or a transition key"})
    comment = String(metadata={"description": "required by some steps; shown to the customer"})
    assignee_id = Integer(allow_none=True, metadata={"description": "for steps that need an assignee"})
    version = Integer(metadata={"description": "optional: refuse the step if the ticket changed since"})
    fields_ = Dict(data_key="fields", attribute="fields",
                   metadata={"description": "values of the ticket fields the step requires (field:<key>)"})


class ApprovalRequestSchema(RequestSchema):
    transition = String(required=True, metadata={"description": "a step that requires approval: its key or the "
                                                                "state it leads to"})
    comment = String(metadata={"description": "why; used as the step's comment when it is granted"})
    assignee_id = Integer(allow_none=True, metadata={"description": "for steps that need an assignee"})
    fields_ = Dict(data_key="fields", attribute="fields",
                   metadata={"description": "values of the ticket fields the step requires (field:<key>)"})


class DecisionSchema(RequestSchema):
    approve = Boolean(required=True, metadata={"description": "true grants (and takes the step), false refuses"})
    comment = String(metadata={"description": "optional note, internal"})


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


GRADE_DESCRIPTION = "a grade key the site defines (GET /api/v1/customer-grades)"
LEVEL_DESCRIPTION = ("confidentiality: a record above normal is read only by accounts with that level's clearance "
                     "permission, with ?reason=…, and each reading is logged")


class ContactSchema(Schema):
    id = fields.Integer()
    kind = fields.String(metadata=_one_of(CONTACT_KINDS))
    value = fields.String()
    name = fields.String(allow_none=True, metadata={"description": "the contact person, if any"})
    note = fields.String(allow_none=True)


class CustomerSchema(Schema):
    id = fields.Integer()
    kind = fields.String(metadata=_one_of(KINDS))
    name = fields.String()
    confidentiality = fields.String(metadata=_one_of(CONFIDENTIALITY, description=LEVEL_DESCRIPTION))
    restricted = fields.Function(lambda _customer: False, metadata={
        "description": "true: a protected record listed by name only; read it by id with ?reason=… for the rest"})
    organisation_id = fields.Integer(allow_none=True)
    phone = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    address = fields.String(allow_none=True)
    grade = fields.String(metadata={"description": GRADE_DESCRIPTION})
    credit_grade = fields.String(allow_none=True, metadata={"description": "a credit grade key the site defines"})
    birthday = fields.Date(allow_none=True)
    tags = fields.Function(lambda customer: [tag.name for tag in customer.tags], metadata=NAMES)
    contacts = fields.List(fields.Nested(ContactSchema))
    problem = fields.Boolean(metadata={"description": "a confirmed problem customer (劣质客户)"})
    verified = fields.Boolean(metadata={"description": "false: made from the public form, not yet checked by staff"})
    notes = fields.String(allow_none=True)
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class RestrictedCustomerSchema(Schema):
    """What a list shows of a protected record: no details."""

    id = fields.Integer()
    kind = fields.String()
    name = fields.String()
    confidentiality = fields.String()
    restricted = fields.Function(lambda _customer: True)


class CustomerUpdateSchema(RequestSchema):
    name = String(metadata={"maxLength": NAME_MAX_LENGTH})
    kind = String(metadata=_one_of(KINDS))
    phone = String(allow_none=True, metadata={"description": "a mobile number (1[3-9] and 9 digits, optionally "
                                                             "+86) or a landline such as 010-12345678"})
    email = String(allow_none=True, metadata={"format": "email"})
    address = String(allow_none=True, metadata={"maxLength": ADDRESS_MAX_LENGTH})
    grade = String(metadata={"description": GRADE_DESCRIPTION})
    credit_grade = String(allow_none=True, metadata={"description": "a credit grade key the site defines"})
    birthday = String(allow_none=True, metadata={"format": "date"})
    confidentiality = String(metadata=_one_of(CONFIDENTIALITY, description="only with clearance for the old and "
                                                                          "the new level"))
    tags = List(String(), metadata={"description": "replaces the record's tags"})
    notes = String(allow_none=True)
    organisation_id = Integer(allow_none=True, metadata={"description": "a customer of kind organisation"})


class CustomerCreateSchema(CustomerUpdateSchema):
    name = String(required=True, metadata={"maxLength": NAME_MAX_LENGTH})
    kind = String(metadata=_one_of(KINDS, default="person"))
    grade = String(metadata={"description": GRADE_DESCRIPTION, "default": "ordinary"})


class CustomerQuerySchema(ListQuerySchema):
    q = String(metadata={"description": "part of the name, or of a phone, e-mail or contact (protected records "
                                        "match by name only unless the account has their clearance)"})
    kind = String(metadata=_one_of(KINDS))
    grade = String(metadata={"description": GRADE_DESCRIPTION})
    tag = String(metadata={"description": "a tag name"})


class ReasonQuerySchema(RequestSchema):
    reason = String(metadata={"description": "why the protected record is read (logged); required for records "
                                             "above normal"})


class GradeSchema(Schema):
    scheme = fields.String(metadata=_one_of(("grade", "credit")))
    key = fields.String()
    label_zh = fields.String()
    label_en = fields.String()


CustomerPageSchema = page_schema(CustomerSchema, "CustomerPage")
GradeListSchema = Schema.from_dict({"items": fields.List(fields.Nested(GradeSchema))}, name="GradeList")


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


# The closed loop: follow-ups and surveys ---------------------------------------------------------------------


class ScoresSchema(Schema):
    quality = fields.Integer(allow_none=True, metadata={"description": "服务质量, 1–5"})
    attitude = fields.Integer(allow_none=True, metadata={"description": "服务态度, 1–5"})
    speed = fields.Integer(allow_none=True, metadata={"description": "响应速度, 1–5"})


class SurveySchema(Schema):
    id = fields.Integer()
    ticket_id = fields.Integer()
    state = fields.String(metadata=_one_of(SURVEY_STATES))
    created_at = fields.DateTime()
    expires_at = fields.DateTime(metadata={"description": "when its signed link stops working"})
    answered_at = fields.DateTime(allow_none=True)
    channel = fields.String(allow_none=True, metadata=_one_of(SURVEY_CHANNELS, description="how it was answered"))
    scores = fields.Nested(ScoresSchema)
    comment = fields.String(allow_none=True)


class FollowUpCustomerSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    phone = fields.String(allow_none=True)
    grade = fields.String()


class FollowUpSchema(Schema):
    id = fields.Integer()
    ticket_id = fields.Integer()
    ticket_title = fields.String(attribute="ticket.title")
    customer = fields.Nested(FollowUpCustomerSchema, attribute="ticket.customer", allow_none=True)
    assignee_id = fields.Integer(allow_none=True)
    state = fields.String(metadata=_one_of(FOLLOW_UP_STATES))
    reason = fields.String(metadata=_one_of(("always", "sampled", "investigation")))
    created_at = fields.DateTime()
    due_at = fields.DateTime()
    method = fields.String(allow_none=True, metadata=_one_of(FOLLOW_UP_METHODS))
    outcome = fields.String(allow_none=True)
    done_at = fields.DateTime(allow_none=True)
    done_by_id = fields.Integer(allow_none=True)


FollowUpPageSchema = page_schema(FollowUpSchema, "FollowUpPage")


class FollowUpQuerySchema(ListQuerySchema):
    view = String(metadata=_one_of(("due", "overdue", "done"), default="due"))
    scope = String(metadata=_one_of(("mine", "all"), default="mine",
                                    description="all: everyone's (needs followup.manage)"))


class ScoresRequestSchema(RequestSchema):
    quality = Integer(allow_none=True, metadata={"minimum": 1, "maximum": 5})
    attitude = Integer(allow_none=True, metadata={"minimum": 1, "maximum": 5})
    speed = Integer(allow_none=True, metadata={"minimum": 1, "maximum": 5})


class FollowUpCompletionSchema(RequestSchema):
    method = String(required=True, metadata=_one_of(FOLLOW_UP_METHODS))
    outcome = String(required=True, metadata={"description": "what the customer said; plain text",
                                              "maxLength": 2000})
    scores = fields.Nested(ScoresRequestSchema, metadata={"description": "the customer's answers, when given: all "
                                                                         "three, 1–5 each"})
    comment = String(metadata={"description": "the customer's comment, with the scores"})


class SurveyAnswerSchema(RequestSchema):
    scores = fields.Nested(ScoresRequestSchema, required=True, metadata={"description": "all three, 1–5 each"})
    comment = String(metadata={"maxLength": 2000})


# Search -----------------------------------------------------------------------------------------------------


class SearchQuerySchema(RequestSchema):
    q = String(required=True, metadata={"description": "What the desk's search box takes: words, \"phrases\", "
                                                       "filters such as status:open, type:complaint, assignee:me, "
                                                       "customer:13800001234, tag:VIP, <plugin field>:value, "
                                                       "created:2026-03 or updated:>=2026-03-01."})
    scope = String(metadata=_one_of(("tickets", "kb"), default="tickets"))
    sort = String(metadata=_one_of(("relevance", "date"), description="default: relevance when there are words, "
                                                                  "else date"))
    page = Integer(metadata={"minimum": 1, "maximum": 50, "default": 1})
    limit = Integer(metadata={"minimum": 1, "maximum": 50, "default": 20})


class SearchHitSchema(Schema):
    kind = fields.String(metadata=_one_of(("ticket", "kb")))
    id = fields.Integer()
    title = fields.String()
    title_html = fields.String(metadata={"description": "the title, HTML-escaped, matches in <mark>"})
    excerpt_html = fields.String(allow_none=True, metadata={"description": "text around the first match, "
                                                                           "HTML-escaped, matches in <mark>"})
    status = fields.String(allow_none=True)
    updated_at = fields.DateTime()
    url = fields.String(metadata={"description": "the API URL of the ticket (tickets only)"}, allow_none=True)


class SearchPageSchema(Schema):
    items = fields.List(fields.Nested(SearchHitSchema))
    total = fields.Integer(metadata={"description": "matches, at most 1000"})
    total_exact = fields.Boolean(metadata={"description": "false: total is an estimate, or more match"})
    page = fields.Integer()
    next = fields.String(allow_none=True, metadata={"description": "URL of the next page; null on the last"})
