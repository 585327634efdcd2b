"""The staff helpdesk (工作台): queues, the ticket page, creating tickets, approvals and notifications."""
from flask import Blueprint

bp = Blueprint("desk", __name__, url_prefix="/desk")

from core.desk import notification_views, queue_views, search_views, ticket_views  # noqa: E402,F401 - views register on bp
