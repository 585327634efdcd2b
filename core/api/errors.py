"""Every API failure is JSON of one shape, {"error": {"code", "message", "field"}}, plus "details" when
several fields are wrong and "allowed" when a workflow step is refused. Nothing is saved on an error."""
from flask import jsonify
from flask_babel import gettext as _
from sqlalchemy.orm.exc import StaleDataError

from core.api import bp
from core.customers.service import CustomerInputError, CustomerInUse
from core.extensions import db
from core.search.backends import IndexUnavailable
from core.search.query import QueryError
from core.tickets.queues import FilterError
from core.tickets.service import StaleTicket

# Documented in the OpenAPI document: status → (component name, when it happens).
STATUSES = {
    400: ("BadRequest", "The request is malformed: not a JSON object, or a query parameter is wrong."),
    401: ("Unauthorized", "No valid bearer token (missing, unknown or revoked)."),
    403: ("Forbidden", "The account lacks the permission for this action."),
    404: ("NotFound", "No such resource, or one the account may not see (the two are not told apart)."),
    409: ("Conflict", "The resource changed since it was read, the workflow step is not possible from the "
                      "current state (\"allowed\" lists those that are), or the record is still in use."),
    422: ("Invalid", "A field is wrong; \"field\" names it (type fields as \"fields.<key>\") and \"details\" "
                     "lists every wrong field."),
    503: ("Unavailable", "The search index is being built; try again in a minute."),
}


class ApiError(Exception):
    def __init__(self, status, code, message, field=None, **extra):
        super().__init__(message)
        self.status, self.code, self.message, self.field, self.extra = status, code, message, field, extra

    def response(self):
        body = {"code": self.code, "message": str(self.message), "field": self.field, **self.extra}
        return jsonify(error=body), self.status


def invalid(errors):
    """422 for {field: message}: the first wrong field is named, all of them are in "details"."""
    details = [{"field": field, "message": str(message)} for field, message in errors.items()]
    return ApiError(422, "invalid", details[0]["message"], details[0]["field"], details=details)


def forbidden(message, field=None):
    return ApiError(403, "forbidden", message, field)


def stale():
    return ApiError(409, "conflict", _("Someone else changed this ticket since you loaded it. Nothing was saved; "
                                       "load it again and repeat your change."), "version")


def _handle(convert):
    def handle(exc):
        db.session.rollback()
        return convert(exc).response()

    return handle


_CONVERSIONS = {
    ApiError: lambda exc: exc,
    StaleTicket: lambda _exc: stale(),
    StaleDataError: lambda _exc: stale(),  # a concurrent save won the race between our check and our write
    FilterError: lambda exc: ApiError(400, "bad_request", exc.message, exc.field),
    QueryError: lambda exc: ApiError(400, exc.code, exc.message, "q"),
    IndexUnavailable: lambda _exc: ApiError(503, "search_unavailable", _("The search index is being built. Until "
                                                                         "it is ready a search finds nothing; try "
                                                                         "again in a minute.")),
    CustomerInputError: lambda exc: invalid(exc.errors),
    CustomerInUse: lambda _exc: ApiError(409, "conflict", _("This customer still has tickets, accounts or member "
                                                            "records and cannot be deleted.")),
}
for _exception, _convert in _CONVERSIONS.items():
    bp.register_error_handler(_exception, _handle(_convert))
