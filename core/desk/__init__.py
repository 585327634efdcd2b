"""The staff helpdesk (工作台): queues, the ticket page, creating tickets, approvals and notifications."""
from flask import Blueprint

bp = Blueprint("desk", __name__, url_prefix="/desk")

from core.desk import queue_views, ticket_views  # noqa: E402,F401 - the views register themselves on bp
