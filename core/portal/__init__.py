"""The customer portal (客户门户)."""
from flask import Blueprint, render_template
from flask_login import current_user

from core.auth.permissions import requires
from core.extensions import db
from core.models import Ticket
from core.tickets.access import visible_tickets

bp = Blueprint("portal", __name__, url_prefix="/portal")


@bp.get("/")
@requires("portal.access")
def index():
    query = visible_tickets(current_user).order_by(Ticket.created_at.desc(), Ticket.id.desc()).limit(100)
    return render_template("portal/index.html", tickets=db.session.scalars(query).all())
