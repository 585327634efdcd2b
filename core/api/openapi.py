"""Each view's contract and the OpenAPI document made from the contracts.

`operation(...)` declares what a view needs (permissions, an access rule), what it reads (a JSON body,
query parameters: both checked before the view runs) and what it answers. /api/v1/openapi.json walks the
URL map, so a view is documented exactly as it is declared."""
import inspect
import re
from dataclasses import dataclass
from functools import wraps

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec_webframeworks.flask import FlaskPlugin
from flask import abort, current_app, request
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import ValidationError

from core.api import bp
from core.api.errors import STATUSES, ApiError, invalid
from core.api.schemas import ErrorSchema
from core.auth.permissions import AUTHENTICATED, requires

DESCRIPTION = """The REST API of Kefu (客服).

Authenticate with `Authorization: Bearer <token>`; a token comes from `kefu token create` or from the
profile page, and can be revoked there. The API grants exactly what the web interface grants the same
account: staff work as in the helpdesk, customer accounts as in the portal (their own tickets, public
ticket types, replies; never internal notes).

Errors are JSON: `{"error": {"code": …, "message": …, "field": …}}`. Lists are pages: pass `next_cursor`
back as `?cursor=` (or follow `next`)."""


@dataclass(frozen=True)
class Operation:
    tag: str
    body: type | None
    query: type | None
    response: type | None
    status: int
    errors: tuple
    access: object


def _flatten(messages, prefix=""):
    """marshmallow's nested messages as {"a.b": "first message"}."""
    flat = {}
    for key, value in messages.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, path + "."))
        else:
            flat[path] = str(value[0] if isinstance(value, list) else value)
    return flat


def _json_object():
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ApiError(400, "bad_request", _("Send a JSON object with the header Content-Type: application/json."))
    return data


def _query_args():
    return {key: ",".join(values) for key, values in request.args.lists()}


def operation(tag, *, body=None, query=None, response=None, status=200, errors=(), permissions=(), access=None):
    """Declare a view's contract. The view gets `body=` and `query=` (loaded dicts) when schemas are given.

    `permissions` are required as by `requires`; `access(user)` is a further rule for what permissions alone
    cannot say (staff or customer account), and its docstring documents it. A wrong body is a 422 naming the
    field; a wrong query parameter or a body that is not a JSON object is a 400."""

    # Made once: loading keeps no state in the schema.
    query_schema = query() if query is not None else None
    body_schema = body() if body is not None else None

    def decorator(view):
        @wraps(view)
        def checked(*args, **kwargs):
            if access is not None and not access(current_user):
                abort(403)
            if query_schema is not None:
                try:
                    kwargs["query"] = query_schema.load(_query_args())
                except ValidationError as exc:
                    field, message = next(iter(_flatten(exc.messages).items()))
                    raise ApiError(400, "bad_request", message, field) from None
            if body_schema is not None:
                try:
                    kwargs["body"] = body_schema.load(_json_object())
                except ValidationError as exc:
                    raise invalid(_flatten(exc.messages)) from None
            return view(*args, **kwargs)

        checked._api_operation = Operation(tag, body, query, response, status, tuple(errors), access)
        return requires(*permissions)(checked)

    return decorator


# The document ---------------------------------------------------------------------------------------------

_PARAMETER = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")


def _path_parameters(rule):
    return [{"in": "path", "name": name, "required": True,
             "schema": {"type": "integer" if converter == "int" else "string"}}
            for converter, name in _PARAMETER.findall(rule.rule)]


def _permission_text(op, declared):
    parts = [] if declared == AUTHENTICATED else [", ".join(declared) + "."]
    if op.access is not None:
        parts.append(inspect.getdoc(op.access).replace("\n", " "))
    return "**Permission:** " + (" ".join(parts) or "any signed-in account.")


def _operation_object(endpoint, view, op):
    summary, _, description = (inspect.getdoc(view) or endpoint).partition("\n")
    responses = {str(op.status): {"description": "No content" if op.status == 204 else "OK"}}
    if op.response is not None:
        responses[str(op.status)]["content"] = {"application/json": {"schema": op.response}}
    for status in sorted({401, *op.errors}):
        responses[str(status)] = STATUSES[status][0]
    declared = view._kefu_permission
    result = {
        "operationId": endpoint.partition(".")[2],
        "tags": [op.tag],
        "summary": summary.strip(),
        "description": "\n\n".join(part for part in (description.strip(), _permission_text(op, declared)) if part),
        "x-permissions": [] if declared == AUTHENTICATED else list(declared),
        "responses": responses,
    }
    if op.query is not None:
        result["parameters"] = [{"in": "query", "schema": op.query}]
    if op.body is not None:
        result["requestBody"] = {"required": True, "content": {"application/json": {"schema": op.body}}}
    return result


def build_spec(app):
    """The OpenAPI 3 document of every documented view of the API blueprint in `app`, and of the plugins'
    blueprints mounted under it (/api/v1/...)."""
    spec = APISpec(title="Kefu API", version="1.0.0", openapi_version="3.0.3",
                   plugins=[FlaskPlugin(), MarshmallowPlugin()], info={"description": DESCRIPTION},
                   security=[{"bearerToken": []}])
    spec.components.security_scheme("bearerToken", {"type": "http", "scheme": "bearer"})
    for name, description in STATUSES.values():
        spec.components.response(name, {"description": description,
                                        "content": {"application/json": {"schema": ErrorSchema}}})
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule):
        view = app.view_functions[rule.endpoint]
        op = getattr(view, "_api_operation", None)
        if not (rule.endpoint.startswith(bp.name + ".") or rule.rule.startswith(bp.url_prefix + "/")) or op is None:
            continue
        (method,) = rule.methods - {"HEAD", "OPTIONS"}
        spec.path(view=view, app=app, parameters=_path_parameters(rule),
                  operations={method.lower(): _operation_object(rule.endpoint, view, op)})
    return spec.to_dict()


@bp.get("/openapi.json")
@operation("meta")
def openapi_document():
    """This document: every endpoint of the API with its parameters, answers and permissions."""
    return build_spec(current_app)
