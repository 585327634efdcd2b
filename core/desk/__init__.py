"""The staff helpdesk (工作台)."""
from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy.orm import selectinload

from core.auth.permissions import requires
from core.extensions import db
from core.models import Ticket
from core.tickets.access import visible_tickets

bp = Blueprint("desk", __name__, url_prefix="/desk")


@bp.get("/")
@requires("desk.access")
def index():
    query = (
        visible_tickets(current_user)
        .where(Ticket.status_category.in_(("open", "pending")))
        .options(selectinload(Ticket.customer), selectinload(Ticket.assignee))
        .order_by(Ticket.updated_at.desc(), Ticket.id.desc())
        .limit(50)
    )
    tickets = db.session.scalars(query).all()
    return render_template("desk/index.html", tickets=tickets)
