"""The customer portal (客户门户).

Customers sign up or sign in (a password, or a single-use link sent by e-mail), file requests with their
type's own form while public answers are suggested (deflection), follow their own requests, reply, upload
and reopen a finished request for a few days. Visitors without an account use the public form and follow
their request through a signed tracking link.
"""
from flask import Blueprint

bp = Blueprint("portal", __name__, url_prefix="/portal", static_folder="static")


from core.portal import account_views, public_views, ticket_views  # noqa: E402,F401 - views register on bp
