"""The REST API, /api/v1: bearer tokens, JSON errors {"error": {"code", "message", "field"}}, and an OpenAPI
document made from the views (openapi.py). One module per resource; errors.py maps failures to HTTP."""
from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from core.api import (  # noqa: E402,F401 - register the views
    approvals,
    customers,
    errors,
    followups,
    lookups,
    openapi,
    search,
    tickets,
    users,
)
