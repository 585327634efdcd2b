"""Choices of lookup fields (estates and rooms, service areas…), for API clients and the forms' pickers."""
from flask import abort, current_app

from core.api import bp
from core.api.openapi import operation
from core.api.schemas import LookupChoicesSchema, LookupQuerySchema
from core.api.tickets import desk_or_portal


@bp.get("/lookups/<key>")
@operation("tickets", query=LookupQuerySchema, response=LookupChoicesSchema, errors=(400, 403, 404),
           access=desk_or_portal)
def lookup_choices(key, query):
    """The choices of a lookup: a ticket type field of type "lookup" names it as its `source`.

    A field with a `parent` lists its choices under the parent field's value: `?parent=<value>`."""
    lookup = current_app.extensions["kefu"].registry.lookups.get(key)
    if lookup is None:
        abort(404)
    parent = (query.get("parent") or "").strip() or None
    return LookupChoicesSchema().dump({"items": lookup.options(parent)})
